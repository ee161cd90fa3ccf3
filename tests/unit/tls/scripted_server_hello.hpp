#pragma once
// A TLS 1.2-and-below ServerHello built byte by byte, for the tests that script
// the server's answer: renegotiation_info (RFC 5746) always,
// extended_master_secret and session_ticket when asked for.

#include <cstddef>
#include <cstdint>

#include "test_bytes.hpp"

namespace edgefetch::tls::test {

inline void put_u16(Bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

/// A handshake message: type, 24-bit length, body.
inline Bytes handshake_message(std::uint8_t type, const Bytes& body) {
  Bytes out{type, 0, static_cast<std::uint8_t>(body.size() >> 8), static_cast<std::uint8_t>(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

struct ScriptedServerHello {
  std::uint16_t version = 0x0303;
  std::uint8_t random_byte = 0x11;  // the server random is 32 of these
  Bytes session_id;
  std::uint16_t suite = 0xC02F;
  bool extended_master_secret = true;
  bool session_ticket = false;
};

/// The ServerHello handshake message (header included), null compression.
inline Bytes server_hello_message(const ScriptedServerHello& hello) {
  Bytes extensions = hex("ff01 0001 00");
  if (hello.extended_master_secret) extensions = concat({extensions, hex("0017 0000")});
  if (hello.session_ticket) extensions = concat({extensions, hex("0023 0000")});
  Bytes body;
  put_u16(body, hello.version);
  body.insert(body.end(), 32, hello.random_byte);
  body.push_back(static_cast<std::uint8_t>(hello.session_id.size()));
  body.insert(body.end(), hello.session_id.begin(), hello.session_id.end());
  put_u16(body, hello.suite);
  body.push_back(0);  // null compression
  put_u16(body, extensions.size());
  body.insert(body.end(), extensions.begin(), extensions.end());
  return handshake_message(2, body);
}

}  // namespace edgefetch::tls::test
