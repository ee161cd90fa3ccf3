// The catalogue against an independent source: the system's libssl.
//  - every catalogued suite libssl knows has the same RFC name
//    (SSL_CIPHER_standard_name), code point (SSL_CIPHER_get_protocol_id) and
//    OpenSSL name, and agrees on key exchange, authentication, cipher, MAC,
//    PRF hash and whether it needs TLS 1.2 / TLS 1.3;
//  - every group and signature-scheme spelling libssl accepts puts exactly the
//    catalogued code point into the ClientHello libssl writes.
// Debian's libssl has no 3DES or RC4 suites; those two are checked only
// against the other sources (unit tests).

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/ssl.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::policy {
namespace {

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

// A client context that allows everything libssl can do: every version it
// was built with and security level 0 (SHA-1, small keys).
SslCtxPtr permissive_client_context(int max_version) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx) {
    SSL_CTX_set_security_level(ctx.get(), 0);
    SSL_CTX_set_min_proto_version(ctx.get(), 0);
    SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  }
  return ctx;
}

const SSL_CIPHER* libssl_cipher(SSL* ssl, std::uint16_t code) {
  const std::array<unsigned char, 2> bytes = {static_cast<unsigned char>(code >> 8),
                                              static_cast<unsigned char>(code & 0xFF)};
  return SSL_CIPHER_find(ssl, bytes.data());
}

int expected_kx_nid(KeyExchange kx) {
  switch (kx) {
    case KeyExchange::rsa:
      return NID_kx_rsa;
    case KeyExchange::ecdhe:
      return NID_kx_ecdhe;
    case KeyExchange::tls13:
      return NID_kx_any;
  }
  return NID_undef;
}

int expected_auth_nid(Authentication auth) {
  switch (auth) {
    case Authentication::rsa:
      return NID_auth_rsa;
    case Authentication::ecdsa:
      return NID_auth_ecdsa;
    case Authentication::tls13_any:
      return NID_auth_any;
  }
  return NID_undef;
}

int expected_cipher_nid(BulkCipher cipher) {
  switch (cipher) {
    case BulkCipher::aes_128_gcm:
      return NID_aes_128_gcm;
    case BulkCipher::aes_256_gcm:
      return NID_aes_256_gcm;
    case BulkCipher::aes_128_cbc:
      return NID_aes_128_cbc;
    case BulkCipher::aes_256_cbc:
      return NID_aes_256_cbc;
    case BulkCipher::des_ede3_cbc:
      return NID_des_ede3_cbc;
    case BulkCipher::rc4_128:
      return NID_rc4;
    case BulkCipher::chacha20_poly1305:
      return NID_chacha20_poly1305;
  }
  return NID_undef;
}

int expected_mac_nid(MacAlgorithm mac) {
  switch (mac) {
    case MacAlgorithm::aead:
      return NID_undef;
    case MacAlgorithm::md5:
      return NID_md5;
    case MacAlgorithm::sha1:
      return NID_sha1;
    case MacAlgorithm::sha256:
      return NID_sha256;
    case MacAlgorithm::sha384:
      return NID_sha384;
  }
  return NID_undef;
}

