#pragma once
// Typed TLS errors with stable codes. The code names (error_code_name) are part
// of the CLI's JSON schema and the checker's reason codes: never rename one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgefetch::tls {

enum class ErrorCode {
  none,
  no_shared_version,           // server refused every version we offered (protocol_version alert)
  version_not_allowed,         // server chose a version outside the allowed OriginSslProtocols
  no_shared_cipher,            // handshake_failure to our offer, or server chose an unoffered suite
  no_shared_group,             // server chose (or needs) a group we did not offer
  no_shared_signature_scheme,  // server signed with a scheme we did not offer
  cert_untrusted,              // chain does not lead to a trusted root (incl. self-signed)
  cert_expired,
  cert_not_yet_valid,
  cert_name_mismatch,
  cert_incomplete_chain,  // an intermediate is missing
  cert_key_unsupported,   // key type/size/curve we cannot use with the suite
  cert_invalid,           // unparsable certificate, bad signature in chain, other X.509 failures
  bad_signature,          // ServerKeyExchange signature does not verify
  bad_record_mac,         // record failed MAC/tag/padding check
  bad_finished,           // server Finished verify_data mismatch
  server_alert,           // fatal alert from the server not covered by a more specific code
  protocol_violation,     // unexpected message, bad extension, illegal value
  decode_error,           // malformed message
  record_overflow,
  renegotiation_refused,  // server asked to renegotiate (HelloRequest, ignored as by the CDN), then aborted
  not_tls,                // first bytes are not a TLS record (e.g. plain HTTP)
  unexpected_eof,         // connection closed before the handshake / without close_notify
  // The server asked for a client certificate (CertificateRequest), the client
  // sent none (the CDN has none without origin mTLS), and the server refused
  // the connection with an alert for that.
  client_certificate_required,
  internal_error,  // keep last: code ranges end here

};

std::string_view error_code_name(ErrorCode code);

enum class AlertSender { none, client, server };

struct Error {
  ErrorCode code = ErrorCode::none;
  AlertSender alert_sender = AlertSender::none;
  std::optional<std::uint8_t> alert;  // AlertDescription sent or received
  std::string message;                // human explanation, names the values involved

  explicit operator bool() const { return code != ErrorCode::none; }
};

/// "handshake_failure", "bad_record_mac", ... ; "alert(NN)" for unknown values.
std::string alert_name(std::uint8_t description);

/// What warning alerts the server sent (Negotiated::warning_alerts, not empty)
/// mean at the edge: the CDN's TLS library (s2n) ends the connection on any
/// warning unless configured to ignore them, which CloudFront's documentation
/// does not say; edgefetch goes on. `sni`: the name sent, empty for none
/// (unrecognized_name then says which name no server name matched).
std::string warning_alerts_text(const std::vector<std::uint8_t>& descriptions, std::string_view sni);

}  // namespace edgefetch::tls
