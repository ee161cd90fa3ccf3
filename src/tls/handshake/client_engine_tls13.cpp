// ClientEngine: what it does for TLS 1.3. When the offer includes TLS 1.3 the
// ClientHello carries one key share for the first offered group (facts
// Appendix B: "key_share (one share, secp256r1)"); when the ServerHello selects
// TLS 1.3 through supported_versions, the connection is handed to
// tls13::Client13 with everything it needs.

#include <utility>

#include "edgefetch/crypto/key_share.hpp"
#include "tls/handshake/client_engine.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;

base::Expected<void, Error> ClientEngine::add_tls13_key_share() {
  if (client_hello_.supported_versions.empty() || config_.offer.groups.empty()) return {};
  const std::uint16_t group = config_.offer.groups.front()->code;
  auto share = crypto::KeyShare::generate(group);
  if (!share) {
    return base::unexpected(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt,
                                  "cannot make a TLS 1.3 key share: " + share.error().message});
  }
  client_hello_.key_shares = std::vector<messages::KeyShareOffer>{
      {group, std::vector<std::uint8_t>(share->public_key().begin(), share->public_key().end())}};
  tls13_key_shares_.push_back(std::move(*share));
  return {};
}

base::Expected<void, Error> ClientEngine::hand_over_to_tls13(const messages::HandshakeMessageView& message) {
  // RFC 8446 §5.1: the ServerHello ends its record (keys change after it).
  if (!assembler().empty()) {
    return unexpected_message("handshake data after a TLS 1.3 ServerHello in the same record");
  }
  auto encoded = messages::encode_client_hello(client_hello_);
  if (!encoded) {
    return fail(messages::client_error(ErrorCode::internal_error, ad::kInternalError,
                                       "the ClientHello cannot be encoded again"));
  }
  tls13::HandoverPackage package;
  package.handover.config = config_;
  package.handover.verification_time = verification_time_;
  package.handover.client_hello = std::move(*encoded);
  package.handover.key_shares = std::move(tls13_key_shares_);
  package.handover.unsent_output = std::move(output());
  package.handover.warning_alerts = negotiated_.warning_alerts;
  output().clear();
  package.server_hello.assign(message.bytes.begin(), message.bytes.end());
  package.received_after = reader_.take_unread();
  tls13_handover_ = std::move(package);
  return {};
}

std::optional<tls13::HandoverPackage> ClientEngine::take_tls13_handover() {
  auto package = std::move(tls13_handover_);
  tls13_handover_.reset();
  return package;
}

}  // namespace edgefetch::tls::handshake
