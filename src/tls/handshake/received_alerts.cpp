#include "tls/handshake/received_alerts.hpp"

#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;

namespace {

// The alerts servers send when a client certificate they require is missing:
// OpenSSL sends handshake_failure up to TLS 1.2 and certificate_required in
// TLS 1.3 (RFC 8446 §4.4.2.4); others use the certificate alerts or
// access_denied. Any other alert there is about something else.
bool refuses_missing_client_certificate(std::uint8_t description) {
  switch (description) {
    case ad::kHandshakeFailure:
    case ad::kNoCertificate:
    case ad::kBadCertificate:
    case ad::kUnsupportedCertificate:
    case ad::kCertificateUnknown:
    case ad::kAccessDenied:
    case ad::kCertificateRequired:
    case ad::kDecodeError:  // GnuTLS's answer to an empty Certificate when it requires one
      return true;
    default:
      return false;
  }
}

}  // namespace

Error error_for_server_alert(std::uint8_t description, AlertContext context,
                             std::string_view offered_versions, std::string_view step) {
  const std::string name = alert_name(description);
  auto make = [&](ErrorCode code, std::string message) {
    return Error{code, AlertSender::server, description, std::move(message)};
  };
  if (context == AlertContext::awaiting_server_hello) {
    if (description == ad::kProtocolVersion) {
      return make(ErrorCode::no_shared_version, "server refused every offered version (" +
                                                    std::string(offered_versions) + "): it sent " + name);
    }
    if (description == ad::kHandshakeFailure || description == ad::kInsufficientSecurity) {
      return make(
          ErrorCode::no_shared_cipher,
          "server found nothing acceptable in our offer (cipher suites, groups, signature schemes): it "
          "sent " +
              name + " in answer to the ClientHello");
    }
  }
  if (context == AlertContext::client_certificate_pending &&
      refuses_missing_client_certificate(description)) {
    return make(ErrorCode::client_certificate_required,
                "server asked for a client certificate (CertificateRequest), the client sent none, and the "
                "server refused the connection with " +
                    name);
  }
  if (context == AlertContext::renegotiation_requested) {
    return make(ErrorCode::renegotiation_refused,
                "server asked to renegotiate (HelloRequest), which the CDN ignores as it supports no "
                "renegotiation, and then aborted with " +
                    name);
  }
  return make(ErrorCode::server_alert,
              "server sent fatal alert " + name + " while the client " + std::string(step));
}

}  // namespace edgefetch::tls::handshake
