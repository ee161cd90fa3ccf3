// Probes and enumeration against origins that do not answer like a TLS
// server: plain HTTP on the TLS port, silence (the deadline must hold), a
// close right after the ClientHello, a refused port.

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>

#include "check/enumerate_offers.hpp"
#include "edgefetch/check/enumerate.hpp"
#include "edgefetch/check/probe.hpp"
#include "probe_test_servers.hpp"
#include "support/loopback_server.hpp"
#include "support/tcp.hpp"

namespace edgefetch::check {
namespace {

using namespace std::chrono_literals;
using policy::ProtocolVersion;
using support::LoopbackServer;
using testing::describe;
using testing::enumerate_loopback;
using testing::loopback_target;

ProbeOffer tls12_offer() {
  return detail::offer_for_version(ProtocolVersion::tls1_2, {0xC02F, 0x002F}, ReadDepth::server_hello);
}

// Accepts and says nothing until the test ends.
support::ConnectionHandler silent_handler() {
  return [](support::UniqueFd connection, int stop_fd) {
    pollfd stop{stop_fd, POLLIN, 0};
    (void)::poll(&stop, 1, 20000);
    (void)connection;
  };
}

TEST(ProbeMisbehaving, PlainHttpOnTheTlsPort) {
  auto server = LoopbackServer::start(support::plain_http_handler());
  ASSERT_TRUE(server) << server.error();
  const ProbeResult result = run_probe_blocking(loopback_target((*server)->port()), tls12_offer());
  EXPECT_EQ(result.outcome, ProbeOutcome::not_tls) << result.detail;
  EXPECT_NE(result.detail.find("plain HTTP"), std::string::npos) << result.detail;
  EXPECT_GT(result.bytes_read, 0u);
  EXPECT_GT(result.bytes_sent, 0u);
}

TEST(ProbeMisbehaving, PlainHttpEnumerationStopsAtTheVersionProbes) {
  auto server = LoopbackServer::start(support::plain_http_handler());
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback((*server)->port());
  SCOPED_TRACE(describe(summary));
  EXPECT_TRUE(summary.accepted_versions().empty());
  for (const VersionSupport& v : summary.versions) EXPECT_EQ(v.refusal, Refusal::not_tls) << v.detail;
  EXPECT_LE(summary.probes, 6);  // one per version and the one without SNI, nothing more
}

TEST(ProbeMisbehaving, SilentServerHitsTheDeadline) {
  auto server = LoopbackServer::start(silent_handler());
  ASSERT_TRUE(server) << server.error();
  const auto started = std::chrono::steady_clock::now();
  const ProbeResult result = run_probe_blocking(loopback_target((*server)->port(), 300ms), tls12_offer());
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.outcome, ProbeOutcome::timeout) << result.detail;
  EXPECT_GE(elapsed, 290ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_EQ(result.bytes_read, 0u);
}

TEST(ProbeMisbehaving, SilentServerEnumerationIsBounded) {
  auto server = LoopbackServer::start(silent_handler());
  ASSERT_TRUE(server) << server.error();
  EnumerateOptions options;
  const auto started = std::chrono::steady_clock::now();
  const SupportedSummary summary = enumerate_loopback((*server)->port(), options, 300ms);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  SCOPED_TRACE(describe(summary));
  EXPECT_TRUE(summary.accepted_versions().empty());
  for (const VersionSupport& v : summary.versions) EXPECT_EQ(v.refusal, Refusal::timeout) << v.detail;
  // Six probes, four at a time: two rounds of the 300 ms deadline.
  EXPECT_LT(elapsed, 3s);
  EXPECT_LE(summary.probes, 6);
}

TEST(ProbeMisbehaving, CloseAfterClientHello) {
  auto server = LoopbackServer::start(support::close_after_client_hello_handler());
  ASSERT_TRUE(server) << server.error();
  const ProbeResult result = run_probe_blocking(loopback_target((*server)->port()), tls12_offer());
  EXPECT_EQ(result.outcome, ProbeOutcome::closed) << result.detail;
  EXPECT_NE(result.detail.find("without answering"), std::string::npos) << result.detail;
}

TEST(ProbeMisbehaving, RefusedPortIsConnectFailed) {
  const std::uint16_t port = support::pick_free_port();
  const ProbeResult result = run_probe_blocking(loopback_target(port), tls12_offer());
  EXPECT_EQ(result.outcome, ProbeOutcome::connect_failed);
  EXPECT_NE(result.detail.find("refused"), std::string::npos) << result.detail;
  EXPECT_FALSE(result.endpoint.has_value());

  const SupportedSummary summary = enumerate_loopback(port);
  SCOPED_TRACE(describe(summary));
  for (const VersionSupport& v : summary.versions) EXPECT_EQ(v.refusal, Refusal::connect_failed);
  EXPECT_LE(summary.probes, 6);
}

TEST(ProbeMisbehaving, UnresolvedTargetIsALocalError) {
  ProbeTarget target = loopback_target(443);
  target.endpoints.clear();
  const ProbeResult result = run_probe_blocking(target, tls12_offer());
  EXPECT_EQ(result.outcome, ProbeOutcome::local_error);
}

}  // namespace
}  // namespace edgefetch::check
