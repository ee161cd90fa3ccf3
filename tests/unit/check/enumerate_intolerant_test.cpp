// A server that drops (closes) a ClientHello with many cipher suites, as some
// old middleboxes and TLS stacks do, in front of a real s_server: enumeration
// must fall back to the policy's suites and say that it did.

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <vector>

#include "edgefetch/check/enumerate.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "probe_test_servers.hpp"
#include "support/loopback_server.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/tcp.hpp"

namespace edgefetch::check {
namespace {

using namespace std::chrono_literals;
using policy::ProtocolVersion;
using support::Deadline;
using support::UniqueFd;

constexpr std::size_t kMaxSuites = 30;

// Number of cipher suites in a ClientHello record (header 5, handshake header
// 4, version 2, random 32, session id 1+n, suites 2+2k); nullopt while incomplete.
std::optional<std::size_t> suite_count(const std::vector<std::uint8_t>& record) {
  std::size_t at = 5 + 4 + 2 + 32;
  if (record.size() < at + 1) return std::nullopt;
  at += 1 + record[at];
  if (record.size() < at + 2) return std::nullopt;
  return ((static_cast<std::size_t>(record[at]) << 8) | record[at + 1]) / 2;
}

// Relays one connection to 127.0.0.1:upstream unless its ClientHello is long.
support::ConnectionHandler intolerant_relay(std::uint16_t upstream) {
  return [upstream](UniqueFd client, int stop_fd) {
    const Deadline deadline = Deadline::after(10s);
    std::vector<std::uint8_t> hello;
    std::array<std::uint8_t, 16384> buffer{};
    while (!suite_count(hello)) {
      auto n = support::recv_some(client.get(), buffer, deadline, stop_fd);
      if (!n || *n == 0) return;
      hello.insert(hello.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
    }
    if (*suite_count(hello) > kMaxSuites) return;  // close without a word
    auto server = support::connect_loopback(upstream, deadline);
    if (!server || !support::send_all(server->get(), hello, deadline)) return;
    std::array<pollfd, 3> fds = {pollfd{client.get(), POLLIN, 0}, pollfd{server->get(), POLLIN, 0},
                                 pollfd{stop_fd, POLLIN, 0}};
    while (!deadline.expired()) {
      if (::poll(fds.data(), fds.size(), deadline.poll_timeout_ms()) <= 0 || fds[2].revents != 0) return;
      for (int from = 0; from < 2; ++from) {
        if (fds[static_cast<std::size_t>(from)].revents == 0) continue;
        const int in = from == 0 ? client.get() : server->get();
        const int out = from == 0 ? server->get() : client.get();
        auto n = support::recv_some(in, buffer, deadline);
        if (!n || *n == 0) return;
        if (!support::send_all(out, std::span<const std::uint8_t>(buffer.data(), *n), deadline)) return;
      }
    }
  };
}

TEST(EnumerateIntolerant, FallsBackToThePolicysSuites) {
  support::OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:ECDHE-RSA-CHACHA20-POLY1305";
  options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
  auto server = support::OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();
  auto relay = support::LoopbackServer::start(intolerant_relay(server->port()));
  ASSERT_TRUE(relay) << relay.error();

  const SupportedSummary summary = testing::enumerate_loopback((*relay)->port());
  SCOPED_TRACE(testing::describe(summary));
  const VersionSupport* tls12 = summary.find(ProtocolVersion::tls1_2);
  ASSERT_NE(tls12, nullptr);
  EXPECT_TRUE(tls12->accepted);
  EXPECT_FALSE(tls12->complete);
  // CHACHA20 is outside the policy, so the smaller ClientHello never offered it.
  EXPECT_EQ(testing::suites_of(summary, ProtocolVersion::tls1_2),
            testing::suite_codes({"ECDHE-RSA-AES128-GCM-SHA256", "AES128-SHA"}));
  bool noted = false;
  for (const std::string& note : summary.notes)
    noted = noted || note.find("closed the connection") != std::string::npos;
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace edgefetch::check
