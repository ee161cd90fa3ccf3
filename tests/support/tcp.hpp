#pragma once
// Loopback TCP helpers for tests: non-blocking sockets driven by poll(2), every
// call bounded by a Deadline. Only 127.0.0.1 is ever a target.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "edgefetch/base/expected.hpp"
#include "support/deadline.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::support {

/// Connects to 127.0.0.1:port. The returned socket is non-blocking.
base::Expected<UniqueFd, std::string> connect_loopback(std::uint16_t port, Deadline deadline);

/// A listening socket on 127.0.0.1 (port 0: the kernel picks one). Non-blocking.
base::Expected<UniqueFd, std::string> listen_loopback(std::uint16_t port = 0, int backlog = 16);

/// The local port a socket is bound to (0 on failure).
std::uint16_t local_port(int fd);

/// A port that was free on 127.0.0.1 a moment ago (bind to port 0, read it, close).
/// Another process may take it before our server binds it: callers retry.
std::uint16_t pick_free_port();

/// Accepts one connection (non-blocking result), waiting until the deadline.
base::Expected<UniqueFd, std::string> accept_one(int listen_fd, Deadline deadline);

/// Writes all bytes before the deadline.
base::Expected<void, std::string> send_all(int fd, std::span<const std::uint8_t> data, Deadline deadline);
base::Expected<void, std::string> send_all(int fd, std::string_view data, Deadline deadline);

/// Reads what is available (waiting for at least one byte). 0 = end of stream.
/// Error kTimeoutError when the deadline passes first, kCancelledError when
/// `cancel_fd` (if not -1) becomes readable first.
base::Expected<std::size_t, std::string> recv_some(int fd, std::span<std::uint8_t> buffer, Deadline deadline,
                                                   int cancel_fd = -1);

/// Reads until end of stream; error kTimeoutError when the deadline passes first
/// (kCancelledError when `cancel_fd` becomes readable first).
base::Expected<std::string, std::string> recv_until_eof(int fd, Deadline deadline,
                                                        std::size_t limit = 1 << 20, int cancel_fd = -1);

inline constexpr std::string_view kTimeoutError = "timeout";
inline constexpr std::string_view kCancelledError = "cancelled";

}  // namespace edgefetch::support
