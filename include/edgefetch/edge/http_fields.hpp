#pragma once
// Small helpers for HTTP field handling shared by the viewer and origin sides:
// case-insensitive names, hop-by-hop fields (RFC 9110 7.6.1 and the legacy
// ones the CDN strips, facts 5.2/5.4), Connection-listed names, HTTP dates.

#include <boost/beast/core/string_type.hpp>
#include <boost/container/small_vector.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "edgefetch/base/ascii.hpp"

namespace edgefetch::edge {

using base::iequals;

/// Beast's string_view (boost::string_view in Boost 1.74) as a std::string_view.
inline std::string_view std_view(boost::beast::string_view text) {
  return {text.data(), text.size()};
}
bool istarts_with(std::string_view text, std::string_view prefix);

/// Connection, Keep-Alive, Proxy-Connection, Proxy-Authenticate,
/// Proxy-Authorization, TE, Trailer, Transfer-Encoding, Upgrade.
bool is_hop_by_hop(std::string_view name);

/// The names a message's Connection fields list (RFC 9110 7.6.1), comma
/// separated and trimmed ("close", "X-Foo"). Views into the field values,
/// which must outlive this; no allocation for up to kInline names.
class ConnectionTokens {
 public:
  static constexpr std::size_t kInline = 8;

  /// Adds the tokens of one Connection field value.
  void add_value(std::string_view value);
  /// Whether `name` is listed (case-insensitive).
  [[nodiscard]] bool contains(std::string_view name) const {
    for (const auto token : tokens_) {
      if (iequals(name, token)) return true;
    }
    return false;
  }
  [[nodiscard]] std::size_t size() const { return tokens_.size(); }
  /// The i-th token, in order of appearance.
  [[nodiscard]] std::string_view operator[](std::size_t i) const { return tokens_[i]; }

 private:
  boost::container::small_vector<std::string_view, kInline> tokens_;
};

/// True when `name` is hop-by-hop or listed in `tokens`.
inline bool is_connection_specific(std::string_view name, const ConnectionTokens& tokens) {
  return is_hop_by_hop(name) || tokens.contains(name);
}

/// "Thu, 26 Nov 2026 17:58:17 GMT" (IMF-fixdate).
std::string http_date(std::chrono::system_clock::time_point time);

/// True when `value` may be sent as a field value (no CR, LF or NUL).
inline bool is_safe_field_value(std::string_view value) {
  return base::is_line_safe(value);
}

}  // namespace edgefetch::edge
