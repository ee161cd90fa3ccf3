// The edge between curl and real origins: protocol policies, request and
// response rewriting, routing, methods, Host forwarding with SNI.

#include <gtest/gtest.h>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {
using nlohmann::json;

class ProxyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& plain = SharedOrigins::plain();
    auto& tls = SharedOrigins::tls();
    ConfigBuilder config;
    config.origin("plain", plain.port(), tls.port(), "http-only")
        .origin("secure", plain.port(), tls.port(), "https-only",
                {{"OriginPath", "/base"},
                 {"CustomHeaders",
                  {{"Quantity", 4},
                   {"Items",
                    {{{"HeaderName", "X-Origin-Secret"}, {"HeaderValue", "s3cr3t"}},
                     {{"HeaderName", "X-Override"}, {"HeaderValue", "from-config"}},
                     // Hop-by-hop or not, the CDN accepts these two as custom headers.
                     {{"HeaderName", "Keep-Alive"}, {"HeaderValue", "timeout=7"}},
                     {{"HeaderName", "Expect"}, {"HeaderValue", "100-continue"}}}}}}})
        .origin("match", plain.port(), tls.port(), "match-viewer")
        .behavior("/secure/*", "secure")
        .behavior("/match/*", "match")
        .behavior("/readonly/*", "plain", {{"AllowedMethods", {{"Quantity", 2}, {"Items", {"GET", "HEAD"}}}}})
        .behavior("/host/*", "secure",
                  {{"ForwardedValues",
                    {{"QueryString", true}, {"Headers", {{"Quantity", 1}, {"Items", {"Host"}}}}}}})
        .behavior("/redirect/*", "plain", {{"ViewerProtocolPolicy", "redirect-to-https"}})
        .default_behavior("plain");
    Edge::Options options;
    options.config = config.text();
    options.tls_listener = true;
    options.resolve_ports = {plain.port(), tls.port()};
    edge_ = Edge::start(options).release();
  }
  static void TearDownTestSuite() {
    delete edge_;
    edge_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(edge_, nullptr); }
  static Edge* edge_;
};
Edge* ProxyTest::edge_ = nullptr;

TEST_F(ProxyTest, HttpOnlyOriginGetsThePlainRequestWithTheCdnHeaders) {
  const auto result =
      curl(edge_->url("/echo/a?x=1"), {"-H", "X-Forwarded-For: 203.0.113.9", "-A", "viewer-agent/1"});
  ASSERT_EQ(result.status, 200) << result.err;
  const json echo = result.json();
  EXPECT_EQ(echo["target"], "/echo/a?x=1");
  EXPECT_EQ(echo_header(echo, "Host"), "origin.test");
  EXPECT_EQ(echo_header(echo, "User-Agent"), "Amazon CloudFront");
  EXPECT_EQ(echo_header(echo, "X-Forwarded-For"), "203.0.113.9, 127.0.0.1");
  EXPECT_EQ(echo_header(echo, "Connection"), "Keep-Alive");
  EXPECT_NE(echo_header(echo, "Via").find(".cloudfront.net (CloudFront)"), std::string::npos);
  const std::string id = echo_header(echo, "X-Amz-Cf-Id");
  EXPECT_EQ(id.size(), 56u);
  EXPECT_EQ(result.header("x-amz-cf-id"), id);
  EXPECT_EQ(result.header("x-cache"), "Miss from cloudfront");
  EXPECT_NE(result.header("via").find("1.1 "), std::string::npos);
  EXPECT_FALSE(result.header("x-amz-cf-pop").empty());
}

TEST_F(ProxyTest, HopByHopHeadersAreRemovedBothWays) {
  const auto result = curl(edge_->url("/echo/hop"),
                           {"-H", "Connection: keep-alive, X-Private", "-H", "X-Private: 1", "-H",
                            "Keep-Alive: timeout=5", "-H", "Upgrade: websocket", "-H",
                            "Proxy-Authorization: Basic eA==", "-H", "TE: trailers", "-H", "X-Kept: yes"});
  ASSERT_EQ(result.status, 200) << result.err;
  const json echo = result.json();
  for (const char* name : {"X-Private", "Keep-Alive", "Upgrade", "Proxy-Authorization", "TE"}) {
    EXPECT_EQ(echo_header_count(echo, name), 0u) << name;
  }
  EXPECT_EQ(echo_header(echo, "X-Kept"), "yes");
  EXPECT_EQ(echo_header_count(echo, "Connection"), 1u);
}

