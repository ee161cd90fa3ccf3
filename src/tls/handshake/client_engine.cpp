// ClientEngine: start, record dispatch, alerts, application data, closing.
// The handshake message handlers are in client_engine_server_flight.cpp and
// client_engine_finish.cpp.

#include "tls/handshake/client_engine.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "edgefetch/crypto/library.hpp"
#include "edgefetch/crypto/random.hpp"
#include "tls/handshake/server_hello_checks.hpp"
#include "tls/messages/change_cipher_spec.hpp"
#include "tls/messages/hello_request.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::handshake {

namespace ad = messages::alert_description;
using messages::client_error;
using messages::HandshakeType;

namespace {
// Bounds on records that carry nothing (as BoringSSL's kMaxWarningAlerts /
// kMaxEmptyRecords): a peer must not keep the client busy without progress.
constexpr int kMaxConsecutiveWarningAlerts = 4;
constexpr int kMaxConsecutiveEmptyRecords = 32;

// s2n leaves out suites its libcrypto cannot run (Appendix B: RC4-MD5 only when
// RC4 is available); so do we, instead of offering what we could not complete.
policy::Offer usable_offer(policy::Offer offer) {
  if (!crypto::legacy_provider_available()) {
    std::erase_if(offer.cipher_suites, [](const policy::CipherSuite* suite) {
      return suite->cipher == policy::BulkCipher::rc4_128;
    });
  }
  return offer;
}

void apply_hello_options(const HelloOptions& options, messages::ClientHello& hello) {
  if (!options.renegotiation_scsv) std::erase(hello.cipher_suites, policy::kEmptyRenegotiationInfoScsv);
  if (!options.supported_groups) hello.supported_groups.reset();
  if (!options.signature_algorithms) hello.signature_algorithms.reset();
  if (!options.ec_point_formats) hello.ec_point_formats.reset();
  hello.session_ticket = options.session_ticket;
  hello.extended_master_secret = options.extended_master_secret;
}

template <class T>
void consume_front(std::vector<T>& buffer, std::size_t n) {
  if (n >= buffer.size()) {
    buffer.clear();
  } else {
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
}
}  // namespace

ClientEngine::ClientEngine(ClientConfig config) : config_(std::move(config)) {}

VersionRules ClientEngine::rules() const {
  if (rules_) return *rules_;
  // Before ServerHello: the version the ClientHello announced decides the alert set.
  const auto hello_version = policy::version_from_wire(client_hello_.legacy_version);
  return VersionRules(hello_version.value_or(policy::ProtocolVersion::tls1_2));
}

std::string ClientEngine::offered_versions_text() const {
  const auto& offer = config_.offer;
  if (offer.min_version == offer.max_version) return std::string(policy::info(offer.min_version).name);
  return std::string(policy::info(offer.min_version).name) + " to " +
         std::string(policy::info(offer.max_version).name);
}

void ClientEngine::start() {
  if (state_ != State::idle) return;
  state_ = State::handshaking;
  if (auto ready = crypto::initialize(); !ready) {
    (void)fail(client_error(ErrorCode::internal_error, ad::kInternalError,
                            "libcrypto is not usable: " + ready.error().message));
    return;
  }
  config_.offer = usable_offer(std::move(config_.offer));
  if (config_.offer.cipher_suites.empty()) {
    (void)fail(
        Error{ErrorCode::internal_error, AlertSender::none, std::nullopt, "the offer has no cipher suites"});
    return;
  }
  if (config_.verify_certificates && !config_.trust_store) {
    (void)fail(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt,
                     "certificate verification is on but no trust store was configured"});
    return;
  }
  verification_time_ = config_.verification_time != 0 ? config_.verification_time : std::time(nullptr);

