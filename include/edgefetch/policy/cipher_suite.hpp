#pragma once
// The cipher-suite catalogue: every suite of the seed table, the three extra
// suites of s2n's CloudFront-Upstream policy and the TLS 1.3 suites of the 2025
// policy, each with all its names and the parameters the engine needs.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::policy {

enum class KeyExchange { rsa, ecdhe, tls13 };
enum class Authentication { rsa, ecdsa, tls13_any };
enum class BulkCipher {
  aes_128_gcm,
  aes_256_gcm,
  aes_128_cbc,
  aes_256_cbc,
  des_ede3_cbc,
  rc4_128,
  chacha20_poly1305
};
enum class MacAlgorithm { aead, md5, sha1, sha256, sha384 };
enum class HashAlgorithm { md5, sha1, sha224, sha256, sha384, sha512, md5_sha1 };

enum class CipherKind { aead, block, stream };

struct BulkCipherInfo {
  BulkCipher cipher;
  std::string_view name;  // "AES-128-GCM", "3DES-EDE-CBC", "RC4-128"
  CipherKind kind;
  std::size_t key_length;  // bytes
  // TLS 1.2 values (TLS 1.3 always derives a 12-byte IV):
  std::size_t fixed_iv_length;   // AEAD implicit nonce (4 for GCM, 12 for ChaCha20); CBC: block size
                                 // (the key-block IV SSLv3/TLS 1.0 use)
  std::size_t record_iv_length;  // explicit per-record nonce/IV (8 for GCM, 0 for ChaCha20, block size
                                 // for CBC in TLS >= 1.1)
  std::size_t block_size;        // 1 for stream and AEAD
  std::size_t tag_length;        // AEAD tag, 0 otherwise
};

struct MacInfo {
  MacAlgorithm mac;
  std::string_view name;  // "AEAD", "SHA1", "SHA256"
  std::size_t length;     // 0 for AEAD
  HashAlgorithm hash;     // underlying hash for the HMAC / SSLv3 MAC
};

struct CipherSuite {
  std::uint16_t code;             // IANA code point, e.g. 0xC02F
  std::string_view openssl_name;  // ECDHE-RSA-AES128-GCM-SHA256 (also s2n's name)
  std::string_view rfc_name;      // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  std::string_view gnutls_name;   // TLS_ECDHE_RSA_AES_128_GCM_SHA256 (as gnutls-cli -l prints)
  std::string_view jsse_name;     // Java JSSE spelling (SSL_RSA_WITH_RC4_128_MD5 for RC4)
  KeyExchange key_exchange;
  Authentication authentication;
  BulkCipher cipher;
  MacAlgorithm mac;
  HashAlgorithm prf_hash;       // TLS 1.2 PRF hash (sha256 or sha384); TLS 1.3 HKDF hash
  ProtocolVersion min_version;  // lowest version the suite is valid in (SSLv3 for the CDN's client library)
  ProtocolVersion max_version;  // highest version the suite is valid in
  bool legacy;                  // weak by today's standards (3DES, RC4)
  bool in_seed_table;           // listed in the documented table (reference/cloudfront-origin-ciphers.md)

  [[nodiscard]] bool valid_in(ProtocolVersion v) const { return min_version <= v && v <= max_version; }
};

const BulkCipherInfo& info(BulkCipher cipher);
const MacInfo& info(MacAlgorithm mac);
std::string_view name(KeyExchange kx);       // "RSA", "ECDHE", "any" (TLS 1.3: negotiated separately)
std::string_view name(Authentication auth);  // "RSA", "ECDSA", "any"
std::string_view name(HashAlgorithm hash);   // "SHA256" ...

/// Every catalogued suite.
std::span<const CipherSuite> all_cipher_suites();
const CipherSuite* cipher_suite_by_code(std::uint16_t code);

/// The renegotiation SCSV the CDN's client appends (RFC 5746): a signal in the
/// cipher suite list, not a suite.
inline constexpr std::uint16_t kEmptyRenegotiationInfoScsv = 0x00FF;
inline constexpr std::string_view kEmptyRenegotiationInfoScsvName = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";

}  // namespace edgefetch::policy
