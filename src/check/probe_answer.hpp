#pragma once
// Reads a server's answer to a probe's ClientHello (sans-IO: bytes in, a
// ProbeResult out) and says when enough has been read: after the ServerHello,
// the Certificate or the ServerKeyExchange depending on the requested depth,
// at an alert, at the end of the server's flight, or at anything that is not
// TLS. Every byte goes through the record reader and the bounds-checked
// message decoders.

#include <cstdint>
#include <span>

#include "edgefetch/check/probe.hpp"
#include "tls/messages/handshake_assembler.hpp"
#include "tls/record/reader.hpp"

namespace edgefetch::check::detail {

class AnswerReader {
 public:
  /// `tls13_offered`: the ClientHello carried supported_versions with 0x0304.
  AnswerReader(ReadDepth depth, bool tls13_offered);

  /// Feeds received bytes. Returns true once the answer is complete (then
  /// result() is final and further bytes are ignored).
  bool feed(std::span<const std::uint8_t> bytes);
  /// The transport reached end of stream (or was reset).
  void feed_eof(bool reset);
  /// The deadline passed.
  void timed_out();

  [[nodiscard]] bool done() const { return done_; }
  [[nodiscard]] ProbeResult& result() { return result_; }
  [[nodiscard]] const ProbeResult& result() const { return result_; }

 private:
  void process();
  void on_record(tls::ContentType type, std::uint16_t version, std::span<const std::uint8_t> fragment);
  void on_message(std::uint8_t type, std::span<const std::uint8_t> body);
  void on_server_hello(std::span<const std::uint8_t> body);
  void on_server_key_exchange(std::span<const std::uint8_t> body);
  void fail(ProbeOutcome outcome, std::string detail);
  void finish() { done_ = true; }

  ReadDepth depth_;
  bool tls13_offered_;
  tls::RecordReader records_;
  tls::messages::HandshakeAssembler assembler_;
  ProbeResult result_;
  bool have_server_hello_ = false;
  // result_.detail holds only the note of a warning alert before the
  // ServerHello, which a later failure's detail replaces.
  bool detail_is_warning_ = false;
  bool done_ = false;
};

}  // namespace edgefetch::check::detail
