#include "policy/text.hpp"

#include <algorithm>
#include <array>

namespace edgefetch::policy::detail {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::optional<unsigned> hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return static_cast<unsigned>(c - '0');
  }
  const char l = lower(c);
  if (l >= 'a' && l <= 'f') {
    return static_cast<unsigned>(l - 'a' + 10);
  }
  return std::nullopt;
}

bool has_hex_prefix(std::string_view text) {
  return text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

// Parses 1..max_digits hex digits (the whole of `digits`).
std::optional<unsigned> parse_hex(std::string_view digits, std::size_t max_digits) {
  if (digits.empty() || digits.size() > max_digits) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (const char c : digits) {
    const auto d = hex_digit(c);
    if (!d) {
      return std::nullopt;
    }
    value = value * 16 + *d;
  }
  return value;
}

// One byte of the "0xC0,0x2F" form: "0xC0" or "C0".
std::optional<unsigned> parse_hex_byte(std::string_view text) {
  text = trim_whitespace(text);
  if (has_hex_prefix(text)) {
    text.remove_prefix(2);
  }
  return parse_hex(text, 2);
}

}  // namespace

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

std::optional<std::uint16_t> parse_code_point(std::string_view text) {
  text = trim_whitespace(text);
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    text = trim_whitespace(text.substr(1, text.size() - 2));
  }
  // Two bytes: "0xC0,0x2F", "0xC0, 0x2F" or "0xC0 0x2F".
  const std::size_t separator = text.find_first_of(", \t");
  if (separator != std::string_view::npos) {
    std::string_view second = trim_whitespace(text.substr(separator));
    if (!second.empty() && second.front() == ',') {
      second.remove_prefix(1);
    }
    const auto hi = parse_hex_byte(text.substr(0, separator));
    const auto lo = parse_hex_byte(second);
    if (!hi || !lo) {
      return std::nullopt;
    }
    return static_cast<std::uint16_t>((*hi << 8) | *lo);
  }
  if (has_hex_prefix(text)) {
    const auto value = parse_hex(text.substr(2), 4);
    if (!value) {
      return std::nullopt;
    }
    return static_cast<std::uint16_t>(*value);
  }
  // Bare hex only with exactly four digits ("C02F", "000A"), so that a short
  // word or number is never mistaken for a code point.
  if (text.size() == 4) {
    if (const auto value = parse_hex(text, 4)) {
      return static_cast<std::uint16_t>(*value);
    }
  }
  return std::nullopt;
}

std::optional<std::uint16_t> parse_small_decimal(std::string_view text) {
  text = trim_whitespace(text);
  if (text.empty() || text.size() > 3) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return static_cast<std::uint16_t>(value);
}

std::string format_code_point(std::uint16_t code) {
  static constexpr std::array<char, 16> kDigits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                   '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) {
    out.push_back(kDigits[(code >> shift) & 0xFU]);
  }
  return out;
}

}  // namespace edgefetch::policy::detail
