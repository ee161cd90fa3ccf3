#pragma once
// Small helpers for HTTP field handling shared by the viewer and origin sides:
// case-insensitive names, hop-by-hop fields (RFC 9110 7.6.1 and the legacy
// ones the CDN strips, facts 5.2/5.4), Connection-listed names, HTTP dates.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace edgefetch::edge {

/// ASCII case-insensitive equality. Inline: the proxy compares every field
/// name of every message against a dozen names.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i];
    const char y = b[i];
    if (x == y) continue;
    const char folded = static_cast<char>(x | 0x20);
    if (folded != static_cast<char>(y | 0x20) || folded < 'a' || folded > 'z') return false;
  }
  return true;
}
bool istarts_with(std::string_view text, std::string_view prefix);

/// Connection, Keep-Alive, Proxy-Connection, Proxy-Authenticate,
/// Proxy-Authorization, TE, Trailer, Transfer-Encoding, Upgrade.
bool is_hop_by_hop(std::string_view name);

/// The comma-separated tokens of Connection header values, trimmed
/// (e.g. "close", "X-Foo").
std::vector<std::string> connection_tokens(const std::vector<std::string_view>& connection_values);

/// True when `name` is hop-by-hop or listed in `tokens`.
bool is_connection_specific(std::string_view name, const std::vector<std::string>& tokens);

/// "Thu, 26 Nov 2026 17:58:17 GMT" (IMF-fixdate).
std::string http_date(std::chrono::system_clock::time_point time);

/// True when `value` may be sent as a field value (no CR, LF or NUL).
bool is_safe_field_value(std::string_view value);

}  // namespace edgefetch::edge
