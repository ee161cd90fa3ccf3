// The edge in front of `openssl s_server` origins: -WWW serves files as
// HTTP/1.0 responses delimited by closing the connection (which the edge must
// re-frame for HTTP/1.1 viewers), and -www answers with a page naming the
// protocol and cipher the server negotiated, here for a legacy TLS 1.0 origin
// that only OriginSslProtocols TLSv1 reaches.

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "e2e/e2e_support.hpp"
#include "support/find_program.hpp"
#include "support/openssl_server.hpp"
#include "support/openssl_www_origin.hpp"

namespace edgefetch::e2e {
namespace {
using nlohmann::json;

json ssl_protocols(const std::string& version) {
  return {{"OriginSslProtocols", {{"Quantity", 1}, {"Items", {version}}}}};
}

std::unique_ptr<Edge> start_edge(const ConfigBuilder& config, std::uint16_t port) {
  Edge::Options options;
  options.config = config.text();
  options.resolve_ports = {port};
  return Edge::start(options);
}

class OpenSslOriginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (support::find_program("openssl").empty()) GTEST_SKIP() << "the openssl command is not installed";
  }
};

TEST_F(OpenSslOriginTest, CloseDelimitedHttp10ResponseIsReframedForHttp11AndPassedOnTo10Viewers) {
  auto origin = support::OpenSslWwwOrigin::start({support::TestPki::get().leaf(support::Leaf::rsa2048), {}});
  ASSERT_TRUE(origin) << origin.error();
  std::mt19937 generator(7);
  std::string page((256u << 10) + 11, '\0');
  for (auto& byte : page) byte = static_cast<char>(generator() & 0xFF);
  std::ofstream(origin->docroot() / "page.bin", std::ios::binary) << page;

  ConfigBuilder config;
  config.origin("s_server", origin->port(), origin->port(), "https-only").default_behavior("s_server");
  auto edge = start_edge(config, origin->port());
  ASSERT_NE(edge, nullptr);

  // HTTP/1.1 viewer: the origin sent no length, so the edge chunks the body.
  const auto http11 = curl(edge->url("/page.bin"));
  ASSERT_EQ(http11.status, 200) << http11.err << origin->logs();
  EXPECT_EQ(http11.header("transfer-encoding"), "chunked");
  EXPECT_EQ(http11.header("content-length"), "");
  EXPECT_EQ(http11.header("content-type"), "text/plain");
  EXPECT_EQ(http11.header("x-cache"), "Miss from cloudfront");
  EXPECT_EQ(http11.body.size(), page.size());
  EXPECT_TRUE(http11.body == page) << "the body differs from the origin's file";

  // HTTP/1.0 viewer: no chunking; the edge ends the body by closing.
  const auto http10 = curl(edge->url("/page.bin"), {"--http1.0"});
  ASSERT_EQ(http10.status, 200) << http10.err << origin->logs();
  EXPECT_EQ(http10.header("transfer-encoding"), "");
  EXPECT_EQ(http10.header("content-length"), "");
  EXPECT_EQ(http10.body.size(), page.size());
  EXPECT_TRUE(http10.body == page) << "the body differs from the origin's file";

  // A keep-alive HTTP/1.1 viewer gets two complete responses on one connection
  // although each origin connection ended with its response.
  const auto [code, out] = curl_output({"-o", "/dev/null", "-o", "/dev/null", "-w",
                                        "%{http_code} %{size_download} %{num_connects}\n",
                                        edge->url("/page.bin"), edge->url("/page.bin")});
  EXPECT_EQ(code, 0);
  const std::string each = "200 " + std::to_string(page.size());
  EXPECT_EQ(out, each + " 1\n" + each + " 0\n");
}

TEST_F(OpenSslOriginTest, LegacyTls10OriginIsReachedOnlyWithOriginSslProtocolsTLSv1) {
  support::OpenSslServerOptions server;
  server.version_flag = "-tls1";
  server.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
  auto origin = support::OpenSslServer::start(server);
  ASSERT_TRUE(origin) << origin.error();

  ConfigBuilder config;
  config
      .origin("legacy", origin->port(), origin->port(), "https-only", json::object(), ssl_protocols("TLSv1"))
      .origin("tls12", origin->port(), origin->port(), "https-only", {{"ConnectionAttempts", 1}},
              ssl_protocols("TLSv1.2"))
      .behavior("/legacy/*", "legacy")
      .default_behavior("tls12");
  auto edge = start_edge(config, origin->port());
  ASSERT_NE(edge, nullptr);

  const auto legacy = curl(edge->url("/legacy/page"));
  ASSERT_EQ(legacy.status, 200) << legacy.body << origin->logs();
  const auto view = support::OpenSslServer::parse_page(legacy.body);
  EXPECT_EQ(view.protocol_text, "TLSv1") << legacy.body;
  // The documented order's first suite that TLS 1.0 and an RSA certificate
  // allow (s_server honours the client's order).
  EXPECT_EQ(view.cipher_text, "ECDHE-RSA-AES256-SHA") << legacy.body;

  // s_server closes after each answer: the next request is a new connection,
  // which resumes the TLS 1.0 session (the page says "Reused" or "New").
  EXPECT_NE(legacy.body.find("New, TLSv1"), std::string::npos) << legacy.body;
  const auto again = curl(edge->url("/legacy/again"));
  ASSERT_EQ(again.status, 200) << again.body << origin->logs();
  EXPECT_NE(again.body.find("Reused, TLSv1"), std::string::npos) << again.body;

  // The floor TLSv1.2 refuses the TLS 1.0 ServerHello.
  const auto refused = curl(edge->url("/modern/page"));
  EXPECT_EQ(refused.status, 502) << refused.body;
  EXPECT_EQ(refused.header("x-edgefetch-origin-error"), "version_not_allowed");
  EXPECT_EQ(refused.header("x-cache"), "Error from cloudfront");
  EXPECT_NE(refused.body.find("<H1>502 ERROR</H1>"), std::string::npos) << refused.body;
}

}  // namespace
}  // namespace edgefetch::e2e
