#pragma once
// Signature schemes (signature_algorithms code points, RFC 5246 §7.4.1.4.1 as
// two bytes hash+signature, RFC 8446 §4.2.3).

#include <cstdint>
#include <span>
#include <string_view>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::policy {

enum class SignatureAlgorithm { rsa_pkcs1, ecdsa, rsa_pss_rsae, rsa_pss_pss };

struct SignatureScheme {
  std::uint16_t code;          // 0x0401
  std::string_view iana_name;  // rsa_pkcs1_sha256 (TLS 1.3: ecdsa_secp256r1_sha256)
  std::string_view seed_name;  // TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA256 (s2n's constant, the seed's spelling)
  std::string_view openssl_name;  // RSA+SHA256, ECDSA+SHA256, rsa_pss_rsae_sha256
  std::string_view gnutls_name;   // SIGN-RSA-SHA256 (empty where GnuTLS has none)
  SignatureAlgorithm algorithm;
  HashAlgorithm hash;
  ProtocolVersion max_version;  // PKCS#1 and SHA-1/SHA-224 schemes: TLS 1.2
  bool in_seed_table;
  /// Further spellings: s2n/TLS 1.2 names where iana_name is TLS 1.3's
  /// ("ecdsa_sha256"), GnuTLS's TLS 1.3 names, OpenSSL's "RSA-PSS+SHA256".
  std::span<const std::string_view> aliases = {};
};

std::string_view name(SignatureAlgorithm algorithm);  // "RSA-PKCS1", "ECDSA", "RSA-PSS-RSAE", "RSA-PSS-PSS"

std::span<const SignatureScheme> all_signature_schemes();
const SignatureScheme* signature_scheme_by_code(std::uint16_t code);

}  // namespace edgefetch::policy
