// Client13: records, alerts, ChangeCipherSpec, application data, closing.
// The handshake messages are handled in client13_handshake.cpp.

#include "tls/tls13/client13.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "tls/handshake/received_alerts.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/types.hpp"
#include "tls/tls13/post_handshake13.hpp"

namespace edgefetch::tls::tls13 {

namespace ad = messages::alert_description;
using messages::client_error;
using messages::HandshakeType;

namespace {
// Bounds on records that carry nothing, as in the TLS 1.2 engine: a peer must
// not keep the client busy without progress.
constexpr int kMaxDroppedChangeCipherSpecs = 1;
constexpr int kMaxConsecutiveUserCanceledAlerts = 4;
constexpr int kMaxConsecutiveEmptyRecords = 32;
constexpr std::uint8_t kHandshakeTypeKeyUpdate = 24;
constexpr std::uint8_t kHandshakeTypeEncryptedExtensions = 8;

template <class T>
void consume_front(std::vector<T>& buffer, std::size_t n) {
  if (n >= buffer.size()) {
    buffer.clear();
  } else {
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
}
}  // namespace

Client13::Client13(Handover handover)
    : config_(std::move(handover.config)),
      verification_time_(handover.verification_time),
      client_hello_(std::move(handover.client_hello)),
      key_shares_(std::move(handover.key_shares)),
      output_(std::move(handover.unsent_output)) {
  negotiated_.version = policy::ProtocolVersion::tls1_3;
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

base::Expected<void, Error> Client13::feed(std::span<const std::uint8_t> bytes) {
  if (state_ == State::failed) return base::unexpected(error_);
  records_.feed(bytes);
  return process_records();
}

base::Expected<void, Error> Client13::process_records() {
  while (state_ != State::failed) {
    auto record = records_.next();
    if (!record) return fail(record.error());
    if (!record->has_value()) break;
    if (auto handled = handle_record(**record); !handled) return handled;
  }
  if (state_ == State::failed) return base::unexpected(error_);
  return {};
}

base::Expected<void, Error> Client13::handle_record(const Record13& record) {
  if (record.type != ContentType::alert) consecutive_user_canceled_alerts_ = 0;
  if (record.content.empty()) {
    // RFC 8446 §5.4: only application data may have zero-length content.
    if (record.type != ContentType::application_data) {
      return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                               "server sent an empty " +
                                   std::string(record.type == ContentType::handshake ? "handshake"
                                               : record.type == ContentType::alert   ? "alert"
                                                                                     : "ChangeCipherSpec") +
                                   " record"));
    }
    if (++consecutive_empty_records_ > kMaxConsecutiveEmptyRecords) {
      return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                               "server sent too many empty records in a row"));
    }
  } else {
    consecutive_empty_records_ = 0;
  }
  switch (record.type) {
    case ContentType::change_cipher_spec:
      return handle_change_cipher_spec(record.content);
    case ContentType::alert:
      return handle_alert(record.content);
    case ContentType::handshake: {
      assembler_.add(record.content);
      while (state_ != State::failed) {
        auto message = assembler_.next();
        if (!message) return fail(message.error());
        if (!message->has_value()) break;
        if (auto handled = handle_handshake_message(**message); !handled) return handled;
      }
      return {};
    }
    case ContentType::application_data:
      if (state_ != State::connected && state_ != State::closed)
        return unexpected_message("application data");
      if (peer_closed_) return unexpected_message("application data after close_notify");
      if (readable_offset_ == readable_.size()) {
        readable_.clear();
        readable_offset_ = 0;
      }
      readable_.insert(readable_.end(), record.content.begin(), record.content.end());
      return {};
  }
  return unexpected_message("a record of unknown type");
}

base::Expected<void, Error> Client13::handle_change_cipher_spec(std::span<const std::uint8_t> content) {
  // RFC 8446 §5: a single 0x01 between our first ClientHello and the server's
  // Finished is dropped (middlebox compatibility); anything else is fatal.
  const bool before_server_finished = state_ == State::handshaking;
  if (!before_server_finished || content.size() != 1 || content[0] != 1 || !assembler_.empty() ||
      ++dropped_ccs_ > kMaxDroppedChangeCipherSpecs) {
    return unexpected_message("ChangeCipherSpec");
  }
  return {};
}

base::Expected<void, Error> Client13::handle_alert(std::span<const std::uint8_t> content) {
  auto alert = messages::decode_alert(content);
  if (!alert) return fail(alert.error());
  if (alert->description == ad::kCloseNotify) {
    peer_closed_ = true;
    if (state_ == State::handshaking) {
      return fail(Error{
          ErrorCode::server_alert, AlertSender::server, ad::kCloseNotify,
          "server closed the connection (close_notify) while the client " + std::string(step_description())});
    }
    if (!close_notify_sent_) {
      close_notify_sent_ = true;
      send_alert(messages::AlertLevel::warning, ad::kCloseNotify);
    }
    state_ = State::closed;
    return {};
  }
  if (alert->description == ad::kUserCanceled) {
    // A close_notify follows (RFC 8446 §6.1); a stream of them is refused like
    // the TLS 1.2 engine's warning alerts (and BoringSSL's kMaxWarningAlerts).
    if (++consecutive_user_canceled_alerts_ > kMaxConsecutiveUserCanceledAlerts) {
      return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                               "server sent too many warning alerts in a row"));
    }
    return {};
  }
  // RFC 8446 §6.2: every other alert is fatal whatever its level says.
  const auto context =
      state_ == State::handshaking ? handshake::AlertContext::handshake : handshake::AlertContext::connected;
  return fail(handshake::error_for_server_alert(alert->description, context, "TLS 1.3", step_description()));
}

