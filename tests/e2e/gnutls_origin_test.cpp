// The edge in front of `gnutls-serv --http`: its page names the protocol,
// suite and key exchange group GnuTLS negotiated with the edge, and echoes the
// request head it received.

#include <gtest/gtest.h>

#include "e2e/e2e_support.hpp"
#include "support/find_program.hpp"
#include "support/gnutls_server.hpp"

namespace edgefetch::e2e {
namespace {

// GnuTLS's default priorities, every version it has: the edge's offer decides.
constexpr const char* kPriority = "NORMAL";

class GnuTlsOriginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (support::find_program("gnutls-serv").empty()) {
      GTEST_SKIP() << "gnutls-serv is not installed (Debian package gnutls-bin)";
    }
  }

  /// Starts gnutls-serv and an edge (with `args`) in front of it, and fetches
  /// the page through the edge.
  static void fetch_page(const std::vector<std::string>& args, HttpResult& result,
                         support::ServerView& view) {
    auto origin = support::GnuTlsServer::start(
        {kPriority, support::TestPki::get().leaf(support::Leaf::rsa2048), false, {}});
    ASSERT_TRUE(origin) << origin.error();
    ConfigBuilder config;
    config.origin("gnutls", origin->port(), origin->port(), "https-only").default_behavior("gnutls");
    Edge::Options options;
    options.config = config.text();
    options.resolve_ports = {origin->port()};
    options.args = args;
    auto edge = Edge::start(options);
    ASSERT_NE(edge, nullptr);
    result = curl(edge->url("/gnutls/page"));
    ASSERT_EQ(result.status, 200) << result.err << result.body << origin->logs();
    view = support::GnuTlsServer::parse_page(result.body);
  }
};

TEST_F(GnuTlsOriginTest, DocumentedProfileNegotiatesTls12WithTheEdgesFirstRsaSuite) {
  HttpResult result;
  support::ServerView view;
  ASSERT_NO_FATAL_FAILURE(fetch_page({}, result, view));
  EXPECT_NE(result.body.find("This is <a href=\"http://www.gnu.org/software/gnutls\">GnuTLS</a>"),
            std::string::npos);
  EXPECT_EQ(view.protocol_text, "TLS1.2") << result.body;
  // GnuTLS follows the client's order: ECDHE-ECDSA-AES256-GCM needs an ECDSA
  // certificate, so the documented order's second suite.
  ASSERT_NE(view.cipher_suite, nullptr) << result.body;
  EXPECT_EQ(view.cipher_suite->code, 0xC030) << view.describe();
  ASSERT_NE(view.group, nullptr) << result.body;
  EXPECT_EQ(view.group->name, "P-256") << view.describe();
  // The SNI and the request head the origin got.
  EXPECT_NE(result.body.find("Server Name: origin.test"), std::string::npos) << result.body;
  EXPECT_NE(result.body.find("Host: origin.test"), std::string::npos) << result.body;
  EXPECT_NE(result.body.find("User-Agent: Amazon CloudFront"), std::string::npos) << result.body;
  EXPECT_NE(result.body.find(".cloudfront.net (CloudFront)"), std::string::npos) << result.body;
  EXPECT_EQ(result.header("x-cache"), "Miss from cloudfront");
}

TEST_F(GnuTlsOriginTest, The2025ProfileNegotiatesTls13) {
  HttpResult result;
  support::ServerView view;
  ASSERT_NO_FATAL_FAILURE(fetch_page({"--profile", "cloudfront-2025"}, result, view));
  EXPECT_EQ(view.protocol_text, "TLS1.3") << result.body;
  // The TLS 1.3 page has no suite row: AES-128-GCM with TLS 1.3 is
  // TLS_AES_128_GCM_SHA256, the 2025 offer's first suite.
  EXPECT_NE(result.body.find("<TD>Cipher</TD><TD>AES-128-GCM</TD>"), std::string::npos) << result.body;
  // One key share, for P-256: accepted without a HelloRetryRequest.
  ASSERT_NE(view.group, nullptr) << result.body;
  EXPECT_EQ(view.group->name, "P-256") << view.describe();
  // The 2025 signature preferences put RSA-PSS before PKCS#1 for RSA keys.
  EXPECT_EQ(view.scheme_text, "RSA-PSS-RSAE-SHA256") << result.body;
  EXPECT_NE(result.body.find("Server Name: origin.test"), std::string::npos) << result.body;
  EXPECT_NE(result.body.find("Host: origin.test"), std::string::npos) << result.body;
}

TEST_F(GnuTlsOriginTest, EachNewConnectionResumesTheFirstSession) {
  auto origin = support::GnuTlsServer::start(
      {kPriority, support::TestPki::get().leaf(support::Leaf::rsa2048), false, {}});
  ASSERT_TRUE(origin) << origin.error();
  ConfigBuilder config;
  config.origin("gnutls", origin->port(), origin->port(), "https-only").default_behavior("gnutls");
  Edge::Options options;
  options.config = config.text();
  options.resolve_ports = {origin->port()};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  // gnutls-serv answers HTTP/1.0 and closes: every request is a new TLS
  // connection. The page shows the session id: a full handshake makes a new
  // one, a resumed session keeps it.
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    const auto result = curl(edge->url("/gnutls/resume/" + std::to_string(i)));
    ASSERT_EQ(result.status, 200) << result.err << result.body << origin->logs();
    const auto at = result.body.find("Session ID: <i>");
    ASSERT_NE(at, std::string::npos) << result.body;
    ids.push_back(result.body.substr(at + 15, result.body.find('<', at + 15) - at - 15));
  }
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(ids[1], ids[0]) << "the second connection did not resume the session";
  EXPECT_EQ(ids[2], ids[0]) << "the third connection did not resume the session";
}

}  // namespace
}  // namespace edgefetch::e2e
