#include "edgefetch/net/resolve.hpp"

#include <gtest/gtest.h>

#include "edgefetch/net/error.hpp"
#include "run_awaitable.hpp"

namespace edgefetch::net {
namespace {

namespace ip = boost::asio::ip;

ResolveOverride parse_ok(std::string_view text) {
  auto entry = parse_resolve_override(text);
  EXPECT_TRUE(entry.has_value()) << text << ": " << (entry ? "" : entry.error());
  return entry ? *entry : ResolveOverride{};
}

std::string parse_error(std::string_view text) {
  auto entry = parse_resolve_override(text);
  EXPECT_FALSE(entry.has_value()) << text << " should be refused";
  return entry ? std::string() : entry.error();
}

TEST(ResolveOverrideTest, HostPortAddress) {
  const auto entry = parse_ok("origin.test:8443:127.0.0.1");
  EXPECT_EQ(entry.host, "origin.test");
  EXPECT_EQ(entry.port, 8443);
  ASSERT_EQ(entry.addresses.size(), 1u);
  EXPECT_EQ(entry.addresses[0], ip::make_address("127.0.0.1"));
}

TEST(ResolveOverrideTest, BracketedAndBareIpv6Addresses) {
  EXPECT_EQ(parse_ok("a.test:443:[::1]").addresses.at(0), ip::make_address("::1"));
  EXPECT_EQ(parse_ok("a.test:443:::1").addresses.at(0), ip::make_address("::1"));
}

TEST(ResolveOverrideTest, SeveralAddressesKeepTheirOrder) {
  const auto entry = parse_ok("a.test:80:127.0.0.2,[::1],127.0.0.1");
  ASSERT_EQ(entry.addresses.size(), 3u);
  EXPECT_EQ(entry.addresses[0], ip::make_address("127.0.0.2"));
  EXPECT_EQ(entry.addresses[1], ip::make_address("::1"));
  EXPECT_EQ(entry.addresses[2], ip::make_address("127.0.0.1"));
}

TEST(ResolveOverrideTest, BracketedIpv6Host) {
  const auto entry = parse_ok("[::1]:443:127.0.0.1");
  EXPECT_EQ(entry.host, "::1");
  EXPECT_EQ(entry.port, 443);
}

TEST(ResolveOverrideTest, RefusesMalformedEntries) {
  EXPECT_NE(parse_error("origin.test").find("no port"), std::string::npos);
  EXPECT_NE(parse_error("origin.test:443").find("no address"), std::string::npos);
  EXPECT_NE(parse_error("origin.test:443:").find("no address"), std::string::npos);
  EXPECT_NE(parse_error(":443:127.0.0.1").find("host is empty"), std::string::npos);
  EXPECT_NE(parse_error("a.test:0:127.0.0.1").find("not a port"), std::string::npos);
  EXPECT_NE(parse_error("a.test:70000:127.0.0.1").find("not a port"), std::string::npos);
  EXPECT_NE(parse_error("a.test:https:127.0.0.1").find("not a port"), std::string::npos);
  EXPECT_NE(parse_error("a.test:443:localhost").find("not an IPv4 or IPv6 address"), std::string::npos);
  EXPECT_NE(parse_error("a.test:443:127.0.0.1,").find("not an IPv4 or IPv6 address"), std::string::npos);
  EXPECT_NE(parse_error("[::1:443:127.0.0.1").find("no ']'"), std::string::npos);
  // Every message shows the expected form.
  EXPECT_NE(parse_error("x").find("HOST:PORT:ADDRESS"), std::string::npos);
}

TEST(ResolveOverrideTest, FindMatchesHostCaseInsensitivelyAndPortExactly) {
  const std::vector<ResolveOverride> overrides = {parse_ok("Origin.Test:443:127.0.0.1"),
                                                  parse_ok("origin.test:8443:127.0.0.2")};
  const auto* on_443 = find_resolve_override(overrides, "origin.TEST", 443);
  ASSERT_NE(on_443, nullptr);
  EXPECT_EQ(on_443->addresses.at(0), ip::make_address("127.0.0.1"));
  const auto* on_8443 = find_resolve_override(overrides, "origin.test", 8443);
  ASSERT_NE(on_8443, nullptr);
  EXPECT_EQ(on_8443->addresses.at(0), ip::make_address("127.0.0.2"));
  EXPECT_EQ(find_resolve_override(overrides, "origin.test", 80), nullptr);
  EXPECT_EQ(find_resolve_override(overrides, "other.test", 443), nullptr);
}

TEST(ResolveTest, OverrideWinsWithoutDns) {
  const auto resolution =
      test::run_awaitable(resolve("origin.test", 8443, {parse_ok("origin.test:8443:127.0.0.1,::1")}));
  EXPECT_FALSE(resolution.error);
  EXPECT_EQ(resolution.source, ResolveSource::override);
  ASSERT_EQ(resolution.endpoints.size(), 2u);
  EXPECT_EQ(resolution.endpoints[0], ip::tcp::endpoint(ip::make_address("127.0.0.1"), 8443));
  EXPECT_EQ(resolution.endpoints[1], ip::tcp::endpoint(ip::make_address("::1"), 8443));
}

// An origin's IpAddressType: only the addresses of its family are used, in
// their order; the others are named, for the message when none is left.
TEST(ResolveTest, AddressFamiliesKeepOnlyTheirAddresses) {
  const std::vector<ResolveOverride> overrides = {parse_ok("origin.test:443:127.0.0.1,::1,127.0.0.2")};
  const auto v4 = test::run_awaitable(resolve("origin.test", 443, overrides, AddressFamilies::ipv4_only));
  EXPECT_FALSE(v4.error) << v4.error.message();
  ASSERT_EQ(v4.endpoints.size(), 2u);
  EXPECT_EQ(v4.endpoints[0].address(), ip::make_address("127.0.0.1"));
  EXPECT_EQ(v4.endpoints[1].address(), ip::make_address("127.0.0.2"));
  ASSERT_EQ(v4.skipped.size(), 1u);
  EXPECT_EQ(v4.skipped[0].address(), ip::make_address("::1"));

  const auto v6 = test::run_awaitable(resolve("origin.test", 443, overrides, AddressFamilies::ipv6_only));
  EXPECT_FALSE(v6.error) << v6.error.message();
  ASSERT_EQ(v6.endpoints.size(), 1u);
  EXPECT_EQ(v6.endpoints[0], ip::tcp::endpoint(ip::make_address("::1"), 443));
  EXPECT_EQ(v6.skipped.size(), 2u);

  const auto both =
      test::run_awaitable(resolve("origin.test", 443, overrides, AddressFamilies::ipv4_and_ipv6));
  EXPECT_EQ(both.endpoints.size(), 3u);
  EXPECT_TRUE(both.skipped.empty());
}

TEST(ResolveTest, NoAddressOfTheFamilyLeftIsAnError) {
  const auto none = test::run_awaitable(
      resolve("origin.test", 443, {parse_ok("origin.test:443:127.0.0.1")}, AddressFamilies::ipv6_only));
  EXPECT_EQ(none.error, make_error_code(Errc::no_addresses));
  EXPECT_TRUE(none.endpoints.empty());
  ASSERT_EQ(none.skipped.size(), 1u);
  EXPECT_EQ(none.skipped[0].address(), ip::make_address("127.0.0.1"));
  EXPECT_EQ(none.source, ResolveSource::override);

  // The system resolver's answers are filtered the same way.
  const auto dns = test::run_awaitable(resolve("localhost", 8080, {}, AddressFamilies::ipv4_only));
  ASSERT_FALSE(dns.error) << dns.error.message();
  for (const auto& endpoint : dns.endpoints) EXPECT_TRUE(endpoint.address().is_v4());
}

TEST(ResolveTest, LiteralsNeedNoResolver) {
  const auto v4 = test::run_awaitable(resolve("127.0.0.1", 80, {}));
  EXPECT_EQ(v4.source, ResolveSource::literal);
  ASSERT_EQ(v4.endpoints.size(), 1u);
  EXPECT_EQ(v4.endpoints[0].port(), 80);
  const auto v6 = test::run_awaitable(resolve("::1", 443, {}));
  EXPECT_EQ(v6.source, ResolveSource::literal);
  ASSERT_EQ(v6.endpoints.size(), 1u);
  EXPECT_TRUE(v6.endpoints[0].address().is_v6());
}

TEST(ResolveTest, OverrideForAnotherPortDoesNotApply) {
  const auto resolution = test::run_awaitable(resolve("127.0.0.1", 80, {parse_ok("127.0.0.1:81:127.0.0.2")}));
  EXPECT_EQ(resolution.source, ResolveSource::literal);
  EXPECT_EQ(resolution.endpoints.at(0).address(), ip::make_address("127.0.0.1"));
}

TEST(ResolveTest, LocalhostResolvesThroughTheSystemResolver) {
  // /etc/hosts: no packet leaves the machine.
  const auto resolution = test::run_awaitable(resolve("localhost", 8080, {}));
  ASSERT_FALSE(resolution.error) << resolution.error.message();
  EXPECT_EQ(resolution.source, ResolveSource::dns);
  ASSERT_FALSE(resolution.endpoints.empty());
  for (const auto& endpoint : resolution.endpoints) {
    EXPECT_TRUE(endpoint.address().is_loopback()) << endpoint.address().to_string();
    EXPECT_EQ(endpoint.port(), 8080);
  }
}

}  // namespace
}  // namespace edgefetch::net
