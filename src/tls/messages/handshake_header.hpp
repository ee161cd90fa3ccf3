#pragma once
// The 4-byte handshake message header: msg_type (1) and body length (3).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tls/codec/byte_writer.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::messages {

inline constexpr std::size_t kHandshakeHeaderLength = 4;

/// Writes the type and opens the u24 length scope; the body goes into `w`
/// until the returned scope closes.
[[nodiscard]] inline codec::ByteWriter::Scope begin_handshake(codec::ByteWriter& w, HandshakeType type) {
  w.u8(static_cast<std::uint8_t>(type));
  return w.u24_prefixed();
}

/// Header + body as one handshake message.
std::vector<std::uint8_t> frame_handshake(HandshakeType type, std::span<const std::uint8_t> body);

}  // namespace edgefetch::tls::messages
