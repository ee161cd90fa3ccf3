// net::send_now and net::consume_front: the synchronous fast path of a write,
// on real loopback sockets (a peer that reads, one that does not, one gone).

#include "edgefetch/net/send_now.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <string>
#include <vector>

namespace edgefetch::net {
namespace {

namespace asio = boost::asio;

struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds.data()), 0); }
  ~SocketPair() {
    for (const int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;
  std::string read_available(std::size_t limit) const {
    std::string out(limit, '\0');
    const ssize_t n = ::recv(fds[1], out.data(), out.size(), MSG_DONTWAIT);
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
  }
  std::array<int, 2> fds{-1, -1};
};

TEST(SendNow, SendsEveryBufferInOrderInOneCall) {
  SocketPair pair;
  const std::string head = "HTTP/1.1 200 OK\r\n\r\n";
  const std::string empty;
  const std::string body = "hello";
  const std::array<asio::const_buffer, 3> buffers{asio::buffer(head), asio::buffer(empty),
                                                  asio::buffer(body)};
  boost::system::error_code ec;
  EXPECT_EQ(send_now(pair.fds[0], buffers, ec), head.size() + body.size());
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(pair.read_available(1024), head + body);
}

TEST(SendNow, FullSocketTakesPartThenNothingWithoutError) {
  SocketPair pair;
  const std::vector<char> block(1 << 20, 'x');
  const std::array<asio::const_buffer, 1> buffers{asio::buffer(block)};
  boost::system::error_code ec;
  std::size_t total = 0;
  std::size_t last = 1;
  for (int i = 0; i < 1000 && last > 0; ++i) {
    last = send_now(pair.fds[0], buffers, ec);
    ASSERT_FALSE(ec) << ec.message();
    total += last;
  }
  EXPECT_EQ(last, 0u) << "the peer never reads: the socket must fill up";
  EXPECT_GT(total, 0u);
  EXPECT_LT(total, 1000u * block.size());
}

TEST(SendNow, PeerGoneIsAnErrorNotASignal) {
  SocketPair pair;
  ::close(pair.fds[1]);
  pair.fds[1] = -1;
  const std::string data = "late";
  const std::array<asio::const_buffer, 1> buffers{asio::buffer(data)};
  boost::system::error_code ec;
  EXPECT_EQ(send_now(pair.fds[0], buffers, ec), 0u);  // MSG_NOSIGNAL: EPIPE, not SIGPIPE
  EXPECT_EQ(ec, asio::error::broken_pipe) << ec.message();
}

TEST(SendNow, ClosedDescriptorIsAnError) {
  const std::string data = "x";
  const std::array<asio::const_buffer, 1> buffers{asio::buffer(data)};
  boost::system::error_code ec;
  EXPECT_EQ(send_now(-1, buffers, ec), 0u);
  EXPECT_EQ(ec, asio::error::bad_descriptor) << ec.message();
}

TEST(SendNow, NothingToSendIsNoCall) {
  boost::system::error_code ec = asio::error::eof;
  EXPECT_EQ(send_now(-1, {}, ec), 0u);
  EXPECT_FALSE(ec);  // not even a bad descriptor: sendmsg was not called
}

TEST(ConsumeFront, DropsWholeBuffersThenAdvancesTheNext) {
  const std::string a = "abc", b = "defgh", c = "ij";
  std::array<asio::const_buffer, 3> storage{asio::buffer(a), asio::buffer(b), asio::buffer(c)};
  std::span<asio::const_buffer> rest(storage);
  consume_front(rest, 0);
  EXPECT_EQ(rest.size(), 3u);
  consume_front(rest, 5);  // "abc" and "de"
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(std::string(static_cast<const char*>(rest[0].data()), rest[0].size()), "fgh");
  consume_front(rest, 3);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(std::string(static_cast<const char*>(rest[0].data()), rest[0].size()), "ij");
  consume_front(rest, 2);
  EXPECT_TRUE(rest.empty());
}

TEST(ConsumeFront, TrailingEmptyBuffersGoWithTheLastByte) {
  const std::string a = "abc", none;
  std::array<asio::const_buffer, 2> storage{asio::buffer(a), asio::buffer(none)};
  std::span<asio::const_buffer> rest(storage);
  consume_front(rest, 3);
  EXPECT_TRUE(rest.empty());
}

}  // namespace
}  // namespace edgefetch::net
