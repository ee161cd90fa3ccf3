#include "edgefetch/edge/http_fields.hpp"

#include <array>
#include <ctime>

namespace edgefetch::edge {

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool is_hop_by_hop(std::string_view name) {
  // By length first: most names match none of these lengths.
  switch (name.size()) {
    case 2:
      return iequals(name, "TE");
    case 7:
      return iequals(name, "Trailer") || iequals(name, "Upgrade");
    case 10:
      return iequals(name, "Connection") || iequals(name, "Keep-Alive");
    case 16:
      return iequals(name, "Proxy-Connection");
    case 17:
      return iequals(name, "Transfer-Encoding");
    case 18:
      return iequals(name, "Proxy-Authenticate");
    case 19:
      return iequals(name, "Proxy-Authorization");
    default:
      return false;
  }
}

void ConnectionTokens::add_value(std::string_view value) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    const std::string_view token = base::trim_ows(value.substr(0, comma));
    if (!token.empty()) tokens_.push_back(token);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

std::string http_date(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 64> text{};
  const std::size_t n = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return {text.data(), n};
}

}  // namespace edgefetch::edge
