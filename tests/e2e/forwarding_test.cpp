// What reaches the origin under each kind of behavior settings, seen from the
// origin's side: legacy ForwardedValues, managed policies, custom policies
// from --policies (re-read on SIGHUP; an unknown one refused), CloudFront
// headers the edge adds, and Set-Cookie on the way back.

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kCachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
constexpr const char* kCachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
constexpr const char* kAllViewerExceptHost = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

json items(const std::vector<std::string>& names) {
  return {{"Quantity", names.size()}, {"Items", names}};
}

// A custom origin request policy as `aws cloudfront get-origin-request-policy` prints it.
std::string request_policy_file(const std::string& query_behavior) {
  json policy{{"ETag", "E2E"},
              {"OriginRequestPolicy",
               {{"Id", "e2e-request-policy"},
                {"OriginRequestPolicyConfig",
                 {{"Name", "e2e-viewer-details"},
                  {"HeadersConfig",
                   {{"HeaderBehavior", "allViewerAndWhitelistCloudFront"},
                    {"Headers", items({"CloudFront-Viewer-Address", "CloudFront-Forwarded-Proto",
                                       "CloudFront-Viewer-Http-Version", "CloudFront-Viewer-TLS",
                                       "CloudFront-Viewer-Header-Count", "CloudFront-Viewer-Country"})}}},
                  {"CookiesConfig", {{"CookieBehavior", "allExcept"}, {"Cookies", items({"tracking"})}}},
                  {"QueryStringsConfig",
                   query_behavior == "whitelist"
                       ? json{{"QueryStringBehavior", "whitelist"}, {"QueryStrings", items({"page"})}}
                       : json{{"QueryStringBehavior", query_behavior}}}}}}}};
  return policy.dump();
}

class ForwardingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& plain = SharedOrigins::plain();
    auto& tls = SharedOrigins::tls();
    scratch_ = support::ScratchDir::create("e2e-forwarding");
    policy_path_ = (scratch_ / "request-policy.json").string();
    std::ofstream(policy_path_) << request_policy_file("whitelist");

    ConfigBuilder config;
    config.origin("plain", plain.port(), tls.port(), "http-only")
        .behavior(
            "/legacy/*", "plain",
            {{"AllowedMethods", all_methods()},
             {"ForwardedValues",
              {{"QueryString", false},
               {"Cookies", {{"Forward", "whitelist"}, {"WhitelistedNames", items({"session", "pref_*"})}}},
               {"Headers", items({"X-Tenant", "CloudFront-Forwarded-Proto"})}}}})
        .behavior("/legacyall/*", "plain",
                  {{"ForwardedValues",
                    {{"QueryString", true}, {"Cookies", {{"Forward", "all"}}}, {"Headers", items({"*"})}}}})
        .behavior("/optimized/*", "plain", {{"CachePolicyId", kCachingOptimized}})
        .behavior("/allviewer/*", "plain",
                  {{"CachePolicyId", kCachingDisabled}, {"OriginRequestPolicyId", kAllViewerExceptHost}})
        .behavior("/custom/*", "plain",
                  {{"CachePolicyId", kCachingDisabled}, {"OriginRequestPolicyId", "e2e-request-policy"}})
        .default_behavior("plain", {{"CachePolicyId", kCachingDisabled}});
    Edge::Options options;
    options.config = config.text();
    options.tls_listener = true;
    options.resolve_ports = {plain.port(), tls.port()};
    options.args = {"--policies", policy_path_};
    options.access_log = "access.log";
    edge_ = Edge::start(options).release();
  }
  static void TearDownTestSuite() {
    delete edge_;
    edge_ = nullptr;
    scratch_ = support::ScratchDir();
  }
  void SetUp() override { ASSERT_NE(edge_, nullptr); }

  static json echo(const HttpResult& result) {
    EXPECT_EQ(result.status, 200) << result.err << result.body;
    return result.status == 200 ? result.json() : json::object();
  }

  static Edge* edge_;
  static support::ScratchDir scratch_;
  static std::string policy_path_;
};
Edge* ForwardingTest::edge_ = nullptr;
support::ScratchDir ForwardingTest::scratch_;
std::string ForwardingTest::policy_path_;

