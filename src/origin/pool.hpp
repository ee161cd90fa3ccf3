#pragma once
// The idle connections and the TLS session of one pool key. A connection is
// idle from checkin() to checkout(); while idle, a readiness wait closes it as
// soon as the origin closes it or sends anything, and one timer per pool,
// armed for the earliest keep-alive deadline, closes the connections whose
// deadline has passed. (A timer per connection cost a timer-queue insert and
// a cancellation per request.) Callbacks hold only a weak pointer, and the
// readiness wait the connection id and an epoch, so they never touch a
// connection that left the pool (or was reused and came back).
//
// The readiness wait starts only once a connection has been idle for a pass of
// the watch timer (kIdleWatchDelay): under load a connection is back in use
// within microseconds, and each wait costs an epoll_ctl (one of six system
// calls per pooled request) and a cancelled operation. checkout()'s MSG_PEEK
// catches an origin's close that no wait has seen yet.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "connection.hpp"
#include "edgefetch/origin/client.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/session.hpp"

namespace edgefetch::origin {

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  /// `endpoint`: the origin as the pool key names it (domain, port, --resolve
  /// overrides, scheme); per-request limits come from each exchange.
  Pool(const boost::asio::any_io_executor& executor, std::string key, std::string pool_id,
       OriginConfig endpoint, std::optional<tls::ClientConfig> tls_base, std::size_t max_idle);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// The most recently used idle connection that is still open, or nullptr.
  std::unique_ptr<Connection> checkout();
  /// Keeps a connection whose exchange ended cleanly (closes it when the pool
  /// no longer accepts, or the timeout is zero). Evicts the least recently
  /// used idle connection when full.
  void checkin(std::unique_ptr<Connection> connection, std::chrono::seconds keepalive_timeout);
  void close_idle();
  /// After this, checkin() closes instead of pooling (draining, client gone).
  void stop_accepting() { accepting_ = false; }

  /// The TLS settings for a new connection, offering the cached session; nullopt for plain HTTP.
  [[nodiscard]] std::optional<tls::ClientConfig> connection_tls_config() const;
  void remember_session(std::shared_ptr<const tls::Session> session);
  void forget_session() { session_.reset(); }

  [[nodiscard]] PoolStats stats() const;
  [[nodiscard]] const std::string& key() const { return key_; }
  [[nodiscard]] const OriginConfig& endpoint() const { return endpoint_; }
  std::uint64_t next_connection_id() { return ++last_connection_id_; }

  // Counters the exchanges update.
  std::size_t active = 0;
  std::uint64_t opened = 0;
  std::uint64_t reused = 0;
  std::uint64_t tls_full = 0;
  std::uint64_t tls_resumed = 0;
  std::uint64_t stale_retries = 0;

 private:
  void watch(Connection& connection);
  // Arms the watch timer unless it is armed; its pass watches every idle connection.
  void arm_watch_pass();
  void watch_pass();
  void drop_closed_by_origin(std::uint64_t id, std::uint64_t epoch);
  // Arms the sweep timer for `deadline` unless it is already armed for an earlier one.
  void arm_sweep(std::chrono::steady_clock::time_point deadline);
  // Closes the idle connections whose keep-alive deadline has passed; re-arms.
  void sweep();
  // Starts `timer` for `deadline` under a new `generation`; when it fires and
  // that generation is still current (nobody re-armed or stopped it), runs
  // `run` on the pool, if the pool still exists.
  void start_timer(boost::asio::steady_timer& timer, std::chrono::steady_clock::time_point deadline,
                   std::uint64_t Pool::*generation, void (Pool::*run)());

  std::string key_;
  std::string pool_id_;
  OriginConfig endpoint_;
  std::optional<tls::ClientConfig> tls_base_;
  std::size_t max_idle_;
  bool accepting_ = true;
  std::shared_ptr<const tls::Session> session_;
  std::deque<std::unique_ptr<Connection>> idle_;  // least recently used first
  std::uint64_t last_connection_id_ = 0;
  std::uint64_t expired_ = 0;
  std::uint64_t closed_by_origin_ = 0;
  boost::asio::steady_timer sweep_timer_;
  std::optional<std::chrono::steady_clock::time_point> sweep_deadline_;  // set while armed
  std::uint64_t sweep_generation_ = 0;
  boost::asio::steady_timer watch_timer_;
  bool watch_pass_armed_ = false;
  std::uint64_t watch_generation_ = 0;
};

/// How long a connection stays idle before the pool watches its socket.
inline constexpr std::chrono::milliseconds kIdleWatchDelay{250};

}  // namespace edgefetch::origin