  messages::ClientHelloInputs inputs;
  inputs.server_name = config_.server_name;
  inputs.alpn = config_.alpn;
  if (config_.hello.random_session_id) inputs.session_id.resize(messages::kMaxSessionIdLength);
  if (!crypto::random_bytes(inputs.random) || !crypto::random_bytes(inputs.session_id)) {
    (void)fail(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt, "no randomness available"});
    return;
  }
  client_hello_ = messages::build_client_hello(config_.offer, inputs);
  apply_hello_options(config_.hello, client_hello_);
  offer_session(client_hello_);
  if (auto shared = add_tls13_key_share(); !shared) {
    (void)fail(shared.error());
    return;
  }
  auto encoded = messages::encode_client_hello(client_hello_);
  if (!encoded) {
    (void)fail(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt,
                     "the offer does not fit in a ClientHello"});
    return;
  }
  transcript_.add(*encoded);
  writer_.set_version(client_hello_record_version(client_hello_.legacy_version));
  if (auto written = write_handshake(*encoded); !written) (void)fail(written.error());
}

base::Expected<void, Error> ClientEngine::feed(std::span<const std::uint8_t> bytes) {
  if (state_ == State::failed) return base::unexpected(error_);
  if (state_ == State::idle) {
    return base::unexpected(
        Error{ErrorCode::internal_error, AlertSender::none, std::nullopt, "feed() before start()"});
  }
  reader_.feed(bytes);
  return process_records();
}

base::Expected<void, Error> ClientEngine::process_records() {
  while (state_ != State::failed && !handed_over()) {
    auto record = reader_.next();
    if (!record) return fail(record.error());
    if (!record->has_value()) break;
    if (auto handled = handle_record(**record); !handled) return handled;
  }
  if (state_ == State::failed) return base::unexpected(error_);
  return {};
}

base::Expected<void, Error> ClientEngine::handle_record(const RecordView& record) {
  if (record.type != ContentType::alert) consecutive_warning_alerts_ = 0;
  if (record.fragment.empty()) {
    // Only application data may be empty (RFC 5246 §6.2.1); bounded so a peer cannot spin us.
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
    case ContentType::handshake:
      return handle_handshake_fragment(record.fragment);
    case ContentType::change_cipher_spec:
      return handle_change_cipher_spec(record.fragment);
    case ContentType::alert:
      return handle_alert(record.fragment);
    case ContentType::application_data:
      return handle_application_data(record.fragment);
  }
  return unexpected_message("a record of unknown type");
}

base::Expected<void, Error> ClientEngine::handle_handshake_fragment(std::span<const std::uint8_t> fragment) {
  assembler_.add(fragment);
  while (state_ != State::failed && !handed_over()) {
    auto message = assembler_.next();
    if (!message) return fail(message.error());
    if (!message->has_value()) break;
    if (auto handled = handle_handshake_message(**message); !handled) return handled;
  }
  return {};
}

base::Expected<void, Error> ClientEngine::handle_handshake_message(
    const messages::HandshakeMessageView& message) {
  const auto type = static_cast<HandshakeType>(message.type);
  if (type == HandshakeType::hello_request) return handle_hello_request(message);
  switch (step_) {
    case Step::server_hello:
      if (type == HandshakeType::server_hello) return on_server_hello(message);
      break;
    case Step::certificate:
      if (type == HandshakeType::certificate) return on_certificate(message);
      break;
    case Step::server_key_exchange:
      if (type == HandshakeType::server_key_exchange) return on_server_key_exchange(message);
      break;
    case Step::certificate_request_or_done:
      if (type == HandshakeType::certificate_request) return on_certificate_request(message);
      if (type == HandshakeType::server_hello_done) return on_server_hello_done(message);
      break;
    case Step::server_hello_done:
      if (type == HandshakeType::server_hello_done) return on_server_hello_done(message);
      break;
    case Step::new_session_ticket:
      if (type == HandshakeType::new_session_ticket) return on_new_session_ticket(message);
      break;
    case Step::finished:
      if (type == HandshakeType::finished) return on_finished(message);
      break;
    case Step::change_cipher_spec:
    case Step::done:
      break;
  }
  return unexpected_message(messages::handshake_type_name(message.type));
}

