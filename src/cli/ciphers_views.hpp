#pragma once
// What `edgefetch ciphers` prints: the JSON documents and the text tables, built
// from the policy catalogue. Kept apart from the CLI wiring so that other
// commands (get -v, check) can show suites, groups and schemes the same way.
//
// JSON schema (every key always present, in this order; versions use OpenSSL's
// spellings "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"; code points are
// strings "0xC02F"):
//
// `ciphers --json` (the offer):
//   { "profile": "cloudfront", "description": str,
//     "origin_ssl_protocols": [str] (normalized, duplicates dropped; [] when not given),
//     "selection_had_gaps": bool, "min_version": str (floor), "max_version": str (ceiling),
//     "cipher_suites": [Suite + {"usable_min_version": str|null, "usable_max_version": str|null:
//                      the suite's versions within the floor and ceiling, the table's "Versions"}],
//     "groups": [Group], "signature_schemes": [Scheme],
//     "renegotiation_scsv": {"rfc": str, "code": "0x00FF"}|null (sent after the suites unless
//                      the offer is TLS 1.3 only), "floor_raised_by_profile": bool (the profile
//                      refuses the selection's lowest version, so the floor is higher) }
// Suite:  { "order": int (1-based), "openssl": str, "rfc": str, "gnutls": str, "jsse": str,
//           "code": "0xC02F", "key_exchange": "ECDHE"|"RSA"|"any",
//           "authentication": "RSA"|"ECDSA"|"any", "cipher": "AES-128-GCM", "mac": "AEAD"|"SHA1"|...,
//           "prf_hash": "SHA256"|"SHA384" (the TLS 1.2 PRF's; before TLS 1.2 it is MD5+SHA-1),
//           "min_version": str, "max_version": str,
//           "legacy": bool, "in_seed_table": bool }
// Group:  { "order": int, "name": "P-256", "iana_name": "secp256r1", "code": "0x0017", "id": 23,
//           "aliases": [str], "kind": "ECDHE"|"FFDHE", "in_policy": bool }
// Scheme: { "order": int, "iana_name": str, "seed_name": str, "openssl": str, "gnutls": str,
//           "aliases": [str], "code": "0x0401", "algorithm":
//           "RSA-PKCS1"|"ECDSA"|"RSA-PSS-RSAE"|"RSA-PSS-PSS", "hash": "SHA256", "max_version": str,
//           "in_seed_table": bool }
// `ciphers groups --json`:  { "profile": str|null (null with --all), "groups": [Group] }
// `ciphers sigalgs --json`: { "profile": str|null, "signature_schemes": [Scheme] }
// `ciphers profiles --json`: { "default": "cloudfront", "profiles": [ { "name", "aliases": [str],
//           "description", "min_version", "max_version", "default": bool,
//           "cipher_suites": ["0xC02C", ...], "groups": ["P-256", ...], "signature_schemes":
//           ["rsa_pkcs1_sha256", ...] } ] }
// `ciphers translate --json NAME...`: { "results": [ { "query": str,
//           "matches": [ { "kind": "cipher_suite", "cipher_suite": Suite } |
//                        { "kind": "group", "group": Group } |
//                        { "kind": "signature_scheme", "signature_scheme": Scheme } |
//                        the kinds beyond the catalogue in ciphers_translate.hpp ],
//           "error": str (only when matches is empty) } ] }
//   (translate's "order" fields are catalogue positions; one result per query, in order.)

#include <cstddef>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/profile.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::ciphers {

using Json = nlohmann::ordered_json;

Json suite_json(const policy::CipherSuite& suite, std::size_t order);
Json group_json(const policy::NamedGroup& group, std::size_t order);
Json scheme_json(const policy::SignatureScheme& scheme, std::size_t order);
Json offer_json(const policy::Offer& offer, std::span<const policy::ProtocolVersion> selection);
Json profiles_json();
/// One of translate's "matches": {"kind", <kind>: Suite | Group | Scheme}.
Json catalogue_entry_json(const policy::CatalogEntry& entry);

/// The offer's suites as a table (#, names, code point, usable versions, notes),
/// preceded by a heading and followed by the groups and signature schemes.
void print_offer(std::ostream& out, const policy::Offer& offer,
                 std::span<const policy::ProtocolVersion> selection, const terminal::Painter& painter);
/// Colon-separated OpenSSL names of the offer's TLS 1.2-and-older suites
/// (a cipher string for `openssl ciphers` / `openssl s_client -cipher`).
std::string openssl_cipher_string(const policy::Offer& offer);
/// The offer's TLS 1.3 suites in OpenSSL's -ciphersuites syntax (empty when none).
std::string openssl_tls13_ciphersuites(const policy::Offer& offer);
/// What OpenSSL 3 makes of the cipher string's 3DES and RC4 suites (it drops
/// them without an error), or "" when the offer has neither.
std::string openssl_legacy_note(const policy::Offer& offer);

void print_groups(std::ostream& out, const std::vector<const policy::NamedGroup*>& groups,
                  bool show_policy_column, const terminal::Painter& painter);
void print_signature_schemes(std::ostream& out, const std::vector<const policy::SignatureScheme*>& schemes,
                             bool show_seed_column, const terminal::Painter& painter);
void print_profiles(std::ostream& out, const terminal::Painter& painter);
/// Translate's block for a catalogued suite, group or scheme: every spelling and property.
void print_catalogue_entry(std::ostream& out, std::string_view query, const policy::CatalogEntry& match,
                           const terminal::Painter& painter);
/// "0xC0,0x2F": the two-byte spelling of RFC tables.
std::string byte_pair(std::uint16_t code);

}  // namespace edgefetch::cli::ciphers
