#include "edgefetch/net/connect.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>

#include "run_awaitable.hpp"
#include "support/tcp.hpp"

namespace edgefetch::net {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

// A loopback port nothing listens on: connecting is refused at once (RST).
std::uint16_t closed_port() {
  const std::uint16_t port = support::pick_free_port();
  EXPECT_NE(port, 0);
  return port;
}

ip::tcp::endpoint loopback(std::uint16_t port, const char* address = "127.0.0.1") {
  return {ip::make_address(address), port};
}

TEST(ConnectTest, ConnectsToAListeningPort) {
  auto listener = support::listen_loopback(0);
  ASSERT_TRUE(listener) << listener.error();
  const auto port = support::local_port(listener->get());
  boost::asio::io_context io;  // outlives the connected stream in `result`
  const auto result = test::run_awaitable(io, connect({loopback(port)}, ConnectOptions{2s, 3}));
  ASSERT_TRUE(result.connected());
  ASSERT_EQ(result.attempts.size(), 1u);
  EXPECT_EQ(result.attempts[0].number, 1);
  EXPECT_EQ(result.attempts[0].outcome, ConnectOutcome::connected);
  EXPECT_FALSE(result.attempts[0].error);
  EXPECT_EQ(result.outcome(), ConnectOutcome::connected);
  EXPECT_EQ(result.stream->socket().remote_endpoint().port(), port);
}

TEST(ConnectTest, ConnectedSocketHasNagleOff) {
  // A request written right after the TLS Finished must not wait for the
  // origin's delayed ACK.
  auto listener = support::listen_loopback(0);
  ASSERT_TRUE(listener) << listener.error();
  boost::asio::io_context io;
  const auto result = test::run_awaitable(
      io, connect({loopback(support::local_port(listener->get()))}, ConnectOptions{2s, 1}));
  ASSERT_TRUE(result.connected());
  ip::tcp::no_delay no_delay;
  result.stream->socket().get_option(no_delay);
  EXPECT_TRUE(no_delay.value());
}

TEST(ConnectTest, RefusedPortUsesEveryAttemptAndSaysRefused) {
  const auto port = closed_port();
  std::vector<int> seen;
  const auto started = std::chrono::steady_clock::now();
  const auto result = test::run_awaitable(connect(
      {loopback(port)}, ConnectOptions{2s, 3}, [&](const ConnectAttempt& a) { seen.push_back(a.number); }));
  EXPECT_FALSE(result.connected());
  ASSERT_EQ(result.attempts.size(), 3u);
  for (const auto& attempt : result.attempts) {
    EXPECT_EQ(attempt.outcome, ConnectOutcome::refused) << attempt.error.message();
    EXPECT_EQ(attempt.error, boost::asio::error::connection_refused);
  }
  EXPECT_EQ(result.outcome(), ConnectOutcome::refused);
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
  // Refusals are immediate: nowhere near one timeout, let alone three.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST(ConnectTest, OneAttemptWhenAskedForOne) {
  const auto result = test::run_awaitable(connect({loopback(closed_port())}, ConnectOptions{2s, 1}));
  EXPECT_EQ(result.attempts.size(), 1u);
}

TEST(ConnectTest, AttemptsWalkTheAddressesInOrderAndWrap) {
  const auto port = closed_port();
  const auto result = test::run_awaitable(
      connect({loopback(port, "127.0.0.1"), loopback(port, "127.0.0.2")}, ConnectOptions{2s, 3}));
  ASSERT_EQ(result.attempts.size(), 3u);
  EXPECT_EQ(result.attempts[0].endpoint.address(), ip::make_address("127.0.0.1"));
  EXPECT_EQ(result.attempts[1].endpoint.address(), ip::make_address("127.0.0.2"));
  EXPECT_EQ(result.attempts[2].endpoint.address(), ip::make_address("127.0.0.1"));
}

TEST(ConnectTest, LaterAddressConnectsAfterARefusal) {
  auto listener = support::listen_loopback(0);
  ASSERT_TRUE(listener) << listener.error();
  const auto port = support::local_port(listener->get());
  // 127.0.0.2 shares the loopback interface but the listener is bound to 127.0.0.1 only.
  boost::asio::io_context io;  // outlives the connected stream in `result`
  const auto result = test::run_awaitable(
      io, connect({loopback(port, "127.0.0.2"), loopback(port, "127.0.0.1")}, ConnectOptions{2s, 3}));
  ASSERT_TRUE(result.connected());
  ASSERT_EQ(result.attempts.size(), 2u);
  EXPECT_EQ(result.attempts[0].outcome, ConnectOutcome::refused);
  EXPECT_EQ(result.attempts[1].outcome, ConnectOutcome::connected);
}

TEST(ConnectTest, TimeoutPerAttemptWhenTheBacklogIsFull) {
  // Linux drops SYNs to a listener whose accept queue is full, as a firewall
  // that silently drops would: the connect times out instead of being refused.
  auto listener = support::listen_loopback(0, 0);
  ASSERT_TRUE(listener) << listener.error();
  const auto port = support::local_port(listener->get());
  std::vector<support::UniqueFd> fillers;
  for (int i = 0; i < 4; ++i) {
    auto filler = support::connect_loopback(port, support::Deadline::after(300ms));
    if (!filler) break;  // the queue is full: the next SYN is dropped
    fillers.push_back(std::move(*filler));
  }
  if (fillers.size() == 4) {
    GTEST_SKIP()
        << "this kernel accepted 4 connections into a backlog of 0; cannot make a connect hang on loopback";
  }
  const auto started = std::chrono::steady_clock::now();
  const auto result = test::run_awaitable(connect({loopback(port)}, ConnectOptions{400ms, 2}));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(result.connected());
  ASSERT_EQ(result.attempts.size(), 2u);
  for (const auto& attempt : result.attempts) {
    EXPECT_EQ(attempt.outcome, ConnectOutcome::timed_out) << attempt.error.message();
    EXPECT_EQ(attempt.error, boost::beast::error::timeout);
    EXPECT_GE(attempt.elapsed, 350ms);
    EXPECT_LT(attempt.elapsed, 1500ms);
  }
  EXPECT_EQ(result.outcome(), ConnectOutcome::timed_out);
  EXPECT_GE(elapsed, 750ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(ConnectTest, ClassifiesErrors) {
  EXPECT_EQ(classify_connect_error({}), ConnectOutcome::connected);
  EXPECT_EQ(classify_connect_error(boost::asio::error::connection_refused), ConnectOutcome::refused);
  EXPECT_EQ(classify_connect_error(boost::beast::error::timeout), ConnectOutcome::timed_out);
  EXPECT_EQ(classify_connect_error(boost::asio::error::timed_out), ConnectOutcome::timed_out);
  EXPECT_EQ(classify_connect_error(boost::asio::error::host_unreachable), ConnectOutcome::unreachable);
  EXPECT_EQ(classify_connect_error(boost::asio::error::network_unreachable), ConnectOutcome::unreachable);
  EXPECT_EQ(classify_connect_error(boost::asio::error::connection_reset), ConnectOutcome::reset);
  EXPECT_EQ(classify_connect_error(boost::asio::error::access_denied), ConnectOutcome::failed);
  EXPECT_EQ(connect_outcome_name(ConnectOutcome::timed_out), "timed_out");
  EXPECT_EQ(connect_outcome_name(ConnectOutcome::refused), "refused");
}

TEST(ConnectTest, NoEndpointsMeansNoAttempt) {
  const auto result = test::run_awaitable(connect({}, ConnectOptions{}));
  EXPECT_FALSE(result.connected());
  EXPECT_TRUE(result.attempts.empty());
}

}  // namespace
}  // namespace edgefetch::net
