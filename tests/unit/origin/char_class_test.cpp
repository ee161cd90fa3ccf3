// The char-class tables and word-at-a-time scans of base/ascii.hpp against the
// byte-by-byte definitions they replaced, for every byte value at every
// position that matters (the word loop, its overlapping last word, the short
// path), and the StringAppender the heads are written with.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/base/string_appender.hpp"
#include "edgefetch/origin/config.hpp"

namespace edgefetch::base {
namespace {

// The definitions as they were written before the tables.
bool reference_tchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}
bool reference_field_value_byte(unsigned char c) {
  return !(c == 0x7F || (c < 0x20 && c != '\t'));
}
bool reference_target_byte(unsigned char c) {
  return !(c <= 0x20 || c >= 0x7F);
}
bool reference_line_safe_byte(unsigned char c) {
  return !(c == '\r' || c == '\n' || c == '\0');
}
template <typename Byte>
bool reference_all(std::string_view text, Byte ok) {
  for (const char c : text) {
    if (!ok(static_cast<unsigned char>(c))) return false;
  }
  return true;
}
bool reference_iequals(std::string_view a, std::string_view b) {
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

TEST(CharClasses, EveryByteIsClassifiedAsTheByteFunctionsDid) {
  for (unsigned byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    const auto b = static_cast<unsigned char>(byte);
    SCOPED_TRACE(byte);
    EXPECT_EQ(has_class(c, kTokenChar), reference_tchar(b));
    EXPECT_EQ(has_class(c, kFieldValueChar), reference_field_value_byte(b));
    EXPECT_EQ(has_class(c, kVisibleChar), reference_target_byte(b));
    EXPECT_EQ(has_class(c, kLineSafeChar), reference_line_safe_byte(b));
  }
  // Spot checks that do not depend on the reference functions above.
  EXPECT_TRUE(has_class('~', kTokenChar));
  EXPECT_FALSE(has_class(':', kTokenChar));
  EXPECT_FALSE(has_class('"', kTokenChar));
  EXPECT_TRUE(has_class('\t', kFieldValueChar));
  EXPECT_FALSE(has_class('\x7f', kFieldValueChar));
  EXPECT_TRUE(has_class('\x80', kFieldValueChar));
  EXPECT_FALSE(has_class(' ', kVisibleChar));
  EXPECT_TRUE(has_class('\x7f', kLineSafeChar));
  EXPECT_FALSE(has_class('\n', kLineSafeChar));
}

// Every byte value `odd` at a position of a text filled with `filler`, for
// lengths around the 8-byte word boundaries: each scan agrees with the byte
// definition. Every filler too, so carries between bytes (0x80-0xFF next to
// the tested byte) are covered.
TEST(CharClasses, ScansAgreeWithTheByteDefinitionsForEveryByteAndPosition) {
  const std::size_t lengths[] = {0, 1, 7, 8, 9, 15, 16, 17, 24, 31};
  std::size_t checked = 0;
  for (unsigned filler = 0; filler < 256; ++filler) {
    for (unsigned odd = 0; odd < 256; ++odd) {
      for (const std::size_t length : lengths) {
        std::string text(length, static_cast<char>(filler));
        const std::size_t positions[] = {0, length / 2, length > 0 ? length - 1 : 0,
                                         length > 8 ? std::size_t{8} : std::size_t{0}};
        for (const std::size_t position : positions) {
          if (length == 0 && position > 0) continue;
          if (length > 0) text[position] = static_cast<char>(odd);
          ASSERT_EQ(is_field_value(text), reference_all(text, reference_field_value_byte))
              << filler << " " << odd << " " << length << " " << position;
          ASSERT_EQ(is_visible_ascii(text), reference_all(text, reference_target_byte))
              << filler << " " << odd << " " << length << " " << position;
          ASSERT_EQ(is_line_safe(text), reference_all(text, reference_line_safe_byte))
              << filler << " " << odd << " " << length << " " << position;
          ASSERT_EQ(is_http_token(text), !text.empty() && reference_all(text, reference_tchar))
              << filler << " " << odd << " " << length << " " << position;
          if (length > 0) text[position] = static_cast<char>(filler);
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 2'000'000u);
}

TEST(CharClasses, ScansFindABadByteAnywhereInLongText) {
  const std::string via = "1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)";
  EXPECT_TRUE(is_field_value(via));
  EXPECT_TRUE(is_line_safe(via));
  EXPECT_FALSE(is_visible_ascii(via));  // spaces
  EXPECT_TRUE(is_http_token("X-Amz-Cf-Id"));
  EXPECT_FALSE(is_http_token(""));
  EXPECT_FALSE(is_http_token("X-Forwarded For"));
  for (std::size_t i = 0; i < via.size(); ++i) {
    std::string bad = via;
    bad[i] = '\n';
    EXPECT_FALSE(is_field_value(bad)) << i;
    EXPECT_FALSE(is_line_safe(bad)) << i;
    bad[i] = '\x7f';
    EXPECT_FALSE(is_field_value(bad)) << i;
    EXPECT_TRUE(is_line_safe(bad)) << i;
    bad[i] = '\t';
    EXPECT_TRUE(is_field_value(bad)) << i;
  }
  // origin::is_http_token (public, used by `edgefetch get`) is the table's.
  EXPECT_TRUE(origin::is_http_token("PROPFIND"));
  EXPECT_FALSE(origin::is_http_token("GET /"));
  EXPECT_FALSE(origin::is_http_token(""));
}

TEST(Iequals, AgreesWithTheByteDefinitionForEveryBytePair) {
  const std::size_t lengths[] = {1, 7, 8, 9, 16, 17};
  for (unsigned x = 0; x < 256; ++x) {
    for (unsigned y = 0; y < 256; ++y) {
      for (const std::size_t length : lengths) {
        for (const std::size_t position : {std::size_t{0}, length - 1, length / 2}) {
          std::string a(length, 'k');
          std::string b(length, 'K');
          a[position] = static_cast<char>(x);
          b[position] = static_cast<char>(y);
          ASSERT_EQ(iequals(a, b), reference_iequals(a, b))
              << x << " " << y << " " << length << " " << position;
        }
      }
    }
  }
  EXPECT_TRUE(iequals("Transfer-Encoding", "transfer-encoding"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("Transfer-Encoding", "Transfer-Encodinh"));
  EXPECT_FALSE(iequals("Transfer-Encoding", "Transfer-Encodin"));
  EXPECT_FALSE(iequals("X-Forwarded-For@", "X-Forwarded-For`"));  // '@' | 0x20 == '`', not letters
}

TEST(StringAppender, WritesPiecesAndGrowsPastTheEstimate) {
  std::string out = "kept:";
  std::size_t written = 0;
  {
    StringAppender text(out, 4);
    text.append("GET").append(' ').append("/a/very/long/target/beyond/the/estimate");
    text.append_field("Host", "origin.test");
    text.append("Content-Length: ").append_decimal(0).append("\r\n");
    text.append_decimal(std::numeric_limits<std::uint64_t>::max());
    written = text.size();
    EXPECT_GT(out.size(), 4u);  // holds unwritten room while the appender lives
  }
  EXPECT_EQ(out,
            "kept:GET /a/very/long/target/beyond/the/estimate"
            "Host: origin.test\r\nContent-Length: 0\r\n18446744073709551615");
  EXPECT_EQ(written, out.size());

  std::string empty;
  { StringAppender text(empty, 0); }
  EXPECT_EQ(empty, "");
  {
    StringAppender text(empty, 0);
    for (int i = 0; i < 1000; ++i) text.append_field("N", "v");
  }
  EXPECT_EQ(empty.size(), 1000u * 6);
  EXPECT_EQ(empty.substr(0, 14), "N: v\r\nN: v\r\nN:");
}

}  // namespace
}  // namespace edgefetch::base
