// ResponseCompletionTimeout (facts 1.7) as the viewer sees it: the cap on the
// whole origin exchange, which is never retried, gives 504 with its own
// reason code even where the read timeout would have allowed another try.

#include <gtest/gtest.h>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {

class CompletionTimeoutTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& plain = SharedOrigins::plain();
    auto& tls = SharedOrigins::tls();
    ConfigBuilder config;
    config
        .origin("capped", plain.port(), tls.port(), "http-only",
                {{"ConnectionAttempts", 3}, {"ResponseCompletionTimeout", 2}}, {{"OriginReadTimeout", 2}})
        .default_behavior("capped");
    Edge::Options options;
    options.config = config.text();
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
Edge* CompletionTimeoutTest::edge_ = nullptr;

TEST_F(CompletionTimeoutTest, SlowOriginIs504AfterOneTry) {
  // The origin answers after 3 s. The read timeout alone would try three
  // times; the 2 s cap ends the exchange at the first.
  const int before = SharedOrigins::plain().stats()["connections"].get<int>();
  const auto result = curl(edge_->url("/slow/3"));
  EXPECT_EQ(result.status, 504) << result.body;
  EXPECT_EQ(result.header("x-edgefetch-origin-error"), "response_completion_timeout");
  EXPECT_EQ(result.header("x-cache"), "Error from cloudfront");
  const int after = SharedOrigins::plain().stats()["connections"].get<int>();
  EXPECT_EQ(after - before, 2);  // one try + the /stats connection
}

TEST_F(CompletionTimeoutTest, QuickAnswerUnderTheCapIsServed) {
  const auto result = curl(edge_->url("/slow/0.2"));
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, "slow");
}

}  // namespace
}  // namespace edgefetch::e2e
