// Origin connections as the origin sees them: one TLS handshake for many
// requests, a new connection after OriginKeepaliveTimeout.

#include <gtest/gtest.h>

#include <thread>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {
using namespace std::chrono_literals;

TEST(OriginKeepalive, ManyRequestsShareOneTlsConnection) {
  // A dedicated TLS origin so no other test's traffic is counted.
  auto origin = TestOrigin::start({support::Leaf::rsa2048, 0});
  ASSERT_NE(origin, nullptr);
  ConfigBuilder config;
  config
      .origin("secure", SharedOrigins::plain().port(), origin->port(), "https-only", nlohmann::json::object(),
              {{"OriginKeepaliveTimeout", 30}})
      .default_behavior("secure");
  Edge::Options options;
  options.config = config.text();
  options.resolve_ports = {origin->port()};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(curl(edge->url("/echo/" + std::to_string(i))).status, 200);
  const auto stats = origin->stats();
  // 10 proxied requests on one connection (+ the /stats connection of this check).
  EXPECT_EQ(stats["requests"].get<int>(), 11);
  EXPECT_EQ(stats["tls_handshakes"].get<int>(), 2);
  EXPECT_EQ(stats["connections"].get<int>(), 2);
}

TEST(OriginKeepalive, IdleConnectionExpiresAfterTheKeepaliveTimeout) {
  auto origin = TestOrigin::start({});
  ASSERT_NE(origin, nullptr);
  ConfigBuilder config;
  config
      .origin("plain", origin->port(), 443, "http-only", nlohmann::json::object(),
              {{"OriginKeepaliveTimeout", 3}})
      .default_behavior("plain");
  Edge::Options options;
  options.config = config.text();
  options.resolve_ports = {origin->port()};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  ASSERT_EQ(curl(edge->url("/echo/a")).status, 200);
  // 3 s, not 1: a loaded machine can take a second to start the next curl,
  // and the connection must still be pooled when it comes.
  ASSERT_EQ(curl(edge->url("/echo/b")).status, 200);        // reuses the pooled connection
  EXPECT_EQ(origin->stats()["connections"].get<int>(), 2);  // one pooled + /stats
  std::this_thread::sleep_for(4000ms);                      // > OriginKeepaliveTimeout (3 s)
  ASSERT_EQ(curl(edge->url("/echo/c")).status, 200);
  EXPECT_EQ(origin->stats()["connections"].get<int>(), 4);  // a new one + /stats
}

}  // namespace
}  // namespace edgefetch::e2e
