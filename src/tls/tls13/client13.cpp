// Client13: the TLS 1.3 record layer and rules behind RecordFront (records,
// ChangeCipherSpec, which alerts are fatal), handshake message dispatch. The
// handshake messages are handled in client13_handshake.cpp.

#include "tls/tls13/client13.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "tls/handshake/received_alerts.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/types.hpp"
#include "tls/tls13/post_handshake13.hpp"

namespace edgefetch::tls::tls13 {

namespace ad = alert_description;
using messages::HandshakeType;

namespace {
// Middlebox compatibility allows one dummy ChangeCipherSpec after each of the
// server's hellos (on_server_hello resets the count); like the bounds in
// RecordFront, more would keep us busy without progress.
constexpr int kMaxDroppedChangeCipherSpecs = 1;
constexpr std::uint8_t kHandshakeTypeKeyUpdate = 24;
constexpr std::uint8_t kHandshakeTypeEncryptedExtensions = 8;
}  // namespace

Client13::Client13(Handover handover)
    : RecordFront(State::handshaking, std::move(handover.unsent_output)),
      config_(std::move(handover.config)),
      verification_time_(handover.verification_time),
      client_hello_(std::move(handover.client_hello)),
      key_shares_(std::move(handover.key_shares)) {
  negotiated_.version = policy::ProtocolVersion::tls1_3;
  negotiated_.warning_alerts = std::move(handover.warning_alerts);
}

base::Expected<void, Error> Client13::start(std::span<const std::uint8_t> server_hello,
                                            std::span<const std::uint8_t> received_after) {
  auto own = read_own_client_hello(client_hello_);
  if (!own) {
    return fail(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt,
                      "the ClientHello handed to the TLS 1.3 client cannot be read back"});
  }
  own_hello_ = std::move(*own);
  if (auto handled = on_server_hello(server_hello); !handled) return handled;
  records_.feed(received_after);
  return process_records();
}

std::span<std::uint8_t> Client13::receive_space(std::size_t at_least) {
  return records_.receive_space(at_least);
}

void Client13::commit_received(std::size_t n) {
  records_.commit_received(n);
}

base::Expected<std::optional<handshake::ReceivedRecord>, Error> Client13::next_record() {
  auto record = records_.next();
  if (!record) return base::unexpected(std::move(record.error()));
  if (!record->has_value()) return std::optional<handshake::ReceivedRecord>();
  return std::optional<handshake::ReceivedRecord>(
      handshake::ReceivedRecord{(*record)->type, (*record)->content});
}

bool Client13::has_partial_record() const {
  return records_.has_partial_record();
}

base::Expected<void, Error> Client13::write_record(ContentType type, std::span<const std::uint8_t> content) {
  return records_.write(type, content, output());
}

base::Expected<void, Error> Client13::handle_change_cipher_spec(std::span<const std::uint8_t> content) {
  // RFC 8446 §5: a single 0x01 between our first ClientHello and the server's
  // Finished is dropped (middlebox compatibility); anything else is fatal.
  const bool before_server_finished = state() == State::handshaking;
  if (!before_server_finished || content.size() != 1 || content[0] != 1 || !assembler().empty() ||
      ++dropped_ccs_ > kMaxDroppedChangeCipherSpecs) {
    return unexpected_message("ChangeCipherSpec");
  }
  return {};
}

bool Client13::alert_is_fatal(const messages::Alert& alert) const {
  // RFC 8446 §6.2: every alert is fatal whatever its level says, but
  // user_canceled, after which a close_notify follows (§6.1).
  return alert.description != ad::kUserCanceled;
}

Error Client13::error_for_fatal_alert(std::uint8_t description) const {
  auto context =
      state() == State::handshaking ? handshake::AlertContext::handshake : handshake::AlertContext::connected;
  // The server judges our (empty) Certificate after our Finished, so its
  // refusal comes as the first thing after the handshake; a NewSessionTicket
  // or KeyUpdate first means it accepted the connection.
  if (certificate_requested_ && context == handshake::AlertContext::connected &&
      !negotiated_.session_ticket_received && negotiated_.key_updates_received == 0) {
    context = handshake::AlertContext::client_certificate_pending;
  }
  return handshake::error_for_server_alert(description, context, "TLS 1.3", step_description());
}

base::Expected<void, Error> Client13::handle_handshake_message(
    const messages::HandshakeMessageView& message) {
  const auto type = message.type;
  switch (step_) {
    case Step::server_hello:
      if (type == static_cast<std::uint8_t>(HandshakeType::server_hello)) {
        if (!assembler().empty()) return unexpected_message("data after ServerHello in the same record");
        return on_server_hello(message.bytes);
      }
      break;
    case Step::encrypted_extensions:
      if (type == kHandshakeTypeEncryptedExtensions) return on_encrypted_extensions(message);
      break;
    case Step::certificate_request_or_certificate:
      if (type == static_cast<std::uint8_t>(HandshakeType::certificate_request)) {
        return on_certificate_request(message);
      }
      [[fallthrough]];
    case Step::certificate:
      if (type == static_cast<std::uint8_t>(HandshakeType::certificate)) return on_certificate(message);
      break;
    case Step::certificate_verify:
      if (type == static_cast<std::uint8_t>(HandshakeType::certificate_verify)) {
        return on_certificate_verify(message);
      }
      break;
    case Step::finished:
      if (type == static_cast<std::uint8_t>(HandshakeType::finished)) return on_finished(message);
      break;
    case Step::connected:
      if (type == static_cast<std::uint8_t>(HandshakeType::new_session_ticket)) {
        return on_new_session_ticket(message);
      }
      if (type == kHandshakeTypeKeyUpdate) return on_key_update(message);
      break;
  }
  return unexpected_message(messages::handshake_type_name(type));
}

void Client13::send_compatibility_ccs() {
  // RFC 8446 §D.4: in middlebox compatibility mode (a non-empty session id) one
  // dummy ChangeCipherSpec precedes our second flight, unprotected.
  if (ccs_sent_ || own_hello_.session_id.empty() || records_.write_protected()) return;
  ccs_sent_ = true;
  static constexpr std::uint8_t kChangeCipherSpec = 1;
  (void)write_record(ContentType::change_cipher_spec, std::span(&kChangeCipherSpec, 1));
}

std::string_view Client13::step_description() const {
  if (state() == State::connected || state() == State::closed) return "was connected";
  switch (step_) {
    case Step::server_hello:
      return "waited for ServerHello after HelloRetryRequest";
    case Step::encrypted_extensions:
      return "waited for EncryptedExtensions";
    case Step::certificate_request_or_certificate:
    case Step::certificate:
      return "waited for the server Certificate";
    case Step::certificate_verify:
      return "waited for CertificateVerify";
    case Step::finished:
      return "waited for the server's Finished";
    case Step::connected:
      break;
  }
  return "was connected";
}

}  // namespace edgefetch::tls::tls13
