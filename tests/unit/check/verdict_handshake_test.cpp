// The verdict handshake against real local servers: a compatible s_server, a
// certificate the edge refuses (the chain is kept for the audit), a refused
// port (every attempt made), and a server that never answers (the connection
// timeout bounds the handshake). Plus the small pure pieces: verdict order,
// names, target display and the offer.

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>

#include "edgefetch/check/check.hpp"
#include "edgefetch/check/verdict.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "support/loopback_server.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;

VerdictHandshake handshake(const OriginTarget& target, const EdgeSettings& settings) {
  boost::asio::io_context io;
  std::optional<VerdictHandshake> result;
  boost::asio::co_spawn(io, run_verdict_handshake(target, settings),
                        [&result](std::exception_ptr error, VerdictHandshake value) {
                          ASSERT_FALSE(error);
                          result = std::move(value);
                        });
  io.run();
  return result.value_or(VerdictHandshake{});
}

OriginTarget loopback(std::uint16_t port) {
  OriginTarget target;
  target.host = "origin.test";
  target.port = port;
  auto override = net::parse_resolve_override("origin.test:" + std::to_string(port) + ":127.0.0.1");
  EXPECT_TRUE(override);
  target.resolve_overrides.push_back(*override);
  auto store = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
  EXPECT_TRUE(store);
  target.trust_store = *store;
  return target;
}

std::optional<support::OpenSslServer> serve(support::Leaf leaf, std::string version = "-tls1_2",
                                            std::string ciphers = "ECDHE-RSA-AES128-GCM-SHA256") {
  support::OpenSslServerOptions options;
  options.version_flag = std::move(version);
  options.ciphers = std::move(ciphers);
  options.identity = support::TestPki::get().leaf(leaf);
  auto server = support::OpenSslServer::start(std::move(options));
  EXPECT_TRUE(server) << (server ? "" : server.error());
  if (!server) return std::nullopt;
  return std::move(*server);
}

TEST(VerdictHandshake, CompatibleOrigin) {
  auto server = serve(support::Leaf::rsa2048);
  ASSERT_TRUE(server);
  const auto h = handshake(loopback(server->port()), EdgeSettings{});
  EXPECT_EQ(h.verdict, Verdict::compatible) << h.error.message;
  ASSERT_NE(h.negotiated.cipher_suite, nullptr);
  EXPECT_EQ(h.negotiated.cipher_suite->code, 0xC02F);
  EXPECT_EQ(h.negotiated.version, ProtocolVersion::tls1_2);
  EXPECT_EQ(h.resolve_source, net::ResolveSource::override);
  EXPECT_EQ(h.connections(), 1);
  ASSERT_TRUE(h.remote);
  EXPECT_EQ(h.remote->port(), server->port());
}

TEST(VerdictHandshake, RefusedCertificateKeepsTheChain) {
  auto server = serve(support::Leaf::wrong_name);
  ASSERT_TRUE(server);
  const auto h = handshake(loopback(server->port()), EdgeSettings{});
  EXPECT_EQ(h.verdict, Verdict::incompatible);
  EXPECT_EQ(h.error.code, tls::ErrorCode::cert_name_mismatch);
  EXPECT_FALSE(h.negotiated.certificate_chain.empty());
}

TEST(VerdictHandshake, VersionBelowTheFloorIsIncompatible) {
  auto server = serve(support::Leaf::rsa2048, "-tls1", "ECDHE-RSA-AES128-SHA");
  ASSERT_TRUE(server);
  EdgeSettings settings;
  const auto strict = handshake(loopback(server->port()), settings);
  EXPECT_EQ(strict.verdict, Verdict::incompatible);
  EXPECT_EQ(strict.error.code, tls::ErrorCode::version_not_allowed) << strict.error.message;
}