base::Expected<void, Error> ClientEngine::handle_hello_request(
    const messages::HandshakeMessageView& message) {
  if (auto decoded = messages::decode_hello_request(message.body); !decoded) return fail(decoded.error());
  // RFC 5246 §7.4.1.1: ignored while a handshake is in progress (and never hashed).
  if (state_ == State::handshaking) return {};
  if (state_ != State::connected) return {};
  // The CDN supports no renegotiation. Decline politely once (a warning
  // no_renegotiation, RFC 5746 §4.5) so a server that merely offers can carry on;
  // a server that asks again, or aborts after our refusal, fails the
  // connection with renegotiation_refused. SSLv3 has no such alert: refuse fatally.
  if (renegotiation_declined_ || !rules().has_no_renegotiation_alert()) {
    return fail(
        client_error(ErrorCode::renegotiation_refused,
                     rules().has_no_renegotiation_alert() ? ad::kNoRenegotiation : ad::kHandshakeFailure,
                     "server insists on renegotiating (HelloRequest), which the CDN never does"));
  }
  renegotiation_declined_ = true;
  send_alert(messages::AlertLevel::warning, ad::kNoRenegotiation);
  return {};
}

base::Expected<void, Error> ClientEngine::handle_change_cipher_spec(std::span<const std::uint8_t> fragment) {
  if (step_ != Step::change_cipher_spec || !assembler_.empty()) {
    // Also rejects the early-CCS attack (CVE-2014-0224): keys are only
    // switched after our own Finished was sent.
    return unexpected_message("ChangeCipherSpec");
  }
  if (auto decoded = messages::decode_change_cipher_spec(fragment); !decoded) return fail(decoded.error());
  if (auto activated = reader_.activate_pending(); !activated) return fail(activated.error());
  step_ = Step::finished;
  return {};
}

base::Expected<void, Error> ClientEngine::handle_alert(std::span<const std::uint8_t> fragment) {
  auto alert = messages::decode_alert(fragment);
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
  if (alert->level == messages::AlertLevel::fatal) {
    return fail(error_for_server_alert(alert->description, alert_context(), offered_versions_text(),
                                       step_description()));
  }
  // Warnings (unrecognized_name, no_renegotiation, SSLv3 no_certificate, ...) carry
  // no obligation; a stream of them is refused.
  if (++consecutive_warning_alerts_ > kMaxConsecutiveWarningAlerts) {
    return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                             "server sent too many warning alerts in a row"));
  }
  return {};
}

base::Expected<void, Error> ClientEngine::handle_application_data(std::span<const std::uint8_t> fragment) {
  if (state_ != State::connected && state_ != State::closed) return unexpected_message("application data");
  if (peer_closed_) return unexpected_message("application data after close_notify");
  if (readable_offset_ == readable_.size()) {
    readable_.clear();
    readable_offset_ = 0;
  }
  readable_.insert(readable_.end(), fragment.begin(), fragment.end());
  return {};
}

AlertContext ClientEngine::alert_context() const {
  if (renegotiation_declined_) return AlertContext::renegotiation_declined;
  if (state_ == State::connected || state_ == State::closed) return AlertContext::connected;
  if (step_ == Step::server_hello) return AlertContext::awaiting_server_hello;
  return AlertContext::handshake;
}

std::string_view ClientEngine::step_description() const {
  if (state_ == State::connected || state_ == State::closed) return "was connected";
  switch (step_) {
    case Step::server_hello:
      return "waited for ServerHello";
    case Step::certificate:
      return "waited for the server Certificate";
    case Step::server_key_exchange:
      return "waited for ServerKeyExchange";
    case Step::certificate_request_or_done:
    case Step::server_hello_done:
      return "waited for ServerHelloDone";
    case Step::new_session_ticket:
      return "waited for NewSessionTicket";
    case Step::change_cipher_spec:
      return "waited for the server's ChangeCipherSpec";
    case Step::finished:
      return "waited for the server's Finished";
    case Step::done:
      break;
  }
  return "was connected";
}

