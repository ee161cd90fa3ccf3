#pragma once
// Locale-independent ASCII helpers for HTTP text in every layer: case-insensitive
// comparison (header names, host names, policy names) and the character classes
// of RFC 9110 that the edge and the origin client check on every header they
// send (tokens, field values, request targets).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace edgefetch::base {

namespace detail {

inline std::uint64_t load_word(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

inline bool iequals_bytes(const char* a, const char* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const char x = a[i];
    const char y = b[i];
    if (x == y) continue;
    const char folded = static_cast<char>(x | 0x20);
    if (folded != static_cast<char>(y | 0x20) || folded < 'a' || folded > 'z') return false;
  }
  return true;
}

/// iequals for texts of the same length.
inline bool iequals_same_size(const char* a, const char* b, std::size_t n) {
  if (n < 8) return iequals_bytes(a, b, n);
  const auto words_equal = [&](std::size_t at) {
    return load_word(a + at) == load_word(b + at) || iequals_bytes(a + at, b + at, 8);
  };
  for (std::size_t at = 0; at + 8 < n; at += 8) {
    if (!words_equal(at)) return false;
  }
  return words_equal(n - 8);  // the last eight, overlapping what was compared
}

}  // namespace detail

/// ASCII case-insensitive equality. Inline: the proxy compares every field
/// name of every message against a dozen names, and most differ in length.
/// Names usually match in case too, so eight bytes are compared at once and
/// only a differing word is folded byte by byte.
inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && detail::iequals_same_size(a.data(), b.data(), a.size());
}

/// Without the optional whitespace around it (RFC 9110 5.6.3: spaces and tabs).
inline std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// Without leading and trailing spaces, tabs, CRs and LFs: a name as pasted
/// from a terminal or read from a file.
inline std::string_view trim_whitespace(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

/// Whether a comma-separated field value (RFC 9110 5.6.1: `Connection`,
/// `Upgrade`) lists `token`, compared case-insensitively, ignoring the
/// optional whitespace around each element.
inline bool lists_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (iequals(trim_ows(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

/// Character classes, one bit each in kCharClasses.
enum CharClass : std::uint8_t {
  /// tchar (RFC 9110 5.6.2): letters, digits and !#$%&'*+-.^_`|~.
  kTokenChar = 1,
  /// A field-value byte (RFC 9110 5.5): anything but a control character,
  /// except HTAB; obs-text (0x80-0xFF) included.
  kFieldValueChar = 2,
  /// Visible ASCII (0x21-0x7E): what a request target may contain.
  kVisibleChar = 4,
  /// Not CR, LF or NUL: what cannot split or cut a header line.
  kLineSafeChar = 8,
};

namespace detail {

constexpr std::array<std::uint8_t, 256> make_char_classes() {
  std::array<std::uint8_t, 256> classes{};
  constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
  for (unsigned byte = 0; byte < 256; ++byte) {
    std::uint8_t bits = 0;
    const bool alnum =
        (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9');
    if (alnum || kTokenPunctuation.find(static_cast<char>(byte)) != std::string_view::npos) {
      bits |= kTokenChar;
    }
    if ((byte >= 0x20 && byte != 0x7F) || byte == '\t') bits |= kFieldValueChar;
    if (byte > 0x20 && byte < 0x7F) bits |= kVisibleChar;
    if (byte != '\r' && byte != '\n' && byte != 0) bits |= kLineSafeChar;
    classes[byte] = bits;
  }
  return classes;
}

// Eight bytes at a time for the long texts (Via, X-Amz-Cf-Id, User-Agent,
// URLs): a word test rules out a bad byte in all eight, and only a word it
// flags is looked at byte by byte. Each test below is exact for the word as a
// whole (it may mark extra bytes in a word that has a matching one).
inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

/// Nonzero when a byte of `word` is below `n` (n <= 128).
constexpr std::uint64_t any_byte_below(std::uint64_t word, std::uint8_t n) {
  return (word - kOnes * n) & ~word & kHighBits;
}
/// Nonzero when a byte of `word` is above `n` (n <= 127).
constexpr std::uint64_t any_byte_above(std::uint64_t word, std::uint8_t n) {
  return ((word + kOnes * static_cast<std::uint8_t>(127 - n)) | word) & kHighBits;
}
/// Nonzero when a byte of `word` equals `c`.
constexpr std::uint64_t any_byte_equal(std::uint64_t word, std::uint8_t c) {
  return any_byte_below(word ^ (kOnes * c), 1);
}

}  // namespace detail

inline constexpr std::array<std::uint8_t, 256> kCharClasses = detail::make_char_classes();

constexpr bool has_class(char c, CharClass cls) {
  return (kCharClasses[static_cast<unsigned char>(c)] & cls) != 0;
}

/// True when every byte of `text` is in `cls`; `suspicious(word)` is nonzero
/// for every 8-byte word holding a byte outside it (it may flag more).
template <typename WordTest>
bool all_of_class(std::string_view text, CharClass cls, WordTest suspicious) {
  const auto word_ok = [&](const char* p) {
    if (suspicious(detail::load_word(p)) == 0) return true;
    for (std::size_t i = 0; i < 8; ++i) {
      if (!has_class(p[i], cls)) return false;
    }
    return true;
  };
  const char* p = text.data();
  std::size_t n = text.size();
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!has_class(p[i], cls)) return false;
    }
    return true;
  }
  for (; n > 8; p += 8, n -= 8) {
    if (!word_ok(p)) return false;
  }
  // The last 8 bytes as one word, overlapping bytes already checked.
  return word_ok(text.data() + text.size() - 8);
}

/// A token (RFC 9110 5.6.2): a method or a field name. Not empty.
inline bool is_http_token(std::string_view text) {
  // No word test separates tchar from the delimiters cheaply: the classes of
  // the word's eight bytes are and-ed and tested once.
  return !text.empty() && all_of_class(text, kTokenChar, [](std::uint64_t word) {
    std::uint8_t all = kTokenChar;
    for (int i = 0; i < 8; ++i) all &= kCharClasses[(word >> (8 * i)) & 0xFF];
    return all == 0;
  });
}

/// Field-value bytes only: no control character but HTAB (no CR, LF, NUL, DEL).
inline bool is_field_value(std::string_view text) {
  return all_of_class(text, kFieldValueChar, [](std::uint64_t word) {
    return detail::any_byte_below(word, 0x20) | detail::any_byte_equal(word, 0x7F);
  });
}

/// Visible ASCII only (0x21-0x7E): no space, control character or non-ASCII byte.
inline bool is_visible_ascii(std::string_view text) {
  return all_of_class(text, kVisibleChar, [](std::uint64_t word) {
    return detail::any_byte_below(word, 0x21) | detail::any_byte_above(word, 0x7E);
  });
}

/// No CR, LF or NUL: the text cannot end a header line or the head early.
inline bool is_line_safe(std::string_view text) {
  return all_of_class(text, kLineSafeChar,
                      [](std::uint64_t word) { return detail::any_byte_below(word, '\r' + 1); });
}

/// Appends `byte` as the four characters \xNN (lower-case hex): how
/// messages show bytes of user input that are not printable ASCII.
inline void append_hex_escape(std::string& out, unsigned char byte) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 15];
}

}  // namespace edgefetch::base
