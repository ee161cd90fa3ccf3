#include "tls/handshake/received_alerts.hpp"

#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::handshake {

namespace ad = messages::alert_description;

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
  if (context == AlertContext::renegotiation_declined) {
    return make(ErrorCode::renegotiation_refused,
                "server asked to renegotiate, which the CDN never does, and aborted with " + name +
                    " after the client declined");
  }
  return make(ErrorCode::server_alert,
              "server sent fatal alert " + name + " while the client " + std::string(step));
}

}  // namespace edgefetch::tls::handshake
