// Origin groups behind the edge: GET, HEAD and OPTIONS go to the secondary
// member when the primary cannot be reached or answers a failover status;
// other methods and other statuses stay with the primary (facts 1.5).

#include <gtest/gtest.h>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {

class OriginGroupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& plain = SharedOrigins::plain();
    const std::uint16_t refused = closed_port();
    ConfigBuilder config;
    // The primaries answer 503 (OriginPath to the origin's /status/503 page)
    // or refuse connections; the secondary is the echoing origin.
    config.origin("failing", plain.port(), plain.port(), "http-only", {{"OriginPath", "/status/503"}})
        .origin("down", refused, refused, "http-only", {{"ConnectionAttempts", 1}})
        .origin("backup", plain.port(), plain.port(), "http-only")
        .origin("bad-cert", plain.port(), SharedOrigins::wrong_name().port(), "https-only")
        .origin_group("on-503", "failing", "backup", {500, 503})
        .origin_group("on-404", "failing", "backup", {404})
        .origin_group("on-refused", "down", "backup", {500})
        .behavior("/status-group/*", "on-503")
        .behavior("/other-codes/*", "on-404")
        .behavior("/down/*", "on-refused")
        .origin_group("cert-then-down", "bad-cert", "down", {500})
        .behavior("/cert-then-down/*", "cert-then-down")
        .default_behavior("backup");
    Edge::Options options;
    options.config = config.text();
    options.resolve_ports = {plain.port(), refused, SharedOrigins::wrong_name().port()};
    options.access_log = "access.log";
    edge_ = Edge::start(options).release();
  }
  static void TearDownTestSuite() {
    delete edge_;
    edge_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(edge_, nullptr); }
  static Edge* edge_;
};
Edge* OriginGroupTest::edge_ = nullptr;

TEST_F(OriginGroupTest, AFailoverStatusFromThePrimaryGoesToTheSecondary) {
  const auto result = curl(edge_->url("/status-group/echo"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json()["target"], "/status-group/echo") << "the secondary has no OriginPath";
  const std::string log = edge_->wait_access_log("/status-group/echo", std::chrono::seconds(10));
  EXPECT_NE(log.find("\tbackup\t"), std::string::npos) << log;
}

TEST_F(OriginGroupTest, AnUnreachablePrimaryGoesToTheSecondary) {
  const auto result = curl(edge_->url("/down/echo"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json()["method"], "GET");
  // The log line is the secondary's exchange, not the primary's failure.
  const std::string log = edge_->wait_access_log("/down/echo", std::chrono::seconds(10));
  EXPECT_NE(log.find("\tbackup\t"), std::string::npos) << log;
  EXPECT_EQ(log.find("connection_refused"), std::string::npos) << log;
  EXPECT_EQ(log.find("OriginConnectError"), std::string::npos) << log;
  const auto head = curl(edge_->url("/down/echo"), {"-I"});
  EXPECT_EQ(head.status, 200);
  const auto options = curl(edge_->url("/down/echo"), {"-X", "OPTIONS"});
  EXPECT_EQ(options.status, 200);
}

TEST_F(OriginGroupTest, TheLogLineOfAFailedSecondaryHoldsNothingOfThePrimary) {
  // The primary reached a TLS handshake (refused certificate); the secondary
  // refused the connection: the line is the secondary's alone.
  const auto result = curl(edge_->url("/cert-then-down/echo"));
  EXPECT_EQ(result.status, 502);
  EXPECT_EQ(result.header("x-edgefetch-origin-error"), "connection_refused");
  const auto fields = log_fields(edge_->wait_access_log("/cert-then-down/echo", std::chrono::seconds(10)),
                                 "/cert-then-down/echo");
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.at("x-edgefetch-origin-id"), "down");
  EXPECT_EQ(fields.at("x-edgefetch-origin-reason"), "connection_refused");
  // The address is the secondary's, which refused (both listen on 127.0.0.1).
  EXPECT_EQ(fields.at("x-edgefetch-origin-ip"), "127.0.0.1");
  EXPECT_EQ(fields.at("x-edgefetch-origin-tls-version"), "-");
  EXPECT_EQ(fields.at("x-edgefetch-origin-tls-cipher"), "-");
}

TEST_F(OriginGroupTest, OtherStatusesAndOtherMethodsStayWithThePrimary) {
  // 503 is not among this group's codes: the primary's answer is the answer.
  EXPECT_EQ(curl(edge_->url("/other-codes/echo")).status, 503);
  // POST is never failed over, even on a failover status or an unreachable primary.
  EXPECT_EQ(curl(edge_->url("/status-group/echo"), {"-d", "x=1"}).status, 503);
  const auto post = curl(edge_->url("/down/echo"), {"-d", "x=1"});
  EXPECT_EQ(post.status, 502);
  EXPECT_EQ(post.header("x-edgefetch-origin-error"), "connection_refused");
}

}  // namespace
}  // namespace edgefetch::e2e
