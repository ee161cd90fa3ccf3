#pragma once
// Shared by the resumption tests: what the ClientHello offers, a bounded pump
// between tls::Client and the in-memory libssl server, and a hand-made Session
// for tests that script the server's answer.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "client_config.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/session.hpp"
#include "memory_pump.hpp"
#include "memory_server.hpp"

namespace edgefetch::tls::test {

/// The session_id field of the ClientHello at the start of `output` (record and
/// handshake headers, version, random, then the u8-prefixed id).
inline std::vector<std::uint8_t> hello_session_id(std::span<const std::uint8_t> output) {
  constexpr std::size_t kIdLengthOffset = 5 + 4 + 2 + 32;
  if (output.size() <= kIdLengthOffset) return {};
  const std::size_t length = output[kIdLengthOffset];
  if (output.size() < kIdLengthOffset + 1 + length) return {};
  const auto id = output.subspan(kIdLengthOffset + 1, length);
  return {id.begin(), id.end()};
}

/// True when `needle` (not empty) occurs in `haystack`.
inline bool contains(std::span<const std::uint8_t> haystack, const std::vector<std::uint8_t>& needle) {
  return !needle.empty() &&
         std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

/// A connected client (or a failed one: the caller checks) against `server`.
inline std::unique_ptr<Client> handshake(ClientConfig config, MemoryServer& server) {
  auto client = std::make_unique<Client>(std::move(config));
  client->start();
  pump(*client, server);
  return client;
}

/// Sends one request and reads the echo-free answer the server writes back:
/// proves both directions' keys agree after the handshake.
inline void expect_application_data_flows(Client& client, MemoryServer& server) {
  const std::string request = "GET / HTTP/1.0\r\n\r\n";
  ASSERT_TRUE(client.write({reinterpret_cast<const std::uint8_t*>(request.data()),  // NOLINT: bytes
                            request.size()}));
  pump(client, server);
  EXPECT_EQ(server.received(), request);
  server.write("hello from the server");
  pump(client, server);
  const auto data = client.readable();
  EXPECT_EQ(std::string(data.begin(), data.end()), "hello from the server");
  client.consume_readable(data.size());
}

/// A session made by hand (TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256, EMS, a 32-byte
/// id of 0xAB), for tests that script the server.
inline Session::State scripted_session_state(std::time_t established_at) {
  Session::State state;
  state.version = policy::ProtocolVersion::tls1_2;
  state.cipher_suite = policy::cipher_suite_by_code(0xC02F);
  state.session_id.assign(32, 0xAB);
  state.master_secret.assign(48, 0x5A);
  state.extended_master_secret = true;
  state.server_name = "origin.test";
  state.verify_name = "origin.test";
  state.certificate_verified = true;
  state.established_at = established_at;
  return state;
}

}  // namespace edgefetch::tls::test
