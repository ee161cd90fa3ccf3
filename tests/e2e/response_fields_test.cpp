// What the edge does to the fields of an origin's response head on their way
// to the viewer (facts 5.4): Via carries the viewer's HTTP version, and the edge's
// own fields never come from the origin. The origin's /fields/ path sends
// the fields a test names.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {
using nlohmann::json;

constexpr const char* kCachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

class ResponseFieldsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& plain = SharedOrigins::plain();
    ConfigBuilder config;
    config.origin("plain", plain.port(), SharedOrigins::tls().port(), "http-only")
        .behavior("/readonly/*", "plain",
                  {{"CachePolicyId", kCachingDisabled},
                   {"AllowedMethods", {{"Quantity", 2}, {"Items", {"GET", "HEAD"}}}}})
        .default_behavior("plain", {{"CachePolicyId", kCachingDisabled}});
    Edge::Options options;
    options.config = config.text();
    options.resolve_ports = {plain.port()};
    edge = Edge::start(options);
  }
  static void TearDownTestSuite() { edge.reset(); }
  void SetUp() override { ASSERT_NE(edge, nullptr); }

  static std::unique_ptr<Edge> edge;  // the suite's, on the shared plain origin
};
std::unique_ptr<Edge> ResponseFieldsTest::edge;

TEST_F(ResponseFieldsTest, TheOriginCannotSendTheEdgesOwnFields) {
  const auto result = curl(edge->url("/fields/X-Edgefetch-Origin-Error=spoofed/X-Cache=Hit%20from%20origin"));
  ASSERT_EQ(result.status, 200) << result.err;
  EXPECT_EQ(result.headers.count("x-edgefetch-origin-error"), 0u)
      << result.header("x-edgefetch-origin-error");
  EXPECT_EQ(result.header("x-cache"), "Miss from cloudfront");
  EXPECT_EQ(result.headers.count("x-cache"), 1u);
}

TEST_F(ResponseFieldsTest, ViaCarriesTheViewersHttpVersion) {
  const std::string relayed = raw_exchange(edge->port(), "GET /echo/v10 HTTP/1.0\r\nHost: a\r\n\r\n");
  ASSERT_EQ(first_status(relayed), 200) << relayed;
  EXPECT_NE(relayed.find("\r\nVia: 1.0 "), std::string::npos) << relayed;
  EXPECT_EQ(relayed.find("\r\nVia: 1.1 "), std::string::npos) << relayed;

  // An answer the edge generates (a method the behavior does not allow).
  const std::string generated = raw_exchange(edge->port(), "DELETE /readonly/x HTTP/1.0\r\nHost: a\r\n\r\n");
  ASSERT_EQ(first_status(generated), 403) << generated;
  EXPECT_NE(generated.find("\r\nVia: 1.0 "), std::string::npos) << generated;

  const auto http11 = curl(edge->url("/echo/v11"));
  ASSERT_EQ(http11.status, 200) << http11.err;
  EXPECT_EQ(http11.header("via").rfind("1.1 ", 0), 0u) << http11.header("via");
}

}  // namespace
}  // namespace edgefetch::e2e
