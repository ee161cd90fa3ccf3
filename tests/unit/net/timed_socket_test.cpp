// TimedSocket: deadlines with tcp_stream semantics over a real loopback TCP
// connection. The peer is a plain socket the test drives.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include "edgefetch/net/timed_socket.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "run_awaitable.hpp"

namespace edgefetch::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

struct Pair {
  TimedSocket timed;
  tcp::socket peer;
};

asio::awaitable<Pair> connected_pair() {
  auto executor = co_await asio::this_coro::executor;
  tcp::acceptor acceptor(executor, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  tcp::socket client(executor);
  co_await client.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
  tcp::socket peer = co_await acceptor.async_accept(asio::use_awaitable);
  co_return Pair{TimedSocket(std::move(client)), std::move(peer)};
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

struct ReadResult {
  boost::system::error_code ec;
  std::string data;
  bool open_after = false;
};

asio::awaitable<ReadResult> read_once(TimedSocket& socket) {
  std::array<char, 64> buffer{};
  ReadResult result;
  const std::size_t n = co_await socket.async_read_some(asio::buffer(buffer),
                                                        asio::redirect_error(asio::use_awaitable, result.ec));
  result.data.assign(buffer.data(), n);
  result.open_after = socket.socket().is_open();
  co_return result;
}

TEST(TimedSocketTest, ReadWithinTheDeadlineSucceeds) {
  const auto result = test::run_awaitable([]() -> asio::awaitable<ReadResult> {
    auto pair = co_await connected_pair();
    co_await asio::async_write(pair.peer, asio::buffer(std::string("hello")), asio::use_awaitable);
    pair.timed.expires_after(10s);
    co_return co_await read_once(pair.timed);
  }());
  EXPECT_FALSE(result.ec) << result.ec.message();
  EXPECT_EQ(result.data, "hello");
  EXPECT_TRUE(result.open_after);
}

TEST(TimedSocketTest, PendingReadPastTheDeadlineTimesOutAndClosesTheSocket) {
  const auto result = test::run_awaitable([]() -> asio::awaitable<ReadResult> {
    auto pair = co_await connected_pair();  // the peer stays silent
    pair.timed.expires_after(100ms);
    co_return co_await read_once(pair.timed);
  }());
  EXPECT_EQ(result.ec, boost::beast::error::timeout) << result.ec.message();
  EXPECT_FALSE(result.open_after);
}

TEST(TimedSocketTest, DeadlineAlreadyPassedTimesOutTheNextOperation) {
  const auto result = test::run_awaitable([]() -> asio::awaitable<ReadResult> {
    auto pair = co_await connected_pair();
    co_await asio::async_write(pair.peer, asio::buffer(std::string("unread")), asio::use_awaitable);
    pair.timed.expires_at(TimedSocket::clock::now() - 1s);
    co_return co_await read_once(pair.timed);
  }());
  EXPECT_EQ(result.ec, boost::beast::error::timeout) << result.ec.message();
  EXPECT_FALSE(result.open_after);
}

// The armed wait fires at the first operation's deadline; later operations
// moved the deadline on, so it waits again instead of closing the socket.
TEST(TimedSocketTest, ProgressBeforeEachDeadlineOutlivesTheFirstDeadline) {
  const auto results = test::run_awaitable([]() -> asio::awaitable<std::vector<ReadResult>> {
    auto pair = co_await connected_pair();
    auto& peer = pair.peer;
    asio::co_spawn(
        co_await asio::this_coro::executor,
        [&peer]() -> asio::awaitable<void> {
          for (int i = 0; i < 4; ++i) {
            co_await sleep_for(400ms);
            co_await asio::async_write(peer, asio::buffer(std::string(1, char('a' + i))),
                                       asio::use_awaitable);
          }
        },
        asio::detached);
    std::vector<ReadResult> out;
    for (int i = 0; i < 4; ++i) {
      pair.timed.expires_after(1s);  // 4 reads span 1.6 s, each well within its own second
      out.push_back(co_await read_once(pair.timed));
    }
    co_return out;
  }());
  ASSERT_EQ(results.size(), 4U);
  std::string all;
  for (const auto& r : results) {
    EXPECT_FALSE(r.ec) << r.ec.message();
    all += r.data;
  }
  EXPECT_EQ(all, "abcd");
}

// A deadline only bounds operations: an idle socket past it stays open.
TEST(TimedSocketTest, DeadlineWithNoOperationPendingLeavesTheSocketOpen) {
  const auto result = test::run_awaitable([]() -> asio::awaitable<ReadResult> {
    auto pair = co_await connected_pair();
    co_await asio::async_write(pair.peer, asio::buffer(std::string("first")), asio::use_awaitable);
    pair.timed.expires_after(100ms);
    const auto first = co_await read_once(pair.timed);
    if (first.ec || first.data != "first") co_return first;
    co_await sleep_for(400ms);  // the armed wait fires while nothing is pending
    if (!pair.timed.socket().is_open()) co_return ReadResult{{}, "closed while idle", false};
    co_await asio::async_write(pair.peer, asio::buffer(std::string("second")), asio::use_awaitable);
    pair.timed.expires_never();
    co_return co_await read_once(pair.timed);
  }());
  EXPECT_FALSE(result.ec) << result.ec.message();
  EXPECT_EQ(result.data, "second");
  EXPECT_TRUE(result.open_after);
}

TEST(TimedSocketTest, DeadlineMovedEarlierUnderAPendingReadApplies) {
  const auto result = test::run_awaitable([]() -> asio::awaitable<ReadResult> {
    auto pair = co_await connected_pair();
    pair.timed.expires_after(1h);
    auto& timed = pair.timed;
    asio::co_spawn(
        co_await asio::this_coro::executor,
        [&timed]() -> asio::awaitable<void> {
          co_await sleep_for(50ms);
          timed.expires_after(100ms);
        },
        asio::detached);
    co_return co_await read_once(pair.timed);
  }());
  EXPECT_EQ(result.ec, boost::beast::error::timeout) << result.ec.message();
}

TEST(TimedSocketTest, WriteThePeerNeverReadsTimesOut) {
  const auto write_ec = test::run_awaitable([]() -> asio::awaitable<boost::system::error_code> {
    auto pair = co_await connected_pair();  // the peer never reads: the socket buffers fill up
    std::vector<char> block(64 * 1024 * 1024, 'x');
    pair.timed.expires_after(300ms);
    boost::system::error_code ec;
    co_await asio::async_write(pair.timed, asio::buffer(block),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
  }());
  EXPECT_EQ(write_ec, boost::beast::error::timeout) << write_ec.message();
}

TEST(TimedSocketTest, CloseCompletesAPendingReadAsAbortedNotTimedOut) {
  const auto result = test::run_awaitable([]() -> asio::awaitable<ReadResult> {
    auto pair = co_await connected_pair();
    pair.timed.expires_after(1h);
    auto& timed = pair.timed;
    asio::co_spawn(
        co_await asio::this_coro::executor,
        [&timed]() -> asio::awaitable<void> {
          co_await sleep_for(50ms);
          timed.close();
        },
        asio::detached);
    co_return co_await read_once(pair.timed);
  }());
  EXPECT_EQ(result.ec, asio::error::operation_aborted) << result.ec.message();
  EXPECT_FALSE(result.open_after);
}

// A socket destroyed (or moved from) with an hour-long wait armed leaves no
// wait behind: the io_context runs out of work at once.
TEST(TimedSocketTest, DestroyingOrMovingLeavesNoTimerWaitBehind) {
  asio::io_context io;
  std::optional<TimedSocket> moved_into;
  bool read_ok = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto pair = co_await connected_pair();
        co_await asio::async_write(pair.peer, asio::buffer(std::string("x")), asio::use_awaitable);
        pair.timed.expires_after(1h);
        const auto r = co_await read_once(pair.timed);  // arms the hour-long wait
        read_ok = !r.ec && r.data == "x";
        moved_into.emplace(std::move(pair.timed));  // the wait moves with the state
        moved_into.reset();                         // ... and is cancelled here
      },
      asio::detached);
  io.run_for(30s);
  EXPECT_TRUE(read_ok);
  EXPECT_TRUE(io.stopped()) << "a timer wait outlived its socket";
}

}  // namespace
}  // namespace edgefetch::net
