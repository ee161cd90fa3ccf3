#pragma once
// The TLS 1.3 client state machine (RFC 8446), full handshake with (EC)DHE and
// certificate authentication:
//
//   ClientHello (sent by the TLS 1.2 engine) ->
//                     <- [HelloRetryRequest -> [CCS] ClientHello2 ->]
//                     <- ServerHello, [CCS], {EncryptedExtensions},
//                        {[CertificateRequest]}, {Certificate}, {CertificateVerify}, {Finished}
//   [CCS] {[Certificate (empty)]} {Finished} ->
//                     <- [NewSessionTicket] [KeyUpdate] application data
//
// handshake::ClientEngine builds and sends the first ClientHello (it must also
// speak TLS 1.2 and below) and hands over to this class when the ServerHello
// selects TLS 1.3 through supported_versions. Middlebox compatibility (RFC 8446
// §D.4): a non-empty legacy_session_id is echoed, the server's dummy
// ChangeCipherSpec is dropped, and we send one before our second flight.
// Records, alerts, application data and closing are handshake::RecordFront's,
// shared with the TLS 1.2 engine.

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/key_share.hpp"
#include "edgefetch/crypto/public_key.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/handshake/record_front.hpp"
#include "tls/messages/alert.hpp"
#include "tls/messages/handshake_assembler.hpp"
#include "tls/tls13/key_schedule.hpp"
#include "tls/tls13/own_client_hello.hpp"
#include "tls/tls13/record_layer.hpp"

namespace edgefetch::tls::tls13 {

/// Everything the TLS 1.2 engine hands over.
struct Handover {
  ClientConfig config;
  std::time_t verification_time = 0;
  std::vector<std::uint8_t> client_hello;    // the first ClientHello as sent (header included)
  std::vector<crypto::KeyShare> key_shares;  // the private halves of its key_share entries
  std::vector<std::uint8_t> unsent_output;   // bytes the TLS 1.2 engine had queued but not sent yet
  std::vector<std::uint8_t> warning_alerts;  // Negotiated::warning_alerts before the ServerHello
};

/// The handover with the ServerHello that triggered it and the bytes received after its record.
struct HandoverPackage {
  Handover handover;
  std::vector<std::uint8_t> server_hello;  // handshake message, header included
  std::vector<std::uint8_t> received_after;
};

class Client13 final : public handshake::RecordFront {
 public:
  explicit Client13(Handover handover);

  /// Continues from the ServerHello (or HelloRetryRequest) the TLS 1.2 engine
  /// read (`server_hello`: the message with its header) and the bytes it had
  /// received after that record. On error the connection is failed (error()).
  base::Expected<void, Error> start(std::span<const std::uint8_t> server_hello,
                                    std::span<const std::uint8_t> received_after);

  [[nodiscard]] const Negotiated& negotiated() const { return negotiated_; }

  /// Test hooks: number of HelloRetryRequests and KeyUpdates processed.
  [[nodiscard]] int hello_retry_requests() const { return hello_retry_requests_; }
  [[nodiscard]] int key_updates_received() const { return negotiated_.key_updates_received; }
  /// Test hook: asks for a KeyUpdate of our sending keys (update_requested = the peer must answer).
  base::Expected<void, Error> update_keys(bool request_peer_update);

 private:
  enum class Step {
    server_hello,  // after a HelloRetryRequest
    encrypted_extensions,
    certificate_request_or_certificate,
    certificate,
    certificate_verify,
    finished,
    connected,
  };

  // RecordFront: the TLS 1.3 record layer and rules.
  std::span<std::uint8_t> receive_space(std::size_t at_least) override;
  void commit_received(std::size_t n) override;
  base::Expected<std::optional<handshake::ReceivedRecord>, Error> next_record() override;
  [[nodiscard]] bool has_partial_record() const override;
  base::Expected<void, Error> write_record(ContentType type, std::span<const std::uint8_t> content) override;
  base::Expected<void, Error> handle_handshake_message(
      const messages::HandshakeMessageView& message) override;
  base::Expected<void, Error> handle_change_cipher_spec(std::span<const std::uint8_t> content) override;
  [[nodiscard]] bool alert_is_fatal(const messages::Alert& alert) const override;
  [[nodiscard]] Error error_for_fatal_alert(std::uint8_t description) const override;
  // Only user_canceled gets here (alert_is_fatal), which s2n, too, takes as a
  // warning in TLS 1.3 whatever its settings: nothing to report.
  void warning_alert_received(std::uint8_t /*description*/) override {}
  [[nodiscard]] std::string_view step_description() const override;

  // Handshake messages (client13_handshake.cpp).
  base::Expected<void, Error> on_server_hello(std::span<const std::uint8_t> message);
  base::Expected<void, Error> on_hello_retry_request(const ServerHello13& hrr,
                                                     std::span<const std::uint8_t> message);
  base::Expected<void, Error> on_encrypted_extensions(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_certificate_request(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_certificate(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_certificate_verify(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_finished(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_new_session_ticket(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> on_key_update(const messages::HandshakeMessageView& message);
  base::Expected<void, Error> send_client_flight();
  base::Expected<void, Error> check_server_hello_fields(const ServerHello13& hello);
  void send_compatibility_ccs();

  ClientConfig config_;
  std::time_t verification_time_;
  std::vector<std::uint8_t> client_hello_;
  OwnClientHello own_hello_;
  std::vector<crypto::KeyShare> key_shares_;

  Step step_ = Step::server_hello;
  Negotiated negotiated_;
  bool ccs_sent_ = false;
  bool certificate_requested_ = false;
  std::vector<std::uint8_t> certificate_request_context_;
  int hello_retry_requests_ = 0;
  int dropped_ccs_ = 0;
  std::optional<std::uint16_t> retry_suite_;

  std::optional<crypto::HashContext> transcript_;
  std::optional<KeySchedule13> schedule_;
  std::shared_ptr<const crypto::PublicKey> server_key_;
  crypto::SecretBytes client_traffic_secret_;  // current application traffic secrets (KeyUpdate ratchet)
  crypto::SecretBytes server_traffic_secret_;

  RecordLayer13 records_;
};

}  // namespace edgefetch::tls::tls13
