// What the edge does to the fields of an origin's response head on their way
// to the viewer (facts 5.4): Vary is filtered by what the behavior forwards,
// Via carries the viewer's HTTP version, and the edge's own fields never come
// from the origin. The origin's /fields/ path sends the fields a test names.

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
constexpr const char* kAllViewer = "216adef6-5c7f-47e4-b989-5492eafa07d3";

json items(const std::vector<std::string>& names) {
  return {{"Quantity", names.size()}, {"Items", names}};
}

// Legacy settings forwarding the named headers (none when empty) and no cookie.
json legacy_forwarding(const std::vector<std::string>& headers) {
  json forwarded = {{"QueryString", false}, {"Cookies", {{"Forward", "none"}}}};
  if (!headers.empty()) forwarded["Headers"] = items(headers);
  return {{"ForwardedValues", forwarded}};
}

class ResponseFieldsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& plain = SharedOrigins::plain();
    ConfigBuilder config;
    config.origin("plain", plain.port(), SharedOrigins::tls().port(), "http-only")
        .behavior("/none/*", "plain", legacy_forwarding({}))
        .behavior("/named/*", "plain", legacy_forwarding({"X-Tenant"}))
        .behavior("/device/*", "plain", legacy_forwarding({"CloudFront-Is-Mobile-Viewer"}))
        .behavior("/allviewer/*", "plain",
                  {{"CachePolicyId", kCachingDisabled}, {"OriginRequestPolicyId", kAllViewer}})
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

  // The viewer's Vary fields for an origin answer with two Vary fields.
  static std::vector<std::string> vary_under(const std::string& behavior_prefix) {
    const auto result = curl(edge->url(
        behavior_prefix + "/fields/Vary=Accept-Encoding,%20User-Agent,%20Cookie,%20X-Tenant/Vary=X-Foo"));
    EXPECT_EQ(result.status, 200) << result.err << result.body;
    EXPECT_EQ(result.body, "fields");
    std::vector<std::string> values;
    for (auto [at, end] = result.headers.equal_range("vary"); at != end; ++at) values.push_back(at->second);
    return values;
  }

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

using Fields = std::vector<std::string>;

TEST_F(ResponseFieldsTest, VaryKeepsAcceptEncodingCookieAndTheHeadersTheBehaviorForwards) {
  // No header forwarded: the CDN keeps Accept-Encoding and Cookie (whether
  // cookies are forwarded or not) and removes the other names.
  EXPECT_EQ(vary_under("/none"), Fields{"Accept-Encoding, Cookie"});
  // A named header stays; the repeated fields become one.
  EXPECT_EQ(vary_under("/named"), Fields{"Accept-Encoding, Cookie, X-Tenant"});
  // User-Agent only when a device-detection header is forwarded.
  EXPECT_EQ(vary_under("/device"), Fields{"Accept-Encoding, User-Agent, Cookie"});
  // AllViewer forwards every header: every name stays.
  EXPECT_EQ(vary_under("/allviewer"), Fields{"Accept-Encoding, User-Agent, Cookie, X-Tenant, X-Foo"});
}

TEST_F(ResponseFieldsTest, AVaryWithNothingLeftIsRemovedAndAStarIsKept) {
  const auto emptied = curl(edge->url("/none/fields/Vary=User-Agent,%20X-Tenant/X-Kept=1"));
  ASSERT_EQ(emptied.status, 200) << emptied.err;
  EXPECT_EQ(emptied.headers.count("vary"), 0u);
  EXPECT_EQ(emptied.header("x-kept"), "1");

  const auto star = curl(edge->url("/none/fields/Vary=*"));
  ASSERT_EQ(star.status, 200) << star.err;
  EXPECT_EQ(star.header("vary"), "*");
}

}  // namespace
}  // namespace edgefetch::e2e