TEST(VerdictHandshake, RefusedPortUsesEveryAttempt) {
  std::uint16_t port = 0;
  {
    auto server = support::LoopbackServer::start([](support::UniqueFd, int) {});
    ASSERT_TRUE(server);
    port = (*server)->port();
  }
  EdgeSettings settings;
  settings.connection_attempts = 3;
  const auto h = handshake(loopback(port), settings);
  EXPECT_EQ(h.verdict, Verdict::unreachable);
  ASSERT_EQ(h.connections(), 3);
  for (const auto& a : h.connect_attempts) EXPECT_EQ(a.outcome, net::ConnectOutcome::refused);
  EXPECT_FALSE(h.handshake_started);
}

TEST(VerdictHandshake, SilentOriginTimesOutWithinTheConnectionTimeout) {
  auto server = support::LoopbackServer::start([](support::UniqueFd connection, int stop_fd) {
    pollfd fds[2] = {{connection.get(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
    // Read the ClientHello and never answer; return when the client closes or the test ends.
    char buffer[4096];
    for (;;) {
      if (::poll(fds, 2, 5000) <= 0 || (fds[1].revents & POLLIN) != 0) return;
      if (::read(connection.get(), buffer, sizeof buffer) <= 0) return;
    }
  });
  ASSERT_TRUE(server);
  EdgeSettings settings;
  settings.connection_timeout = std::chrono::seconds(1);
  const auto started = std::chrono::steady_clock::now();
  const auto h = handshake(loopback((*server)->port()), settings);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(h.verdict, Verdict::unreachable);
  EXPECT_TRUE(h.handshake_started);
  EXPECT_TRUE(h.handshake_timed_out);
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(VerdictBasics, WorseOrdersUnreachableOverIncompatibleOverCompatible) {
  EXPECT_EQ(worse(Verdict::compatible, Verdict::incompatible), Verdict::incompatible);
  EXPECT_EQ(worse(Verdict::incompatible, Verdict::compatible), Verdict::incompatible);
  EXPECT_EQ(worse(Verdict::incompatible, Verdict::unreachable), Verdict::unreachable);
  EXPECT_EQ(worse(Verdict::unreachable, Verdict::compatible), Verdict::unreachable);
  EXPECT_EQ(worse(Verdict::compatible, Verdict::compatible), Verdict::compatible);
  EXPECT_EQ(verdict_name(Verdict::compatible), "compatible");
  EXPECT_EQ(verdict_name(Verdict::incompatible), "incompatible");
  EXPECT_EQ(verdict_name(Verdict::unreachable), "unreachable");
}

TEST(VerdictBasics, TargetNamesAndOffer) {
  OriginTarget t;
  t.host = "::1";
  t.port = 8443;
  EXPECT_EQ(t.display(), "[::1]:8443");
  EXPECT_EQ(t.server_name(), "::1");
  t.host = "origin.test";
  t.host_header = "www.example.test";
  EXPECT_EQ(t.display(), "origin.test:8443");
  EXPECT_EQ(t.server_name(), "www.example.test");

  EdgeSettings settings;
  EXPECT_EQ(&settings.effective_profile(), &policy::default_profile());
  EXPECT_EQ(settings.offer().min_version, ProtocolVersion::tls1_2);
  settings.origin_ssl_protocols = {ProtocolVersion::tls1_0};
  EXPECT_EQ(settings.offer().min_version, ProtocolVersion::tls1_0);
  EXPECT_EQ(settings.offer().max_version, ProtocolVersion::tls1_2);
}

TEST(VerdictBasics, CheckOriginWithoutEnumerationMakesOneConnection) {
  auto server = serve(support::Leaf::rsa2048);
  ASSERT_TRUE(server);
  CheckOptions options;
  options.enumerate = false;
  const auto report = check_origin_blocking(loopback(server->port()), EdgeSettings{}, options);
  EXPECT_EQ(report.verdict(), Verdict::compatible);
  EXPECT_EQ(report.probes, 1);
  EXPECT_FALSE(report.supported);
  EXPECT_EQ(report.enumeration_skipped, "--no-enumerate");
  ASSERT_TRUE(report.diagnosis.certificate);
  EXPECT_TRUE(report.diagnosis.certificate->acceptable());
}

}  // namespace
}  // namespace edgefetch::check