TEST_F(ProxyTest, HttpsOnlyOriginGetsCustomHeadersAndOriginPath) {
  const auto result = curl(edge_->url("/secure/echo"), {"-H", "X-Override: from-viewer"});
  ASSERT_EQ(result.status, 200) << result.err << result.body;
  const json echo = result.json();
  EXPECT_EQ(echo["target"], "/base/secure/echo");
  EXPECT_EQ(echo_header(echo, "X-Origin-Secret"), "s3cr3t");
  EXPECT_EQ(echo_header(echo, "X-Override"), "from-config");
  EXPECT_EQ(echo_header_count(echo, "X-Override"), 1u);
  EXPECT_EQ(echo_header(echo, "Host"), "origin.test");
  // Sent as configured; the origin's 100 Continue for the Expect is read and skipped.
  EXPECT_EQ(echo_header(echo, "Keep-Alive"), "timeout=7");
  EXPECT_EQ(echo_header(echo, "Expect"), "100-continue");
}

TEST_F(ProxyTest, BehaviorsMatchTheNormalizedPathAndTheOriginGetsTheRawOne) {
  // The CDN normalizes the path (RFC 3986) to choose the behavior, then sends
  // the raw path: "/echo/../redirect/x" is /redirect/x's behavior (301), and
  // "/readonly/%2e%2e/echo/x" is the default's, whose origin sees it raw.
  const auto redirected = curl(edge_->url("/echo/../redirect/x"), {"--path-as-is"});
  EXPECT_EQ(redirected.status, 301) << redirected.err;
  const auto posted = curl(edge_->url("/readonly/%2e%2e/echo/x"), {"--path-as-is", "-d", "a=1"});
  ASSERT_EQ(posted.status, 200) << posted.err << posted.body;
  EXPECT_EQ(posted.json()["target"], "/readonly/%2e%2e/echo/x");
  const auto refused = curl(edge_->url("/echo/..//readonly/x"), {"--path-as-is", "-d", "a=1"});
  EXPECT_EQ(refused.status, 403) << "POST is not allowed under /readonly/*";
}

TEST_F(ProxyTest, MatchViewerFollowsTheViewersScheme) {
  // The TLS origin answers only HTTPS and the plain one only HTTP: the echo
  // arrives either way, but the origins' counters tell which one served it.
  const auto tls_before = SharedOrigins::tls().stats()["requests"].get<int>();
  const auto over_http = curl(edge_->url("/match/echo"));
  ASSERT_EQ(over_http.status, 200) << over_http.err;
  EXPECT_EQ(SharedOrigins::tls().stats()["requests"].get<int>(), tls_before + 1);  // only the /stats request

  const auto over_https = curl(edge_->tls_url("/match/echo"));
  ASSERT_EQ(over_https.status, 200) << over_https.err;
  EXPECT_EQ(SharedOrigins::tls().stats()["requests"].get<int>(), tls_before + 3);  // + this one + /stats
}

TEST_F(ProxyTest, MethodsOutsideAllowedMethodsGet403) {
  const auto refused = curl(edge_->url("/readonly/echo"), {"-X", "POST", "-d", "x"});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.header("x-cache"), "Error from cloudfront");
  EXPECT_EQ(curl(edge_->url("/readonly/echo")).status, 200);
  const auto post = curl(edge_->url("/echo/post"), {"-X", "POST", "-d", "hello"});
  ASSERT_EQ(post.status, 200);
  EXPECT_EQ(post.json()["received"], 5);
}

TEST_F(ProxyTest, RedirectToHttpsAnswers301ForHttpViewers) {
  // The CDN's Location has no port (443); this edge's HTTPS listener is on
  // another, which the Location names so that the redirect can be followed.
  const std::string https_port = std::to_string(edge_->tls_port());
  const auto result = curl(edge_->url("/redirect/x"), {"-H", "Host: www.example.test:8080"});
  EXPECT_EQ(result.status, 301);
  EXPECT_EQ(result.header("location"), "https://www.example.test:" + https_port + "/redirect/x");
}

