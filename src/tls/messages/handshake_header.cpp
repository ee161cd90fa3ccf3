#include "tls/messages/handshake_header.hpp"

namespace edgefetch::tls::messages {

std::vector<std::uint8_t> frame_handshake(HandshakeType type, std::span<const std::uint8_t> body) {
  codec::ByteWriter w;
  {
    auto scope = begin_handshake(w, type);
    w.bytes(body);
  }
  return w.take();
}

}  // namespace edgefetch::tls::messages
