#pragma once
// The client state machine behind tls::Client (TLS 1.2 and the earlier
// versions through VersionRules). A full handshake, or an abbreviated one when
// ClientConfig::resume_session fits and the server accepts it; no renegotiation:
//
//   ClientHello            ->
//                          <-  ServerHello, Certificate, [ServerKeyExchange],
//                              [CertificateRequest], ServerHelloDone
//   [Certificate (empty)], ClientKeyExchange, ChangeCipherSpec, Finished  ->
//                          <-  [NewSessionTicket], ChangeCipherSpec, Finished
//
// Abbreviated (the ServerHello echoes the session id we sent, RFC 5246 §7.3;
// by ticket, RFC 5077 §3.4, the id is a fresh random one the server echoes):
//
//   ClientHello(session id or ticket)  ->
//                          <-  ServerHello, [NewSessionTicket], ChangeCipherSpec, Finished
//   ChangeCipherSpec, Finished          ->
//
// After a handshake, session() holds what a later connection can resume.
//
// Every message is checked against what we offered; every failure becomes a
// typed Error and, when the client is the one aborting, a fatal alert. Records,
// alerts, application data and closing are RecordFront's, shared with
// tls13::Client13.

#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/public_key.hpp"
#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/handshake/key_exchange.hpp"
#include "tls/handshake/received_alerts.hpp"
#include "tls/handshake/record_front.hpp"
#include "tls/handshake/version_rules.hpp"
#include "tls/key_schedule.hpp"
#include "tls/messages/alert.hpp"
#include "tls/messages/client_hello.hpp"
#include "tls/messages/handshake_assembler.hpp"
#include "tls/messages/server_hello.hpp"
#include "tls/record/reader.hpp"
#include "tls/record/writer.hpp"
#include "tls/tls13/client13.hpp"

namespace edgefetch::tls::handshake {

class ClientEngine final : public RecordFront {
 public:
  explicit ClientEngine(ClientConfig config);

  void start();

  [[nodiscard]] const Negotiated& negotiated() const { return negotiated_; }
  /// RFC 5246 §7.2.2: a connection that ended with a fatal alert (either way)
  /// forgets its session. A bare end of stream does not: many servers close
  /// without close_notify.
  [[nodiscard]] std::shared_ptr<const Session> session() const {
    if (state() == State::failed && error().alert_sender != AlertSender::none) return nullptr;
    return session_;
  }

  /// Set once a ServerHello selected TLS 1.3: everything tls13::Client13 needs
  /// to continue the connection (taken once; this engine is finished then).
  std::optional<tls13::HandoverPackage> take_tls13_handover();

  /// The ClientHello as sent (after start()).
  [[nodiscard]] const messages::ClientHello& client_hello() const { return client_hello_; }

 private:
  // What the handshake waits for next.
  enum class Step {
    server_hello,
    certificate,
    server_key_exchange,
    certificate_request_or_done,
    server_hello_done,
    new_session_ticket,
    change_cipher_spec,
    finished,
    done,
  };

  // RecordFront: the TLS 1.2 record layer and rules.
  std::span<std::uint8_t> receive_space(std::size_t at_least) override;
  void commit_received(std::size_t n) override;
  base::Expected<std::optional<ReceivedRecord>, Error> next_record() override;
  [[nodiscard]] bool has_partial_record() const override;
  base::Expected<void, Error> write_record(ContentType type, std::span<const std::uint8_t> content) override;
  base::Expected<void, Error> handle_handshake_message(
      const messages::HandshakeMessageView& message) override;
  base::Expected<void, Error> handle_change_cipher_spec(std::span<const std::uint8_t> fragment) override;
  [[nodiscard]] bool alert_is_fatal(const messages::Alert& alert) const override;
  [[nodiscard]] Error error_for_fatal_alert(std::uint8_t description) const override;
  void warning_alert_received(std::uint8_t description) override {
    note_warning_alert(negotiated_, description);
  }
  [[nodiscard]] std::uint8_t alert_to_send(std::uint8_t description) const override;
  [[nodiscard]] std::string_view step_description() const override;
  [[nodiscard]] bool handed_over() const override { return tls13_handover_.has_value(); }

  base::Expected<void, Error> handle_hello_request(const messages::HandshakeMessageView& message);

  // One handler per server message (client_engine_server_flight.cpp).
  base::Expected<void, Error> on_server_hello(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_certificate(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_server_key_exchange(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_certificate_request(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_server_hello_done(const messages::HandshakeMessageView& message);
  // Our flight and the server's answer (client_engine_finish.cpp).
  base::Expected<void, Error> send_client_flight();
  base::Expected<void, Error> install_keys(std::span<const std::uint8_t> premaster_secret);
  base::Expected<void, Error> install_key_block();
  base::Expected<void, Error> on_new_session_ticket(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_finished(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> send_change_cipher_spec_and_finished();
  // Resumption (client_engine_resumption.cpp).
  void offer_session(messages::ClientHello& hello);
  [[nodiscard]] bool resumption_accepted(const messages::ServerHello& server_hello) const;
  base::Expected<void, Error> resume();
  void remember_session();

  // TLS 1.3 offers and the handover (client_engine_tls13.cpp).
  base::Expected<void, Error> add_tls13_key_share();
  base::Expected<void, Error> hand_over_to_tls13(const messages::HandshakeMessageView& message);

  base::Expected<void, Error> write_handshake(std::span<const std::uint8_t> message);
  [[nodiscard]] VersionRules rules() const;
  [[nodiscard]] AlertContext alert_context() const;
  [[nodiscard]] std::string offered_versions_text() const;

  ClientConfig config_;
  Step step_ = Step::server_hello;
  Negotiated negotiated_;
  std::time_t verification_time_ = 0;

  messages::ClientHello client_hello_;
  std::array<std::uint8_t, messages::kRandomLength> server_random_{};
  std::optional<VersionRules> rules_;  // set by ServerHello
  bool server_sends_ticket_ = false;
  bool certificate_requested_ = false;
  std::shared_ptr<const crypto::PublicKey> server_key_;
  std::optional<EcdheParameters> ecdhe_;
  crypto::SecretBytes master_secret_;

  Transcript transcript_;
  RecordReader reader_;
  RecordWriter writer_;

  std::shared_ptr<const Session> offered_session_;            // resume_session when it fits, else null
  std::optional<std::vector<std::uint8_t>> received_ticket_;  // NewSessionTicket's ticket (may be empty)
  std::uint32_t received_ticket_lifetime_s_ = 0;
  std::shared_ptr<const Session> session_;  // resumable once connected

  std::vector<crypto::KeyShare> tls13_key_shares_;  // private halves of the ClientHello's key_share
  std::optional<tls13::HandoverPackage> tls13_handover_;
};

}  // namespace edgefetch::tls::handshake