void ClientEngine::feed_eof() {
  if (state_ == State::failed || state_ == State::idle) return;
  if (state_ == State::handshaking) {
    (void)fail(Error{ErrorCode::unexpected_eof, AlertSender::none, std::nullopt,
                     "connection closed by the server while the client " + std::string(step_description())});
    return;
  }
  if (state_ == State::closed) return;  // we sent close_notify: the server may just hang up
  // Connected: without the server's close_notify a truncation cannot be told
  // from a server that forgot it; the data already decrypted stays readable and
  // the caller decides (HTTP framing may prove the response complete).
  (void)fail(Error{ErrorCode::unexpected_eof, AlertSender::none, std::nullopt,
                   reader_.has_partial_record()
                       ? "connection closed in the middle of a record (truncated)"
                       : "connection closed by the server without close_notify (possible truncation)"});
}

std::span<const std::uint8_t> ClientEngine::pending_output() const {
  return output_;
}

void ClientEngine::consume_output(std::size_t n) {
  consume_front(output_, n);
}

base::Expected<void, Error> ClientEngine::write(std::span<const std::uint8_t> data) {
  if (state_ == State::failed) return base::unexpected(error_);
  if (state_ != State::connected) {
    return base::unexpected(Error{ErrorCode::internal_error, AlertSender::none, std::nullopt,
                                  state_ == State::closed ? "write() after the connection was closed"
                                                          : "write() before the handshake completed"});
  }
  if (auto written = writer_.write(ContentType::application_data, data, output_); !written) {
    return fail(written.error());
  }
  return {};
}

std::span<const std::uint8_t> ClientEngine::readable() const {
  return std::span<const std::uint8_t>(readable_).subspan(readable_offset_);
}

void ClientEngine::consume_readable(std::size_t n) {
  readable_offset_ = std::min(readable_.size(), readable_offset_ + n);
  if (readable_offset_ == readable_.size()) {
    readable_.clear();
    readable_offset_ = 0;
  }
}

void ClientEngine::close() {
  if (state_ == State::failed || state_ == State::idle) return;
  if (!close_notify_sent_) {
    close_notify_sent_ = true;
    send_alert(messages::AlertLevel::warning, ad::kCloseNotify);
  }
  state_ = State::closed;
}

void ClientEngine::send_alert(messages::AlertLevel level, std::uint8_t description) {
  const auto bytes = messages::encode_alert(messages::Alert{level, rules().alert_to_send(description)});
  (void)writer_.write(ContentType::alert, bytes, output_);
}

base::Expected<void, Error> ClientEngine::write_handshake(std::span<const std::uint8_t> message) {
  return writer_.write(ContentType::handshake, message, output_);
}

base::Unexpected<Error> ClientEngine::fail(Error error) {
  if (state_ == State::failed) return base::unexpected(error_);
  if (error.alert_sender == AlertSender::client && error.alert) {
    error.alert = rules().alert_to_send(*error.alert);
    send_alert(messages::AlertLevel::fatal, *error.alert);
  }
  // RFC 5246 §7.2.2: a connection that ends with a fatal alert (either way)
  // forgets its session. A bare end of stream does not: many servers close
  // without close_notify.
  if (error.alert_sender != AlertSender::none) session_.reset();
  error_ = std::move(error);
  state_ = State::failed;
  return base::unexpected(error_);
}

base::Unexpected<Error> ClientEngine::unexpected_message(std::string_view what) {
  return fail(client_error(ErrorCode::protocol_violation, ad::kUnexpectedMessage,
                           "unexpected " + std::string(what) + " from the server while the client " +
                               std::string(step_description())));
}

}  // namespace edgefetch::tls::handshake
