#include "edgefetch/edge/http_fields.hpp"

#include <array>
#include <ctime>

namespace edgefetch::edge {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool is_hop_by_hop(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kNames = {"Connection",
                                                             "Keep-Alive",
                                                             "Proxy-Connection",
                                                             "Proxy-Authenticate",
                                                             "Proxy-Authorization",
                                                             "TE",
                                                             "Trailer",
                                                             "Transfer-Encoding",
                                                             "Upgrade"};
  for (const auto hop : kNames) {
    if (iequals(name, hop)) return true;
  }
  return false;
}

std::vector<std::string> connection_tokens(const std::vector<std::string_view>& connection_values) {
  std::vector<std::string> tokens;
  for (std::string_view value : connection_values) {
    while (!value.empty()) {
      const auto comma = value.find(',');
      const std::string_view token = trim(value.substr(0, comma));
      if (!token.empty()) tokens.emplace_back(token);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return tokens;
}

bool is_connection_specific(std::string_view name, const std::vector<std::string>& tokens) {
  if (is_hop_by_hop(name)) return true;
  for (const auto& token : tokens) {
    if (iequals(name, token)) return true;
  }
  return false;
}

std::string http_date(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 64> text{};
  const std::size_t n = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(text.data(), n);
}

bool is_safe_field_value(std::string_view value) {
  // One compare per byte on the common path: only bytes up to CR need a closer look.
  for (const char c : value) {
    if (static_cast<unsigned char>(c) <= '\r' && (c == '\r' || c == '\n' || c == '\0')) return false;
  }
  return true;
}

}  // namespace edgefetch::edge
