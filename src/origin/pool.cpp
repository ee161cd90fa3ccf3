#include "pool.hpp"

#include <boost/asio/error.hpp>
#include <ctime>

#include "edgefetch/net/cancel_quietly.hpp"

namespace edgefetch::origin {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

Pool::Pool(const asio::any_io_executor& executor, std::string key, std::string pool_id, OriginConfig endpoint,
           std::optional<tls::ClientConfig> tls_base, std::size_t max_idle)
    : key_(std::move(key)),
      pool_id_(std::move(pool_id)),
      endpoint_(std::move(endpoint)),
      tls_base_(std::move(tls_base)),
      max_idle_(max_idle),
      sweep_timer_(executor),
      watch_timer_(executor) {}

Pool::~Pool() {
  close_idle();
}

std::unique_ptr<Connection> Pool::checkout() {
  const auto now = Clock::now();
  while (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    // Invalidate the idle callbacks before anything else touches the socket.
    ++connection->idle_epoch;
    if (connection->idle_watched) {
      connection->idle_watched = false;
      boost::system::error_code ignored;
      connection->transport().socket().cancel(ignored);
    }
    if (now >= connection->idle_deadline) {
      ++expired_;  // the sweep is due but has not run yet
      connection->close();
      continue;
    }
    if (!connection->idle_and_open()) {
      ++closed_by_origin_;
      connection->close();
      continue;
    }
    return connection;
  }
  return nullptr;
}

void Pool::checkin(std::unique_ptr<Connection> connection, std::chrono::seconds keepalive_timeout) {
  if (!accepting_ || keepalive_timeout.count() <= 0 || max_idle_ == 0) {
    connection->close();
    return;
  }
  while (idle_.size() >= max_idle_) {
    idle_.front()->close();
    idle_.pop_front();
  }
  const auto deadline = Clock::now() + keepalive_timeout;
  connection->idle_deadline = deadline;
  connection->idle_watched = false;
  ++connection->idle_epoch;
  idle_.push_back(std::move(connection));
  arm_sweep(deadline);
  arm_watch_pass();
}

void Pool::arm_watch_pass() {
  if (watch_pass_armed_) return;
  watch_pass_armed_ = true;
  start_timer(watch_timer_, Clock::now() + kIdleWatchDelay, &Pool::watch_generation_, &Pool::watch_pass);
}

void Pool::watch_pass() {
  watch_pass_armed_ = false;
  for (auto& connection : idle_) {
    if (!connection->idle_watched) watch(*connection);
  }
}

void Pool::arm_sweep(Clock::time_point deadline) {
  if (sweep_deadline_ && *sweep_deadline_ <= deadline) return;
  sweep_deadline_ = deadline;
  start_timer(sweep_timer_, deadline, &Pool::sweep_generation_, &Pool::sweep);
}

void Pool::start_timer(asio::steady_timer& timer, Clock::time_point deadline, std::uint64_t Pool::*generation,
                       void (Pool::*run)()) {
  const std::uint64_t current = ++(this->*generation);
  const std::weak_ptr<Pool> weak = weak_from_this();
  timer.expires_at(deadline);
  timer.async_wait([weak, current, generation, run](const boost::system::error_code& ec) {
    if (ec) return;
    const auto pool = weak.lock();
    if (pool && (*pool).*generation == current) ((*pool).*run)();
  });
}

void Pool::sweep() {
  sweep_deadline_.reset();
  const auto now = Clock::now();
  std::optional<Clock::time_point> next;
  for (auto it = idle_.begin(); it != idle_.end();) {
    const auto deadline = (*it)->idle_deadline;
    if (deadline <= now) {
      ++expired_;
      (*it)->close();
      it = idle_.erase(it);
      continue;
    }
    if (!next || deadline < *next) next = deadline;
    ++it;
  }
  if (next) arm_sweep(*next);
}

void Pool::watch(Connection& connection) {
  const std::uint64_t id = connection.id;
  const std::uint64_t epoch = connection.idle_epoch;
  connection.idle_watched = true;
  const std::weak_ptr<Pool> weak = weak_from_this();
  connection.transport().socket().async_wait(asio::ip::tcp::socket::wait_read,
                                             [weak, id, epoch](const boost::system::error_code& ec) {
                                               if (ec == asio::error::operation_aborted) return;
                                               if (const auto pool = weak.lock()) {
                                                 pool->drop_closed_by_origin(id, epoch);
                                               }
                                             });
}

void Pool::drop_closed_by_origin(std::uint64_t id, std::uint64_t epoch) {
  for (auto it = idle_.begin(); it != idle_.end(); ++it) {
    if ((*it)->id != id) continue;
    if ((*it)->idle_epoch != epoch) return;  // checked out since, and back: a newer watch owns it
    if ((*it)->idle_and_open()) {
      // A TLS post-handshake message (a ticket, a KeyUpdate): still usable.
      watch(**it);
      return;
    }
    ++closed_by_origin_;
    (*it)->close();
    idle_.erase(it);
    return;
  }
}

void Pool::close_idle() {
  for (auto& connection : idle_) connection->close();
  idle_.clear();
  sweep_deadline_.reset();
  ++sweep_generation_;
  net::cancel_quietly(sweep_timer_);
  watch_pass_armed_ = false;
  ++watch_generation_;
  net::cancel_quietly(watch_timer_);
}

std::optional<tls::ClientConfig> Pool::connection_tls_config() const {
  if (!tls_base_) return std::nullopt;
  tls::ClientConfig config = *tls_base_;
  if (session_ && !session_->expired(std::time(nullptr))) config.resume_session = session_;
  return config;
}

void Pool::remember_session(std::shared_ptr<const tls::Session> session) {
  if (session) session_ = std::move(session);
}

PoolStats Pool::stats() const {
  PoolStats stats;
  stats.pool_id = pool_id_;
  stats.key = key_;
  stats.idle = idle_.size();
  stats.active = active;
  stats.opened = opened;
  stats.reused = reused;
  stats.tls_full = tls_full;
  stats.tls_resumed = tls_resumed;
  stats.expired = expired_;
  stats.closed_by_origin = closed_by_origin_;
  stats.stale_retries = stale_retries;
  return stats;
}

}  // namespace edgefetch::origin
