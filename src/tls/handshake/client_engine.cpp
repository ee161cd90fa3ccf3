// ClientEngine: start, the TLS 1.2 record layer and rules behind RecordFront,
// handshake message dispatch, HelloRequest and ChangeCipherSpec. The handshake
// message handlers are in client_engine_server_flight.cpp and
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

namespace ad = alert_description;
using messages::client_error;
using messages::HandshakeType;

namespace {
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
}  // namespace

ClientEngine::ClientEngine(ClientConfig config) : RecordFront(State::idle, {}), config_(std::move(config)) {}

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
  if (state() != State::idle) return;
  set_state(State::handshaking);
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

std::span<std::uint8_t> ClientEngine::receive_space(std::size_t at_least) {
  return reader_.receive_space(at_least);
}

void ClientEngine::commit_received(std::size_t n) {
  reader_.commit_received(n);
}

base::Expected<std::optional<ReceivedRecord>, Error> ClientEngine::next_record() {
  auto record = reader_.next();
  if (!record) return base::unexpected(std::move(record.error()));
  if (!record->has_value()) return std::optional<ReceivedRecord>();
  return std::optional<ReceivedRecord>(ReceivedRecord{(*record)->type, (*record)->fragment});
}

bool ClientEngine::has_partial_record() const {
  return reader_.has_partial_record();
}

base::Expected<void, Error> ClientEngine::write_record(ContentType type,
                                                       std::span<const std::uint8_t> content) {
  return writer_.write(type, content, output());
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
  // RFC 5246 §7.4.1.1: ignored while a handshake is in progress (and never
  // hashed); afterwards the client MAY ignore it. The CDN supports no
  // renegotiation, and its TLS library (s2n) ignores every HelloRequest and
  // sends nothing: a no_renegotiation warning would make libssl servers abort
  // (they treat it as fatal), and a connection the CDN keeps using would die.
  if (state() == State::connected) ++negotiated_.hello_requests_ignored;
  return {};
}

base::Expected<void, Error> ClientEngine::handle_change_cipher_spec(std::span<const std::uint8_t> fragment) {
  if (step_ != Step::change_cipher_spec || !assembler().empty()) {
    // Also rejects the early-CCS attack (CVE-2014-0224): keys are only
    // switched after our own Finished was sent.
    return unexpected_message("ChangeCipherSpec");
  }
  if (auto decoded = messages::decode_change_cipher_spec(fragment); !decoded) return fail(decoded.error());
  if (auto activated = reader_.activate_pending(); !activated) return fail(activated.error());
  step_ = Step::finished;
  return {};
}

bool ClientEngine::alert_is_fatal(const messages::Alert& alert) const {
  return alert.level == messages::AlertLevel::fatal;
}

Error ClientEngine::error_for_fatal_alert(std::uint8_t description) const {
  return error_for_server_alert(description, alert_context(), offered_versions_text(), step_description());
}

std::uint8_t ClientEngine::alert_to_send(std::uint8_t description) const {
  return rules().alert_to_send(description);
}

AlertContext ClientEngine::alert_context() const {
  if (negotiated_.hello_requests_ignored > 0) return AlertContext::renegotiation_requested;
  if (state() == State::connected || state() == State::closed) return AlertContext::connected;
  if (step_ == Step::server_hello) return AlertContext::awaiting_server_hello;
  // Our flight (with its empty Certificate) is out and the server's Finished,
  // which would show it accepted that, has not come yet.
  const bool client_flight_sent =
      step_ == Step::new_session_ticket || step_ == Step::change_cipher_spec || step_ == Step::finished;
  if (certificate_requested_ && client_flight_sent) return AlertContext::client_certificate_pending;
  return AlertContext::handshake;
}

std::string_view ClientEngine::step_description() const {
  if (state() == State::connected || state() == State::closed) return "was connected";
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

base::Expected<void, Error> ClientEngine::write_handshake(std::span<const std::uint8_t> message) {
  return write_record(ContentType::handshake, message);
}

}  // namespace edgefetch::tls::handshake
