#pragma once
// Why the edge cannot talk to an origin (reasons) and what is worth knowing
// even when it can (warnings). Codes are part of the `check --json` schema:
// reason_code_name / warning_code_name spellings never change once released.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgefetch::check {

enum class ReasonCode {
  // Incompatible: the edge reaches the origin but cannot complete a handshake.
  no_shared_version,           // no protocol version both accept (under the OriginSslProtocols setting)
  tls13_only,                  // the origin speaks only TLS 1.3, which the documented policy does not offer
  no_shared_cipher,            // no cipher suite both accept in the version the origin picks
  no_shared_group,             // ECDHE needs a curve both accept (incl. the ECDSA certificate's curve)
  no_shared_signature_scheme,  // the origin signs only with schemes the edge does not offer
  cert_untrusted,              // the chain does not lead to a trusted root (self-signed included)
  cert_expired,
  cert_not_yet_valid,
  cert_name_mismatch,
  cert_incomplete_chain,  // an intermediate is missing
  cert_key_unsupported,   // key type, size or curve the edge cannot use
  cert_invalid,           // unparsable certificate or another X.509 failure
  not_tls,                // the port does not speak TLS (e.g. plain HTTP)
  server_alert,           // the origin aborted with an alert not explained by the above
  connection_closed,      // the origin closed the connection during the handshake
  protocol_error,         // the origin broke the protocol (bad signature, bad message, ...)
  /// The origin requires a client certificate; the edge sends none unless the
  /// origin is configured for origin mTLS (facts §2.5).
  client_certificate_required,
  // Unreachable: no TLS conversation took place.
  dns_failure,
  connection_refused,
  connect_timeout,
  host_unreachable,
  connection_reset,  // reset while connecting; also (verdict incompatible) a reset during the handshake
  connect_failed,
  tls_handshake_timeout,  // TCP connected, but the origin did not answer the ClientHello in time
};

/// "no_shared_version", "cert_expired", ...
std::string_view reason_code_name(ReasonCode code);
/// True for the codes that make a verdict "unreachable" rather than "incompatible"
/// (connection_reset does only while connecting: a reset during the handshake is
/// the origin refusing the edge's ClientHello).
bool is_unreachable_reason(ReasonCode code);
/// True for the cert_* codes.
bool is_certificate_reason(ReasonCode code);

struct Reason {
  ReasonCode code = ReasonCode::protocol_error;
  std::string message;  // plain language: what the origin did, with the values involved
  std::string fix;      // what to change, concretely (config lines where they help)
};

enum class WarningCode {
  cert_expiring_soon,  // the leaf expires within 30 days
  legacy_version,      // SSLv3 negotiated
  legacy_cipher,       // RC4 or 3DES negotiated
  legacy_signature,    // SHA-1 (or MD5+SHA-1) signature on the key exchange
  weak_rsa_key,        // RSA key under 2048 bits
  warning_alert,       // the origin sent a warning alert (e.g. unrecognized_name), which s2n may refuse
  chain_order,         // the chain as sent is not leaf, then each certificate's issuer
  weak_certificate_signature,  // a sent certificate is signed with SHA-1 or MD5
  undocumented_key,    // an EC key other than P-256, or RSA over 4096 bits: outside what AWS documents
  no_forward_secrecy,  // an RSA key exchange (no ECDHE) negotiated, with a non-legacy cipher
};

/// "cert_expiring_soon", ...
std::string_view warning_code_name(WarningCode code);

/// Days before expiry from which cert_expiring_soon is raised.
inline constexpr long kExpiryWarningDays = 30;
/// RSA moduli below this size raise weak_rsa_key.
inline constexpr int kWeakRsaBits = 2048;
/// RSA moduli above this size raise undocumented_key (AWS documents 1024 to 4096 bits).
inline constexpr int kLargestDocumentedRsaBits = 4096;

struct Warning {
  WarningCode code = WarningCode::cert_expiring_soon;
  std::string message;
};

}  // namespace edgefetch::check
