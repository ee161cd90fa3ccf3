#include "tls/messages/handshake_assembler.hpp"

#include <string>

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/handshake_header.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

void HandshakeAssembler::add(std::span<const std::uint8_t> fragment) {
  // Drop what next() already handed out; earlier views become invalid here.
  if (read_offset_ > 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(read_offset_));
    read_offset_ = 0;
  }
  buffer_.insert(buffer_.end(), fragment.begin(), fragment.end());
}

base::Expected<std::optional<HandshakeMessageView>, Error> HandshakeAssembler::next() {
  const std::span<const std::uint8_t> pending = std::span<const std::uint8_t>(buffer_).subspan(read_offset_);
  codec::ByteReader r(pending);
  std::uint8_t type = 0;
  std::uint32_t length = 0;
  if (!r.read_u8(type) || !r.read_u24(length)) return std::optional<HandshakeMessageView>{};
  if (length > max_message_size_) {
    // s2n answers such a message with unexpected_message. A Certificate
    // message that large is a chain the CDN cannot take: cert_invalid, as a
    // chain longer than s2n reads (crypto/x509.cpp).
    const bool certificate = type == static_cast<std::uint8_t>(HandshakeType::certificate);
    std::string message = std::string(handshake_type_name(type)) + " message of " + std::to_string(length) +
                          " bytes exceeds the limit of " + std::to_string(max_message_size_) +
                          " bytes that the CDN's TLS library (s2n) puts on a handshake message";
    if (certificate) {
      message +=
          ": send a shorter chain (leaf and intermediates only, no root or extra cross-signed ones) or a "
          "smaller certificate";
    }
    return base::unexpected(client_error(certificate ? ErrorCode::cert_invalid : ErrorCode::decode_error,
                                         alert_description::kUnexpectedMessage, std::move(message)));
  }
  std::span<const std::uint8_t> body;
  if (!r.read_bytes(length, body)) return std::optional<HandshakeMessageView>{};
  HandshakeMessageView view{type, pending.first(kHandshakeHeaderLength + length), body};
  read_offset_ += view.bytes.size();
  return std::optional<HandshakeMessageView>{view};
}

}  // namespace edgefetch::tls::messages
