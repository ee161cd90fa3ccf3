// An origin named by DNS rather than --resolve: the edge resolves "localhost"
// through getaddrinfo, which Asio runs on its resolver thread and answers on
// the edge's own. serve's io_context drops the reactor's per-socket locks
// (one thread runs every socket); this is the cross-thread path that stays.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {

using namespace std::chrono_literals;

// Why an origin cannot listen on [::1] here, or nothing when it can.
std::optional<std::string> ipv6_loopback_missing() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return std::string("no IPv6 sockets: ") + std::strerror(errno);
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  const int error = errno;
  ::close(fd);
  if (!bound) return std::string("cannot bind [::1]: ") + std::strerror(error);
  return std::nullopt;
}

// One http-only origin "origin.test" on `port` with `ip_address_type` and
// one connection attempt, so that the first address tried is the only one.
std::string single_attempt_config(std::uint16_t port, const std::string& ip_address_type) {
  ConfigBuilder config;
  config
      .origin("o", port, 443, "http-only", {{"ConnectionAttempts", 1}}, {{"IpAddressType", ip_address_type}})
      .default_behavior("o");
  return config.text();
}

std::unique_ptr<Edge> edge_for(const std::string& config, const std::string& resolve) {
  Edge::Options options;
  options.config = config;
  options.args = {"--resolve", resolve};
  options.access_log = "access.log";
  return Edge::start(options);
}

// An edge with `config` and `resolve` answers `path` with 200 from `address`
// (its access log's origin address).
void expect_answered_from(const std::string& config, const std::string& resolve, const std::string& path,
                          const std::string& address) {
  auto edge = edge_for(config, resolve);
  ASSERT_NE(edge, nullptr);
  const auto response = curl(edge->url(path));
  EXPECT_EQ(response.status, 200) << response.header("x-edgefetch-origin-error") << response.body;
  const auto fields = log_fields(edge->wait_access_log(path, 10s), path);
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.at("x-edgefetch-origin-ip"), address);
}

// IpAddressType ipv6: only the IPv6 address of the two --resolve gives is used.
// The IPv4 one comes first, and nothing listens there.
TEST(IpAddressType, AnIpv6OriginIsReachedOverIpv6Only) {
  if (const auto missing = ipv6_loopback_missing()) GTEST_SKIP() << "IPv6 loopback unavailable: " << *missing;
  TestOrigin::Options v6;
  v6.bind_address = "::1";
  const auto origin = TestOrigin::start(v6);
  ASSERT_NE(origin, nullptr);
  const std::string port = std::to_string(origin->port());
  expect_answered_from(single_attempt_config(origin->port(), "ipv6"),
                       "origin.test:" + port + ":127.0.0.1,::1", "/echo/v6", "::1");
}

TEST(IpAddressType, AnIpv4OriginIsReachedOverIpv4Only) {
  const std::uint16_t origin_port = SharedOrigins::plain().port();  // listens on 127.0.0.1 only
  const std::string port = std::to_string(origin_port);
  expect_answered_from(single_attempt_config(origin_port, "ipv4"), "origin.test:" + port + ":::1,127.0.0.1",
                       "/echo/v4", "127.0.0.1");
}

// Nothing of the family left: a DNS failure, not a connection to the other
// family; the start-up warning names the setting and the addresses.
TEST(IpAddressType, NoAddressOfItsFamilyIsADnsFailureWarnedAboutAtStartUp) {
  const std::uint16_t origin_port = SharedOrigins::plain().port();
  const std::string port = std::to_string(origin_port);
  auto edge = edge_for(single_attempt_config(origin_port, "ipv6"), "origin.test:" + port + ":127.0.0.1");
  ASSERT_NE(edge, nullptr);
  EXPECT_TRUE(edge->wait_stderr("IpAddressType", 2s)) << edge->stderr_text();
  EXPECT_NE(edge->stderr_text().find("DistributionConfig.Origins.Items[0].CustomOriginConfig.IpAddressType: "
                                     "ipv6, but --resolve origin.test:" +
                                     port +
                                     " gives no IPv6 address (127.0.0.1), so requests to this origin get "
                                     "502 (dns_failure)"),
            std::string::npos)
      << edge->stderr_text();

  const auto response = curl(edge->url("/echo/none"));
  EXPECT_EQ(response.status, 502) << response.body;
  EXPECT_EQ(response.header("x-edgefetch-origin-error"), "dns_failure");
  const auto fields = log_fields(edge->wait_access_log("/echo/none", 10s), "/echo/none");
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.at("x-edgefetch-origin-reason"), "dns_failure");
  EXPECT_EQ(fields.at("x-edgefetch-origin-ip"), "-");
}

TEST(DnsOrigin, OriginNamedLocalhostIsResolvedAndProxied) {
  ConfigBuilder config;
  config.origin("local", SharedOrigins::plain().port(), 443, "http-only", {{"DomainName", "localhost"}})
      .default_behavior("local");
  Edge::Options options;
  options.config = config.text();  // no --resolve: getaddrinfo answers
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  for (int i = 0; i < 5; ++i) {
    const auto response = curl(edge->url("/echo/dns" + std::to_string(i)));
    ASSERT_EQ(response.status, 200) << response.body << response.err;
    EXPECT_EQ(echo_header(response.json(), "Host"), "localhost") << response.body;
  }
}

}  // namespace
}  // namespace edgefetch::e2e
