// What the edge does to the fields of an origin's response head on their way
// to the viewer (facts 5.4): the edge's own fields never come from the origin. The
// origin's /fields/ path sends the fields a test names.

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

}  // namespace
}  // namespace edgefetch::e2e