TEST_F(ProxyTest, ForwardedHostIsSentAndUsedForSniAndTheCertificate) {
  const auto forwarded = curl(edge_->url("/host/echo"), {"-H", "Host: a.wild.test"});
  ASSERT_EQ(forwarded.status, 200) << forwarded.body;
  EXPECT_EQ(echo_header(forwarded.json(), "Host"), "a.wild.test");
  const auto sni = SharedOrigins::tls().stats()["sni"];
  EXPECT_NE(std::find(sni.begin(), sni.end(), "a.wild.test"), sni.end()) << sni.dump();

  // A forwarded Host the certificate does not cover fails like the CDN: 502.
  const auto mismatch = curl(edge_->url("/host/echo"), {"-H", "Host: www.other.test"});
  EXPECT_EQ(mismatch.status, 502);
  EXPECT_EQ(mismatch.header("x-edgefetch-origin-error"), "cert_name_mismatch");
}

TEST_F(ProxyTest, HeadAnd204And304HaveNoBodies) {
  const auto head = curl(edge_->url("/bytes/1000"), {"-I"});
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), "1000");
  EXPECT_TRUE(head.body.empty());
  const auto no_content = curl(edge_->url("/status/204"));
  EXPECT_EQ(no_content.status, 204);
  EXPECT_TRUE(no_content.body.empty());
  EXPECT_EQ(no_content.header("transfer-encoding"), "");
  const auto not_modified = curl(edge_->url("/status/304"));
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
}

TEST_F(ProxyTest, ChunkedOriginResponseIsRechunkedForHttp11AndCloseDelimitedFor10) {
  const auto chunked = curl(edge_->url("/chunked/100000"));
  ASSERT_EQ(chunked.status, 200);
  EXPECT_EQ(chunked.header("transfer-encoding"), "chunked");
  EXPECT_EQ(chunked.body.size(), 100000u);
  const auto old = curl(edge_->url("/chunked/100000"), {"--http1.0"});
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(old.header("transfer-encoding"), "");
  EXPECT_EQ(old.body.size(), 100000u);
}

// Over TLS the edge writes every record the origin connection already holds
// decrypted in one go (several pieces per write, one chunk per write when
// re-chunking): the bytes must come out exact and in order, not just in number.
TEST_F(ProxyTest, TlsOriginBodiesArriveByteExactThroughGatheredWrites) {
  std::string expected;
  constexpr std::size_t kSize = 1'000'003;
  expected.reserve(kSize);
  for (std::size_t i = 0; i < kSize; ++i) expected.push_back(static_cast<char>(i % 256));
  for (const char* path : {"/secure/bytes/1000003", "/secure/chunked/1000003"}) {
    const auto result = curl(edge_->url(path));
    ASSERT_EQ(result.status, 200) << path << ": " << result.err;
    ASSERT_EQ(result.body.size(), kSize) << path;
    EXPECT_TRUE(result.body == expected) << path << ": the body differs from the origin's pattern";
  }
}

TEST_F(ProxyTest, HttpsViewerListenerServesTheSameRoutes) {
  const auto result = curl(edge_->tls_url("/echo/tls"));
  ASSERT_EQ(result.status, 200) << result.err;
  EXPECT_EQ(result.json()["target"], "/echo/tls");
}

TEST_F(ProxyTest, PipelinedRequestsAreAnsweredInOrder) {
  const std::string request =
      "GET /echo/one HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /echo/two HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /echo/three HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  const std::string response = raw_exchange(edge_->port(), request);
  const auto one = response.find("/echo/one");
  const auto two = response.find("/echo/two");
  const auto three = response.find("/echo/three");
  ASSERT_NE(one, std::string::npos) << response;
  ASSERT_NE(two, std::string::npos) << response;
  ASSERT_NE(three, std::string::npos) << response;
  EXPECT_LT(one, two);
  EXPECT_LT(two, three);
}

// RFC 9112 2.2: a server SHOULD ignore empty lines before a request line; some
// clients send a CRLF after a POST body (explore18 http #10: it was a 400).
TEST_F(ProxyTest, EmptyLinesBeforeARequestLineAreIgnored) {
  const std::string request =
      "\r\nGET /echo/first HTTP/1.1\r\nHost: a\r\n\r\n"
      "\r\n\r\nGET /echo/second HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  const std::string response = raw_exchange(edge_->port(), request);
  EXPECT_EQ(first_status(response), 200) << response;
  EXPECT_NE(response.find("/echo/first"), std::string::npos) << response;
  EXPECT_NE(response.find("/echo/second"), std::string::npos) << response;
  EXPECT_EQ(response.find(" 400 "), std::string::npos) << response;
}

}  // namespace
}  // namespace edgefetch::e2e
