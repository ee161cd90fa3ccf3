#pragma once
// The admin listener (`edgefetch serve --admin ADDR:PORT`): a small HTTP/1.1
// server for operators and scrapers, separate from the viewer listeners.
//   GET/HEAD /metrics  200, Content-Type "text/plain; version=0.0.4; charset=utf-8",
//                      Metrics::render_prometheus()
//   GET/HEAD /healthz  200 "ok\n" when healthy() returns true, else 503 "unhealthy\n"
//                      (e.g. while draining after SIGTERM)
//   other paths        404;  other methods  405 with "Allow: GET, HEAD"
// A query string is ignored for routing. Keep-alive per HTTP/1.1. Limits: the
// request head may be at most kMaxRequestHeadBytes and the body kMaxRequestBodyBytes
// (larger: 431/413 and the connection closes); a request must arrive completely
// within kRequestTimeout of its first byte being awaited, and an idle keep-alive
// connection is closed after kIdleTimeout; at most kMaxConnections at once
// (further connections are accepted and closed at once).

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
  static constexpr std::size_t kMaxRequestHeadBytes = 8 * 1024;
  static constexpr std::size_t kMaxRequestBodyBytes = 8 * 1024;
  static constexpr std::chrono::seconds kRequestTimeout{10};
  static constexpr std::chrono::seconds kIdleTimeout{30};
  static constexpr std::size_t kMaxConnections = 64;

  /// Binds and listens on `endpoint` (port 0 = any free port, see
  /// local_endpoint()) and starts accepting on `executor`. The server runs
  /// until stop() or destruction. `healthy` is called on the executor for each
  /// /healthz request. Errors ("cannot listen on 127.0.0.1:9000: Address
  /// already in use") name the address.
  static base::Expected<std::unique_ptr<AdminServer>, std::string> start(
      boost::asio::any_io_executor executor, const boost::asio::ip::tcp::endpoint& endpoint,
      std::shared_ptr<const Metrics> metrics, std::function<bool()> healthy);

  ~AdminServer();  // stops
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;

  /// Closes the listener and every admin connection. Thread-safe and
  /// idempotent; returns at once (the coroutines wind down on the executor).
  void stop();

 private:
  struct State;
  explicit AdminServer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace edgefetch::edge
