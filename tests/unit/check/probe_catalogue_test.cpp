// The candidate lists and the names of suites outside the policy.

#include "edgefetch/check/probe_catalogue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;

constexpr ProtocolVersion kAllVersions[] = {ProtocolVersion::ssl3, ProtocolVersion::tls1_0,
                                            ProtocolVersion::tls1_1, ProtocolVersion::tls1_2,
                                            ProtocolVersion::tls1_3};

TEST(ProbeCatalogue, CandidatesAreUniqueNamedAndValidInTheirVersion) {
  for (ProtocolVersion v : kAllVersions) {
    const std::vector<std::uint16_t> suites = candidate_suites(v);
    EXPECT_FALSE(suites.empty());
    EXPECT_EQ(std::set<std::uint16_t>(suites.begin(), suites.end()).size(), suites.size());
    for (std::uint16_t code : suites) {
      const auto names = suite_names(code);
      ASSERT_TRUE(names) << code;
      EXPECT_LE(names->min_version, v);
      EXPECT_GE(names->max_version, v);
      EXPECT_FALSE(names->openssl_name.empty());
      EXPECT_EQ(names->rfc_name.substr(0, 4), "TLS_");
      EXPECT_NE(code, policy::kEmptyRenegotiationInfoScsv);
    }
  }
}

TEST(ProbeCatalogue, PolicySuitesComeFirst) {
  const std::vector<std::uint16_t> suites = candidate_suites(ProtocolVersion::tls1_2);
  bool outside = false;
  for (std::uint16_t code : suites) {
    const bool in_policy = suite_names(code)->in_policy;
    EXPECT_FALSE(outside && in_policy) << "policy suite after a non-policy one: " << code;
    outside = outside || !in_policy;
  }
  EXPECT_TRUE(outside);
}

