// Every row of the seed document (reference/cloudfront-origin-ciphers.md),
// written here literally, asserted against the catalogue: both spellings of
// each suite, the pairing between them, the table (RSA or ECDSA) it is in,
// the three curves and the ten signature schemes in the seed's order.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::policy {
namespace {

struct SeedRow {
  std::string_view openssl_name;
  std::string_view rfc_name;
  Authentication table;  // which of the seed's two tables lists it
};

void PrintTo(const SeedRow& row, std::ostream* os) {
  *os << row.openssl_name;
}

// "Supported RSA ciphers", in the document's order.
const std::vector<SeedRow> kSeedRsaTable = {
    {"ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", Authentication::rsa},
    {"ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", Authentication::rsa},
    {"ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", Authentication::rsa},
    {"ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Authentication::rsa},
    {"ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", Authentication::rsa},
    {"ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", Authentication::rsa},
    {"AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", Authentication::rsa},
    {"AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", Authentication::rsa},
    {"DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", Authentication::rsa},
    {"RC4-MD5", "TLS_RSA_WITH_RC4_128_MD5", Authentication::rsa},
};

// "Supported ECDSA ciphers", in the document's order.
const std::vector<SeedRow> kSeedEcdsaTable = {
    {"ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", Authentication::ecdsa},
    {"ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", Authentication::ecdsa},
    {"ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", Authentication::ecdsa},
    {"ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", Authentication::ecdsa},
    {"ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", Authentication::ecdsa},
    {"ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", Authentication::ecdsa},
};

class SeedCipherRow : public ::testing::TestWithParam<SeedRow> {};

TEST_P(SeedCipherRow, BothSpellingsNameTheSameCataloguedSuite) {
  const SeedRow& row = GetParam();
  const CipherSuite* by_openssl = find_cipher_suite(row.openssl_name);
  const CipherSuite* by_rfc = find_cipher_suite(row.rfc_name);
  ASSERT_NE(by_openssl, nullptr) << row.openssl_name;
  ASSERT_NE(by_rfc, nullptr) << row.rfc_name;
  EXPECT_EQ(by_openssl, by_rfc) << "the seed pairs " << row.openssl_name << " with " << row.rfc_name;
  EXPECT_EQ(by_openssl->openssl_name, row.openssl_name);
  EXPECT_EQ(by_openssl->rfc_name, row.rfc_name);
}

TEST_P(SeedCipherRow, IsMarkedAsSeedAndAuthenticatesAsItsTableSays) {
  const SeedRow& row = GetParam();
  const CipherSuite* suite = find_cipher_suite(row.openssl_name);
  ASSERT_NE(suite, nullptr);
  EXPECT_TRUE(suite->in_seed_table);
  EXPECT_EQ(suite->authentication, row.table);
}

TEST_P(SeedCipherRow, IsOfferedByTheDefaultProfile) {
  const SeedRow& row = GetParam();
  const Profile& profile = default_profile();
  const CipherSuite* suite = find_cipher_suite(row.openssl_name);
  ASSERT_NE(suite, nullptr);
  EXPECT_NE(std::find(profile.cipher_suites.begin(), profile.cipher_suites.end(), suite),
            profile.cipher_suites.end());
}

INSTANTIATE_TEST_SUITE_P(RsaTable, SeedCipherRow, ::testing::ValuesIn(kSeedRsaTable));
INSTANTIATE_TEST_SUITE_P(EcdsaTable, SeedCipherRow, ::testing::ValuesIn(kSeedEcdsaTable));

TEST(SeedTables, CatalogueMarksExactlyTheSixteenSeedSuites) {
  std::set<std::string_view> seed;
  for (const auto* table : {&kSeedRsaTable, &kSeedEcdsaTable}) {
    for (const SeedRow& row : *table) {
      seed.insert(row.openssl_name);
    }
  }
  ASSERT_EQ(seed.size(), 16U);
  std::set<std::string_view> marked;
  for (const CipherSuite& s : all_cipher_suites()) {
    if (s.in_seed_table) {
      marked.insert(s.openssl_name);
    }
  }
  EXPECT_EQ(marked, seed);
}

TEST(SeedTables, DefaultProfileOffersExactlyTheSeedSuites) {
  std::set<std::string_view> offered;
  for (const CipherSuite* s : default_profile().cipher_suites) {
    offered.insert(s->openssl_name);
  }
  EXPECT_EQ(offered.size(), default_profile().cipher_suites.size()) << "no duplicates";
  std::set<std::string_view> seed;
  for (const auto* table : {&kSeedRsaTable, &kSeedEcdsaTable}) {
    for (const SeedRow& row : *table) {
      seed.insert(row.openssl_name);
    }
  }
  EXPECT_EQ(offered, seed);
}

// "For all elliptic curve ciphers, CloudFront supports the following elliptic curves".
TEST(SeedTables, TheThreeCurves) {
  struct Curve {
    std::string_view seed_name;
    std::uint16_t code;
  };
  for (const Curve& curve : {Curve{"prime256v1", 23}, Curve{"secp384r1", 24}, Curve{"X25519", 29}}) {
    const NamedGroup* group = find_named_group(curve.seed_name);
    ASSERT_NE(group, nullptr) << curve.seed_name;
    EXPECT_EQ(group->code, curve.code) << curve.seed_name;
    EXPECT_TRUE(group->in_policy) << curve.seed_name;
    EXPECT_TRUE(group->is_ecdh) << curve.seed_name;
  }
  std::set<std::uint16_t> in_policy;
  for (const NamedGroup& g : all_named_groups()) {
    if (g.in_policy) {
      in_policy.insert(g.code);
    }
  }
  EXPECT_EQ(in_policy, (std::set<std::uint16_t>{23, 24, 29}));
  std::set<std::uint16_t> offered;
  for (const NamedGroup* g : default_profile().groups) {
    offered.insert(g->code);
  }
  EXPECT_EQ(offered, in_policy);
}

// "Supported signature schemes between CloudFront and the origin", in order,
// with the code points of RFC 5246 / RFC 8446 (facts Appendix A.4).
TEST(SeedTables, TheTenSignatureSchemesInTheSeedsOrder) {
  struct SeedScheme {
    std::string_view seed_name;
    std::uint16_t code;
    std::string_view iana_name;
  };
  const std::vector<SeedScheme> seed = {
      {"TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA256", 0x0401, "rsa_pkcs1_sha256"},
      {"TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA384", 0x0501, "rsa_pkcs1_sha384"},
      {"TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA512", 0x0601, "rsa_pkcs1_sha512"},
      {"TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA224", 0x0301, "rsa_pkcs1_sha224"},
      {"TLS_SIGNATURE_SCHEME_ECDSA_SHA256", 0x0403, "ecdsa_secp256r1_sha256"},
      {"TLS_SIGNATURE_SCHEME_ECDSA_SHA384", 0x0503, "ecdsa_secp384r1_sha384"},
      {"TLS_SIGNATURE_SCHEME_ECDSA_SHA512", 0x0603, "ecdsa_secp521r1_sha512"},
      {"TLS_SIGNATURE_SCHEME_ECDSA_SHA224", 0x0303, "ecdsa_sha224"},
      {"TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA1", 0x0201, "rsa_pkcs1_sha1"},
      {"TLS_SIGNATURE_SCHEME_ECDSA_SHA1", 0x0203, "ecdsa_sha1"},
  };
  const auto& offered = default_profile().signature_schemes;
  ASSERT_EQ(offered.size(), seed.size());
  std::size_t marked = 0;
  for (const SignatureScheme& s : all_signature_schemes()) {
    marked += s.in_seed_table ? 1 : 0;
  }
  EXPECT_EQ(marked, seed.size());
  for (std::size_t i = 0; i < seed.size(); ++i) {
    const SignatureScheme* scheme = find_signature_scheme(seed[i].seed_name);
    ASSERT_NE(scheme, nullptr) << seed[i].seed_name;
    EXPECT_EQ(scheme->seed_name, seed[i].seed_name);
    EXPECT_EQ(scheme->code, seed[i].code) << seed[i].seed_name;
    EXPECT_EQ(scheme->iana_name, seed[i].iana_name) << seed[i].seed_name;
    EXPECT_TRUE(scheme->in_seed_table) << seed[i].seed_name;
    EXPECT_EQ(offered[i], scheme) << "position " << i + 1;
  }
}

}  // namespace
}  // namespace edgefetch::policy
