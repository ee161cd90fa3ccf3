// Candidates and names for enumeration. The policy catalogue names what the
// edge offers; the table below names what origins commonly speak beyond it, so
// that "the origin only speaks ECDHE-RSA-CHACHA20-POLY1305" can be said by
// name. Code points and names: the IANA TLS registry and OpenSSL 3.0's
// `openssl ciphers -stdname -V` (3DES/RC4 rows, which Debian's build lacks,
// from OpenSSL's ssl/s3_lib.c spellings).

#include "edgefetch/check/probe_catalogue.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::check {
namespace {

using V = policy::ProtocolVersion;
using Kx = SuiteKeyExchange;
using Au = SuiteAuthentication;

struct ExtraSuite {
  std::uint16_t code;
  std::string_view openssl_name;
  std::string_view rfc_name;
  Kx kx;
  Au auth;
  V min_version;
  V max_version;
};

// Known suites outside the policy, roughly strongest and most common first
// (the order matters only for servers that follow the client's preference:
// then it is the order in which enumeration finds them).
// clang-format off
constexpr auto kExtraSuites = std::to_array<ExtraSuite>({
  // TLS 1.3 suites the policy does not list.
  {0x1304, "TLS_AES_128_CCM_SHA256",          "TLS_AES_128_CCM_SHA256",                        Kx::tls13, Au::tls13_any, V::tls1_3, V::tls1_3},
  {0x1305, "TLS_AES_128_CCM_8_SHA256",        "TLS_AES_128_CCM_8_SHA256",                      Kx::tls13, Au::tls13_any, V::tls1_3, V::tls1_3},
  // ChaCha20-Poly1305 in TLS 1.2 (RFC 7905).
  {0xCCA9, "ECDHE-ECDSA-CHACHA20-POLY1305",   "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xCCA8, "ECDHE-RSA-CHACHA20-POLY1305",     "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",   Kx::ecdhe, Au::rsa,   V::tls1_2, V::tls1_2},
  {0xCCAA, "DHE-RSA-CHACHA20-POLY1305",       "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",     Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  // AES-CCM (RFC 6655, RFC 7251).
  {0xC0AC, "ECDHE-ECDSA-AES128-CCM",          "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",              Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xC0AD, "ECDHE-ECDSA-AES256-CCM",          "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",              Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xC0AE, "ECDHE-ECDSA-AES128-CCM8",         "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",            Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xC0AF, "ECDHE-ECDSA-AES256-CCM8",         "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",            Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xC09E, "DHE-RSA-AES128-CCM",              "TLS_DHE_RSA_WITH_AES_128_CCM",                  Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC09F, "DHE-RSA-AES256-CCM",              "TLS_DHE_RSA_WITH_AES_256_CCM",                  Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC0A2, "DHE-RSA-AES128-CCM8",             "TLS_DHE_RSA_WITH_AES_128_CCM_8",                Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC0A3, "DHE-RSA-AES256-CCM8",             "TLS_DHE_RSA_WITH_AES_256_CCM_8",                Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC09C, "AES128-CCM",                      "TLS_RSA_WITH_AES_128_CCM",                      Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC09D, "AES256-CCM",                      "TLS_RSA_WITH_AES_256_CCM",                      Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC0A0, "AES128-CCM8",                     "TLS_RSA_WITH_AES_128_CCM_8",                    Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC0A1, "AES256-CCM8",                     "TLS_RSA_WITH_AES_256_CCM_8",                    Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  // Finite-field DHE with RSA and DSS certificates.
  {0x009E, "DHE-RSA-AES128-GCM-SHA256",       "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",           Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x009F, "DHE-RSA-AES256-GCM-SHA384",       "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",           Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x0067, "DHE-RSA-AES128-SHA256",           "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",           Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x006B, "DHE-RSA-AES256-SHA256",           "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",           Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x0033, "DHE-RSA-AES128-SHA",              "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",              Kx::dhe,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0039, "DHE-RSA-AES256-SHA",              "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",              Kx::dhe,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0016, "DHE-RSA-DES-CBC3-SHA",            "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",             Kx::dhe,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x00A2, "DHE-DSS-AES128-GCM-SHA256",       "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",           Kx::dhe,   Au::dss,   V::tls1_2, V::tls1_2},
  {0x00A3, "DHE-DSS-AES256-GCM-SHA384",       "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",           Kx::dhe,   Au::dss,   V::tls1_2, V::tls1_2},
  {0x0040, "DHE-DSS-AES128-SHA256",           "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",           Kx::dhe,   Au::dss,   V::tls1_2, V::tls1_2},
  {0x006A, "DHE-DSS-AES256-SHA256",           "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",           Kx::dhe,   Au::dss,   V::tls1_2, V::tls1_2},
  {0x0032, "DHE-DSS-AES128-SHA",              "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",              Kx::dhe,   Au::dss,   V::ssl3,   V::tls1_2},
  {0x0038, "DHE-DSS-AES256-SHA",              "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",              Kx::dhe,   Au::dss,   V::ssl3,   V::tls1_2},
  {0x0013, "DHE-DSS-DES-CBC3-SHA",            "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",             Kx::dhe,   Au::dss,   V::ssl3,   V::tls1_2},
  // RSA key exchange beyond the policy.
  {0x003D, "AES256-SHA256",                   "TLS_RSA_WITH_AES_256_CBC_SHA256",               Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x0005, "RC4-SHA",                         "TLS_RSA_WITH_RC4_128_SHA",                      Kx::rsa,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0009, "DES-CBC-SHA",                     "TLS_RSA_WITH_DES_CBC_SHA",                      Kx::rsa,   Au::rsa,   V::ssl3,   V::tls1_1},
  // ECDHE with 3DES and RC4.
  {0xC008, "ECDHE-ECDSA-DES-CBC3-SHA",        "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",         Kx::ecdhe, Au::ecdsa, V::ssl3,   V::tls1_2},
  {0xC012, "ECDHE-RSA-DES-CBC3-SHA",          "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",           Kx::ecdhe, Au::rsa,   V::ssl3,   V::tls1_2},
  {0xC007, "ECDHE-ECDSA-RC4-SHA",             "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",              Kx::ecdhe, Au::ecdsa, V::ssl3,   V::tls1_2},
  {0xC011, "ECDHE-RSA-RC4-SHA",               "TLS_ECDHE_RSA_WITH_RC4_128_SHA",                Kx::ecdhe, Au::rsa,   V::ssl3,   V::tls1_2},
  // ARIA and Camellia.
  {0xC05C, "ECDHE-ECDSA-ARIA128-GCM-SHA256",  "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",      Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xC05D, "ECDHE-ECDSA-ARIA256-GCM-SHA384",  "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",      Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xC060, "ECDHE-ARIA128-GCM-SHA256",        "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",        Kx::ecdhe, Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC061, "ECDHE-ARIA256-GCM-SHA384",        "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",        Kx::ecdhe, Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC052, "DHE-RSA-ARIA128-GCM-SHA256",      "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",          Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC053, "DHE-RSA-ARIA256-GCM-SHA384",      "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384",          Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC050, "ARIA128-GCM-SHA256",              "TLS_RSA_WITH_ARIA_128_GCM_SHA256",              Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC051, "ARIA256-GCM-SHA384",              "TLS_RSA_WITH_ARIA_256_GCM_SHA384",              Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC072, "ECDHE-ECDSA-CAMELLIA128-SHA256",  "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",  Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xC073, "ECDHE-ECDSA-CAMELLIA256-SHA384",  "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",  Kx::ecdhe, Au::ecdsa, V::tls1_2, V::tls1_2},
  {0xC076, "ECDHE-RSA-CAMELLIA128-SHA256",    "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",    Kx::ecdhe, Au::rsa,   V::tls1_2, V::tls1_2},
  {0xC077, "ECDHE-RSA-CAMELLIA256-SHA384",    "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",    Kx::ecdhe, Au::rsa,   V::tls1_2, V::tls1_2},
  {0x00BE, "DHE-RSA-CAMELLIA128-SHA256",      "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",      Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x00C4, "DHE-RSA-CAMELLIA256-SHA256",      "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256",      Kx::dhe,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x00BA, "CAMELLIA128-SHA256",              "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",          Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x00C0, "CAMELLIA256-SHA256",              "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",          Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x0045, "DHE-RSA-CAMELLIA128-SHA",         "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",         Kx::dhe,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0088, "DHE-RSA-CAMELLIA256-SHA",         "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",         Kx::dhe,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0041, "CAMELLIA128-SHA",                 "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",             Kx::rsa,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0084, "CAMELLIA256-SHA",                 "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",             Kx::rsa,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0096, "SEED-SHA",                        "TLS_RSA_WITH_SEED_CBC_SHA",                     Kx::rsa,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0007, "IDEA-CBC-SHA",                    "TLS_RSA_WITH_IDEA_CBC_SHA",                     Kx::rsa,   Au::rsa,   V::ssl3,   V::tls1_1},
  // Anonymous and NULL suites: a server that accepts them is worth saying so.
  {0xC018, "AECDH-AES128-SHA",                "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",            Kx::ecdhe, Au::anonymous, V::ssl3, V::tls1_2},
  {0xC019, "AECDH-AES256-SHA",                "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",            Kx::ecdhe, Au::anonymous, V::ssl3, V::tls1_2},
  {0x00A6, "ADH-AES128-GCM-SHA256",           "TLS_DH_anon_WITH_AES_128_GCM_SHA256",           Kx::dhe,   Au::anonymous, V::tls1_2, V::tls1_2},
  {0x00A7, "ADH-AES256-GCM-SHA384",           "TLS_DH_anon_WITH_AES_256_GCM_SHA384",           Kx::dhe,   Au::anonymous, V::tls1_2, V::tls1_2},
  {0x0034, "ADH-AES128-SHA",                  "TLS_DH_anon_WITH_AES_128_CBC_SHA",              Kx::dhe,   Au::anonymous, V::ssl3, V::tls1_2},
  {0x003A, "ADH-AES256-SHA",                  "TLS_DH_anon_WITH_AES_256_CBC_SHA",              Kx::dhe,   Au::anonymous, V::ssl3, V::tls1_2},
  {0xC006, "ECDHE-ECDSA-NULL-SHA",            "TLS_ECDHE_ECDSA_WITH_NULL_SHA",                 Kx::ecdhe, Au::ecdsa, V::ssl3,   V::tls1_2},
  {0xC010, "ECDHE-RSA-NULL-SHA",              "TLS_ECDHE_RSA_WITH_NULL_SHA",                   Kx::ecdhe, Au::rsa,   V::ssl3,   V::tls1_2},
  {0x003B, "NULL-SHA256",                     "TLS_RSA_WITH_NULL_SHA256",                      Kx::rsa,   Au::rsa,   V::tls1_2, V::tls1_2},
  {0x0002, "NULL-SHA",                        "TLS_RSA_WITH_NULL_SHA",                         Kx::rsa,   Au::rsa,   V::ssl3,   V::tls1_2},
  {0x0001, "NULL-MD5",                        "TLS_RSA_WITH_NULL_MD5",                         Kx::rsa,   Au::rsa,   V::ssl3,   V::tls1_2},
});

struct ExtraScheme {
  std::uint16_t code;
  std::string_view name;
  bool rsa;  // usable with an RSA certificate (else: ECDSA / EdDSA, i.e. ECDHE_ECDSA suites)
};

// Signature schemes outside the policy catalogue (RFC 8422 EdDSA, RFC 8734
// brainpool, and the RFC 5246 MD5 pairs a broken server might still choose).
constexpr auto kExtraSchemes = std::to_array<ExtraScheme>({
  {0x0807, "ed25519", false},
  {0x0808, "ed448", false},
  {0x081A, "ecdsa_brainpoolP256r1tls13_sha256", false},
  {0x081B, "ecdsa_brainpoolP384r1tls13_sha384", false},
  {0x081C, "ecdsa_brainpoolP512r1tls13_sha512", false},
  {0x0101, "rsa_md5", true},
  {0x0103, "ecdsa_md5", false},
});
// clang-format on

SuiteNames from_policy(const policy::CipherSuite& suite) {
  SuiteNames names;
  names.code = suite.code;
  names.openssl_name = suite.openssl_name;
  names.rfc_name = suite.rfc_name;
  switch (suite.key_exchange) {
    case policy::KeyExchange::rsa:
      names.key_exchange = Kx::rsa;
      break;
    case policy::KeyExchange::ecdhe:
      names.key_exchange = Kx::ecdhe;
      break;
    case policy::KeyExchange::tls13:
      names.key_exchange = Kx::tls13;
      break;
  }
  switch (suite.authentication) {
    case policy::Authentication::rsa:
      names.authentication = Au::rsa;
      break;
    case policy::Authentication::ecdsa:
      names.authentication = Au::ecdsa;
      break;
    case policy::Authentication::tls13_any:
      names.authentication = Au::tls13_any;
      break;
  }
  names.min_version = suite.min_version;
  names.max_version = suite.max_version;
  names.in_policy = true;
  return names;
}

SuiteNames from_extra(const ExtraSuite& suite) {
  SuiteNames names;
  names.code = suite.code;
  names.openssl_name = suite.openssl_name;
  names.rfc_name = suite.rfc_name;
  names.key_exchange = suite.kx;
  names.authentication = suite.auth;
  names.min_version = suite.min_version;
  names.max_version = suite.max_version;
  names.in_policy = false;
  return names;
}

bool valid_in(const SuiteNames& suite, V version) {
  return suite.min_version <= version && version <= suite.max_version;
}

}  // namespace

std::string_view name(SuiteKeyExchange key_exchange) {
  switch (key_exchange) {
    case Kx::rsa:
      return "RSA";
    case Kx::ecdhe:
      return "ECDHE";
    case Kx::dhe:
      return "DHE";
    case Kx::tls13:
      return "any";
    case Kx::other:
      break;
  }
  return "other";
}

std::string_view name(SuiteAuthentication authentication) {
  switch (authentication) {
    case Au::rsa:
      return "RSA";
    case Au::ecdsa:
      return "ECDSA";
    case Au::dss:
      return "DSS";
    case Au::anonymous:
      return "anonymous";
    case Au::tls13_any:
      return "any";
    case Au::other:
      break;
  }
  return "other";
}

std::optional<SuiteNames> find_suite_names(std::string_view any_spelling) {
  const std::string_view wanted = base::trim_whitespace(any_spelling);
  if (const policy::CipherSuite* suite = policy::find_cipher_suite(wanted)) return from_policy(*suite);
  const auto it = std::find_if(kExtraSuites.begin(), kExtraSuites.end(), [wanted](const ExtraSuite& s) {
    return base::iequals(s.openssl_name, wanted) || base::iequals(s.rfc_name, wanted);
  });
  if (it != kExtraSuites.end()) return from_extra(*it);
  if (const auto code = policy::parse_code_point(wanted)) return suite_names(*code);
  return std::nullopt;
}

std::optional<SuiteNames> suite_names(std::uint16_t code) {
  if (const policy::CipherSuite* suite = policy::cipher_suite_by_code(code)) return from_policy(*suite);
  const auto it = std::find_if(kExtraSuites.begin(), kExtraSuites.end(),
                               [code](const ExtraSuite& s) { return s.code == code; });
  if (it != kExtraSuites.end()) return from_extra(*it);
  return std::nullopt;
}

std::string rfc_name_or_code(std::uint16_t code) {
  if (auto names = suite_names(code)) return std::string(names->rfc_name);
  return policy::format_code_point(code);
}

std::string openssl_name_or_code(std::uint16_t code) {
  if (auto names = suite_names(code)) return std::string(names->openssl_name);
  return policy::format_code_point(code);
}

std::vector<std::uint16_t> candidate_suites(policy::ProtocolVersion version) {
  std::vector<std::uint16_t> out;
  for (const policy::CipherSuite& suite : policy::all_cipher_suites()) {
    if (suite.valid_in(version)) out.push_back(suite.code);
  }
  for (const ExtraSuite& suite : kExtraSuites) {
    if (valid_in(from_extra(suite), version)) out.push_back(suite.code);
  }
  return out;
}

std::vector<std::uint16_t> candidate_groups() {
  std::vector<std::uint16_t> out;
  for (const policy::NamedGroup& group : policy::all_named_groups()) {
    if (group.in_policy) out.push_back(group.code);
  }
  for (const policy::NamedGroup& group : policy::all_named_groups()) {
    if (!group.in_policy) out.push_back(group.code);
  }
  return out;
}

std::vector<std::uint16_t> candidate_ecdhe_groups() {
  std::vector<std::uint16_t> out;
  for (std::uint16_t code : candidate_groups()) {
    const policy::NamedGroup* group = policy::named_group_by_code(code);
    if (group != nullptr && group->is_ecdh) out.push_back(code);
  }
  return out;
}

std::vector<std::uint16_t> candidate_signature_schemes() {
  std::vector<std::uint16_t> out;
  for (const policy::SignatureScheme& scheme : policy::all_signature_schemes()) out.push_back(scheme.code);
  for (const ExtraScheme& scheme : kExtraSchemes) out.push_back(scheme.code);
  return out;
}

std::vector<std::uint16_t> candidate_signature_schemes_for(bool rsa_certificate) {
  std::vector<std::uint16_t> out;
  for (const policy::SignatureScheme& scheme : policy::all_signature_schemes()) {
    const bool rsa = scheme.algorithm != policy::SignatureAlgorithm::ecdsa;
    if (rsa == rsa_certificate) out.push_back(scheme.code);
  }
  for (const ExtraScheme& scheme : kExtraSchemes) {
    if (scheme.rsa == rsa_certificate) out.push_back(scheme.code);
  }
  return out;
}

std::string_view extra_signature_scheme_name(std::uint16_t code) {
  const auto it = std::find_if(kExtraSchemes.begin(), kExtraSchemes.end(),
                               [code](const ExtraScheme& s) { return s.code == code; });
  return it != kExtraSchemes.end() ? it->name : std::string_view{};
}

std::optional<std::uint16_t> find_extra_signature_scheme(std::string_view any_spelling) {
  const std::string_view wanted = base::trim_whitespace(any_spelling);
  const auto it = std::find_if(kExtraSchemes.begin(), kExtraSchemes.end(),
                               [wanted](const ExtraScheme& s) { return base::iequals(s.name, wanted); });
  if (it != kExtraSchemes.end()) return it->code;
  const auto code = policy::parse_code_point(wanted);
  if (code && !extra_signature_scheme_name(*code).empty()) return code;
  return std::nullopt;
}

std::string group_name_or_code(std::uint16_t code) {
  if (const policy::NamedGroup* group = policy::named_group_by_code(code)) return std::string(group->name);
  return policy::format_code_point(code);
}

std::string signature_scheme_name_or_code(std::uint16_t code) {
  if (const policy::SignatureScheme* scheme = policy::signature_scheme_by_code(code)) {
    return std::string(scheme->iana_name);
  }
  if (std::string_view name = extra_signature_scheme_name(code); !name.empty()) return std::string(name);
  return policy::format_code_point(code);
}

std::optional<std::uint16_t> group_for_curve_name(std::string_view curve) {
  for (const policy::NamedGroup& group : policy::all_named_groups()) {
    if (!group.is_ecdh) continue;
    if (group.name == curve || group.iana_name == curve) return group.code;
    for (std::string_view alias : group.aliases) {
      if (alias == curve) return group.code;
    }
  }
  return std::nullopt;
}

}  // namespace edgefetch::check