TEST(OpenSslCrossCheck, EverySuiteLibsslKnowsHasTheSameNamesCodeAndParameters) {
  SslCtxPtr ctx = permissive_client_context(TLS1_3_VERSION);
  ASSERT_TRUE(ctx);
  ASSERT_EQ(SSL_CTX_set_cipher_list(ctx.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0"), 1);
  SslPtr ssl(SSL_new(ctx.get()));
  ASSERT_TRUE(ssl);

  std::vector<std::string_view> unknown_to_libssl;
  for (const CipherSuite& suite : all_cipher_suites()) {
    const SSL_CIPHER* cipher = libssl_cipher(ssl.get(), suite.code);
    if (cipher == nullptr) {
      unknown_to_libssl.push_back(suite.openssl_name);
      continue;
    }
    SCOPED_TRACE(std::string(suite.openssl_name));
    EXPECT_EQ(SSL_CIPHER_get_protocol_id(cipher), suite.code);
    EXPECT_EQ(std::string_view(SSL_CIPHER_standard_name(cipher)), suite.rfc_name);
    EXPECT_EQ(std::string_view(SSL_CIPHER_get_name(cipher)), suite.openssl_name);
    EXPECT_EQ(SSL_CIPHER_get_kx_nid(cipher), expected_kx_nid(suite.key_exchange));
    EXPECT_EQ(SSL_CIPHER_get_auth_nid(cipher), expected_auth_nid(suite.authentication));
    EXPECT_EQ(SSL_CIPHER_get_cipher_nid(cipher), expected_cipher_nid(suite.cipher));
    EXPECT_EQ(SSL_CIPHER_get_digest_nid(cipher), expected_mac_nid(suite.mac));
    EXPECT_EQ(SSL_CIPHER_is_aead(cipher) == 1, suite.mac == MacAlgorithm::aead);
    const EVP_MD* handshake_digest = SSL_CIPHER_get_handshake_digest(cipher);
    ASSERT_NE(handshake_digest, nullptr);
    EXPECT_EQ(EVP_MD_get_type(handshake_digest) == NID_sha384, suite.prf_hash == HashAlgorithm::sha384);
    // libssl's lowest version: TLS 1.2 / 1.3 for those suites; for the others
    // it says SSLv3 or TLSv1.0 (OpenSSL has no ECDHE in SSLv3; s2n does).
    const std::string_view libssl_min = SSL_CIPHER_get_version(cipher);
    EXPECT_EQ(libssl_min == "TLSv1.2", suite.min_version == ProtocolVersion::tls1_2) << libssl_min;
    EXPECT_EQ(libssl_min == "TLSv1.3", suite.min_version == ProtocolVersion::tls1_3) << libssl_min;
  }
  // Debian 12's libssl is built without 3DES and RC4 suites; every other
  // catalogued suite must have been cross-checked.
  for (const std::string_view name : unknown_to_libssl) {
    const CipherSuite* suite = nullptr;
    for (const CipherSuite& s : all_cipher_suites()) {
      if (s.openssl_name == name) {
        suite = &s;
      }
    }
    ASSERT_NE(suite, nullptr);
    EXPECT_TRUE(suite->legacy) << name << " is unknown to libssl but is not a legacy suite";
  }
  EXPECT_LE(unknown_to_libssl.size(), 2U);
}

TEST(OpenSslCrossCheck, LibsslsOwnListAgreesWhereItOverlapsTheCatalogue) {
  SslCtxPtr ctx = permissive_client_context(TLS1_3_VERSION);
  ASSERT_TRUE(ctx);
  ASSERT_EQ(SSL_CTX_set_cipher_list(ctx.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0"), 1);
  SslPtr ssl(SSL_new(ctx.get()));
  ASSERT_TRUE(ssl);
  STACK_OF(SSL_CIPHER)* ciphers = SSL_get_ciphers(ssl.get());
  ASSERT_NE(ciphers, nullptr);
  int overlapping = 0;
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
    const CipherSuite* suite = cipher_suite_by_code(SSL_CIPHER_get_protocol_id(cipher));
    if (suite == nullptr) {
      continue;
    }
    ++overlapping;
    EXPECT_EQ(std::string_view(SSL_CIPHER_get_name(cipher)), suite->openssl_name);
    EXPECT_EQ(std::string_view(SSL_CIPHER_standard_name(cipher)), suite->rfc_name);
  }
  EXPECT_GE(overlapping, 20) << "19 + 3 catalogued, minus 3DES and RC4";
}

// The ClientHello libssl writes for a context, as bytes.
std::vector<std::uint8_t> client_hello(const std::function<bool(SSL_CTX*)>& configure, int max_version) {
  SslCtxPtr ctx = permissive_client_context(max_version);
  if (!ctx || !configure(ctx.get())) {
    ERR_clear_error();
    return {};
  }
  SslPtr ssl(SSL_new(ctx.get()));
  if (!ssl) {
    return {};
  }
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl.get(), in, out);  // ssl owns both now
  SSL_set_connect_state(ssl.get());
  (void)SSL_do_handshake(ssl.get());  // wants to read the ServerHello: fine
  ERR_clear_error();
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  if (size <= 0 || data == nullptr) {
    return {};
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);  // NOLINT: BIO hands out char*
  return {bytes, bytes + size};
}

// The 16-bit entries of one list-valued extension of a ClientHello record
// (supported_groups, signature_algorithms); nullopt when it is malformed or absent.
std::optional<std::vector<std::uint16_t>> extension_list(const std::vector<std::uint8_t>& record,
                                                         std::uint16_t extension_type) {
  std::size_t pos = 0;
  const auto need = [&](std::size_t n) { return pos + n <= record.size(); };
  const auto u8 = [&]() { return record[pos++]; };
  const auto u16 = [&]() {
    const auto v = static_cast<std::uint16_t>((record[pos] << 8) | record[pos + 1]);
    pos += 2;
    return v;
  };
  // Record header (5), handshake header (4), version (2), random (32).
  if (!need(5 + 4 + 2 + 32) || record[0] != 22 || record[5] != 1) {
    return std::nullopt;
  }
  pos = 5 + 4 + 2 + 32;
  if (!need(1)) {
    return std::nullopt;
  }
  pos += u8();  // session id
  if (!need(2)) {
    return std::nullopt;
  }
  pos += u16();  // cipher suites
  if (!need(1)) {
    return std::nullopt;
  }
  pos += u8();  // compression methods
  if (!need(2)) {
    return std::nullopt;
  }
  const std::size_t end = pos + 2 + (static_cast<std::size_t>(record[pos] << 8) | record[pos + 1]);
  pos += 2;
  if (end > record.size()) {
    return std::nullopt;
  }
  while (pos + 4 <= end) {
    const std::uint16_t type = u16();
    const std::uint16_t length = u16();
    if (pos + length > end) {
      return std::nullopt;
    }
    if (type != extension_type) {
      pos += length;
      continue;
    }
    if (length < 2) {
      return std::nullopt;
    }
    const std::uint16_t list_length = u16();
    if (list_length + 2U != length || list_length % 2 != 0) {
      return std::nullopt;
    }
    std::vector<std::uint16_t> entries;
    for (std::size_t i = 0; i < list_length; i += 2) {
      entries.push_back(u16());
    }
    return entries;
  }
  return std::nullopt;
}

constexpr std::uint16_t kSupportedGroups = 0x000A;
constexpr std::uint16_t kSignatureAlgorithms = 0x000D;

TEST(OpenSslCrossCheck, GroupNamesLibsslAcceptsCarryTheCataloguedCode) {
  for (const NamedGroup& group : all_named_groups()) {
    std::vector<std::string_view> spellings = {group.name, group.iana_name};
    spellings.insert(spellings.end(), group.aliases.begin(), group.aliases.end());
    int accepted = 0;
    for (const std::string_view spelling : spellings) {
      const std::string name(spelling);
      const auto hello = client_hello(
          [&name](SSL_CTX* ctx) { return SSL_CTX_set1_groups_list(ctx, name.c_str()) == 1; }, TLS1_3_VERSION);
      if (hello.empty()) {
        continue;  // a spelling libssl does not know (e.g. GnuTLS's GROUP-SECP256R1)
      }
      ++accepted;
      const auto groups = extension_list(hello, kSupportedGroups);
      ASSERT_TRUE(groups.has_value()) << name;
      EXPECT_EQ(*groups, std::vector<std::uint16_t>{group.code}) << name;
    }
    EXPECT_GE(accepted, 1) << group.name << ": libssl knows none of its spellings";
  }
}

TEST(OpenSslCrossCheck, SignatureSchemeNamesLibsslAcceptsCarryTheCataloguedCode) {
  for (const SignatureScheme& scheme : all_signature_schemes()) {
    std::vector<std::string_view> spellings = {scheme.openssl_name, scheme.iana_name};
    spellings.insert(spellings.end(), scheme.aliases.begin(), scheme.aliases.end());
    for (const std::string_view spelling : spellings) {
      const std::string name(spelling);
      const auto hello =
          client_hello([&name](SSL_CTX* ctx) { return SSL_CTX_set1_sigalgs_list(ctx, name.c_str()) == 1; },
                       TLS1_2_VERSION);
      if (spelling == scheme.openssl_name) {
        ASSERT_FALSE(hello.empty()) << "libssl rejects the catalogued OpenSSL name " << name;
      }
      if (hello.empty()) {
        continue;  // OpenSSL 3.0 has no name for some (e.g. "ecdsa_sha1"); its "ECDSA+SHA1" is checked
      }
      const auto schemes = extension_list(hello, kSignatureAlgorithms);
      ASSERT_TRUE(schemes.has_value()) << name;
      EXPECT_EQ(*schemes, std::vector<std::uint16_t>{scheme.code}) << name;
    }
  }
}

TEST(OpenSslCrossCheck, ClientHelloParserSeesLibsslsDefaults) {
  // Guards the parser above: a default ClientHello has both lists, non-empty.
  const auto hello = client_hello([](SSL_CTX*) { return true; }, TLS1_3_VERSION);
  ASSERT_FALSE(hello.empty());
  const auto groups = extension_list(hello, kSupportedGroups);
  const auto schemes = extension_list(hello, kSignatureAlgorithms);
  ASSERT_TRUE(groups.has_value());
  ASSERT_TRUE(schemes.has_value());
  EXPECT_GT(groups->size(), 1U);
  EXPECT_GT(schemes->size(), 1U);
  EXPECT_FALSE(extension_list(hello, 0x1234).has_value());
  EXPECT_FALSE(extension_list({22, 3, 1}, kSupportedGroups).has_value());
}

}  // namespace
}  // namespace edgefetch::policy
