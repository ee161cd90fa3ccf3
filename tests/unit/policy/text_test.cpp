// The private text helpers behind the lookups.

#include "policy/text.hpp"

#include <gtest/gtest.h>

namespace edgefetch::policy::detail {
namespace {

TEST(Text, CaseInsensitiveEquality) {
  EXPECT_TRUE(iequals("TLSv1.2", "tlsv1.2"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("TLSv1.2", "TLSv1.2 "));
  EXPECT_FALSE(iequals("abc", "abd"));
  EXPECT_EQ(to_lower("ECDHE-RSA"), "ecdhe-rsa");
}

TEST(Text, Trim) {
  EXPECT_EQ(trim_whitespace("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim_whitespace(""), "");
  EXPECT_EQ(trim_whitespace("   "), "");
}

TEST(Text, ParseCodePointForms) {
  EXPECT_EQ(parse_code_point("0xC02F"), 0xC02F);
  EXPECT_EQ(parse_code_point("0XC02F"), 0xC02F);
  EXPECT_EQ(parse_code_point("0x2f"), 0x002F);
  EXPECT_EQ(parse_code_point("C02F"), 0xC02F);
  EXPECT_EQ(parse_code_point("0xC0,0x2F"), 0xC02F);
  EXPECT_EQ(parse_code_point("C0,2F"), 0xC02F);
  EXPECT_EQ(parse_code_point(" { 0xC0 , 0x2F } "), 0xC02F);
  EXPECT_EQ(parse_code_point("0x00 0x0A"), 0x000A);
  EXPECT_EQ(parse_code_point("0xFFFF"), 0xFFFF);
}

TEST(Text, ParseCodePointRejects) {
  for (const std::string_view bad :
       {"", "0x", "0x10000", "C02", "C02F1", "23", "0xC0,", ",0x2F", "0x100,0x2F", "0xC0,0x2F,0x01", "{}",
        "0xG0", "NIST P-256", "AES128-SHA"}) {
    EXPECT_EQ(parse_code_point(bad), std::nullopt) << bad;
  }
}

TEST(Text, SmallDecimal) {
  EXPECT_EQ(parse_small_decimal("23"), 23);
  EXPECT_EQ(parse_small_decimal("260"), 260);
  EXPECT_EQ(parse_small_decimal("1000"), std::nullopt);
  EXPECT_EQ(parse_small_decimal("2a"), std::nullopt);
  EXPECT_EQ(parse_small_decimal(""), std::nullopt);
}

TEST(Text, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0U);
  EXPECT_EQ(edit_distance("abc", ""), 3U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("X25519", "x25519"), 0U);
  EXPECT_EQ(edit_distance("SHA256", "SHA265"), 2U);
}

}  // namespace
}  // namespace edgefetch::policy::detail
