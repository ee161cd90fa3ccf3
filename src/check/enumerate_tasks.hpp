#pragma once
// Two small coordination tools for enumeration on a single-threaded executor:
// ConnectionSlots bounds how many probes are connected at once (a counting
// semaphore for coroutines), and TaskGroup runs coroutines concurrently and
// waits for all of them. Both must only be used from their executor's thread.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <exception>
#include <memory>

namespace edgefetch::check::detail {

class ConnectionSlots {
 public:
  ConnectionSlots(boost::asio::any_io_executor executor, int limit);

  /// Waits for a free slot and takes it.
  boost::asio::awaitable<void> acquire();
  /// Returns a slot (hands it to the longest waiter, if any).
  void release();

  [[nodiscard]] int in_use() const { return in_use_; }
  [[nodiscard]] int peak() const { return peak_; }

 private:
  struct Waiter {
    explicit Waiter(boost::asio::any_io_executor executor) : timer(std::move(executor)) {}
    boost::asio::steady_timer timer;
    bool granted = false;
  };
  boost::asio::any_io_executor executor_;
  int limit_;
  int in_use_ = 0;
  int peak_ = 0;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

/// Holds one slot for its lifetime.
class SlotGuard {
 public:
  explicit SlotGuard(ConnectionSlots& slots) : slots_(&slots) {}
  ~SlotGuard() {
    if (slots_ != nullptr) slots_->release();
  }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  ConnectionSlots* slots_;
};

class TaskGroup {
 public:
  explicit TaskGroup(boost::asio::any_io_executor executor);
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  /// Starts `task` now; it runs concurrently with the caller.
  void spawn(boost::asio::awaitable<void> task);
  /// Waits until every spawned task finished; rethrows the first exception one threw.
  boost::asio::awaitable<void> wait();

 private:
  struct State {
    explicit State(boost::asio::any_io_executor executor) : timer(std::move(executor)) {}
    boost::asio::steady_timer timer;
    int pending = 0;
    std::exception_ptr failure;
  };
  boost::asio::any_io_executor executor_;
  std::shared_ptr<State> state_;  // shared with the completion handlers
};

}  // namespace edgefetch::check::detail
