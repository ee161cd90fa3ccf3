#pragma once
// The result of checking one origin, or every origin of a distribution, and
// its JSON form (`edgefetch check --json`). The JSON schema is stable: fields
// are only ever added.
//
// One origin:
//   verdict          "compatible" | "incompatible" | "unreachable"  (under the primary profile,
//                    settings.profile: the one the exit code follows)
//   target           {host, port, server_name, host_header (null unless forwarded),
//                     addresses ["127.0.0.1:443"], resolved_by ("DNS", "--resolve", "literal"),
//                     connected_to (null when no connection)}
//   settings         {origin_ssl_protocols ["TLSv1.2"], accepted_versions ("TLSv1.2" or
//                     "SSLv3 to TLSv1.2"), profile, connection_timeout_s, connection_attempts,
//                     trust_store}
//   reasons          [{code, message, fix}]  (empty exactly when compatible; codes: reason.hpp)
//   negotiated       null | {version {name, code}, cipher {openssl, rfc, code},
//                     group {name, code} | null, signature_scheme {name, code} | null,
//                     extended_master_secret, secure_renegotiation (bool; null on TLS 1.3,
//                     which has neither), hello_retry_request (bool)}
//   verdicts         [{profile, role ("primary" | "comparison"), verdict, reasons [{code, message,
//                      fix}], negotiated (as above), not_tried (null | why no handshake was made)}]
//                    one entry per profile judged, the primary first (it repeats verdict, reasons
//                    and negotiated above); the comparison (by default cloudfront-2025 next to the
//                    documented policy, see profile_comparison.hpp) is one more handshake with the
//                    same settings, not tried when the origin was unreachable
//   verdicts_summary null | one sentence when one profile connects and the other does not
//   certificate      null | {source ("handshake" | "enumeration" | "comparison": the other profile's
//                    handshake, when only it read one), subject, issuer, not_before,
//                     not_after, days_to_expiry, san [...], key, signature_algorithm
//                     ("sha256WithRSAEncryption"), checked_name,
//                     chain [{subject, issuer, not_after, signature_algorithm}], verified_path [...],
//                     problems [{code, message}]}
//   supported        null (enumeration skipped) | {
//                     versions [{name, code, accepted, refusal, alert (name | null), detail,
//                                complete}],                         lowest first, SSLv3..TLSv1.3
//                     suites_by_version {"TLSv1.2": [{openssl, rfc, code, in_policy, offered_by}], ...}
//                                                                  (accepted versions; server order
//                                                                   when server_preference is "yes")
//                     server_preference {"TLSv1.2": "yes" | "no" | "unknown", ...}
//                     groups [{name, code, in_policy, offered_by}] (TLS <= 1.2 ECDHE)
//                     groups_server_preference "yes" | "no" | "unknown"
//                     tls13_groups [{name, code, in_policy, offered_by}]
//                     signature_schemes [{name, code, in_policy, offered_by}]  (TLS 1.2, RSA then ECDSA)
//                       offered_by: the catalogued profiles whose offer (under the report's
//                       OriginSslProtocols) has it; in_policy, kept as it was, differs by kind:
//                       suites: in the policy catalogue; groups: a documented curve; schemes:
//                       in the documented table (rsa_pss_rsae_* false though 2025 offers them)
//                     signature_schemes_by_key {rsa [...], ecdsa [...]}
//                     ecdsa_certificate_curve {name, code} | null
//                     sni {changes_certificate "yes" | "no" | "unknown", without_sni_detail}
//                     secure_renegotiation, extended_master_secret   ("yes" | "no" | "unknown")
//                     complete (bool: every list is complete)}
//   edge_by_setting  [{origin_ssl_protocols ("SSLv3" | "TLSv1" | "TLSv1.1" | "TLSv1.2"), selected,
//                      result ("compatible" | "incompatible" | "unknown"), reasons [codes],
//                      version, cipher, group, signature_scheme (as in negotiated, or null),
//                      certain, detail}]                  (empty when enumeration was skipped)
//   warnings         [{code, message}]
//   notes            [string]
//   attempts         [{address, outcome, ms}]            (the verdict handshake's TCP attempts)
//   probes           TCP connections made in all (verdict handshake + enumeration)
//   elapsed_ms
// Many origins (--distribution-config):
//   verdict          the worst of the checked origins (unreachable > incompatible > compatible;
//                    "compatible" when none was checked)
//   source           {file, format}
//   origins          [{id, domain_name, status ("checked" | "skipped"), skip_reason (skipped),
//                      notes [...], and for checked origins every field above}]
//   counts           {checked, skipped, compatible, incompatible, unreachable}  (primary verdicts)
//   counts_by_profile [{profile, role, compatible, incompatible, unreachable}]  (primary first)
//   config_warnings  [string]
//   probes, elapsed_ms
// Code points are hex strings ("0x0303", "0xC02F").

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "edgefetch/check/diagnosis.hpp"
#include "edgefetch/check/profile_comparison.hpp"
#include "edgefetch/check/supported.hpp"
#include "edgefetch/check/verdict.hpp"

namespace edgefetch::check {

struct CheckReport {
  OriginTarget target;
  EdgeSettings settings;
  VerdictHandshake handshake;
  std::optional<SupportedSummary> supported;  // absent when enumeration did not run
  std::string enumeration_skipped;            // why not, when it did not ("--no-enumerate", ...)
  Diagnosis diagnosis;
  /// The verdict under a second profile (profile_comparison.hpp), when one was
  /// asked for. The primary verdict above (settings.profile) stays the verdict.
  std::optional<ComparedVerdict> comparison;
  int probes = 0;  // TCP connections: the verdict handshakes' attempts plus enumeration's probes
  std::int64_t elapsed_ms = 0;

  [[nodiscard]] Verdict verdict() const { return diagnosis.verdict; }
};

struct OriginCheck {
  std::string id;  // the origin's Id ("dist/Id" when the input has several distributions)
  std::string domain_name;
  bool skipped = false;
  std::string skip_reason;
  std::vector<std::string> notes;     // settings worth knowing (Host forwarding, defaults, match-viewer)
  std::optional<CheckReport> report;  // set for checked origins
};

/// How many checked origins got each verdict under one profile.
struct ProfileCounts {
  const policy::Profile* profile = nullptr;
  bool primary = true;  // the profile the verdict follows, or the comparison
  int compatible = 0;
  int incompatible = 0;
  int unreachable = 0;
};

struct DistributionReport {
  std::string file;
  std::string format;  // config::to_string(SourceFormat)
  std::vector<OriginCheck> origins;
  std::vector<std::string> config_warnings;
  Verdict verdict = Verdict::compatible;
  int probes = 0;
  std::int64_t elapsed_ms = 0;

  [[nodiscard]] int count(Verdict wanted) const;
  [[nodiscard]] int checked() const;
  /// The primary profile's counts first, then the comparison profile's (when
  /// origins were compared); one entry per profile and role.
  [[nodiscard]] std::vector<ProfileCounts> counts_by_profile() const;
};

nlohmann::ordered_json report_json(const CheckReport& report);
nlohmann::ordered_json distribution_json(const DistributionReport& report);

}  // namespace edgefetch::check
