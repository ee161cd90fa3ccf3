#pragma once
// `edgefetch ciphers translate`: what one query names. The policy catalogue
// first (what the CDN's profiles offer); then what `check` names when an origin
// speaks it although no profile offers it (CHACHA20 and DHE in TLS 1.2, AES-CCM,
// Ed25519, ...; check/probe_catalogue.hpp); then the renegotiation SCSV, which
// `ciphers` lists after the suites.
//
// JSON (ciphers_views.hpp has the rest of the schema): { "query": str, "matches": [Match] },
// and for a query that names nothing also "error": str (with "matches": []). Match kinds
// beyond the catalogue's:
//   { "kind": "other_cipher_suite", "other_cipher_suite": { "openssl": str, "rfc": str,
//       "code": "0xCCA8", "key_exchange": "ECDHE"|"DHE"|"RSA"|"any", "authentication":
//       "RSA"|"ECDSA"|"DSS"|"anonymous"|"any", "min_version": str, "max_version": str } }
//   { "kind": "other_signature_scheme", "other_signature_scheme": { "name": "ed25519",
//       "code": "0x0807" } }
//   { "kind": "scsv", "scsv": { "rfc": "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "code": "0x00FF" } }

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ciphers_views.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "terminal.hpp"

namespace edgefetch::cli::ciphers {

/// A signature scheme check can name that no profile offers.
struct OtherSignatureScheme {
  std::uint16_t code = 0;
  std::string_view name;
};

/// Everything one query names, in the order it is shown.
struct Translation {
  std::vector<policy::CatalogEntry> catalogued;
  std::optional<check::SuiteNames> other_suite;  // not in the catalogue: no profile offers it
  bool renegotiation_scsv = false;
  std::optional<OtherSignatureScheme> other_scheme;

  [[nodiscard]] bool empty() const {
    return catalogued.empty() && !other_suite && !renegotiation_scsv && !other_scheme;
  }
};

Translation translate(std::string_view query);

/// Why `query` names nothing, in one line (no "edgefetch: " prefix): for a
/// name the nearest names, if any; for a code point, that nothing has it.
std::string unknown_query_message(std::string_view query);

Json translation_json(std::string_view query, const Translation& translation);
/// One block per match, separated by blank lines.
void print_translation(std::ostream& out, std::string_view query, const Translation& translation,
                       const terminal::Painter& painter);

}  // namespace edgefetch::cli::ciphers
