// The cipher-suite catalogue, one row per suite. Sources:
//   reference/cloudfront-origin-ciphers.md (the seed's two tables: names),
//   reference/cloudfront-origin-facts.md Appendix A (code points, s2n minimum versions),
//   `gnutls-cli -l` (GnuTLS 3.7, Debian 12) for the GnuTLS spellings,
//   the JSSE standard names (Java Security Standard Algorithm Names).
// Rows are in s2n's CloudFront-Upstream order, then the TLS 1.3 suites.

#include <algorithm>
#include <array>

#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::policy {
namespace {

using enum BulkCipher;
using V = ProtocolVersion;

// Shorthands for the columns that repeat.
constexpr KeyExchange kKxRsa = KeyExchange::rsa;
constexpr KeyExchange kKxEcdhe = KeyExchange::ecdhe;
constexpr KeyExchange kKxAny = KeyExchange::tls13;
constexpr Authentication kAuRsa = Authentication::rsa;
constexpr Authentication kAuEcdsa = Authentication::ecdsa;
constexpr Authentication kAuAny = Authentication::tls13_any;
constexpr MacAlgorithm kAead = MacAlgorithm::aead;
constexpr HashAlgorithm kPrf256 = HashAlgorithm::sha256;
constexpr HashAlgorithm kPrf384 = HashAlgorithm::sha384;
constexpr bool kLegacy = true;
constexpr bool kModern = false;
constexpr bool kSeed = true;
constexpr bool kNotSeed = false;

// clang-format off
constexpr auto kCipherSuites = std::to_array<CipherSuite>({
  // code   OpenSSL/s2n name                 RFC name                                   GnuTLS name                            JSSE name
  //        kx     auth   cipher       MAC                   PRF      min        max        legacy   seed
  {0xC02C, "ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
           kKxEcdhe, kAuEcdsa, aes_256_gcm, kAead,                kPrf384, V::tls1_2, V::tls1_2, kModern, kSeed},
  {0xC030, "ECDHE-RSA-AES256-GCM-SHA384",   "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",   "TLS_ECDHE_RSA_AES_256_GCM_SHA384",   "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
           kKxEcdhe, kAuRsa,   aes_256_gcm, kAead,                kPrf384, V::tls1_2, V::tls1_2, kModern, kSeed},
  {0xC02B, "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
           kKxEcdhe, kAuEcdsa, aes_128_gcm, kAead,                kPrf256, V::tls1_2, V::tls1_2, kModern, kSeed},
  {0xC02F, "ECDHE-RSA-AES128-GCM-SHA256",   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",   "TLS_ECDHE_RSA_AES_128_GCM_SHA256",   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
           kKxEcdhe, kAuRsa,   aes_128_gcm, kAead,                kPrf256, V::tls1_2, V::tls1_2, kModern, kSeed},
  {0xC024, "ECDHE-ECDSA-AES256-SHA384",     "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
           kKxEcdhe, kAuEcdsa, aes_256_cbc, MacAlgorithm::sha384, kPrf384, V::tls1_2, V::tls1_2, kModern, kSeed},
  {0xC028, "ECDHE-RSA-AES256-SHA384",       "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",   "TLS_ECDHE_RSA_AES_256_CBC_SHA384",   "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
           kKxEcdhe, kAuRsa,   aes_256_cbc, MacAlgorithm::sha384, kPrf384, V::tls1_2, V::tls1_2, kModern, kSeed},
  {0xC00A, "ECDHE-ECDSA-AES256-SHA",        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",    "TLS_ECDHE_ECDSA_AES_256_CBC_SHA1",   "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
           kKxEcdhe, kAuEcdsa, aes_256_cbc, MacAlgorithm::sha1,   kPrf256, V::ssl3,   V::tls1_2, kModern, kSeed},
  {0xC014, "ECDHE-RSA-AES256-SHA",          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",      "TLS_ECDHE_RSA_AES_256_CBC_SHA1",     "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
           kKxEcdhe, kAuRsa,   aes_256_cbc, MacAlgorithm::sha1,   kPrf256, V::ssl3,   V::tls1_2, kModern, kSeed},
  {0xC023, "ECDHE-ECDSA-AES128-SHA256",     "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
           kKxEcdhe, kAuEcdsa, aes_128_cbc, MacAlgorithm::sha256, kPrf256, V::tls1_2, V::tls1_2, kModern, kSeed},
  {0xC027, "ECDHE-RSA-AES128-SHA256",       "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",   "TLS_ECDHE_RSA_AES_128_CBC_SHA256",   "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
           kKxEcdhe, kAuRsa,   aes_128_cbc, MacAlgorithm::sha256, kPrf256, V::tls1_2, V::tls1_2, kModern, kSeed},
  {0xC009, "ECDHE-ECDSA-AES128-SHA",        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",    "TLS_ECDHE_ECDSA_AES_128_CBC_SHA1",   "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
           kKxEcdhe, kAuEcdsa, aes_128_cbc, MacAlgorithm::sha1,   kPrf256, V::ssl3,   V::tls1_2, kModern, kSeed},
  {0xC013, "ECDHE-RSA-AES128-SHA",          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",      "TLS_ECDHE_RSA_AES_128_CBC_SHA1",     "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
           kKxEcdhe, kAuRsa,   aes_128_cbc, MacAlgorithm::sha1,   kPrf256, V::ssl3,   V::tls1_2, kModern, kSeed},
  {0x009D, "AES256-GCM-SHA384",             "TLS_RSA_WITH_AES_256_GCM_SHA384",         "TLS_RSA_AES_256_GCM_SHA384",         "TLS_RSA_WITH_AES_256_GCM_SHA384",
           kKxRsa,   kAuRsa,   aes_256_gcm, kAead,                kPrf384, V::tls1_2, V::tls1_2, kModern, kNotSeed},
  {0x009C, "AES128-GCM-SHA256",             "TLS_RSA_WITH_AES_128_GCM_SHA256",         "TLS_RSA_AES_128_GCM_SHA256",         "TLS_RSA_WITH_AES_128_GCM_SHA256",
           kKxRsa,   kAuRsa,   aes_128_gcm, kAead,                kPrf256, V::tls1_2, V::tls1_2, kModern, kNotSeed},
  {0x0035, "AES256-SHA",                    "TLS_RSA_WITH_AES_256_CBC_SHA",            "TLS_RSA_AES_256_CBC_SHA1",           "TLS_RSA_WITH_AES_256_CBC_SHA",
           kKxRsa,   kAuRsa,   aes_256_cbc, MacAlgorithm::sha1,   kPrf256, V::ssl3,   V::tls1_2, kModern, kSeed},
  {0x003C, "AES128-SHA256",                 "TLS_RSA_WITH_AES_128_CBC_SHA256",         "TLS_RSA_AES_128_CBC_SHA256",         "TLS_RSA_WITH_AES_128_CBC_SHA256",
           kKxRsa,   kAuRsa,   aes_128_cbc, MacAlgorithm::sha256, kPrf256, V::tls1_2, V::tls1_2, kModern, kNotSeed},
  {0x002F, "AES128-SHA",                    "TLS_RSA_WITH_AES_128_CBC_SHA",            "TLS_RSA_AES_128_CBC_SHA1",           "TLS_RSA_WITH_AES_128_CBC_SHA",
           kKxRsa,   kAuRsa,   aes_128_cbc, MacAlgorithm::sha1,   kPrf256, V::ssl3,   V::tls1_2, kModern, kSeed},
  {0x000A, "DES-CBC3-SHA",                  "TLS_RSA_WITH_3DES_EDE_CBC_SHA",           "TLS_RSA_3DES_EDE_CBC_SHA1",          "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
           kKxRsa,   kAuRsa,   des_ede3_cbc, MacAlgorithm::sha1,  kPrf256, V::ssl3,   V::tls1_2, kLegacy, kSeed},
  {0x0004, "RC4-MD5",                       "TLS_RSA_WITH_RC4_128_MD5",                "TLS_RSA_ARCFOUR_128_MD5",            "SSL_RSA_WITH_RC4_128_MD5",
           kKxRsa,   kAuRsa,   rc4_128,     MacAlgorithm::md5,    kPrf256, V::ssl3,   V::tls1_2, kLegacy, kSeed},
  // TLS 1.3 (s2n's CloudFront-Upstream-2025 policies): OpenSSL, GnuTLS and JSSE all use the RFC name.
  {0x1301, "TLS_AES_128_GCM_SHA256",        "TLS_AES_128_GCM_SHA256",                  "TLS_AES_128_GCM_SHA256",             "TLS_AES_128_GCM_SHA256",
           kKxAny, kAuAny, aes_128_gcm, kAead,            kPrf256, V::tls1_3, V::tls1_3, kModern, kNotSeed},
  {0x1302, "TLS_AES_256_GCM_SHA384",        "TLS_AES_256_GCM_SHA384",                  "TLS_AES_256_GCM_SHA384",             "TLS_AES_256_GCM_SHA384",
           kKxAny, kAuAny, aes_256_gcm, kAead,            kPrf384, V::tls1_3, V::tls1_3, kModern, kNotSeed},
  {0x1303, "TLS_CHACHA20_POLY1305_SHA256",  "TLS_CHACHA20_POLY1305_SHA256",            "TLS_CHACHA20_POLY1305_SHA256",       "TLS_CHACHA20_POLY1305_SHA256",
           kKxAny, kAuAny, chacha20_poly1305, kAead,      kPrf256, V::tls1_3, V::tls1_3, kModern, kNotSeed},
});

// Lengths in bytes. fixed_iv/record_iv are the TLS 1.2 values (RFC 5288 for
// GCM: 4-byte salt + 8-byte explicit nonce; RFC 7905 for ChaCha20: 12-byte
// fixed IV, no explicit part). TLS 1.3 always derives a 12-byte IV.
constexpr auto kBulkCiphers = std::to_array<BulkCipherInfo>({
  // cipher             name                 kind                 key iv rec blk tag
  {aes_128_gcm,       "AES-128-GCM",       CipherKind::aead,    16, 4,  8,  1,  16},
  {aes_256_gcm,       "AES-256-GCM",       CipherKind::aead,    32, 4,  8,  1,  16},
  {aes_128_cbc,       "AES-128-CBC",       CipherKind::block,   16, 16, 16, 16, 0},
  {aes_256_cbc,       "AES-256-CBC",       CipherKind::block,   32, 16, 16, 16, 0},
  {des_ede3_cbc,      "3DES-EDE-CBC",      CipherKind::block,   24, 8,  8,  8,  0},
  {rc4_128,           "RC4-128",           CipherKind::stream,  16, 0,  0,  1,  0},
  {chacha20_poly1305, "CHACHA20-POLY1305", CipherKind::aead,    32, 12, 0,  1,  16},
});

// For AEAD suites there is no separate MAC; `hash` is then meaningless and set
// to SHA-256 only so that the field is always a valid enumerator.
constexpr auto kMacs = std::to_array<MacInfo>({
  {MacAlgorithm::aead,   "AEAD",   0,  HashAlgorithm::sha256},
  {MacAlgorithm::md5,    "MD5",    16, HashAlgorithm::md5},
  {MacAlgorithm::sha1,   "SHA1",   20, HashAlgorithm::sha1},
  {MacAlgorithm::sha256, "SHA256", 32, HashAlgorithm::sha256},
  {MacAlgorithm::sha384, "SHA384", 48, HashAlgorithm::sha384},
});
// clang-format on

template <class Table, class Key>
const auto& row_for(const Table& table, Key key, Key Table::value_type::*field) {
  const auto it =
      std::find_if(table.begin(), table.end(), [&](const auto& row) { return row.*field == key; });
  // Every enumerator has a row (the unit tests check); reaching the end is a bug.
  return it != table.end() ? *it : table.front();
}

}  // namespace

