#include "tls/messages/client_key_exchange.hpp"

#include "tls/codec/byte_writer.hpp"
#include "tls/messages/handshake_header.hpp"

namespace edgefetch::tls::messages {

std::vector<std::uint8_t> encode_ecdhe_client_key_exchange(std::span<const std::uint8_t> public_point) {
  codec::ByteWriter w;
  {
    auto message = begin_handshake(w, HandshakeType::client_key_exchange);
    w.u8_prefixed_bytes(public_point);
  }
  return w.take();
}

std::vector<std::uint8_t> encode_rsa_client_key_exchange(std::span<const std::uint8_t> encrypted_premaster,
                                                         bool ssl3) {
  codec::ByteWriter w;
  {
    auto message = begin_handshake(w, HandshakeType::client_key_exchange);
    if (ssl3) {
      w.bytes(encrypted_premaster);
    } else {
      w.u16_prefixed_bytes(encrypted_premaster);
    }
  }
  return w.take();
}

}  // namespace edgefetch::tls::messages
