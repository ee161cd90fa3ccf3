// The model's helpers: enum spellings, routing by PathPattern, scheme choice.

#include "edgefetch/config/distribution.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "config_test_support.hpp"

namespace edgefetch::config {
namespace {

TEST(ConfigModel, EnumSpellingsRoundTrip) {
  for (const auto p : {OriginProtocolPolicy::http_only, OriginProtocolPolicy::match_viewer,
                       OriginProtocolPolicy::https_only}) {
    EXPECT_EQ(parse_origin_protocol_policy(to_string(p)), p);
  }
  for (const auto v : {ViewerProtocolPolicy::allow_all, ViewerProtocolPolicy::redirect_to_https,
                       ViewerProtocolPolicy::https_only}) {
    EXPECT_EQ(parse_viewer_protocol_policy(to_string(v)), v);
  }
  for (const auto t : {IpAddressType::ipv4, IpAddressType::ipv6, IpAddressType::dualstack}) {
    EXPECT_EQ(parse_ip_address_type(to_string(t)), t);
  }
  EXPECT_EQ(to_string(OriginProtocolPolicy::match_viewer), "match-viewer");
  EXPECT_EQ(to_string(OriginKind::s3), "s3");
  EXPECT_FALSE(parse_origin_protocol_policy("Match-Viewer").has_value());
  EXPECT_EQ(parse_origin_ssl_protocol("SSLv3"), policy::ProtocolVersion::ssl3);
  EXPECT_EQ(parse_origin_ssl_protocol("TLSv1"), policy::ProtocolVersion::tls1_0);
  EXPECT_EQ(parse_origin_ssl_protocol("TLSv1.1"), policy::ProtocolVersion::tls1_1);
  EXPECT_EQ(parse_origin_ssl_protocol("TLSv1.2"), policy::ProtocolVersion::tls1_2);
  EXPECT_FALSE(parse_origin_ssl_protocol("TLSv1.3").has_value());
  EXPECT_FALSE(parse_origin_ssl_protocol("TLS 1.2").has_value());
}

TEST(ConfigModel, AllowedPorts) {
  EXPECT_TRUE(is_allowed_origin_port(80));
  EXPECT_TRUE(is_allowed_origin_port(443));
  EXPECT_TRUE(is_allowed_origin_port(1024));
  EXPECT_TRUE(is_allowed_origin_port(65535));
  EXPECT_FALSE(is_allowed_origin_port(0));
  EXPECT_FALSE(is_allowed_origin_port(1023));
  EXPECT_FALSE(is_allowed_origin_port(65536));
}

TEST(ConfigModel, SchemeAndPortFollowTheProtocolPolicy) {
  CustomOriginConfig c;
  c.http_port = 8080;
  c.https_port = 8443;
  c.protocol_policy = OriginProtocolPolicy::https_only;
  EXPECT_TRUE(c.uses_https(false));
  EXPECT_TRUE(c.uses_https(true));
  c.protocol_policy = OriginProtocolPolicy::http_only;
  EXPECT_FALSE(c.uses_https(true));
  c.protocol_policy = OriginProtocolPolicy::match_viewer;
  EXPECT_TRUE(c.uses_https(true));
  EXPECT_FALSE(c.uses_https(false));
  EXPECT_EQ(c.port(true), 8443);
  EXPECT_EQ(c.port(false), 8080);
}

TEST(ConfigModel, PathPatterns) {
  EXPECT_TRUE(path_pattern_matches("*", "/"));
  EXPECT_TRUE(path_pattern_matches("*", "/anything/at/all"));
  EXPECT_TRUE(path_pattern_matches("/images/*.jpg", "/images/a/b.jpg")) << "'*' crosses '/'";
  EXPECT_FALSE(path_pattern_matches("/images/*.jpg", "/images/a.png"));
  EXPECT_TRUE(path_pattern_matches("images/*", "/images/x")) << "leading '/' is optional";
  EXPECT_TRUE(path_pattern_matches("/images/*", "images/x"));
  EXPECT_FALSE(path_pattern_matches("/Images/*", "/images/x")) << "case-sensitive";
  EXPECT_TRUE(path_pattern_matches("/a?c", "/abc"));
  EXPECT_FALSE(path_pattern_matches("/a?c", "/ac"));
  EXPECT_TRUE(path_pattern_matches("/api/*", "/api/"));
  EXPECT_FALSE(path_pattern_matches("/api/*", "/api"));
  EXPECT_TRUE(path_pattern_matches("/a*b*c", "/axxbyyc"));
  EXPECT_FALSE(path_pattern_matches("/a*b*c", "/axxbyy"));
  EXPECT_TRUE(path_pattern_matches("/exact.html", "/exact.html"));
  EXPECT_FALSE(path_pattern_matches("/exact.html", "/exact.htm"));
  EXPECT_TRUE(path_pattern_matches("/*literal*", "/x*literal*y"));
}

TEST(ConfigModel, PathPatternIsNeverExponential) {
  const std::string path = "/" + std::string(20000, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(path_pattern_matches("/*a*a*a*a*a*a*a*a*a*a*b", path));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(ConfigModel, PathsAreNormalizedBeforeMatchingAsRfc3986Says) {
  const auto normal = [](std::string_view path) {
    std::string storage;
    return std::string(normalize_path_for_matching(path, storage));
  };
  // Already normal: the same bytes, no copy.
  std::string storage;
  const std::string_view plain = "/static/a.css";
  EXPECT_EQ(normalize_path_for_matching(plain, storage).data(), plain.data());
  EXPECT_EQ(normal("/static/..hidden/.x/a..b"), "/static/..hidden/.x/a..b");
  // Dot segments (RFC 3986 5.2.4), runs of slashes, decoded unreserved characters.
  EXPECT_EQ(normal("/public/../admin/x"), "/admin/x");
  EXPECT_EQ(normal("/a/./b/."), "/a/b/");
  EXPECT_EQ(normal("/a/b/.."), "/a/");
  EXPECT_EQ(normal("/../../etc"), "/etc");
  EXPECT_EQ(normal("//admin///x"), "/admin/x");
  EXPECT_EQ(normal("/public/%2e%2E/admin"), "/admin");
  EXPECT_EQ(normal("/%61dmin/%7Ex"), "/admin/~x");
  // Reserved and other bytes stay encoded, in upper case; a stray '%' stays.
  EXPECT_EQ(normal("/a%2fb/%c3%a9"), "/a%2Fb/%C3%A9");
  EXPECT_EQ(normal("/100%/x%4"), "/100%/x%4");
  EXPECT_EQ(normal("/.."), "/");
}

TEST(ConfigModel, RoutingMatchesTheNormalizedPath) {
  auto loaded = load_distribution_config(testing::sample("get-distribution-config.json"));
  ASSERT_TRUE(loaded.has_value());
  const DistributionConfig& config = loaded->distributions.at(0).config;
  // "/static/*" goes to assets-s3 and "/legacy/*" to legacy-origin.
  EXPECT_EQ(config.behavior_for_path("/static/../legacy/page.html").target_origin_id, "legacy-origin");
  EXPECT_EQ(config.behavior_for_path("/legacy/%2e%2e/static/site.css").target_origin_id, "assets-s3");
  EXPECT_EQ(config.behavior_for_path("//legacy//page.html").target_origin_id, "legacy-origin");
}

TEST(ConfigModel, RoutingUsesTheFirstMatchingBehavior) {
  auto loaded = load_distribution_config(testing::sample("get-distribution-config.json"));
  ASSERT_TRUE(loaded.has_value());
  const DistributionConfig& config = loaded->distributions.at(0).config;
  EXPECT_EQ(config.behavior_for_path("/legacy/page.html").target_origin_id, "legacy-origin");
  EXPECT_EQ(config.behavior_for_path("/static/site.css").target_origin_id, "assets-s3");
  EXPECT_EQ(config.behavior_for_path("/app/login").target_origin_id, "api-origin");
  EXPECT_EQ(config.behavior_for_path("/plain/x").target_origin_id, "plain-http");
  EXPECT_EQ(config.behavior_for_path("/").path_pattern, "*");
  EXPECT_EQ(config.behavior_for_path("/other").target_origin_id, "api-origin");

  DistributionConfig overlapping = config;
  CacheBehavior first = overlapping.cache_behaviors[0];
  first.path_pattern = "/static/special/*";
  first.target_origin_id = "plain-http";
  overlapping.cache_behaviors.insert(overlapping.cache_behaviors.begin(), first);
  EXPECT_EQ(overlapping.behavior_for_path("/static/special/a").target_origin_id, "plain-http");
  EXPECT_EQ(overlapping.behavior_for_path("/static/other").target_origin_id, "assets-s3");

  ASSERT_NE(config.find_origin("assets-s3"), nullptr);
  EXPECT_EQ(config.find_origin("assets-s3")->kind, OriginKind::s3);
  EXPECT_EQ(config.find_origin("ASSETS-S3"), nullptr);
}

}  // namespace
}  // namespace edgefetch::config