TEST(ProbeCatalogue, KnownSuitesOutsideThePolicy) {
  struct Row {
    std::uint16_t code;
    std::string_view openssl;
    std::string_view rfc;
    SuiteKeyExchange kx;
  };
  for (const Row& row :
       {Row{0xCCA8, "ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            SuiteKeyExchange::ecdhe},
        Row{0x009E, "DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            SuiteKeyExchange::dhe},
        Row{0xC0AC, "ECDHE-ECDSA-AES128-CCM", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", SuiteKeyExchange::ecdhe},
        Row{0x1304, "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_SHA256", SuiteKeyExchange::tls13}}) {
    const auto names = suite_names(row.code);
    ASSERT_TRUE(names) << row.openssl;
    EXPECT_FALSE(names->in_policy);
    EXPECT_EQ(names->openssl_name, row.openssl);
    EXPECT_EQ(names->rfc_name, row.rfc);
    EXPECT_EQ(names->key_exchange, row.kx);
    EXPECT_EQ(policy::cipher_suite_by_code(row.code), nullptr);
  }
  // Policy suites keep the policy's names.
  EXPECT_TRUE(suite_names(0xC02F)->in_policy);
  EXPECT_EQ(openssl_name_or_code(0xC02F), "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(rfc_name_or_code(0x0004), "TLS_RSA_WITH_RC4_128_MD5");
  // Unknown codes are printed as code points.
  EXPECT_FALSE(suite_names(0xFAFA).has_value());
  EXPECT_EQ(rfc_name_or_code(0xFAFA), "0xFAFA");
}

TEST(ProbeCatalogue, SuitesAreFoundByEitherNameOrCodePoint) {
  // What check prints in "What the origin supports", found again by `ciphers translate`.
  for (const std::string_view spelling :
       {"ECDHE-RSA-CHACHA20-POLY1305", "ecdhe-rsa-chacha20-poly1305",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "0xCCA8", " {0xCC,0xA8} "}) {
    const auto names = find_suite_names(spelling);
    ASSERT_TRUE(names) << spelling;
    EXPECT_EQ(names->code, 0xCCA8) << spelling;
    EXPECT_FALSE(names->in_policy);
  }
  const auto dhe = find_suite_names("DHE-RSA-AES128-GCM-SHA256");
  ASSERT_TRUE(dhe);
  EXPECT_EQ(dhe->code, 0x009E);
  EXPECT_EQ(name(dhe->key_exchange), "DHE");
  EXPECT_EQ(name(dhe->authentication), "RSA");
  EXPECT_TRUE(find_suite_names("RC4-MD5")->in_policy);
  EXPECT_FALSE(find_suite_names("0x00FF")) << "the SCSV is not a suite";
  EXPECT_FALSE(find_suite_names("CHACHA20"));
  EXPECT_FALSE(find_suite_names(""));
}

TEST(ProbeCatalogue, EverySuiteEnumerationCanNameIsFoundByEachOfItsNames) {
  for (ProtocolVersion v : kAllVersions) {
    for (std::uint16_t code : candidate_suites(v)) {
      const auto names = suite_names(code);
      ASSERT_TRUE(names) << code;
      for (const std::string_view spelling : {names->openssl_name, names->rfc_name}) {
        const auto found = find_suite_names(spelling);
        ASSERT_TRUE(found) << spelling;
        EXPECT_EQ(found->code, code) << spelling;
      }
      EXPECT_EQ(find_suite_names(policy::format_code_point(code))->code, code);
    }
  }
}

TEST(ProbeCatalogue, SignatureSchemesOutsideThePolicyAreFoundByNameOrCodePoint) {
  EXPECT_EQ(find_extra_signature_scheme("ed25519"), 0x0807);
  EXPECT_EQ(find_extra_signature_scheme("ED448"), 0x0808);
  EXPECT_EQ(find_extra_signature_scheme("0x0807"), 0x0807);
  EXPECT_FALSE(find_extra_signature_scheme("rsa_pkcs1_sha256")) << "a policy scheme";
  EXPECT_FALSE(find_extra_signature_scheme("0x0401"));
  EXPECT_FALSE(find_extra_signature_scheme("ed2551"));
}

TEST(ProbeCatalogue, EveryPolicySuiteIsACandidateSomewhere) {
  std::set<std::uint16_t> all;
  for (ProtocolVersion v : kAllVersions) {
    for (std::uint16_t code : candidate_suites(v)) all.insert(code);
  }
  for (const policy::CipherSuite& suite : policy::all_cipher_suites())
    EXPECT_TRUE(all.count(suite.code)) << suite.code;
}

TEST(ProbeCatalogue, Groups) {
  const std::vector<std::uint16_t> groups = candidate_groups();
  ASSERT_GE(groups.size(), 5u);
  EXPECT_EQ(groups[0], policy::kGroupSecp256r1);  // the policy's, in its order
  for (std::uint16_t g : {policy::kGroupSecp521r1, policy::kGroupX448, std::uint16_t{256}}) {
    EXPECT_NE(std::find(groups.begin(), groups.end(), g), groups.end()) << g;
  }
  const std::vector<std::uint16_t> ecdhe = candidate_ecdhe_groups();
  EXPECT_EQ(std::find(ecdhe.begin(), ecdhe.end(), 256), ecdhe.end());  // no FFDHE for ECDHE suites
  EXPECT_EQ(group_for_curve_name("P-384"), policy::kGroupSecp384r1);
  EXPECT_EQ(group_for_curve_name("prime256v1"), policy::kGroupSecp256r1);
  EXPECT_FALSE(group_for_curve_name("brainpoolP256r1").has_value());
  EXPECT_EQ(group_name_or_code(policy::kGroupX25519), "X25519");
  EXPECT_EQ(group_name_or_code(0x11EC), "0x11EC");
}

TEST(ProbeCatalogue, SignatureSchemesSplitByKeyType) {
  const std::vector<std::uint16_t> rsa = candidate_signature_schemes_for(true);
  const std::vector<std::uint16_t> ecdsa = candidate_signature_schemes_for(false);
  const std::vector<std::uint16_t> all = candidate_signature_schemes();
  EXPECT_EQ(rsa.size() + ecdsa.size(), all.size());
  for (std::uint16_t s : rsa) EXPECT_EQ(std::find(ecdsa.begin(), ecdsa.end(), s), ecdsa.end());
  EXPECT_NE(std::find(rsa.begin(), rsa.end(), 0x0804), rsa.end());        // rsa_pss_rsae_sha256
  EXPECT_NE(std::find(ecdsa.begin(), ecdsa.end(), 0x0403), ecdsa.end());  // ecdsa_secp256r1_sha256
  EXPECT_NE(std::find(ecdsa.begin(), ecdsa.end(), 0x0807), ecdsa.end());  // ed25519
  EXPECT_EQ(signature_scheme_name_or_code(0x0807), "ed25519");
  EXPECT_EQ(signature_scheme_name_or_code(0x0401), "rsa_pkcs1_sha256");
  EXPECT_EQ(signature_scheme_name_or_code(0x0904), "0x0904");
}

}  // namespace
}  // namespace edgefetch::check
