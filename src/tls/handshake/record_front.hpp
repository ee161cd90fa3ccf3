#pragma once
// The record-level front end that both client state machines share,
// handshake::ClientEngine (SSLv3 to TLS 1.2) and tls13::Client13: what a client
// connection does with received records before any version-specific rule
// applies, and the connection surface around it.
//
//   - the connection state and its first error: fail() keeps the first error,
//     and an error the client detects queues our fatal alert;
//   - dispatch by content type: handshake bytes go through the
//     HandshakeAssembler to the engine message by message, ChangeCipherSpec
//     goes to the engine, alerts and application data are handled here;
//   - the bounds on records that carry nothing (empty records, warning alerts),
//     so a peer cannot keep the client busy without progress;
//   - close_notify both ways and the end-of-stream verdict;
//   - the bytes queued for the server and the decrypted application data.
//
// What differs between the versions stays with the engine (the private virtual
// functions below): its record layer, the meaning of handshake messages and
// ChangeCipherSpec, which alerts are fatal and what a fatal one means, and
// which alert descriptions the negotiated version can send.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/messages/alert.hpp"
#include "tls/messages/handshake_assembler.hpp"
#include "tls/record/record.hpp"

namespace edgefetch::tls::handshake {

/// A record with its protection removed, as either engine's record layer
/// yields it: valid until the next call into that record layer.
struct ReceivedRecord {
  ContentType type;
  std::span<const std::uint8_t> content;
};

class RecordFront {
 public:
  RecordFront(const RecordFront&) = delete;
  RecordFront& operator=(const RecordFront&) = delete;

  /// Feeds bytes received from the server and handles every complete record.
  base::Expected<void, Error> feed(std::span<const std::uint8_t> bytes);
  /// The zero-copy form of feed(): room in the record layer's buffer for at
  /// least `at_least` received bytes, for the socket to read into; then
  /// commit_input() the count it wrote. Like feed(), this ends the validity of
  /// readable() (its bytes are kept first if still unconsumed).
  [[nodiscard]] std::span<std::uint8_t> input_space(std::size_t at_least);
  base::Expected<void, Error> commit_input(std::size_t n);
  void feed_eof();

  [[nodiscard]] std::span<const std::uint8_t> pending_output() const { return output_; }
  void consume_output(std::size_t n);

  base::Expected<void, Error> write(std::span<const std::uint8_t> data);
  /// The next decrypted application data. Records are opened one at a time as
  /// the data is consumed: a record's plaintext is handed out where it was
  /// decrypted, in the record layer's buffer (no copy), until it is consumed
  /// or the next feed(); consume_readable() then opens the records behind it.
  [[nodiscard]] std::span<const std::uint8_t> readable() const;
  void consume_readable(std::size_t n);

  /// Queues close_notify (once).
  void close();

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] const Error& error() const { return error_; }
  [[nodiscard]] bool peer_closed() const { return peer_closed_; }
  /// Part of a record, or part of a handshake message, is buffered: the
  /// server is in the middle of sending something.
  [[nodiscard]] bool input_pending() const { return has_partial_record() || !assembler_.empty(); }

 protected:
  /// `output`: bytes already queued for the server (a handover's unsent bytes).
  RecordFront(State state, std::vector<std::uint8_t> output);
  // Not virtual: engines are never deleted through a RecordFront (they are final).
  ~RecordFront() = default;
  RecordFront(RecordFront&&) noexcept = default;
  RecordFront& operator=(RecordFront&&) noexcept = default;

  /// Handles the complete records the record layer holds, until one fails, the
  /// engine has handed the connection over, or application data waits to be
  /// consumed in place (the records behind it stay in the record layer).
  base::Expected<void, Error> process_records();

  /// Fails the connection with `error` unless it already failed (the first
  /// error stays); an error the client detects queues our fatal alert.
  base::Unexpected<Error> fail(Error error);
  /// protocol_violation with unexpected_message: `what` is not allowed now.
  base::Unexpected<Error> unexpected_message(std::string_view what);
  void send_alert(messages::AlertLevel level, std::uint8_t description);

  void set_state(State state) { state_ = state; }
  [[nodiscard]] bool close_notify_sent() const { return close_notify_sent_; }
  [[nodiscard]] std::vector<std::uint8_t>& output() { return output_; }
  [[nodiscard]] messages::HandshakeAssembler& assembler() { return assembler_; }
  [[nodiscard]] const messages::HandshakeAssembler& assembler() const { return assembler_; }

 private:
  // The engine's record layer.
  virtual std::span<std::uint8_t> receive_space(std::size_t at_least) = 0;
  virtual void commit_received(std::size_t n) = 0;
  virtual base::Expected<std::optional<ReceivedRecord>, Error> next_record() = 0;
  [[nodiscard]] virtual bool has_partial_record() const = 0;
  /// Appends `content` to output() as records of `type` under the current write protection.
  virtual base::Expected<void, Error> write_record(ContentType type,
                                                   std::span<const std::uint8_t> content) = 0;

  // The version's rules.
  virtual base::Expected<void, Error> handle_handshake_message(
      const messages::HandshakeMessageView& message) = 0;
  virtual base::Expected<void, Error> handle_change_cipher_spec(std::span<const std::uint8_t> content) = 0;
  /// False for the warnings that carry no obligation (close_notify never gets here).
  [[nodiscard]] virtual bool alert_is_fatal(const messages::Alert& alert) const = 0;
  /// What a fatal alert from the server means now.
  [[nodiscard]] virtual Error error_for_fatal_alert(std::uint8_t description) const = 0;
  /// The description to send for `description` (SSLv3 lacks some).
  [[nodiscard]] virtual std::uint8_t alert_to_send(std::uint8_t description) const { return description; }
  /// What the client was doing, for error messages ("waited for ServerHello").
  [[nodiscard]] virtual std::string_view step_description() const = 0;
  /// True once another engine took the connection over: no further records are read here.
  [[nodiscard]] virtual bool handed_over() const { return false; }
  /// A warning alert the connection goes on after (the engine reports it in Negotiated).
  virtual void warning_alert_received(std::uint8_t description) = 0;

  base::Expected<void, Error> handle_record(const ReceivedRecord& record);
  base::Expected<void, Error> handle_handshake_fragment(std::span<const std::uint8_t> fragment);
  base::Expected<void, Error> handle_alert(std::span<const std::uint8_t> content);
  base::Expected<void, Error> handle_application_data(std::span<const std::uint8_t> content);
  // Copies the in-place plaintext into readable_ (before the record layer's
  // buffer moves, or when every remaining record must be handled now).
  void keep_readable_view();

  State state_;
  Error error_;
  bool peer_closed_ = false;
  bool close_notify_sent_ = false;
  int consecutive_warning_alerts_ = 0;
  int consecutive_empty_records_ = 0;

  messages::HandshakeAssembler assembler_;
  std::vector<std::uint8_t> output_;
  std::vector<std::uint8_t> readable_;
  std::size_t readable_offset_ = 0;
  // Unconsumed plaintext of the last application data record, in the record
  // layer's buffer (valid until its next feed). Set only while readable_ is empty.
  std::span<const std::uint8_t> readable_view_;
  bool handle_every_record_ = false;  // feed_eof(): no record may wait behind data
};

}  // namespace edgefetch::tls::handshake
