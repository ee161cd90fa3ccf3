// ClientEngine: our flight (Certificate, ClientKeyExchange, ChangeCipherSpec,
// Finished) and the server's answer (NewSessionTicket, ChangeCipherSpec,
// Finished); in an abbreviated handshake our ChangeCipherSpec and Finished
// follow the server's.

#include <string>

#include "edgefetch/crypto/constant_time.hpp"
#include "tls/handshake/client_engine.hpp"
#include "tls/messages/certificate.hpp"
#include "tls/messages/change_cipher_spec.hpp"
#include "tls/messages/finished.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/new_session_ticket.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;
using messages::client_error;

base::Expected<void, Error> ClientEngine::send_client_flight() {
  const VersionRules& version_rules = *rules_;
  std::vector<std::uint8_t> flight;
  if (certificate_requested_) {
    if (version_rules.answers_certificate_request_with_alert()) {
      send_alert(messages::AlertLevel::warning, ad::kNoCertificate);
    } else {
      const auto empty_certificate = messages::encode_empty_certificate();
      transcript_.add(empty_certificate);
      flight.insert(flight.end(), empty_certificate.begin(), empty_certificate.end());
    }
  }

  auto key_exchange =
      ecdhe_ ? ecdhe_client_key_exchange(*ecdhe_)
             : rsa_client_key_exchange(*server_key_, client_hello_.legacy_version, version_rules);
  if (!key_exchange) return fail(key_exchange.error());
  transcript_.add(key_exchange->message);
  flight.insert(flight.end(), key_exchange->message.begin(), key_exchange->message.end());
  if (auto written = write_handshake(flight); !written) return fail(written.error());

  if (auto keys = install_keys(key_exchange->premaster_secret); !keys) return keys;
  if (auto sent = send_change_cipher_spec_and_finished(); !sent) return sent;
  step_ = server_sends_ticket_ ? Step::new_session_ticket : Step::change_cipher_spec;
  return {};
}

base::Expected<void, Error> ClientEngine::send_change_cipher_spec_and_finished() {
  if (auto written = writer_.write(ContentType::change_cipher_spec, messages::kChangeCipherSpec, output());
      !written) {
    return fail(written.error());
  }
  if (auto activated = writer_.activate_pending(); !activated) return fail(activated.error());

  auto verify_data = compute_finished_verify_data(negotiated_.version, *negotiated_.cipher_suite,
                                                  master_secret_, FinishedSender::client, transcript_);
  if (!verify_data) return fail(verify_data.error());
  const auto finished = messages::encode_finished(*verify_data);
  transcript_.add(finished);
  if (auto written = write_handshake(finished); !written) return fail(written.error());
  return {};
}

base::Expected<void, Error> ClientEngine::install_keys(std::span<const std::uint8_t> premaster_secret) {
  const auto version = negotiated_.version;
  const auto& suite = *negotiated_.cipher_suite;
  // RFC 7627 §4: session_hash covers the transcript up to and including ClientKeyExchange.
  auto master =
      negotiated_.extended_master_secret
          ? compute_extended_master_secret(version, suite, premaster_secret, transcript_.current_hash())
          : compute_master_secret(version, suite, premaster_secret, client_hello_.random, server_random_);
  if (!master) return fail(master.error());
  master_secret_ = std::move(*master);
  return install_key_block();
}

// Both handshakes: the key block from master_secret_ and this connection's randoms.
base::Expected<void, Error> ClientEngine::install_key_block() {
  const auto version = negotiated_.version;
  const auto& suite = *negotiated_.cipher_suite;
  auto key_block = derive_key_block(version, suite, master_secret_, client_hello_.random, server_random_);
  if (!key_block) return fail(key_block.error());
  auto seal = make_record_protection(version, suite, key_block->client_write, ProtectionOperation::seal);
  if (!seal) return fail(seal.error());
  auto open = make_record_protection(version, suite, key_block->server_write, ProtectionOperation::open);
  if (!open) return fail(open.error());
  writer_.set_pending(std::move(*seal));
  reader_.set_pending(std::move(*open));
  return {};
}

base::Expected<void, Error> ClientEngine::on_new_session_ticket(
    const messages::HandshakeMessageView& message) {
  auto ticket = messages::decode_new_session_ticket(message.body);
  if (!ticket) return fail(ticket.error());
  // RFC 5077 §3.3: an empty ticket means the server will not issue one after all.
  negotiated_.session_ticket_received = !ticket->ticket.empty();
  received_ticket_ = std::move(ticket->ticket);
  received_ticket_lifetime_s_ = ticket->lifetime_hint_seconds;
  transcript_.add(message.bytes);
  step_ = Step::change_cipher_spec;
  return {};
}

base::Expected<void, Error> ClientEngine::on_finished(const messages::HandshakeMessageView& message) {
  auto received = messages::decode_finished(message.body, rules_->verify_data_length());
  if (!received) return fail(received.error());
  auto expected = compute_finished_verify_data(negotiated_.version, *negotiated_.cipher_suite, master_secret_,
                                               FinishedSender::server, transcript_);
  if (!expected) return fail(expected.error());
  if (!crypto::ct_equal(*received, *expected)) {
    return fail(client_error(ErrorCode::bad_finished, ad::kDecryptError,
                             "server Finished does not match the handshake transcript"));
  }
  if (!assembler().empty()) return unexpected_message("handshake data after the server's Finished");
  transcript_.add(message.bytes);
  // Abbreviated handshake: the server finished first; our Finished covers its one.
  if (negotiated_.resumed) {
    if (auto sent = send_change_cipher_spec_and_finished(); !sent) return sent;
  }
  step_ = Step::done;
  set_state(State::connected);
  remember_session();
  return {};
}

}  // namespace edgefetch::tls::handshake