const std::vector<std::string> kViewerHeaders = {"-H", "Accept: text/html",
                                                 "-H", "Accept-Language: de",
                                                 "-H", "Referer: https://r.test/",
                                                 "-H", "Authorization: Bearer t0k3n",
                                                 "-H", "X-Tenant: blue",
                                                 "-H", "X-Other: 1",
                                                 "-H", "Cookie: session=1; tracking=2; pref_lang=en",
                                                 "-H", "Accept-Encoding: gzip, deflate, br",
                                                 "-H", "X-Forwarded-Proto: https",
                                                 "-H", "CloudFront-Viewer-Country: forged",
                                                 "-H", "If-None-Match: \"v1\"",
                                                 "-H", "Range: bytes=0-10",
                                                 "-A", "viewer-agent/1"};

TEST_F(ForwardingTest, LegacySettingsRemoveWhatTheCdnsTableRemovesAndFilterCookiesAndQuery) {
  const json e = echo(curl(edge_->url("/legacy/echo/a?x=1&y=2"), kViewerHeaders));
  EXPECT_EQ(e["target"], "/legacy/echo/a") << "QueryString false removes the query string";
  for (const char* removed : {"Accept", "Accept-Language", "Referer", "Authorization", "X-Forwarded-Proto",
                              "CloudFront-Viewer-Country"}) {
    EXPECT_EQ(echo_header_count(e, removed), 0u) << removed;
  }
  EXPECT_EQ(echo_header(e, "X-Tenant"), "blue");
  EXPECT_EQ(echo_header(e, "X-Other"), "1") << "headers the table does not name are forwarded";
  EXPECT_EQ(echo_header(e, "Cookie"), "pref_lang=en; session=1") << "whitelist with a wildcard, sorted";
  EXPECT_EQ(echo_header(e, "Accept-Encoding"), "br,gzip");
  EXPECT_EQ(echo_header(e, "CloudFront-Forwarded-Proto"), "http");
  EXPECT_EQ(echo_header(e, "User-Agent"), "Amazon CloudFront");
  EXPECT_EQ(echo_header(e, "If-None-Match"), "\"v1\"");
  EXPECT_EQ(echo_header(e, "Host"), "origin.test");

  // Authorization goes through on methods that are not cached.
  const json post = echo(
      curl(edge_->url("/legacy/echo/p"), {"-X", "POST", "-d", "x=1", "-H", "Authorization: Bearer t0k3n"}));
  EXPECT_EQ(echo_header(post, "Authorization"), "Bearer t0k3n");
  EXPECT_EQ(echo_header(post, "Content-Type"), "application/x-www-form-urlencoded");

  // Headers '*' and Forward all: everything, Host included.
  const json all = echo(curl(edge_->url("/legacyall/echo/a?x=1"), kViewerHeaders));
  EXPECT_EQ(all["target"], "/legacyall/echo/a?x=1");
  EXPECT_EQ(echo_header(all, "Accept"), "text/html");
  EXPECT_EQ(echo_header(all, "Authorization"), "Bearer t0k3n");
  EXPECT_EQ(echo_header(all, "Cookie"), "session=1; tracking=2; pref_lang=en");
  EXPECT_EQ(echo_header(all, "Host"), "127.0.0.1:" + std::to_string(edge_->port()));
}