const BulkCipherInfo& info(BulkCipher cipher) {
  return row_for(kBulkCiphers, cipher, &BulkCipherInfo::cipher);
}

const MacInfo& info(MacAlgorithm mac) {
  return row_for(kMacs, mac, &MacInfo::mac);
}

std::string_view name(KeyExchange kx) {
  switch (kx) {
    case KeyExchange::rsa:
      return "RSA";
    case KeyExchange::ecdhe:
      return "ECDHE";
    case KeyExchange::tls13:
      return "any";
  }
  return "?";
}

std::string_view name(Authentication auth) {
  switch (auth) {
    case Authentication::rsa:
      return "RSA";
    case Authentication::ecdsa:
      return "ECDSA";
    case Authentication::tls13_any:
      return "any";
  }
  return "?";
}

std::string_view name(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::md5:
      return "MD5";
    case HashAlgorithm::sha1:
      return "SHA1";
    case HashAlgorithm::sha224:
      return "SHA224";
    case HashAlgorithm::sha256:
      return "SHA256";
    case HashAlgorithm::sha384:
      return "SHA384";
    case HashAlgorithm::sha512:
      return "SHA512";
    case HashAlgorithm::md5_sha1:
      return "MD5-SHA1";
  }
  return "?";
}

std::span<const CipherSuite> all_cipher_suites() {
  return kCipherSuites;
}

const CipherSuite* cipher_suite_by_code(std::uint16_t code) {
  const auto it = std::find_if(kCipherSuites.begin(), kCipherSuites.end(),
                               [code](const CipherSuite& s) { return s.code == code; });
  return it != kCipherSuites.end() ? &*it : nullptr;
}

}  // namespace edgefetch::policy
