#pragma once
// The candidates enumeration offers, and names for everything an origin may
// choose: the policy's catalogue first, then a table of suites, groups and
// signature schemes that are known but not in the policy (CHACHA20 in TLS 1.2,
// DHE, AES-CCM, ECDHE with 3DES/RC4, ...), so a report can name what an origin
// speaks even when the edge cannot.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::check {

enum class SuiteKeyExchange { rsa, ecdhe, dhe, tls13, other };
enum class SuiteAuthentication { rsa, ecdsa, dss, anonymous, tls13_any, other };

/// Names and properties of a suite, from the policy catalogue or the local table.
struct SuiteNames {
  std::uint16_t code = 0;
  std::string_view openssl_name;  // "ECDHE-RSA-CHACHA20-POLY1305"
  std::string_view rfc_name;      // "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
  SuiteKeyExchange key_exchange = SuiteKeyExchange::other;
  SuiteAuthentication authentication = SuiteAuthentication::other;
  policy::ProtocolVersion min_version = policy::ProtocolVersion::ssl3;
  policy::ProtocolVersion max_version = policy::ProtocolVersion::tls1_2;
  bool in_policy = false;  // catalogued by policy (cipher_suite_by_code finds it)
};

/// "ECDHE", "DHE", "RSA", "any" (TLS 1.3), "other".
std::string_view name(SuiteKeyExchange key_exchange);
/// "RSA", "ECDSA", "DSS", "anonymous", "any" (TLS 1.3), "other".
std::string_view name(SuiteAuthentication authentication);

/// Names of any suite enumeration can report; nullopt for codes neither table knows.
std::optional<SuiteNames> suite_names(std::uint16_t code);
/// The same, found by OpenSSL or RFC name (case-insensitive) or by code point
/// ("0xCCA8", "{0xCC,0xA8}"): how `ciphers translate` finds what check names.
std::optional<SuiteNames> find_suite_names(std::string_view any_spelling);
/// "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", or "0xC0FF" for unknown codes.
std::string rfc_name_or_code(std::uint16_t code);
/// "ECDHE-RSA-AES128-GCM-SHA256", or "0xC0FF" for unknown codes.
std::string openssl_name_or_code(std::uint16_t code);

/// Every suite valid in `version` that enumeration offers: the policy's, then
/// the local table's (policy suites first, each table in its own order).
std::vector<std::uint16_t> candidate_suites(policy::ProtocolVersion version);

/// Groups offered for enumeration: the policy's, then P-521, X448, FFDHE 2048..8192.
std::vector<std::uint16_t> candidate_groups();
/// ECDH groups only (what a TLS 1.2 ECDHE ServerKeyExchange can name).
std::vector<std::uint16_t> candidate_ecdhe_groups();

/// TLS 1.2 signature schemes offered for enumeration: the policy catalogue's,
/// then Ed25519/Ed448 and the other RFC 5246 hash/signature pairs.
std::vector<std::uint16_t> candidate_signature_schemes();
/// The subset usable with an RSA (true) or an ECDSA (false) certificate.
std::vector<std::uint16_t> candidate_signature_schemes_for(bool rsa_certificate);

/// Name of a signature scheme outside the policy ("ed25519", "rsa_md5"); empty when unknown.
std::string_view extra_signature_scheme_name(std::uint16_t code);
/// The code of a signature scheme outside the policy, by name (case-insensitive) or code point.
std::optional<std::uint16_t> find_extra_signature_scheme(std::string_view any_spelling);
/// Name of a group for display: policy name, or "0xNNNN".
std::string group_name_or_code(std::uint16_t code);
/// Name of a signature scheme for display: policy IANA name, local name, or "0xNNNN".
std::string signature_scheme_name_or_code(std::uint16_t code);

/// The TLS group code of a named curve as crypto::CertificateInfo::key_curve spells it ("P-256" -> 23).
std::optional<std::uint16_t> group_for_curve_name(std::string_view curve);

}  // namespace edgefetch::check
