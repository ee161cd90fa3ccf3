#pragma once
// Blocking loopback TCP for the benchmarks, with send/receive timeouts so that a
// stuck peer ends a run instead of hanging it.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "edgefetch/base/expected.hpp"

namespace edgefetch::bench {

class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(other.release()) {}
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  [[nodiscard]] int get() const { return fd_; }
  int release();

 private:
  int fd_ = -1;
};

/// Connects to 127.0.0.1:port; send and receive calls time out after `timeout`.
base::Expected<Socket, std::string> connect_loopback(std::uint16_t port, std::chrono::seconds timeout);

/// A port that was free on 127.0.0.1 a moment ago (bind to port 0, read it back).
base::Expected<std::uint16_t, std::string> pick_free_port();

/// Sends everything or fails.
base::Expected<void, std::string> send_all(int fd, std::span<const std::uint8_t> bytes);

/// One recv(): the count received, 0 at end of stream.
base::Expected<std::size_t, std::string> receive_some(int fd, std::span<std::uint8_t> buffer);

}  // namespace edgefetch::bench
