#include "support/tcp.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace edgefetch::support {
namespace {

std::string errno_text(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

sockaddr_in loopback_address(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Why the casts: the BSD socket API takes sockaddr*, and sockaddr_in is its IPv4 layout.
const sockaddr* as_sockaddr(const sockaddr_in& addr) {
  return reinterpret_cast<const sockaddr*>(&addr);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

bool set_non_blocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL, 0);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

enum class Wait { ready, timeout, cancelled };

// Waits for `events` on fd, the deadline, or `cancel_fd` becoming readable.
base::Expected<Wait, std::string> wait_for(int fd, short events, Deadline deadline, int cancel_fd = -1) {
  for (;;) {
    std::array<pollfd, 2> fds = {pollfd{fd, events, 0}, pollfd{cancel_fd, POLLIN, 0}};
    const int rc = ::poll(fds.data(), cancel_fd >= 0 ? 2 : 1, deadline.poll_timeout_ms());
    if (rc < 0) {
      if (errno == EINTR) continue;
      return base::unexpected(errno_text("poll"));
    }
    if (rc == 0) return Wait::timeout;
    if (cancel_fd >= 0 && (fds[1].revents & POLLIN) != 0) return Wait::cancelled;
    return Wait::ready;
  }
}

base::Expected<void, std::string> wait_error(const base::Expected<Wait, std::string>& waited) {
  if (!waited) return base::unexpected(waited.error());
  if (*waited == Wait::timeout) return base::unexpected(std::string(kTimeoutError));
  if (*waited == Wait::cancelled) return base::unexpected(std::string(kCancelledError));
  return {};
}

}  // namespace

base::Expected<UniqueFd, std::string> connect_loopback(std::uint16_t port, Deadline deadline) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return base::unexpected(errno_text("socket"));
  const int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const sockaddr_in addr = loopback_address(port);
  if (::connect(fd.get(), as_sockaddr(addr), sizeof addr) == 0) return fd;
  if (errno != EINPROGRESS)
    return base::unexpected(errno_text("connect to 127.0.0.1:" + std::to_string(port)));
  if (auto waited = wait_error(wait_for(fd.get(), POLLOUT, deadline)); !waited) {
    return base::unexpected(waited.error());
  }
  int so_error = 0;
  socklen_t len = sizeof so_error;
  if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) {
    return base::unexpected(errno_text("getsockopt"));
  }
  if (so_error != 0) {
    return base::unexpected("connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(so_error));
  }
  return fd;
}

base::Expected<UniqueFd, std::string> listen_loopback(std::uint16_t port, int backlog) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return base::unexpected(errno_text("socket"));
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in addr = loopback_address(port);
  if (::bind(fd.get(), as_sockaddr(addr), sizeof addr) != 0) return base::unexpected(errno_text("bind"));
  if (::listen(fd.get(), backlog) != 0) return base::unexpected(errno_text("listen"));
  return fd;
}

std::uint16_t local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): see as_sockaddr
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  return ntohs(addr.sin_port);
}

std::uint16_t pick_free_port() {
  // Without SO_REUSEADDR, so the port is not in TIME_WAIT reuse limbo for the server.
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return 0;
  const sockaddr_in addr = loopback_address(0);
  if (::bind(fd.get(), as_sockaddr(addr), sizeof addr) != 0) return 0;
  return local_port(fd.get());
}

base::Expected<UniqueFd, std::string> accept_one(int listen_fd, Deadline deadline) {
  for (;;) {
    UniqueFd conn(::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (conn) return conn;
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return base::unexpected(errno_text("accept"));
    if (auto waited = wait_error(wait_for(listen_fd, POLLIN, deadline)); !waited) {
      return base::unexpected(waited.error());
    }
  }
}

base::Expected<void, std::string> send_all(int fd, std::span<const std::uint8_t> data, Deadline deadline) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return base::unexpected(errno_text("send"));
    if (auto waited = wait_error(wait_for(fd, POLLOUT, deadline)); !waited)
      return base::unexpected(waited.error());
  }
  return {};
}

base::Expected<void, std::string> send_all(int fd, std::string_view data, Deadline deadline) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): char and uint8_t share representation
  return send_all(fd, std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), deadline);
}

base::Expected<std::size_t, std::string> recv_some(int fd, std::span<std::uint8_t> buffer, Deadline deadline,
                                                   int cancel_fd) {
  for (;;) {
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno == ECONNRESET) return std::size_t{0};  // an abortive close ends the stream as well
    if (errno != EAGAIN && errno != EWOULDBLOCK) return base::unexpected(errno_text("recv"));
    if (auto waited = wait_error(wait_for(fd, POLLIN, deadline, cancel_fd)); !waited) {
      return base::unexpected(waited.error());
    }
  }
}

base::Expected<std::string, std::string> recv_until_eof(int fd, Deadline deadline, std::size_t limit,
                                                        int cancel_fd) {
  std::string out;
  std::uint8_t buffer[16384];
  while (out.size() < limit) {
    auto n = recv_some(fd, buffer, deadline, cancel_fd);
    if (!n) return base::unexpected(n.error());
    if (*n == 0) break;
    out.append(std::begin(buffer), std::begin(buffer) + static_cast<std::ptrdiff_t>(*n));
  }
  return out;
}

}  // namespace edgefetch::support
