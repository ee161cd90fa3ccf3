#include "support/tcp.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace edgefetch::bench {
namespace {

std::string last_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) ::close(fd_);
}

int Socket::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

base::Expected<Socket, std::string> connect_loopback(std::uint16_t port, std::chrono::seconds timeout) {
  Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (socket.get() < 0) return base::unexpected(last_error("socket"));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count());
  setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(socket.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const int one = 1;
  setsockopt(socket.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const sockaddr_in address = loopback(port);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API takes sockaddr*
  if (::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
    return base::unexpected(last_error("connect"));
  return socket;
}

base::Expected<std::uint16_t, std::string> pick_free_port() {
  Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (socket.get() < 0) return base::unexpected(last_error("socket"));
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API takes sockaddr*
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (::bind(socket.get(), generic, sizeof address) != 0) return base::unexpected(last_error("bind"));
  if (::getsockname(socket.get(), generic, &length) != 0) return base::unexpected(last_error("getsockname"));
  return ntohs(address.sin_port);
}

base::Expected<void, std::string> send_all(int fd, std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return base::unexpected(last_error("send"));
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

base::Expected<std::size_t, std::string> receive_some(int fd, std::span<std::uint8_t> buffer) {
  for (;;) {
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    return base::unexpected(last_error("recv"));
  }
}

}  // namespace edgefetch::bench