base::Expected<void, Error> Client13::handle_handshake_message(
    const messages::HandshakeMessageView& message) {
  const auto type = message.type;
  switch (step_) {
    case Step::server_hello:
      if (type == static_cast<std::uint8_t>(HandshakeType::server_hello)) {
        if (!assembler_.empty()) return unexpected_message("data after ServerHello in the same record");
        return on_server_hello(message.bytes);
      }
      break;
    case Step::encrypted_extensions:
      if (type == kHandshakeTypeEncryptedExtensions) return on_encrypted_extensions(message);
      break;
    case Step::certificate_request_or_certificate:
      if (type == static_cast<std::uint8_t>(HandshakeType::certificate_request))
        return on_certificate_request(message);
      [[fallthrough]];
    case Step::certificate:
      if (type == static_cast<std::uint8_t>(HandshakeType::certificate)) return on_certificate(message);
      break;
    case Step::certificate_verify:
      if (type == static_cast<std::uint8_t>(HandshakeType::certificate_verify))
        return on_certificate_verify(message);
      break;
    case Step::finished:
      if (type == static_cast<std::uint8_t>(HandshakeType::finished)) return on_finished(message);
      break;
    case Step::connected:
      if (type == static_cast<std::uint8_t>(HandshakeType::new_session_ticket))
        return on_new_session_ticket(message);
      if (type == kHandshakeTypeKeyUpdate) return on_key_update(message);
      break;
  }
  return unexpected_message(messages::handshake_type_name(type));
}

void Client13::feed_eof() {
  if (state_ == State::failed) return;
  if (state_ == State::handshaking) {
    (void)fail(Error{ErrorCode::unexpected_eof, AlertSender::none, std::nullopt,
                     "connection closed by the server while the client " + std::string(step_description())});
    return;
  }
  if (state_ == State::closed) return;
  (void)fail(Error{ErrorCode::unexpected_eof, AlertSender::none, std::nullopt,
                   records_.has_partial_record()
                       ? "connection closed in the middle of a record (truncated)"
                       : "connection closed by the server without close_notify (possible truncation)"});
}

void Client13::consume_output(std::size_t n) {
  consume_front(output_, n);
}

base::Expected<void, Error> Client13::write(std::span<const std::uint8_t> data) {
  if (state_ == State::failed) return base::unexpected(error_);
  if (state_ != State::connected) {
    return base::unexpected(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt,
                                  state_ == State::closed ? "write() after the connection was closed"
                                                          : "write() before the handshake completed"});
  }
  if (data.empty()) return {};
  if (auto written = records_.write(ContentType::application_data, data, output_); !written) {
    return fail(written.error());
  }
  return {};
}

std::span<const std::uint8_t> Client13::readable() const {
  return std::span<const std::uint8_t>(readable_).subspan(readable_offset_);
}

void Client13::consume_readable(std::size_t n) {
  readable_offset_ = std::min(readable_.size(), readable_offset_ + n);
  if (readable_offset_ == readable_.size()) {
    readable_.clear();
    readable_offset_ = 0;
  }
}

void Client13::close() {
  if (state_ == State::failed) return;
  if (!close_notify_sent_) {
    close_notify_sent_ = true;
    send_alert(messages::AlertLevel::warning, ad::kCloseNotify);
  }
  state_ = State::closed;
}

void Client13::send_alert(messages::AlertLevel level, std::uint8_t description) {
  const auto bytes = messages::encode_alert(messages::Alert{level, description});
  (void)records_.write(ContentType::alert, bytes, output_);
}

void Client13::send_compatibility_ccs() {
  // RFC 8446 §D.4: in middlebox compatibility mode (a non-empty session id) one
  // dummy ChangeCipherSpec precedes our second flight, unprotected.
  if (ccs_sent_ || own_hello_.session_id.empty() || records_.write_protected()) return;
  ccs_sent_ = true;
  static constexpr std::uint8_t kChangeCipherSpec = 1;
  (void)records_.write(ContentType::change_cipher_spec, std::span(&kChangeCipherSpec, 1), output_);
}

base::Unexpected<Error> Client13::fail(Error error) {
  if (state_ == State::failed) return base::unexpected(error_);
  if (error.alert_sender == AlertSender::client && error.alert) {
    send_alert(messages::AlertLevel::fatal, *error.alert);
  }
  error_ = std::move(error);
  state_ = State::failed;
  return base::unexpected(error_);
}

base::Unexpected<Error> Client13::unexpected_message(std::string_view what) {
  return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                           "unexpected " + std::string(what) + " from the server while the client " +
                               std::string(step_description())));
}

std::string_view Client13::step_description() const {
  if (state_ == State::connected || state_ == State::closed) return "was connected";
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
