// The connection limit: never more holders than slots, first come first
// served, and one overall limit shared by two enumerations.

#include "edgefetch/check/enumerate_limit.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <vector>

#include "edgefetch/check/enumerate.hpp"
#include "probe_test_servers.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::check {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Observed {
  int holding = 0;
  int most = 0;
  std::vector<int> order;
};

asio::awaitable<void> hold(ConnectionLimit& limit, Observed& seen, int id) {
  co_await limit.acquire();
  ConnectionLimit::Guard guard(limit);
  seen.order.push_back(id);
  ++seen.holding;
  seen.most = std::max(seen.most, seen.holding);
  asio::steady_timer timer(co_await asio::this_coro::executor, 2ms);
  co_await timer.async_wait(asio::use_awaitable);
  --seen.holding;
}

TEST(EnumerateLimit, NeverMoreHoldersThanSlotsAndFirstComeFirstServed) {
  asio::io_context io;
  ConnectionLimit limit(io.get_executor(), 3);
  Observed seen;
  for (int id = 0; id < 10; ++id) asio::co_spawn(io, hold(limit, seen, id), asio::detached);
  io.run();
  EXPECT_EQ(seen.most, 3);
  EXPECT_EQ(limit.peak(), 3);
  EXPECT_EQ(limit.in_use(), 0);
  EXPECT_EQ(seen.order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(EnumerateLimit, ALimitBelowOneMeansOne) {
  asio::io_context io;
  ConnectionLimit limit(io.get_executor(), 0);
  Observed seen;
  for (int id = 0; id < 3; ++id) asio::co_spawn(io, hold(limit, seen, id), asio::detached);
  io.run();
  EXPECT_EQ(seen.most, 1);
  EXPECT_EQ(limit.limit(), 1);
}

TEST(EnumerateLimit, OverallLimitSharedByTwoEnumerations) {
  support::OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA";
  options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
  auto server = support::OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();

  asio::io_context io;
  ConnectionLimit overall(io.get_executor(), 2);
  std::vector<SupportedSummary> summaries(2);
  for (SupportedSummary& summary : summaries) {
    EnumerateOptions enumerate_options;
    enumerate_options.overall_limit = &overall;
    asio::co_spawn(io, enumerate(testing::loopback_target(server->port()), enumerate_options),
                   [&summary](std::exception_ptr failure, SupportedSummary value) {
                     if (!failure) summary = std::move(value);
                   });
  }
  io.run();
  EXPECT_EQ(overall.peak(), 2);
  EXPECT_EQ(overall.in_use(), 0);
  for (const SupportedSummary& summary : summaries) {
    SCOPED_TRACE(testing::describe(summary));
    EXPECT_EQ(testing::suites_of(summary, policy::ProtocolVersion::tls1_2).size(), 2u);
  }
}

}  // namespace
}  // namespace edgefetch::check
