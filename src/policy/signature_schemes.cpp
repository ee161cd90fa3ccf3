// The signature-scheme catalogue: the seed's ten (in the seed's order, which is
// s2n's s2n_signature_preferences_20140601), then the RSA-PSS schemes of the
// 2025 policies. Code points: RFC 5246 §7.4.1.4.1 (hash byte + signature byte)
// and RFC 8446 §4.2.3. `seed_name` is s2n's constant (TLS_SIGNATURE_SCHEME_*),
// the spelling the seed document uses.

#include <algorithm>
#include <array>
#include <string_view>

#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::policy {
namespace {

using namespace std::string_view_literals;
using V = ProtocolVersion;
using A = SignatureAlgorithm;
using H = HashAlgorithm;

// Further spellings: s2n/TLS 1.2 names where the IANA name is TLS 1.3's,
// GnuTLS's TLS 1.3 names, OpenSSL's "ALG+HASH" for RSA-PSS.
constexpr auto kEcdsaSha256Aliases = std::to_array({"ecdsa_sha256"sv, "SIGN-ECDSA-SECP256R1-SHA256"sv});
constexpr auto kEcdsaSha384Aliases = std::to_array({"ecdsa_sha384"sv, "SIGN-ECDSA-SECP384R1-SHA384"sv});
constexpr auto kEcdsaSha512Aliases = std::to_array({"ecdsa_sha512"sv, "SIGN-ECDSA-SECP521R1-SHA512"sv});
constexpr auto kPssRsaeSha256Aliases = std::to_array({"RSA-PSS+SHA256"sv});
constexpr auto kPssRsaeSha384Aliases = std::to_array({"RSA-PSS+SHA384"sv});
constexpr auto kPssRsaeSha512Aliases = std::to_array({"RSA-PSS+SHA512"sv});

constexpr bool kSeed = true;
constexpr bool kNotSeed = false;

// clang-format off
constexpr auto kSignatureSchemes = std::to_array<SignatureScheme>({
  // code  IANA name                  seed / s2n name                                 OpenSSL name           GnuTLS name
  //       algorithm       hash       max version  seed      aliases
  {0x0401, "rsa_pkcs1_sha256",       "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA256",       "RSA+SHA256",          "SIGN-RSA-SHA256",
           A::rsa_pkcs1,   H::sha256, V::tls1_2,   kSeed,    {}},
  {0x0501, "rsa_pkcs1_sha384",       "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA384",       "RSA+SHA384",          "SIGN-RSA-SHA384",
           A::rsa_pkcs1,   H::sha384, V::tls1_2,   kSeed,    {}},
  {0x0601, "rsa_pkcs1_sha512",       "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA512",       "RSA+SHA512",          "SIGN-RSA-SHA512",
           A::rsa_pkcs1,   H::sha512, V::tls1_2,   kSeed,    {}},
  {0x0301, "rsa_pkcs1_sha224",       "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA224",       "RSA+SHA224",          "SIGN-RSA-SHA224",
           A::rsa_pkcs1,   H::sha224, V::tls1_2,   kSeed,    {}},
  {0x0403, "ecdsa_secp256r1_sha256", "TLS_SIGNATURE_SCHEME_ECDSA_SHA256",           "ECDSA+SHA256",        "SIGN-ECDSA-SHA256",
           A::ecdsa,       H::sha256, V::tls1_3,   kSeed,    kEcdsaSha256Aliases},
  {0x0503, "ecdsa_secp384r1_sha384", "TLS_SIGNATURE_SCHEME_ECDSA_SHA384",           "ECDSA+SHA384",        "SIGN-ECDSA-SHA384",
           A::ecdsa,       H::sha384, V::tls1_3,   kSeed,    kEcdsaSha384Aliases},
  {0x0603, "ecdsa_secp521r1_sha512", "TLS_SIGNATURE_SCHEME_ECDSA_SHA512",           "ECDSA+SHA512",        "SIGN-ECDSA-SHA512",
           A::ecdsa,       H::sha512, V::tls1_3,   kSeed,    kEcdsaSha512Aliases},
  {0x0303, "ecdsa_sha224",           "TLS_SIGNATURE_SCHEME_ECDSA_SHA224",           "ECDSA+SHA224",        "SIGN-ECDSA-SHA224",
           A::ecdsa,       H::sha224, V::tls1_2,   kSeed,    {}},
  {0x0201, "rsa_pkcs1_sha1",         "TLS_SIGNATURE_SCHEME_RSA_PKCS1_SHA1",         "RSA+SHA1",            "SIGN-RSA-SHA1",
           A::rsa_pkcs1,   H::sha1,   V::tls1_2,   kSeed,    {}},
  {0x0203, "ecdsa_sha1",             "TLS_SIGNATURE_SCHEME_ECDSA_SHA1",             "ECDSA+SHA1",          "SIGN-ECDSA-SHA1",
           A::ecdsa,       H::sha1,   V::tls1_2,   kSeed,    {}},
  {0x0804, "rsa_pss_rsae_sha256",    "TLS_SIGNATURE_SCHEME_RSA_PSS_RSAE_SHA256",    "rsa_pss_rsae_sha256", "SIGN-RSA-PSS-RSAE-SHA256",
           A::rsa_pss_rsae, H::sha256, V::tls1_3,  kNotSeed, kPssRsaeSha256Aliases},
  {0x0805, "rsa_pss_rsae_sha384",    "TLS_SIGNATURE_SCHEME_RSA_PSS_RSAE_SHA384",    "rsa_pss_rsae_sha384", "SIGN-RSA-PSS-RSAE-SHA384",
           A::rsa_pss_rsae, H::sha384, V::tls1_3,  kNotSeed, kPssRsaeSha384Aliases},
  {0x0806, "rsa_pss_rsae_sha512",    "TLS_SIGNATURE_SCHEME_RSA_PSS_RSAE_SHA512",    "rsa_pss_rsae_sha512", "SIGN-RSA-PSS-RSAE-SHA512",
           A::rsa_pss_rsae, H::sha512, V::tls1_3,  kNotSeed, kPssRsaeSha512Aliases},
  {0x0809, "rsa_pss_pss_sha256",     "TLS_SIGNATURE_SCHEME_RSA_PSS_PSS_SHA256",     "rsa_pss_pss_sha256",  "SIGN-RSA-PSS-SHA256",
           A::rsa_pss_pss, H::sha256, V::tls1_3,   kNotSeed, {}},
  {0x080A, "rsa_pss_pss_sha384",     "TLS_SIGNATURE_SCHEME_RSA_PSS_PSS_SHA384",     "rsa_pss_pss_sha384",  "SIGN-RSA-PSS-SHA384",
           A::rsa_pss_pss, H::sha384, V::tls1_3,   kNotSeed, {}},
  {0x080B, "rsa_pss_pss_sha512",     "TLS_SIGNATURE_SCHEME_RSA_PSS_PSS_SHA512",     "rsa_pss_pss_sha512",  "SIGN-RSA-PSS-SHA512",
           A::rsa_pss_pss, H::sha512, V::tls1_3,   kNotSeed, {}},
});
// clang-format on

}  // namespace

std::string_view name(SignatureAlgorithm algorithm) {
  switch (algorithm) {
    case SignatureAlgorithm::rsa_pkcs1:
      return "RSA-PKCS1";
    case SignatureAlgorithm::ecdsa:
      return "ECDSA";
    case SignatureAlgorithm::rsa_pss_rsae:
      return "RSA-PSS-RSAE";
    case SignatureAlgorithm::rsa_pss_pss:
      return "RSA-PSS-PSS";
  }
  return "?";
}

std::span<const SignatureScheme> all_signature_schemes() {
  return kSignatureSchemes;
}

const SignatureScheme* signature_scheme_by_code(std::uint16_t code) {
  const auto it = std::find_if(kSignatureSchemes.begin(), kSignatureSchemes.end(),
                               [code](const SignatureScheme& s) { return s.code == code; });
  return it != kSignatureSchemes.end() ? &*it : nullptr;
}

}  // namespace edgefetch::policy
