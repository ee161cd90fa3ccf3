#pragma once
// Shared by the resumption tests: client configurations trusting the test CA,
// a bounded pump between tls::Client and the in-memory libssl server, and a
// hand-made Session for tests that script the server's answer.

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/session.hpp"
#include "memory_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::tls::test {

inline std::shared_ptr<const crypto::TrustStore> resumption_trust_store() {
  static const std::shared_ptr<const crypto::TrustStore> store = [] {
    auto loaded = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
    if (!loaded) throw std::runtime_error("cannot load the test CA: " + loaded.error().message);
    return *loaded;
  }();
  return store;
}

inline ClientConfig resumption_config(
    std::vector<policy::ProtocolVersion> allowed = {policy::ProtocolVersion::tls1_2},
    std::string_view profile = "cloudfront") {
  ClientConfig config;
  const policy::Profile* p = policy::profile_by_name(profile);
  if (p == nullptr) throw std::runtime_error("no profile " + std::string(profile));
  config.offer = policy::narrow(*p, allowed);
  config.server_name = "origin.test";
  config.verify_name = "origin.test";
  config.trust_store = resumption_trust_store();
  return config;
}

/// Moves bytes both ways until nothing moves any more (bounded).
inline void pump(Client& client, MemoryServer& server) {
  for (int round = 0; round < 64; ++round) {
    const bool client_had_output = !client.pending_output().empty();
    const auto out = client.pending_output();
    server.receive(out);
    client.consume_output(out.size());
    server.step();
    const auto from_server = server.take_output();
    if (!from_server.empty() && client.state() != State::failed) (void)client.feed(from_server);
    if (!client_had_output && from_server.empty() && client.pending_output().empty()) return;
  }
  ADD_FAILURE() << "handshake did not settle";
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
