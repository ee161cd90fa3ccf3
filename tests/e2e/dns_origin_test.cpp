// An origin named by DNS rather than --resolve: the edge resolves "localhost"
// through getaddrinfo, which Asio runs on its resolver thread and answers on
// the edge's own. serve's io_context drops the reactor's per-socket locks
// (one thread runs every socket); this is the cross-thread path that stays.

#include <gtest/gtest.h>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {

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
