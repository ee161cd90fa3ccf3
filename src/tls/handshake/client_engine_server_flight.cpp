// ClientEngine: the server's first flight, ServerHello to ServerHelloDone.

#include <algorithm>
#include <string>

#include "edgefetch/crypto/x509.hpp"
#include "tls/handshake/certificate_checks.hpp"
#include "tls/handshake/client_engine.hpp"
#include "tls/handshake/resumption_rules.hpp"
#include "tls/handshake/server_hello_checks.hpp"
#include "tls/messages/certificate.hpp"
#include "tls/messages/certificate_request.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/server_hello.hpp"
#include "tls/messages/server_hello_done.hpp"
#include "tls/messages/server_key_exchange.hpp"
#include "tls/tls13/engine_bridge.hpp"
#include "tls/tls13/server_hello13.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;
using messages::client_error;

base::Expected<void, Error> ClientEngine::on_server_hello(const messages::HandshakeMessageView& message) {
  const bool tls13_offered = !client_hello_.supported_versions.empty();
  if (tls13_offered &&
      tls13::peek_selected_version(message.body) == policy::wire(policy::ProtocolVersion::tls1_3)) {
    return hand_over_to_tls13(message);
  }
  auto server_hello = messages::decode_server_hello(message.body);
  if (!server_hello) return fail(server_hello.error());
  if (tls13_offered) {
    auto below = tls13::check_answer_below_tls13(server_hello->random, server_hello->version,
                                                 server_hello->extensions);
    if (!below) return fail(below.error());
  }
  auto choice = check_server_hello(*server_hello, client_hello_, config_.offer, offered_session_ != nullptr);
  if (!choice) return fail(choice.error());
  const bool resuming = resumption_accepted(*server_hello);
  if (resuming) {
    if (auto agrees = check_resumed_server_hello(*server_hello, *offered_session_); !agrees) {
      return fail(agrees.error());
    }
  }

  rules_.emplace(choice->version);
  server_random_ = server_hello->random;
  negotiated_.version = choice->version;
  negotiated_.cipher_suite = choice->suite;
  negotiated_.session_id = server_hello->session_id;
  negotiated_.extended_master_secret =
      server_hello->extended_master_secret && rules_->supports_extended_master_secret();
  negotiated_.secure_renegotiation = server_hello->renegotiation_info.has_value();
  negotiated_.alpn = server_hello->alpn.value_or(std::string());
  server_sends_ticket_ = server_hello->session_ticket;

  transcript_.add(message.bytes);
  transcript_.select(choice->version, *choice->suite);
  writer_.set_version(rules_->wire());
  reader_.expect_version(rules_->wire());
  if (resuming) return resume();
  step_ = Step::certificate;
  return {};
}

base::Expected<void, Error> ClientEngine::on_certificate(const messages::HandshakeMessageView& message) {
  auto certificate = messages::decode_certificate(message.body);
  if (!certificate) return fail(certificate.error());
  if (certificate->chain.empty()) {
    return fail(
        client_error(ErrorCode::cert_invalid, ad::kBadCertificate, "server sent an empty certificate chain"));
  }
  negotiated_.certificate_chain = std::move(certificate->chain);
  const auto& chain = negotiated_.certificate_chain;

  auto leaf = examine_server_chain(chain, config_, verification_time_);
  if (!leaf) return fail(leaf.error());
  server_key_ = std::move(leaf->key);
  negotiated_.certificate = std::move(leaf->summary);

  std::optional<std::span<const std::uint16_t>> offered_groups;
  if (client_hello_.supported_groups) {
    offered_groups = std::span<const std::uint16_t>(*client_hello_.supported_groups);
  }
  if (auto fits = check_server_key(*server_key_, *negotiated_.cipher_suite, offered_groups); !fits) {
    return fail(fits.error());
  }

  transcript_.add(message.bytes);
  step_ = negotiated_.cipher_suite->key_exchange == policy::KeyExchange::ecdhe
              ? Step::server_key_exchange
              : Step::certificate_request_or_done;
  return {};
}

base::Expected<void, Error> ClientEngine::on_server_key_exchange(
    const messages::HandshakeMessageView& message) {
  auto decoded = messages::decode_ecdhe_server_key_exchange(message.body, rules_->signatures_name_scheme());
  if (!decoded) return fail(decoded.error());
  auto checked = check_server_key_exchange(*decoded, client_hello_, *rules_, *server_key_,
                                           client_hello_.random, server_random_);
  if (!checked) return fail(checked.error());
  negotiated_.group = checked->group;
  negotiated_.signature_scheme = checked->scheme;
  ecdhe_ = std::move(*checked);
  transcript_.add(message.bytes);
  step_ = Step::certificate_request_or_done;
  return {};
}

base::Expected<void, Error> ClientEngine::on_certificate_request(
    const messages::HandshakeMessageView& message) {
  auto decoded =
      messages::decode_certificate_request(message.body, rules_->certificate_request_has_schemes());
  if (!decoded) return fail(decoded.error());
  // The CDN presents no client certificate (facts file §2.5); we answer with
  // an empty one and let the server decide whether that is acceptable.
  certificate_requested_ = true;
  negotiated_.client_certificate_requested = true;
  transcript_.add(message.bytes);
  step_ = Step::server_hello_done;
  return {};
}

base::Expected<void, Error> ClientEngine::on_server_hello_done(
    const messages::HandshakeMessageView& message) {
  if (auto decoded = messages::decode_server_hello_done(message.body); !decoded) return fail(decoded.error());
  if (!assembler().empty()) {
    // Nothing may follow ServerHelloDone before our flight (it would be a
    // message the server sent without waiting for us).
    return unexpected_message("data after ServerHelloDone");
  }
  transcript_.add(message.bytes);
  return send_client_flight();
}

}  // namespace edgefetch::tls::handshake
