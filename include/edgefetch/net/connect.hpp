#pragma once
// TCP connect with the CDN's origin semantics: each attempt has its own
// ConnectionTimeout, there are ConnectionAttempts attempts in all, and attempt
// N uses the N-th resolved address (wrapping around), so a multi-address origin
// is tried address by address. Every attempt is reported: a refusal (RST) and a
// silent drop (timeout) lead to different CDN answers (502 vs 504).

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace edgefetch::net {

struct ConnectOptions {
  std::chrono::steady_clock::duration timeout = std::chrono::seconds(10);  // per attempt
  int attempts = 3;
};

enum class ConnectOutcome {
  connected,
  refused,      // RST: nothing listens on the port, or a firewall rejects
  timed_out,    // no answer within the timeout (silent drop, full backlog)
  unreachable,  // ICMP host/network unreachable, no route
  reset,        // connection reset or aborted during the connect
  failed,       // any other socket error
};

/// "connected", "refused", "timed_out", "unreachable", "reset", "failed".
std::string_view connect_outcome_name(ConnectOutcome outcome);
ConnectOutcome classify_connect_error(const boost::system::error_code& ec);

struct ConnectAttempt {
  int number = 0;  // 1-based
  boost::asio::ip::tcp::endpoint endpoint;
  ConnectOutcome outcome = ConnectOutcome::failed;
  boost::system::error_code error;  // empty when connected
  std::chrono::steady_clock::duration elapsed{};
};

struct ConnectResult {
  std::optional<boost::beast::tcp_stream> stream;  // set when an attempt connected
  std::vector<ConnectAttempt> attempts;
  std::chrono::steady_clock::duration elapsed{};  // all attempts

  [[nodiscard]] bool connected() const { return stream.has_value(); }
  /// The last attempt's outcome (what the caller reports).
  [[nodiscard]] ConnectOutcome outcome() const {
    return attempts.empty() ? ConnectOutcome::failed : attempts.back().outcome;
  }
};

/// Tries up to options.attempts connections; endpoints must not be empty.
/// on_attempt (optional) sees each attempt as soon as it ends.
boost::asio::awaitable<ConnectResult> connect(std::vector<boost::asio::ip::tcp::endpoint> endpoints,
                                              ConnectOptions options,
                                              std::function<void(const ConnectAttempt&)> on_attempt = {});

}  // namespace edgefetch::net