TEST_F(ForwardingTest, ACachePolicyAloneForwardsOnlyWhatItNames) {
  const json e = echo(curl(edge_->url("/optimized/echo/x?y=1"), kViewerHeaders));
  EXPECT_EQ(e["target"], "/optimized/echo/x");
  for (const char* removed :
       {"Accept", "Authorization", "X-Tenant", "X-Other", "Cookie", "Referer", "CloudFront-Viewer-Country"}) {
    EXPECT_EQ(echo_header_count(e, removed), 0u) << removed;
  }
  EXPECT_EQ(echo_header(e, "Accept-Encoding"), "br,gzip") << "CachingOptimized normalizes gzip and Brotli";
  EXPECT_EQ(echo_header(e, "If-None-Match"), "\"v1\"") << "edgefetch has no cache: the origin answers";
  EXPECT_EQ(echo_header(e, "Range"), "bytes=0-10");
  EXPECT_EQ(echo_header(e, "User-Agent"), "Amazon CloudFront");
  EXPECT_EQ(echo_header(e, "Host"), "origin.test");
  EXPECT_EQ(echo_header_count(e, "X-Amz-Cf-Id"), 1u);
  EXPECT_EQ(echo_header(e, "X-Forwarded-For"), "127.0.0.1");
}

TEST_F(ForwardingTest, AllViewerExceptHostForwardsEverythingButHost) {
  const json e = echo(curl(edge_->url("/allviewer/echo/x?y=1"), kViewerHeaders));
  EXPECT_EQ(e["target"], "/allviewer/echo/x?y=1");
  EXPECT_EQ(echo_header(e, "Authorization"), "Bearer t0k3n");
  EXPECT_EQ(echo_header(e, "Cookie"), "session=1; tracking=2; pref_lang=en");
  EXPECT_EQ(echo_header(e, "User-Agent"), "viewer-agent/1");
  EXPECT_EQ(echo_header(e, "Accept-Encoding"), "gzip, deflate, br") << "CachingDisabled does not normalize";
  EXPECT_EQ(echo_header(e, "Host"), "origin.test");
  EXPECT_EQ(echo_header_count(e, "CloudFront-Viewer-Country"), 0u) << "a viewer cannot forge it";
}

TEST_F(ForwardingTest, ACustomPolicyFromAFileAddsTheCloudFrontHeadersTheEdgeKnows) {
  const json e = echo(curl(edge_->url("/custom/echo/x?page=2&debug=1&page=3"), kViewerHeaders));
  EXPECT_EQ(e["target"], "/custom/echo/x?page=2&page=3");
  EXPECT_EQ(echo_header(e, "Cookie"), "pref_lang=en; session=1") << "allExcept tracking";
  EXPECT_EQ(echo_header(e, "Authorization"), "Bearer t0k3n");
  EXPECT_TRUE(
      std::regex_match(echo_header(e, "CloudFront-Viewer-Address"), std::regex(R"(127\.0\.0\.1:\d+)")))
      << echo_header(e, "CloudFront-Viewer-Address");
  EXPECT_EQ(echo_header(e, "CloudFront-Forwarded-Proto"), "http");
  EXPECT_EQ(echo_header(e, "CloudFront-Viewer-Http-Version"), "1.1");
  EXPECT_EQ(echo_header_count(e, "CloudFront-Viewer-TLS"), 0u) << "a plain viewer has no TLS";
  // Host and User-Agent (-A) and the 12 -H fields; -H Accept replaces curl's own.
  EXPECT_EQ(echo_header(e, "CloudFront-Viewer-Header-Count"), "14");
  EXPECT_EQ(echo_header_count(e, "CloudFront-Viewer-Country"), 0u) << "needs the CDN's location data";

  const json secure = echo(curl(edge_->tls_url("/custom/echo/x"), {"--tlsv1.3"}));
  EXPECT_EQ(echo_header(secure, "CloudFront-Forwarded-Proto"), "https");
  EXPECT_TRUE(std::regex_match(echo_header(secure, "CloudFront-Viewer-TLS"),
                               std::regex(R"(TLSv1\.3:TLS_[A-Z0-9_]+:fullHandshake)")))
      << echo_header(secure, "CloudFront-Viewer-TLS");

  EXPECT_TRUE(edge_->wait_stderr("CloudFront-Viewer-Country", 1s))
      << "the start-up warning names the header it cannot add: " << edge_->stderr_text();
}

