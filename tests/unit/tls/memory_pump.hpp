#pragma once
// Moving bytes between tls::Client and a MemoryServer by hand, as a transport
// would: the handshake and resumption tests drive every connection this way.

#include <gtest/gtest.h>

#include <algorithm>
#include <span>

#include "edgefetch/tls/client.hpp"
#include "memory_server.hpp"

namespace edgefetch::tls::test {

/// Hands everything the client queued to the server.
inline void client_to_server(Client& client, MemoryServer& server) {
  const auto out = client.pending_output();
  server.receive(out);
  client.consume_output(out.size());
}

/// Delivers `bytes` as a socket reading into the engine's own buffer would
/// (input_space/commit_input), at most `chunk` bytes per read. False when the
/// client fails on them.
inline bool deliver_in_place(Client& client, std::span<const std::uint8_t> bytes, std::size_t chunk) {
  while (!bytes.empty()) {
    const auto space = client.input_space(chunk);
    const std::size_t n = std::min({chunk, space.size(), bytes.size()});
    if (n == 0) return false;
    std::copy_n(bytes.begin(), n, space.begin());
    bytes = bytes.subspan(n);
    if (!client.commit_input(n)) return false;
  }
  return true;
}

/// Moves bytes both ways until nothing moves any more (bounded).
inline void pump(Client& client, MemoryServer& server) {
  for (int round = 0; round < 64; ++round) {
    const bool client_had_output = !client.pending_output().empty();
    client_to_server(client, server);
    server.step();
    const auto from_server = server.take_output();
    if (!from_server.empty() && client.state() != State::failed) (void)client.feed(from_server);
    if (!client_had_output && from_server.empty() && client.pending_output().empty()) return;
  }
  ADD_FAILURE() << "handshake did not settle";
}

}  // namespace edgefetch::tls::test
