#include "tls/handshake/record_front.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;
using messages::client_error;

namespace {
// Bounds on records that carry nothing (as BoringSSL's kMaxWarningAlerts /
// kMaxEmptyRecords): a peer must not keep the client busy without progress.
constexpr int kMaxConsecutiveWarningAlerts = 4;
constexpr int kMaxConsecutiveEmptyRecords = 32;

std::string_view content_type_name(ContentType type) {
  switch (type) {
    case ContentType::change_cipher_spec:
      return "ChangeCipherSpec";
    case ContentType::alert:
      return "alert";
    case ContentType::handshake:
      return "handshake";
    case ContentType::application_data:
      return "application data";
  }
  return "unknown";
}
}  // namespace

RecordFront::RecordFront(State state, std::vector<std::uint8_t> output)
    : state_(state), output_(std::move(output)) {}

base::Expected<void, Error> RecordFront::feed(std::span<const std::uint8_t> bytes) {
  if (state_ == State::failed || state_ == State::idle) return commit_input(0);
  const auto space = input_space(bytes.size());
  std::copy(bytes.begin(), bytes.end(), space.begin());
  return commit_input(bytes.size());
}

std::span<std::uint8_t> RecordFront::input_space(std::size_t at_least) {
  keep_readable_view();  // the record layer may move its buffer
  return receive_space(at_least);
}

base::Expected<void, Error> RecordFront::commit_input(std::size_t n) {
  if (state_ == State::failed) return base::unexpected(error_);
  if (state_ == State::idle) {
    return base::unexpected(
        Error{ErrorCode::internal_error, AlertSender::none, std::nullopt, "input before start()"});
  }
  commit_received(n);
  return process_records();
}

base::Expected<void, Error> RecordFront::process_records() {
  while (state_ != State::failed && !handed_over() && (readable_view_.empty() || handle_every_record_)) {
    auto record = next_record();
    if (!record) return fail(record.error());
    if (!record->has_value()) break;
    if (auto handled = handle_record(**record); !handled) return handled;
  }
  if (state_ == State::failed) return base::unexpected(error_);
  return {};
}

base::Expected<void, Error> RecordFront::handle_record(const ReceivedRecord& record) {
  if (record.type != ContentType::alert) consecutive_warning_alerts_ = 0;
  if (record.content.empty()) {
    // Only application data may be empty (RFC 5246 §6.2.1, RFC 8446 §5.4);
    // bounded so a peer cannot spin us.
    if (record.type != ContentType::application_data) {
      return fail(
          client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                       "server sent an empty " + std::string(content_type_name(record.type)) + " record"));
    }
    if (++consecutive_empty_records_ > kMaxConsecutiveEmptyRecords) {
      return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                               "server sent too many empty records in a row"));
    }
  } else {
    consecutive_empty_records_ = 0;
  }
  // RFC 8446 §5.1: a handshake message split over records has no record of
  // another type between its pieces (after the handshake: a NewSessionTicket
  // or KeyUpdate cut by application data or an alert); s2n refuses it too.
  if (record.type != ContentType::handshake && !assembler_.empty()) {
    return unexpected_message(std::string(content_type_name(record.type)) +
                              " record in the middle of a handshake message split across records");
  }
  switch (record.type) {
    case ContentType::handshake:
      return handle_handshake_fragment(record.content);
    case ContentType::change_cipher_spec:
      return handle_change_cipher_spec(record.content);
    case ContentType::alert:
      return handle_alert(record.content);
    case ContentType::application_data:
      return handle_application_data(record.content);
  }
  return unexpected_message("a record of unknown type");
}

base::Expected<void, Error> RecordFront::handle_handshake_fragment(std::span<const std::uint8_t> fragment) {
  assembler_.add(fragment);
  while (state_ != State::failed && !handed_over()) {
    auto message = assembler_.next();
    if (!message) return fail(message.error());
    if (!message->has_value()) break;
    if (auto handled = handle_handshake_message(**message); !handled) return handled;
  }
  return {};
}

base::Expected<void, Error> RecordFront::handle_alert(std::span<const std::uint8_t> content) {
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
  if (alert_is_fatal(*alert)) return fail(error_for_fatal_alert(alert->description));
  // Warnings (unrecognized_name, no_renegotiation, SSLv3 no_certificate, TLS 1.3
  // user_canceled, ...) carry no obligation; a stream of them is refused.
  if (++consecutive_warning_alerts_ > kMaxConsecutiveWarningAlerts) {
    return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                             "server sent too many warning alerts in a row"));
  }
  warning_alert_received(alert->description);
  return {};
}

