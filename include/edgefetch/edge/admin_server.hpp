#pragma once
// The admin listener (`edgefetch serve --admin ADDR:PORT`): a small HTTP/1.1
// server for operators and scrapers, separate from the viewer listeners.
//   GET/HEAD /metrics  200, Content-Type "text/plain; version=0.0.4; charset=utf-8",
//                      Metrics::render_prometheus()
//   GET/HEAD /healthz  200 "ok\n" when healthy() returns true, else 503 "unhealthy\n"
//                      (e.g. while draining after SIGTERM)
//   other paths        404;  other methods  405 with "Allow: GET, HEAD"
// A query string is ignored for routing. Keep-alive per HTTP/1.1 (pipelined
// requests are answered in order). Limits (Options, defaults below): the
// request head may be at most max_head_bytes and the body max_body_bytes
// (larger: 431 / 413, then the connection closes; unparsable: 400 and close);
// a request must arrive completely within request_timeout (counted from the
// accept for the first request, from its first byte for later ones); an idle
// keep-alive connection is closed after idle_timeout; at most max_connections
// at once (further connections are accepted and closed at once).
// All connections of one server run on one strand of the given executor, so
// the server is safe on an io_context run by several threads.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/edge/metrics.hpp"

namespace edgefetch::edge {

class AdminServer {
 public:
  static constexpr std::size_t kMaxRequestHeadBytes = std::size_t{8} * 1024;
  static constexpr std::size_t kMaxRequestBodyBytes = std::size_t{8} * 1024;
  static constexpr std::chrono::seconds kRequestTimeout{10};
  static constexpr std::chrono::seconds kIdleTimeout{30};
  static constexpr std::size_t kMaxConnections = 64;

  struct Options {
    std::size_t max_head_bytes = kMaxRequestHeadBytes;
    std::size_t max_body_bytes = kMaxRequestBodyBytes;
    std::chrono::milliseconds request_timeout = kRequestTimeout;
    std::chrono::milliseconds idle_timeout = kIdleTimeout;
    std::size_t max_connections = kMaxConnections;
  };

  /// Binds and listens on `endpoint` (port 0 = any free port, see
  /// local_endpoint()) and starts accepting on `executor`. The server runs
  /// until stop() or destruction. `healthy` is called on the executor for each
  /// /healthz request. Errors ("127.0.0.1:9000: cannot listen: Address
  /// already in use") name the address.
  static base::Expected<std::unique_ptr<AdminServer>, std::string> start(
      const boost::asio::any_io_executor& executor, const boost::asio::ip::tcp::endpoint& endpoint,
      std::shared_ptr<const Metrics> metrics, std::function<bool()> healthy);
  /// The same with explicit limits (tests use short timeouts).
  static base::Expected<std::unique_ptr<AdminServer>, std::string> start(
      const boost::asio::any_io_executor& executor, const boost::asio::ip::tcp::endpoint& endpoint,
      std::shared_ptr<const Metrics> metrics, std::function<bool()> healthy, const Options& options);

  /// Stops. Destroy the server before the io_context behind its executor
  /// (stop() posts to it).
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;

  /// Closes the listener and every admin connection. Thread-safe and
  /// idempotent; returns at once (the coroutines wind down on the executor).
  void stop();

 private:
  struct State;
  class PassKey {
    friend class AdminServer;
    PassKey() = default;
  };

 public:
  AdminServer(PassKey, std::shared_ptr<State> state);

 private:
  std::shared_ptr<State> state_;
};

}  // namespace edgefetch::edge
