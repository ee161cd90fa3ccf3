// The catalogue's every field, row by row, against values written out here
// from reference/cloudfront-origin-facts.md (Appendix A: code points, s2n
// minimum versions), `gnutls-cli -l` and the JSSE standard names.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::policy {
namespace {

using V = ProtocolVersion;
using KX = KeyExchange;
using AU = Authentication;
using BC = BulkCipher;
using MA = MacAlgorithm;
using HA = HashAlgorithm;

TEST(Versions, TableHasWireCodesAndOriginSslProtocolNames) {
  const auto versions = all_versions();
  ASSERT_EQ(versions.size(), 5U);
  struct Expected {
    V version;
    std::uint16_t wire;
    std::string_view openssl;
    std::string_view origin;
  };
  const std::vector<Expected> expected = {
      {V::ssl3, 0x0300, "SSLv3", "SSLv3"},       {V::tls1_0, 0x0301, "TLSv1", "TLSv1"},
      {V::tls1_1, 0x0302, "TLSv1.1", "TLSv1.1"}, {V::tls1_2, 0x0303, "TLSv1.2", "TLSv1.2"},
      {V::tls1_3, 0x0304, "TLSv1.3", ""},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(versions[i].version, expected[i].version);
    EXPECT_EQ(wire(versions[i].version), expected[i].wire);
    EXPECT_EQ(versions[i].openssl_name, expected[i].openssl);
    EXPECT_EQ(versions[i].origin_ssl_protocol, expected[i].origin);
    EXPECT_EQ(&info(expected[i].version), &versions[i]);
    EXPECT_EQ(version_from_wire(expected[i].wire), expected[i].version);
  }
  EXPECT_EQ(version_from_wire(0x0305), std::nullopt);
  EXPECT_EQ(version_from_wire(0x0200), std::nullopt);
  EXPECT_LT(V::ssl3, V::tls1_0);
  EXPECT_LT(V::tls1_2, V::tls1_3);
}

TEST(Versions, ParseVersionAcceptsEverySpelling) {
  EXPECT_EQ(parse_version("SSLv3"), V::ssl3);
  EXPECT_EQ(parse_version("sslv3"), V::ssl3);
  EXPECT_EQ(parse_version("SSL 3.0"), V::ssl3);
  EXPECT_EQ(parse_version("TLSv1"), V::tls1_0);
  EXPECT_EQ(parse_version("TLS 1.0"), V::tls1_0);
  EXPECT_EQ(parse_version("tls1_0"), V::tls1_0);
  EXPECT_EQ(parse_version("TLSv1.1"), V::tls1_1);
  EXPECT_EQ(parse_version("TLSv1.2"), V::tls1_2);
  EXPECT_EQ(parse_version("tls1_2"), V::tls1_2);
  EXPECT_EQ(parse_version("TLS1.2"), V::tls1_2);
  EXPECT_EQ(parse_version("1.2"), V::tls1_2);
  EXPECT_EQ(parse_version("0x0303"), V::tls1_2);
  EXPECT_EQ(parse_version("TLS 1.3"), V::tls1_3);
  EXPECT_EQ(parse_version("TLSv1.4"), std::nullopt);
  EXPECT_EQ(parse_version("SSLv2"), std::nullopt);
  EXPECT_EQ(parse_version(""), std::nullopt);
  EXPECT_EQ(parse_version("1.22"), std::nullopt);
}

TEST(Versions, RangeNames) {
  EXPECT_EQ(version_range_name(V::ssl3, V::tls1_2), "SSLv3-TLSv1.2");
  EXPECT_EQ(version_range_name(V::tls1_2, V::tls1_2), "TLSv1.2");
  EXPECT_EQ(version_range_name(V::tls1_3, V::tls1_3), "TLSv1.3");
}

struct SuiteRow {
  std::uint16_t code;
  std::string_view openssl, rfc, gnutls, jsse;
  KX kx;
  AU auth;
  BC cipher;
  MA mac;
  HA prf;
  V min, max;
  bool legacy, seed;
};

void PrintTo(const SuiteRow& row, std::ostream* os) {
  *os << row.openssl;
}

// clang-format off
const std::vector<SuiteRow> kExpectedSuites = {
  {0xC02C, "ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", KX::ecdhe, AU::ecdsa, BC::aes_256_gcm, MA::aead, HA::sha384, V::tls1_2, V::tls1_2, false, true},
  {0xC030, "ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", KX::ecdhe, AU::rsa, BC::aes_256_gcm, MA::aead, HA::sha384, V::tls1_2, V::tls1_2, false, true},
  {0xC02B, "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", KX::ecdhe, AU::ecdsa, BC::aes_128_gcm, MA::aead, HA::sha256, V::tls1_2, V::tls1_2, false, true},
  {0xC02F, "ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", KX::ecdhe, AU::rsa, BC::aes_128_gcm, MA::aead, HA::sha256, V::tls1_2, V::tls1_2, false, true},
  {0xC024, "ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", KX::ecdhe, AU::ecdsa, BC::aes_256_cbc, MA::sha384, HA::sha384, V::tls1_2, V::tls1_2, false, true},
  {0xC028, "ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", KX::ecdhe, AU::rsa, BC::aes_256_cbc, MA::sha384, HA::sha384, V::tls1_2, V::tls1_2, false, true},
  {0xC00A, "ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_AES_256_CBC_SHA1", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", KX::ecdhe, AU::ecdsa, BC::aes_256_cbc, MA::sha1, HA::sha256, V::ssl3, V::tls1_2, false, true},
  {0xC014, "ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_AES_256_CBC_SHA1", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", KX::ecdhe, AU::rsa, BC::aes_256_cbc, MA::sha1, HA::sha256, V::ssl3, V::tls1_2, false, true},
  {0xC023, "ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", KX::ecdhe, AU::ecdsa, BC::aes_128_cbc, MA::sha256, HA::sha256, V::tls1_2, V::tls1_2, false, true},
  {0xC027, "ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", KX::ecdhe, AU::rsa, BC::aes_128_cbc, MA::sha256, HA::sha256, V::tls1_2, V::tls1_2, false, true},
  {0xC009, "ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_AES_128_CBC_SHA1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", KX::ecdhe, AU::ecdsa, BC::aes_128_cbc, MA::sha1, HA::sha256, V::ssl3, V::tls1_2, false, true},
  {0xC013, "ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_AES_128_CBC_SHA1", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", KX::ecdhe, AU::rsa, BC::aes_128_cbc, MA::sha1, HA::sha256, V::ssl3, V::tls1_2, false, true},
  {0x009D, "AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384", KX::rsa, AU::rsa, BC::aes_256_gcm, MA::aead, HA::sha384, V::tls1_2, V::tls1_2, false, false},
  {0x009C, "AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", KX::rsa, AU::rsa, BC::aes_128_gcm, MA::aead, HA::sha256, V::tls1_2, V::tls1_2, false, false},
  {0x0035, "AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_AES_256_CBC_SHA1", "TLS_RSA_WITH_AES_256_CBC_SHA", KX::rsa, AU::rsa, BC::aes_256_cbc, MA::sha1, HA::sha256, V::ssl3, V::tls1_2, false, true},
  {0x003C, "AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", KX::rsa, AU::rsa, BC::aes_128_cbc, MA::sha256, HA::sha256, V::tls1_2, V::tls1_2, false, false},
  {0x002F, "AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_AES_128_CBC_SHA1", "TLS_RSA_WITH_AES_128_CBC_SHA", KX::rsa, AU::rsa, BC::aes_128_cbc, MA::sha1, HA::sha256, V::ssl3, V::tls1_2, false, true},
  {0x000A, "DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_3DES_EDE_CBC_SHA1", "SSL_RSA_WITH_3DES_EDE_CBC_SHA", KX::rsa, AU::rsa, BC::des_ede3_cbc, MA::sha1, HA::sha256, V::ssl3, V::tls1_2, true, true},
  {0x0004, "RC4-MD5", "TLS_RSA_WITH_RC4_128_MD5", "TLS_RSA_ARCFOUR_128_MD5", "SSL_RSA_WITH_RC4_128_MD5", KX::rsa, AU::rsa, BC::rc4_128, MA::md5, HA::sha256, V::ssl3, V::tls1_2, true, true},
  {0x1301, "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", KX::tls13, AU::tls13_any, BC::aes_128_gcm, MA::aead, HA::sha256, V::tls1_3, V::tls1_3, false, false},
  {0x1302, "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", KX::tls13, AU::tls13_any, BC::aes_256_gcm, MA::aead, HA::sha384, V::tls1_3, V::tls1_3, false, false},
  {0x1303, "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", KX::tls13, AU::tls13_any, BC::chacha20_poly1305, MA::aead, HA::sha256, V::tls1_3, V::tls1_3, false, false},
};
// clang-format on

class CataloguedSuite : public ::testing::TestWithParam<SuiteRow> {};

TEST_P(CataloguedSuite, EveryFieldMatches) {
  const SuiteRow& e = GetParam();
  const CipherSuite* s = cipher_suite_by_code(e.code);
  ASSERT_NE(s, nullptr) << e.openssl;
  EXPECT_EQ(s->openssl_name, e.openssl);
  EXPECT_EQ(s->rfc_name, e.rfc);
  EXPECT_EQ(s->gnutls_name, e.gnutls);
  EXPECT_EQ(s->jsse_name, e.jsse);
  EXPECT_EQ(s->key_exchange, e.kx);
  EXPECT_EQ(s->authentication, e.auth);
  EXPECT_EQ(s->cipher, e.cipher);
  EXPECT_EQ(s->mac, e.mac);
  EXPECT_EQ(s->prf_hash, e.prf);
  EXPECT_EQ(s->min_version, e.min);
  EXPECT_EQ(s->max_version, e.max);
  EXPECT_EQ(s->legacy, e.legacy);
  EXPECT_EQ(s->in_seed_table, e.seed);
  EXPECT_TRUE(s->valid_in(e.min));
  EXPECT_TRUE(s->valid_in(e.max));
  if (e.max == V::tls1_2) {
    EXPECT_FALSE(s->valid_in(V::tls1_3));
  }
  if (e.min == V::tls1_2) {
    EXPECT_FALSE(s->valid_in(V::tls1_1));
  }
}

TEST_P(CataloguedSuite, MacAndCipherAgree) {
  const CipherSuite* s = cipher_suite_by_code(GetParam().code);
  ASSERT_NE(s, nullptr);
  // AEAD ciphers carry no MAC, every other cipher does.
  EXPECT_EQ(info(s->cipher).kind == CipherKind::aead, s->mac == MacAlgorithm::aead);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, CataloguedSuite, ::testing::ValuesIn(kExpectedSuites));

TEST(CipherSuites, CatalogueHoldsExactlyTheExpectedRowsInS2nOrder) {
  const auto suites = all_cipher_suites();
  ASSERT_EQ(suites.size(), kExpectedSuites.size());
  for (std::size_t i = 0; i < suites.size(); ++i) {
    EXPECT_EQ(suites[i].code, kExpectedSuites[i].code) << "row " << i;
  }
}

TEST(CipherSuites, CodesAndNamesAreUnique) {
  std::set<std::uint16_t> codes;
  std::set<std::string_view> names;
  for (const CipherSuite& s : all_cipher_suites()) {
    EXPECT_TRUE(codes.insert(s.code).second) << s.openssl_name;
    EXPECT_TRUE(names.insert(s.openssl_name).second) << s.openssl_name;
  }
  EXPECT_EQ(cipher_suite_by_code(0x0005), nullptr);
  EXPECT_EQ(cipher_suite_by_code(0x00FF), nullptr) << "the SCSV is not a suite";
  EXPECT_EQ(kEmptyRenegotiationInfoScsv, 0x00FF);
}

TEST(CipherSuites, BulkCipherInfo) {
  struct Row {
    BC cipher;
    std::string_view name;
    CipherKind kind;
    std::size_t key, fixed_iv, record_iv, block, tag;
  };
  const std::vector<Row> rows = {
      {BC::aes_128_gcm, "AES-128-GCM", CipherKind::aead, 16, 4, 8, 1, 16},
      {BC::aes_256_gcm, "AES-256-GCM", CipherKind::aead, 32, 4, 8, 1, 16},
      {BC::aes_128_cbc, "AES-128-CBC", CipherKind::block, 16, 16, 16, 16, 0},
      {BC::aes_256_cbc, "AES-256-CBC", CipherKind::block, 32, 16, 16, 16, 0},
      {BC::des_ede3_cbc, "3DES-EDE-CBC", CipherKind::block, 24, 8, 8, 8, 0},
      {BC::rc4_128, "RC4-128", CipherKind::stream, 16, 0, 0, 1, 0},
      {BC::chacha20_poly1305, "CHACHA20-POLY1305", CipherKind::aead, 32, 12, 0, 1, 16},
  };
  for (const Row& r : rows) {
    const BulkCipherInfo& i = info(r.cipher);
    EXPECT_EQ(i.cipher, r.cipher) << r.name;
    EXPECT_EQ(i.name, r.name);
    EXPECT_EQ(i.kind, r.kind) << r.name;
    EXPECT_EQ(i.key_length, r.key) << r.name;
    EXPECT_EQ(i.fixed_iv_length, r.fixed_iv) << r.name;
    EXPECT_EQ(i.record_iv_length, r.record_iv) << r.name;
    EXPECT_EQ(i.block_size, r.block) << r.name;
    EXPECT_EQ(i.tag_length, r.tag) << r.name;
  }
}

TEST(CipherSuites, MacInfo) {
  EXPECT_EQ(info(MA::aead).length, 0U);
  EXPECT_EQ(info(MA::md5).length, 16U);
  EXPECT_EQ(info(MA::md5).hash, HA::md5);
  EXPECT_EQ(info(MA::sha1).length, 20U);
  EXPECT_EQ(info(MA::sha1).hash, HA::sha1);
  EXPECT_EQ(info(MA::sha256).length, 32U);
  EXPECT_EQ(info(MA::sha256).hash, HA::sha256);
  EXPECT_EQ(info(MA::sha384).length, 48U);
  EXPECT_EQ(info(MA::sha384).hash, HA::sha384);
  EXPECT_EQ(info(MA::sha1).name, "SHA1");
  EXPECT_EQ(info(MA::aead).name, "AEAD");
}

TEST(CipherSuites, EnumNames) {
  EXPECT_EQ(name(KX::rsa), "RSA");
  EXPECT_EQ(name(KX::ecdhe), "ECDHE");
  EXPECT_EQ(name(KX::tls13), "any");
  EXPECT_EQ(name(AU::ecdsa), "ECDSA");
  EXPECT_EQ(name(AU::tls13_any), "any");
  EXPECT_EQ(name(HA::sha384), "SHA384");
  EXPECT_EQ(name(HA::md5_sha1), "MD5-SHA1");
}

TEST(NamedGroups, CodesNamesAndPolicyMembership) {
  struct Row {
    std::uint16_t code;
    std::string_view name, iana;
    bool in_policy, ecdh;
  };
  const std::vector<Row> rows = {
      {23, "P-256", "secp256r1", true, true},
      {29, "X25519", "x25519", true, true},
      {24, "P-384", "secp384r1", true, true},
      {25, "P-521", "secp521r1", false, true},
      {30, "X448", "x448", false, true},
      {256, "ffdhe2048", "ffdhe2048", false, false},
      {257, "ffdhe3072", "ffdhe3072", false, false},
      {258, "ffdhe4096", "ffdhe4096", false, false},
      {259, "ffdhe6144", "ffdhe6144", false, false},
      {260, "ffdhe8192", "ffdhe8192", false, false},
  };
  ASSERT_EQ(all_named_groups().size(), rows.size());
  for (const Row& r : rows) {
    const NamedGroup* g = named_group_by_code(r.code);
    ASSERT_NE(g, nullptr) << r.name;
    EXPECT_EQ(g->name, r.name);
    EXPECT_EQ(g->iana_name, r.iana);
    EXPECT_EQ(g->in_policy, r.in_policy) << r.name;
    EXPECT_EQ(g->is_ecdh, r.ecdh) << r.name;
  }
  EXPECT_EQ(named_group_by_code(22), nullptr);
  EXPECT_EQ(kGroupSecp256r1, 23);
  EXPECT_EQ(kGroupSecp384r1, 24);
  EXPECT_EQ(kGroupSecp521r1, 25);
  EXPECT_EQ(kGroupX25519, 29);
  EXPECT_EQ(kGroupX448, 30);
}

TEST(NamedGroups, AliasesIncludeTheCommonSpellings) {
  const auto has_alias = [](std::uint16_t code, std::string_view alias) {
    const NamedGroup* g = named_group_by_code(code);
    if (g == nullptr) {
      return false;
    }
    for (const std::string_view a : g->aliases) {
      if (a == alias) {
        return true;
      }
    }
    return false;
  };
  for (const std::string_view a : {"prime256v1", "secp256r1", "P-256", "NIST P-256"}) {
    EXPECT_TRUE(has_alias(23, a)) << a;
  }
  for (const std::string_view a : {"secp384r1", "P-384"}) {
    EXPECT_TRUE(has_alias(24, a)) << a;
  }
  for (const std::string_view a : {"X25519", "x25519"}) {
    EXPECT_TRUE(has_alias(29, a)) << a;
  }
  EXPECT_FALSE(has_alias(23, "secp384r1"));
}

TEST(SignatureSchemes, EveryRow) {
  struct Row {
    std::uint16_t code;
    std::string_view iana, seed, openssl, gnutls;
    SignatureAlgorithm algorithm;
    HA hash;
    V max;
    bool in_seed;
  };
  using SA = SignatureAlgorithm;
  // clang-format off
  const std::vector<Row> rows = {
    {0x0401, "rsa_pkcs1_sha256", "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA256", "RSA+SHA256", "SIGN-RSA-SHA256", SA::rsa_pkcs1, HA::sha256, V::tls1_2, true},
    {0x0501, "rsa_pkcs1_sha384", "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA384", "RSA+SHA384", "SIGN-RSA-SHA384", SA::rsa_pkcs1, HA::sha384, V::tls1_2, true},
    {0x0601, "rsa_pkcs1_sha512", "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA512", "RSA+SHA512", "SIGN-RSA-SHA512", SA::rsa_pkcs1, HA::sha512, V::tls1_2, true},
    {0x0301, "rsa_pkcs1_sha224", "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA224", "RSA+SHA224", "SIGN-RSA-SHA224", SA::rsa_pkcs1, HA::sha224, V::tls1_2, true},
    {0x0403, "ecdsa_secp256r1_sha256", "TLS_SIGNATURE_SCHEME_ECDSA_SHA256", "ECDSA+SHA256", "SIGN-ECDSA-SHA256", SA::ecdsa, HA::sha256, V::tls1_3, true},
    {0x0503, "ecdsa_secp384r1_sha384", "TLS_SIGNATURE_SCHEME_ECDSA_SHA384", "ECDSA+SHA384", "SIGN-ECDSA-SHA384", SA::ecdsa, HA::sha384, V::tls1_3, true},
    {0x0603, "ecdsa_secp521r1_sha512", "TLS_SIGNATURE_SCHEME_ECDSA_SHA512", "ECDSA+SHA512", "SIGN-ECDSA-SHA512", SA::ecdsa, HA::sha512, V::tls1_3, true},
    {0x0303, "ecdsa_sha224", "TLS_SIGNATURE_SCHEME_ECDSA_SHA224", "ECDSA+SHA224", "SIGN-ECDSA-SHA224", SA::ecdsa, HA::sha224, V::tls1_2, true},
    {0x0201, "rsa_pkcs1_sha1", "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA1", "RSA+SHA1", "SIGN-RSA-SHA1", SA::rsa_pkcs1, HA::sha1, V::tls1_2, true},
    {0x0203, "ecdsa_sha1", "TLS_SIGNATURE_SCHEME_ECDSA_SHA1", "ECDSA+SHA1", "SIGN-ECDSA-SHA1", SA::ecdsa, HA::sha1, V::tls1_2, true},
    {0x0804, "rsa_pss_rsae_sha256", "TLS_SIGNATURE_SCHEME_RSA_PSS_RSAE_SHA256", "rsa_pss_rsae_sha256", "SIGN-RSA-PSS-RSAE-SHA256", SA::rsa_pss_rsae, HA::sha256, V::tls1_3, false},
    {0x0805, "rsa_pss_rsae_sha384", "TLS_SIGNATURE_SCHEME_RSA_PSS_RSAE_SHA384", "rsa_pss_rsae_sha384", "SIGN-RSA-PSS-RSAE-SHA384", SA::rsa_pss_rsae, HA::sha384, V::tls1_3, false},
    {0x0806, "rsa_pss_rsae_sha512", "TLS_SIGNATURE_SCHEME_RSA_PSS_RSAE_SHA512", "rsa_pss_rsae_sha512", "SIGN-RSA-PSS-RSAE-SHA512", SA::rsa_pss_rsae, HA::sha512, V::tls1_3, false},
    {0x0809, "rsa_pss_pss_sha256", "TLS_SIGNATURE_SCHEME_RSA_PSS_PSS_SHA256", "rsa_pss_pss_sha256", "SIGN-RSA-PSS-SHA256", SA::rsa_pss_pss, HA::sha256, V::tls1_3, false},
    {0x080A, "rsa_pss_pss_sha384", "TLS_SIGNATURE_SCHEME_RSA_PSS_PSS_SHA384", "rsa_pss_pss_sha384", "SIGN-RSA-PSS-SHA384", SA::rsa_pss_pss, HA::sha384, V::tls1_3, false},
    {0x080B, "rsa_pss_pss_sha512", "TLS_SIGNATURE_SCHEME_RSA_PSS_PSS_SHA512", "rsa_pss_pss_sha512", "SIGN-RSA-PSS-SHA512", SA::rsa_pss_pss, HA::sha512, V::tls1_3, false},
  };
  // clang-format on
  const auto schemes = all_signature_schemes();
  ASSERT_EQ(schemes.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    EXPECT_EQ(schemes[i].code, r.code) << "row " << i;
    const SignatureScheme* s = signature_scheme_by_code(r.code);
    ASSERT_NE(s, nullptr) << r.iana;
    EXPECT_EQ(s->iana_name, r.iana);
    EXPECT_EQ(s->seed_name, r.seed);
    EXPECT_EQ(s->openssl_name, r.openssl);
    EXPECT_EQ(s->gnutls_name, r.gnutls);
    EXPECT_EQ(s->algorithm, r.algorithm) << r.iana;
    EXPECT_EQ(s->hash, r.hash) << r.iana;
    EXPECT_EQ(s->max_version, r.max) << r.iana;
    EXPECT_EQ(s->in_seed_table, r.in_seed) << r.iana;
    // The code point of a TLS 1.2 scheme is hash byte then signature byte.
    if (r.algorithm == SA::rsa_pkcs1) {
      EXPECT_EQ(r.code & 0xFF, 0x01) << r.iana;
    } else if (r.algorithm == SA::ecdsa) {
      EXPECT_EQ(r.code & 0xFF, 0x03) << r.iana;
    }
  }
  EXPECT_EQ(signature_scheme_by_code(0x0807), nullptr) << "ed25519 is not catalogued";
  EXPECT_EQ(name(SA::rsa_pss_rsae), "RSA-PSS-RSAE");
}

}  // namespace
}  // namespace edgefetch::policy
