// ClientEngine: session resumption. Which session goes into the ClientHello,
// the abbreviated handshake once the server accepts it, and the Session a
// later connection can resume.

#include <memory>
#include <utility>

#include "edgefetch/crypto/random.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "tls/handshake/certificate_checks.hpp"
#include "tls/handshake/client_engine.hpp"
#include "tls/handshake/resumption_rules.hpp"

namespace edgefetch::tls::handshake {

void ClientEngine::offer_session(messages::ClientHello& hello) {
  const std::shared_ptr<const Session>& candidate = config_.resume_session;
  if (!candidate || !session_misfit(*candidate, config_, verification_time_).empty()) return;
  const Session::State& state = candidate->state();
  if (!state.ticket.empty() && hello.session_ticket && hello.send_extensions) {
    // RFC 5077 §3.4: with a ticket the session id is a fresh random one; the
    // server accepts the ticket by echoing it.
    if (hello.session_id.size() != messages::kMaxSessionIdLength) {
      std::vector<std::uint8_t> fresh_id(messages::kMaxSessionIdLength);
      if (!crypto::random_bytes(fresh_id)) return;
      hello.session_id = std::move(fresh_id);
    }
    hello.session_ticket_data = state.ticket;
  } else if (!state.session_id.empty()) {
    hello.session_id = state.session_id;
  } else {
    return;
  }
  offered_session_ = candidate;
}

bool ClientEngine::resumption_accepted(const messages::ServerHello& server_hello) const {
  return offered_session_ != nullptr && !client_hello_.session_id.empty() &&
         server_hello.session_id == client_hello_.session_id;
}

base::Expected<void, Error> ClientEngine::resume() {
  const Session::State& state = offered_session_->state();
  negotiated_.resumed = true;
  // No certificate in this handshake: report the one the session was established with.
  // (Kept as a summary: parsing the leaf again would cost as much as the
  // rest of the abbreviated handshake.)
  negotiated_.certificate_chain = state.certificate_chain;
  negotiated_.certificate = state.certificate;
  master_secret_ = state.master_secret;
  if (auto keys = install_key_block(); !keys) return keys;
  step_ = server_sends_ticket_ ? Step::new_session_ticket : Step::change_cipher_spec;
  return {};
}

void ClientEngine::remember_session() {
  if (negotiated_.resumed) {
    if (!received_ticket_) {
      session_ = offered_session_;
      return;
    }
    // A new ticket for the same session (RFC 5077 §3.3): a new Session, as
    // Sessions are immutable and may be in use by other connections.
    Session::State state = offered_session_->state();
    state.ticket = *received_ticket_;
    state.ticket_lifetime_hint_s = received_ticket_lifetime_s_;
    state.established_at = verification_time_;
    if (state.ticket.empty() && state.session_id.empty()) {
      session_.reset();
      return;
    }
    session_ = std::make_shared<const Session>(std::move(state));
    return;
  }

  Session::State state;
  state.version = negotiated_.version;
  state.cipher_suite = negotiated_.cipher_suite;
  state.session_id = negotiated_.session_id;
  if (received_ticket_) {
    state.ticket = *received_ticket_;
    state.ticket_lifetime_hint_s = received_ticket_lifetime_s_;
  }
  if (state.session_id.empty() && state.ticket.empty()) return;  // the server keeps no session
  state.master_secret = master_secret_;
  state.extended_master_secret = negotiated_.extended_master_secret;
  state.server_name = config_.server_name;
  state.verify_name = config_.verify_name;
  state.certificate_verified = config_.verify_certificates;
  state.certificate_chain = negotiated_.certificate_chain;
  state.certificate = negotiated_.certificate;
  state.established_at = verification_time_;
  session_ = std::make_shared<const Session>(std::move(state));
}

}  // namespace edgefetch::tls::handshake
