#pragma once
// Reassembles handshake messages from the plaintext of handshake records: a
// message may span several records and one record may hold several messages
// (RFC 5246 §6.2.1). A header announcing more than the size limit fails at
// once, before the body is buffered.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

/// A complete handshake message. The spans point into the assembler and stay
/// valid until its next add().
struct HandshakeMessageView {
  std::uint8_t type = 0;
  std::span<const std::uint8_t> bytes;  // header + body (what the transcript hashes)
  std::span<const std::uint8_t> body;
};

class HandshakeAssembler {
 public:
  /// The CDN's: its TLS library (s2n, S2N_MAXIMUM_HANDSHAKE_MESSAGE_LENGTH)
  /// refuses any handshake message, during or after the handshake, whose body
  /// is over 64 KiB, so an origin whose Certificate message is larger fails at
  /// the edge although OpenSSL (100 KiB by default) would take it.
  static constexpr std::size_t kDefaultMaxMessageSize = 64 * 1024;

  explicit HandshakeAssembler(std::size_t max_message_size = kDefaultMaxMessageSize)
      : max_message_size_(max_message_size) {}

  /// Appends the plaintext of one handshake record.
  void add(std::span<const std::uint8_t> fragment);

  /// The next complete message, std::nullopt if more bytes are needed, or an
  /// error (decode_error-class) if a message is larger than the limit.
  base::Expected<std::optional<HandshakeMessageView>, Error> next();

  /// True when no bytes of an unfinished message are buffered (a record
  /// boundary: ChangeCipherSpec or a key change must not split a message).
  [[nodiscard]] bool empty() const { return read_offset_ == buffer_.size(); }
  [[nodiscard]] std::size_t buffered() const { return buffer_.size() - read_offset_; }

 private:
  std::vector<std::uint8_t> buffer_;
  std::size_t read_offset_ = 0;
  std::size_t max_message_size_;
};

}  // namespace edgefetch::tls::messages
