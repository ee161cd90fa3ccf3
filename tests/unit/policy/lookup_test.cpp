// Lookups by every spelling, the code-point forms and "did you mean".

#include "edgefetch/policy/lookup.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "policy/text.hpp"

namespace edgefetch::policy {
namespace {

TEST(FindCipherSuite, EverySpellingOfEverySuite) {
  for (const CipherSuite& s : all_cipher_suites()) {
    for (const std::string_view spelling : {s.openssl_name, s.rfc_name, s.gnutls_name, s.jsse_name}) {
      EXPECT_EQ(find_cipher_suite(spelling), &s) << spelling;
      EXPECT_EQ(find_cipher_suite(detail::to_lower(spelling)), &s) << spelling << " in lower case";
    }
    const std::string hex = format_code_point(s.code);
    EXPECT_EQ(find_cipher_suite(hex), &s) << hex;
    EXPECT_EQ(find_cipher_suite(hex.substr(2)), &s) << hex << " without 0x";
    EXPECT_EQ(find_cipher_suite(detail::to_lower(hex)), &s) << hex;
    const std::string pair = "0x" + hex.substr(2, 2) + ",0x" + hex.substr(4, 2);
    EXPECT_EQ(find_cipher_suite(pair), &s) << pair;
    EXPECT_EQ(find_cipher_suite("{" + pair + "}"), &s) << pair;
  }
}

TEST(FindCipherSuite, SpecificSpellings) {
  const CipherSuite* c02f = cipher_suite_by_code(0xC02F);
  ASSERT_NE(c02f, nullptr);
  for (const std::string_view spelling :
       {"ECDHE-RSA-AES128-GCM-SHA256", "ecdhe-rsa-aes128-gcm-sha256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_AES_128_GCM_SHA256", "0xC02F", "0xc02f", "C02F", "c02f", "0xC0,0x2F", "0xC0, 0x2F",
        "{0xC0,0x2F}", "{0xC0, 0x2F}", "0xC0 0x2F", "  ECDHE-RSA-AES128-GCM-SHA256  "}) {
    EXPECT_EQ(find_cipher_suite(spelling), c02f) << spelling;
  }
  const CipherSuite* rc4 = cipher_suite_by_code(0x0004);
  EXPECT_EQ(find_cipher_suite("SSL_RSA_WITH_RC4_128_MD5"), rc4);
  EXPECT_EQ(find_cipher_suite("TLS_RSA_ARCFOUR_128_MD5"), rc4);
  EXPECT_EQ(find_cipher_suite("0x0004"), rc4);
  EXPECT_EQ(find_cipher_suite("0x04"), rc4);
  EXPECT_EQ(find_cipher_suite("0x00,0x04"), rc4);
  EXPECT_EQ(find_cipher_suite("SSL_RSA_WITH_3DES_EDE_CBC_SHA"), cipher_suite_by_code(0x000A));
  EXPECT_EQ(find_cipher_suite("TLS_CHACHA20_POLY1305_SHA256"), cipher_suite_by_code(0x1303));
}

TEST(FindCipherSuite, UnknownOrMalformed) {
  for (const std::string_view bad :
       {"", "ECDHE-RSA-AES128-GCM", "0xC0,0x2F,0x00", "0x1C02F", "0xZZ", "C02", "C02F0", "0xC0,",
        "{0xC0,0x2F", "0x0005", "ECDHE-RSA-CHACHA20-POLY1305"}) {
    EXPECT_EQ(find_cipher_suite(bad), nullptr) << bad;
  }
}

TEST(FindNamedGroup, AliasesNumbersAndCase) {
  const NamedGroup* p256 = named_group_by_code(23);
  for (const std::string_view s : {"prime256v1", "PRIME256V1", "secp256r1", "P-256", "p-256", "NIST P-256",
                                   "P256", "GROUP-SECP256R1", "23", "0x0017", "0x00,0x17"}) {
    EXPECT_EQ(find_named_group(s), p256) << s;
  }
  EXPECT_EQ(find_named_group("secp384r1"), named_group_by_code(24));
  EXPECT_EQ(find_named_group("P-384"), named_group_by_code(24));
  EXPECT_EQ(find_named_group("X25519"), named_group_by_code(29));
  EXPECT_EQ(find_named_group("x25519"), named_group_by_code(29));
  EXPECT_EQ(find_named_group("29"), named_group_by_code(29));
  EXPECT_EQ(find_named_group("secp521r1"), named_group_by_code(25));
  EXPECT_EQ(find_named_group("X448"), named_group_by_code(30));
  EXPECT_EQ(find_named_group("ffdhe2048"), named_group_by_code(256));
  EXPECT_EQ(find_named_group("256"), named_group_by_code(256));
  EXPECT_EQ(find_named_group("22"), nullptr);
  EXPECT_EQ(find_named_group("secp256k1"), nullptr);
  EXPECT_EQ(find_named_group(""), nullptr);
}

TEST(FindSignatureScheme, EverySpelling) {
  for (const SignatureScheme& s : all_signature_schemes()) {
    for (const std::string_view spelling : {s.iana_name, s.seed_name, s.openssl_name, s.gnutls_name}) {
      EXPECT_EQ(find_signature_scheme(spelling), &s) << spelling;
    }
    for (const std::string_view alias : s.aliases) {
      EXPECT_EQ(find_signature_scheme(alias), &s) << alias;
    }
    EXPECT_EQ(find_signature_scheme(format_code_point(s.code)), &s);
  }
  const SignatureScheme* ecdsa256 = signature_scheme_by_code(0x0403);
  for (const std::string_view s : {"ecdsa_secp256r1_sha256", "ecdsa_sha256", "ECDSA+SHA256", "ecdsa+sha256",
                                   "TLS_SIGNATURE_SCHEME_ECDSA_SHA256", "SIGN-ECDSA-SHA256",
                                   "SIGN-ECDSA-SECP256R1-SHA256", "0x0403", "0x04,0x03"}) {
    EXPECT_EQ(find_signature_scheme(s), ecdsa256) << s;
  }
  EXPECT_EQ(find_signature_scheme("RSA+SHA256"), signature_scheme_by_code(0x0401));
  EXPECT_EQ(find_signature_scheme("rsa_pkcs1_sha256"), signature_scheme_by_code(0x0401));
  EXPECT_EQ(find_signature_scheme("RSA-PSS+SHA256"), signature_scheme_by_code(0x0804));
  EXPECT_EQ(find_signature_scheme("ed25519"), nullptr);
  EXPECT_EQ(find_signature_scheme("0x0807"), nullptr);
}

TEST(FindAny, SearchesEveryKind) {
  const auto suite = find_any("0x000A");
  ASSERT_EQ(suite.size(), 1U);
  ASSERT_TRUE(std::holds_alternative<const CipherSuite*>(suite[0]));
  EXPECT_EQ(std::get<const CipherSuite*>(suite[0])->openssl_name, "DES-CBC3-SHA");

  const auto group = find_any("prime256v1");
  ASSERT_EQ(group.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<const NamedGroup*>(group[0]));

  const auto scheme = find_any("rsa_pkcs1_sha1");
  ASSERT_EQ(scheme.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<const SignatureScheme*>(scheme[0]));

  EXPECT_TRUE(find_any("nothing-like-it").empty());
}

TEST(ClosestNames, SuggestsNearbyNames) {
  const auto near_suite = closest_names("ECDHE-RSA-AES128-GCM-SHA265");
  ASSERT_EQ(near_suite.size(), 3U);
  EXPECT_EQ(near_suite[0], "ECDHE-RSA-AES128-GCM-SHA256");

  const auto near_curve = closest_names("prime256", 1);
  ASSERT_EQ(near_curve.size(), 1U);
  EXPECT_EQ(near_curve[0], "prime256v1");

  const auto five = closest_names("x2551", 5);
  ASSERT_FALSE(five.empty());
  EXPECT_TRUE(detail::iequals(five[0], "x25519"));
  for (std::size_t i = 1; i < five.size(); ++i) {
    EXPECT_FALSE(detail::iequals(five[i], "x25519")) << "case variants are one suggestion";
  }
  EXPECT_TRUE(closest_names("anything", 0).empty());
}

TEST(ClosestNames, NamesFarFromWhatWasTypedAreNotSuggested) {
  // Five edits from "P-256" is a different name of the same length, not a typo.
  EXPECT_TRUE(closest_names("bogus").empty());
  EXPECT_TRUE(closest_names("").empty());
  // A completion is suggested however much is missing.
  const auto completions = closest_names("TLS_AES_", 3);
  ASSERT_FALSE(completions.empty());
  EXPECT_EQ(completions[0].rfind("TLS_AES_", 0), 0U) << completions[0];
  // Up to about a third of the length may be wrong: here 3 edits in 27 characters.
  const auto four_off = closest_names("ECDHE-RSA-AES128-GCM-SHA999", 1);
  ASSERT_EQ(four_off.size(), 1U);
  EXPECT_EQ(four_off[0].rfind("ECDHE-RSA-AES128-GCM-SHA", 0), 0U) << four_off[0];
}

TEST(ClosestNames, NoNameIsSuggestedForANumber) {
  // Within two edits of "X448" and "X25519", but numbers: code points, not misspelt names.
  for (const char* number : {"48", "448", "2551", "0x0000", "0x00,0x04", "{0x00,0xFF}"}) {
    EXPECT_TRUE(is_numeric_spelling(number)) << number;
    EXPECT_TRUE(closest_names(number).empty()) << number;
  }
  for (const char* name : {"X448", "x2551", "P-256", "ffdhe2048", ""}) {
    EXPECT_FALSE(is_numeric_spelling(name)) << name;
  }
  EXPECT_FALSE(closest_names("x2551").empty());
}

TEST(ParseCodePoint, TheSpellingsOfTheTables) {
  EXPECT_EQ(parse_code_point("0xCCA8"), 0xCCA8);
  EXPECT_EQ(parse_code_point("{0x00,0xFF}"), 0x00FF);
  EXPECT_EQ(parse_code_point("00FF"), 0x00FF);
  EXPECT_EQ(parse_code_point("23"), std::nullopt) << "decimal is for group ids only";
  EXPECT_EQ(parse_code_point("DHE-RSA-AES128-GCM-SHA256"), std::nullopt);
}

TEST(FormatCodePoint, FourUpperCaseDigits) {
  EXPECT_EQ(format_code_point(0xC02F), "0xC02F");
  EXPECT_EQ(format_code_point(0x000A), "0x000A");
  EXPECT_EQ(format_code_point(23), "0x0017");
}

}  // namespace
}  // namespace edgefetch::policy
