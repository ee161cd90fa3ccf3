#pragma once
// The HTTP methods CloudFront takes from viewers and forwards to origins
// (AllowedMethods can name no others). Methods are case-sensitive (RFC 9110 9.1).

#include <algorithm>
#include <array>
#include <string_view>

namespace edgefetch::config {

inline constexpr auto kCdnMethods =
    std::to_array<std::string_view>({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"});

inline bool is_cdn_method(std::string_view method) {
  return std::find(kCdnMethods.begin(), kCdnMethods.end(), method) != kCdnMethods.end();
}

}  // namespace edgefetch::config
