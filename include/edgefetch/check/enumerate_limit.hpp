#pragma once
// A bound on concurrent connections for coroutines on one single-threaded
// executor (a counting semaphore): each enumeration has its own per-origin
// limit, and several enumerations can share one overall limit
// (EnumerateOptions::overall_limit) when many origins are checked at once.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>

namespace edgefetch::check {

class ConnectionLimit {
 public:
  ConnectionLimit(boost::asio::any_io_executor executor, int limit);
  ConnectionLimit(const ConnectionLimit&) = delete;
  ConnectionLimit& operator=(const ConnectionLimit&) = delete;

  /// Waits for a free slot and takes it (first come, first served).
  boost::asio::awaitable<void> acquire();
  /// Returns a slot (hands it to the longest waiter, if any). Never throws:
  /// Guard calls it from its destructor.
  void release() noexcept;

  [[nodiscard]] int limit() const { return limit_; }
  [[nodiscard]] int in_use() const { return in_use_; }
  /// The most slots ever in use at once.
  [[nodiscard]] int peak() const { return peak_; }

  /// Holds one slot for its lifetime (take it after acquire()).
  class Guard {
   public:
    explicit Guard(ConnectionLimit& limit) : limit_(&limit) {}
    ~Guard() { limit_->release(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    ConnectionLimit* limit_;
  };

 private:
  struct Waiter {
    explicit Waiter(const boost::asio::any_io_executor& executor) : timer(executor) {}
    boost::asio::steady_timer timer;
    bool granted = false;
  };
  boost::asio::any_io_executor executor_;
  int limit_;
  int in_use_ = 0;
  int peak_ = 0;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace edgefetch::check
