#pragma once
// What an origin supports, as found by enumeration (check/enumerate.hpp): the
// protocol versions it accepts, the suites it accepts in each (in its own
// preference order when it has one), the groups and TLS 1.2 signature schemes
// it uses, and the certificates it presents with and without SNI. Plain data:
// every value here was read from something the server sent; nothing is
// inferred from what a typical server would do.
//
// Code points are IANA values (suites, groups, schemes). Names come from
// policy::cipher_suite_by_code / named_group_by_code / signature_scheme_by_code,
// and for what the policy does not catalogue, from check/probe_catalogue.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::check {

/// A yes/no answer that enumeration could not always establish.
enum class Tristate { unknown, yes, no };

/// "unknown", "yes", "no".
std::string_view tristate_name(Tristate value);

/// How the server answered the probe that found a version not accepted (or
/// why it could not be established).
enum class Refusal {
  none,   // the version is accepted
  alert,  // fatal alert (alert_description says which, typically protocol_version or handshake_failure)
  lower_version,   // a ServerHello for a lower version: the server's maximum is below this one
  closed,          // connection closed (FIN or RST) without an answer
  not_tls,         // the answer was not TLS (plain HTTP, SSLv2, garbage)
  timeout,         // no answer within the probe deadline
  connect_failed,  // TCP connection failed
  malformed,       // the answer was TLS but malformed or illegal (see detail)
};

/// "none", "alert", "lower_version", ...
std::string_view refusal_name(Refusal refusal);

struct VersionSupport {
  policy::ProtocolVersion version = policy::ProtocolVersion::tls1_2;
  bool accepted = false;
  /// When not accepted: how the server refused.
  Refusal refusal = Refusal::none;
  std::optional<std::uint8_t> alert_description;  // Refusal::alert
  std::optional<std::uint16_t> answered_version;  // Refusal::lower_version: what the server chose
  std::string detail;                             // one line, for the other refusals

  /// The suites the server accepted in this version. With server_preference ==
  /// yes, in the server's order (most preferred first); otherwise in the order
  /// enumeration found them (the probe's offer order).
  std::vector<std::uint16_t> cipher_suites;
  /// yes: the server picks by its own order; no: it follows the client's order;
  /// unknown: fewer than two suites, or the answers were inconsistent.
  Tristate server_preference = Tristate::unknown;
  /// False when enumeration stopped early (timeouts, connection failures,
  /// probe budget), so the list may be missing suites.
  bool complete = true;
};

/// A certificate chain as the server sent it (TLS <= 1.2 only: TLS 1.3 encrypts it).
struct CertificateObservation {
  bool with_sni = true;     // the ClientHello carried server_name
  std::string server_name;  // the SNI value sent (empty without SNI)
  policy::ProtocolVersion version = policy::ProtocolVersion::tls1_2;  // of the handshake it came in
  std::uint16_t cipher_suite = 0;  // the suite it came with (its authentication: RSA or ECDSA)
  std::vector<std::vector<std::uint8_t>> chain_der;  // leaf first, exactly as sent
};

struct SupportedSummary {
  /// One entry per probed version, lowest first: SSLv3, TLS 1.0, 1.1, 1.2, 1.3.
  std::vector<VersionSupport> versions;

  /// ECDHE groups the server used in TLS <= 1.2 (read from ServerKeyExchange),
  /// server's order when groups_server_preference == yes, else discovery order.
  std::vector<std::uint16_t> groups;
  Tristate groups_server_preference = Tristate::unknown;
  /// The version the TLS 1.2-style group enumeration ran in (nullopt: no ECDHE suite accepted).
  std::optional<policy::ProtocolVersion> groups_version;
  bool groups_complete = true;
  /// Finite-field DHE suites (TLS <= 1.2, explicit parameters): the size of the
  /// server's prime in bits, read from a ServerKeyExchange (nullopt: no DHE suite accepted).
  std::optional<int> dhe_prime_bits;
  /// Groups the server selected in TLS 1.3 (ServerHello key_share or HelloRetryRequest),
  /// in the order enumeration found them.
  std::vector<std::uint16_t> tls13_groups;
  bool tls13_groups_complete = true;

  /// TLS 1.2 ServerKeyExchange signature schemes, per certificate type the server
  /// has (found with ECDHE_RSA and ECDHE_ECDSA suites), in the order enumeration
  /// found them: each is the server's choice among the schemes still offered.
  std::vector<std::uint16_t> signature_schemes_rsa;
  std::vector<std::uint16_t> signature_schemes_ecdsa;
  bool signature_schemes_complete = true;
  /// Set when the server signed with a scheme the ClientHello did not offer
  /// (RFC 5246 §7.4.1.4.1 forbids it): the scheme it used.
  std::optional<std::uint16_t> unsolicited_signature_scheme;
  /// Union of the two lists above, RSA first (for reports that do not split by key type).
  [[nodiscard]] std::vector<std::uint16_t> signature_schemes() const;

  /// Certificates seen: the first with SNI for each key type, and one without SNI.
  std::vector<CertificateObservation> certificates;
  /// yes: without SNI the server sent a different chain than with SNI; no: the
  /// same; unknown: no comparable pair (e.g. TLS 1.3-only server, or no answer without SNI).
  Tristate sni_changes_certificate = Tristate::unknown;
  /// How the server answered a ClientHello without SNI when it did not send a certificate.
  std::string without_sni_detail;

  /// The curve (as a group code: 23, 24, 25) of the ECDSA leaf sent with SNI, if any.
  std::optional<std::uint16_t> ecdsa_certificate_curve;

  /// Protocol facts seen in TLS <= 1.2 ServerHellos.
  Tristate secure_renegotiation = Tristate::unknown;    // renegotiation_info answered
  Tristate extended_master_secret = Tristate::unknown;  // extended_master_secret answered

  /// Connections made (probes) and the wall time of the whole enumeration.
  int probes = 0;
  std::int64_t elapsed_ms = 0;
  /// Things that went wrong during enumeration that a report may mention (one line each).
  std::vector<std::string> notes;

  [[nodiscard]] const VersionSupport* find(policy::ProtocolVersion version) const;
  [[nodiscard]] bool accepts(policy::ProtocolVersion version) const;
  /// The accepted versions, lowest first.
  [[nodiscard]] std::vector<policy::ProtocolVersion> accepted_versions() const;
};

}  // namespace edgefetch::check