base::Expected<void, Error> RecordFront::handle_application_data(std::span<const std::uint8_t> content) {
  if (state_ != State::connected && state_ != State::closed) return unexpected_message("application data");
  if (peer_closed_) return unexpected_message("application data after close_notify");
  if (readable_offset_ == readable_.size()) {
    readable_.clear();
    readable_offset_ = 0;
  }
  if (readable_.empty() && readable_view_.empty()) {
    readable_view_ = content;  // handed out in place; process_records() stops here
    return {};
  }
  keep_readable_view();
  readable_.insert(readable_.end(), content.begin(), content.end());
  return {};
}

void RecordFront::keep_readable_view() {
  if (readable_view_.empty()) return;
  readable_.insert(readable_.end(), readable_view_.begin(), readable_view_.end());
  readable_view_ = {};
}

void RecordFront::feed_eof() {
  if (state_ == State::failed || state_ == State::idle) return;
  if (state_ == State::handshaking) {
    (void)fail(Error{ErrorCode::unexpected_eof, AlertSender::none, std::nullopt,
                     "connection closed by the server while the client " + std::string(step_description())});
    return;
  }
  // Records still waiting behind unconsumed data (a close_notify, say) decide
  // how the stream ended: handle them all now.
  keep_readable_view();
  handle_every_record_ = true;
  (void)process_records();
  handle_every_record_ = false;
  if (state_ == State::failed) return;
  if (state_ == State::closed) return;  // we sent close_notify: the server may just hang up
  // Connected: without the server's close_notify a truncation cannot be told
  // from a server that forgot it; the data already decrypted stays readable and
  // the caller decides (HTTP framing may prove the response complete).
  (void)fail(Error{ErrorCode::unexpected_eof, AlertSender::none, std::nullopt,
                   has_partial_record()
                       ? "connection closed in the middle of a record (truncated)"
                       : "connection closed by the server without close_notify (possible truncation)"});
}

void RecordFront::consume_output(std::size_t n) {
  if (n >= output_.size()) {
    output_.clear();
  } else {
    output_.erase(output_.begin(), output_.begin() + static_cast<std::ptrdiff_t>(n));
  }
}

base::Expected<void, Error> RecordFront::write(std::span<const std::uint8_t> data) {
  if (state_ == State::failed) return base::unexpected(error_);
  if (state_ != State::connected) {
    return base::unexpected(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt,
                                  state_ == State::closed ? "write() after the connection was closed"
                                                          : "write() before the handshake completed"});
  }
  // Nothing to send: no record at all (a TLS 1.3 record layer would write an empty one).
  if (data.empty()) return {};
  if (auto written = write_record(ContentType::application_data, data); !written) {
    return fail(written.error());
  }
  return {};
}

std::span<const std::uint8_t> RecordFront::readable() const {
  if (!readable_view_.empty()) return readable_view_;
  return std::span<const std::uint8_t>(readable_).subspan(readable_offset_);
}

void RecordFront::consume_readable(std::size_t n) {
  if (!readable_view_.empty()) {
    readable_view_ = readable_view_.subspan(std::min(n, readable_view_.size()));
    if (readable_view_.empty()) (void)process_records();  // the records behind it; errors stay in error()
    return;
  }
  readable_offset_ = std::min(readable_.size(), readable_offset_ + n);
  if (readable_offset_ == readable_.size()) {
    readable_.clear();
    readable_offset_ = 0;
  }
}

void RecordFront::close() {
  if (state_ == State::failed || state_ == State::idle) return;
  if (!close_notify_sent_) {
    close_notify_sent_ = true;
    send_alert(messages::AlertLevel::warning, ad::kCloseNotify);
  }
  state_ = State::closed;
}

void RecordFront::send_alert(messages::AlertLevel level, std::uint8_t description) {
  const auto bytes = messages::encode_alert(messages::Alert{level, alert_to_send(description)});
  (void)write_record(ContentType::alert, bytes);
}

base::Unexpected<Error> RecordFront::fail(Error error) {
  if (state_ == State::failed) return base::unexpected(error_);
  if (error.alert_sender == AlertSender::client && error.alert) {
    error.alert = alert_to_send(*error.alert);
    send_alert(messages::AlertLevel::fatal, *error.alert);
  }
  error_ = std::move(error);
  state_ = State::failed;
  return base::unexpected(error_);
}

base::Unexpected<Error> RecordFront::unexpected_message(std::string_view what) {
  return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                           "unexpected " + std::string(what) + " from the server while the client " +
                               std::string(step_description())));
}

}  // namespace edgefetch::tls::handshake