TEST_F(ForwardingTest, TheAccessLogShowsRepeatedCookieAndForwardedForFieldsCombined) {
  // What the origin gets is every Cookie and X-Forwarded-For line; the log
  // used to keep only the last of each.
  const json e = echo(curl(edge_->url("/legacyall/echo/log-combined"),
                           {"-H", "Cookie: keep=1", "-H", "Cookie: s1=b; zz=1", "-H",
                            "X-Forwarded-For: 192.0.2.1", "-H", "X-Forwarded-For: 192.0.2.2, 192.0.2.3"}));
  EXPECT_EQ(echo_header(e, "Cookie"), "keep=1; s1=b; zz=1");
  const auto fields =
      log_fields(edge_->wait_access_log("/legacyall/echo/log-combined", 10s), "/legacyall/echo/log-combined");
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.at("cs(Cookie)"), "keep=1;%20s1=b;%20zz=1");
  EXPECT_EQ(fields.at("x-forwarded-for"), "192.0.2.1,%20192.0.2.2,%20192.0.2.3");
  // The log reference: a result that is not an Error repeats as the detailed type.
  EXPECT_EQ(fields.at("x-edge-result-type"), "Miss");
  EXPECT_EQ(fields.at("x-edge-detailed-result-type"), "Miss");
}

TEST_F(ForwardingTest, SetCookieIsRemovedOnlyWhenNoCookieIsForwarded) {
  const auto kept = curl(edge_->url("/legacy/cookie"));
  ASSERT_EQ(kept.status, 200) << kept.err;
  EXPECT_EQ(kept.headers.count("set-cookie"), 2u);
  const auto removed = curl(edge_->url("/optimized/cookie"));
  ASSERT_EQ(removed.status, 200) << removed.err;
  EXPECT_EQ(removed.headers.count("set-cookie"), 0u);
  EXPECT_FALSE(removed.body.empty()) << "the body is still relayed";
}

TEST_F(ForwardingTest, SighupRereadsThePolicyFiles) {
  json before = echo(curl(edge_->url("/custom/echo/x?page=1&debug=1")));
  EXPECT_EQ(before["target"], "/custom/echo/x?page=1");
  std::ofstream(policy_path_) << request_policy_file("all");
  edge_->signal(SIGHUP);
  ASSERT_TRUE(edge_->wait_stderr("reloaded", 5s)) << edge_->stderr_text();
  json after = echo(curl(edge_->url("/custom/echo/x?page=1&debug=1")));
  EXPECT_EQ(after["target"], "/custom/echo/x?page=1&debug=1");

  // A policy file that stops being valid is refused and the running settings stay.
  std::ofstream(policy_path_) << "{\"OriginRequestPolicy\": 1}";
  edge_->signal(SIGHUP);
  ASSERT_TRUE(edge_->wait_stderr("reload rejected", 5s)) << edge_->stderr_text();
  after = echo(curl(edge_->url("/custom/echo/x?page=1&debug=1")));
  EXPECT_EQ(after["target"], "/custom/echo/x?page=1&debug=1");
  // So is one that no longer holds the policy the config names: what it
  // forwards would be a guess.
  std::string renamed = request_policy_file("none");
  renamed.replace(renamed.find("e2e-request-policy"), 18, "e2e-other-policy-2");
  std::ofstream(policy_path_) << renamed;
  edge_->signal(SIGHUP);
  ASSERT_TRUE(
      edge_->wait_stderr("\"e2e-request-policy\" is not a managed policy; give it with --policies FILE", 5s))
      << edge_->stderr_text();
  after = echo(curl(edge_->url("/custom/echo/x?page=1&debug=1")));
  EXPECT_EQ(after["target"], "/custom/echo/x?page=1&debug=1");
}

}  // namespace
}  // namespace edgefetch::e2e
