#pragma once
// Small helpers for HTTP field handling shared by the viewer and origin sides:
// case-insensitive names, hop-by-hop fields (RFC 9110 7.6.1 and the legacy
// ones the CDN strips, facts 5.2/5.4), Connection-listed names, HTTP dates.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/ascii.hpp"

namespace edgefetch::edge {

using base::iequals;
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
