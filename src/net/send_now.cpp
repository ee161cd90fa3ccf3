#include "edgefetch/net/send_now.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace edgefetch::net {

std::size_t send_now(int fd, std::span<const boost::asio::const_buffer> buffers,
                     boost::system::error_code& ec) {
  ec = {};
  std::array<iovec, 64> vectors{};
  std::size_t count = 0;
  for (const auto& buffer : buffers) {
    if (count == vectors.size()) break;
    if (buffer.size() == 0) continue;
    // iovec's base is not const; sendmsg only reads it.
    vectors[count++] = iovec{const_cast<void*>(buffer.data()),
                             buffer.size()};  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  }
  if (count == 0) return 0;
  msghdr message{};
  message.msg_iov = vectors.data();
  message.msg_iovlen = count;
  for (;;) {
    const ssize_t sent = ::sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent >= 0) return static_cast<std::size_t>(sent);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    ec = boost::system::error_code(errno, boost::system::system_category());
    return 0;
  }
}

void consume_front(std::span<boost::asio::const_buffer>& buffers, std::size_t n) {
  std::size_t whole = 0;
  while (whole < buffers.size() && n >= buffers[whole].size()) {
    n -= buffers[whole].size();
    ++whole;
  }
  buffers = buffers.subspan(whole);
  if (!buffers.empty()) buffers.front() += n;
}

}  // namespace edgefetch::net
