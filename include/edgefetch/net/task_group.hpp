#pragma once
// TaskGroup runs coroutines concurrently on a single-threaded executor and
// waits for all of them (Boost 1.74 has no parallel_group). Use it only from
// its executor's thread. (`check` probes an origin with several at once; the
// edge's WebSocket relay runs its two directions and a watchdog.)

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>
#include <memory>

namespace edgefetch::net {

class TaskGroup {
 public:
  explicit TaskGroup(const boost::asio::any_io_executor& executor);
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  /// Starts `task` now; it runs concurrently with the caller.
  void spawn(boost::asio::awaitable<void> task);
  /// Waits until every spawned task finished; rethrows the first exception one threw.
  boost::asio::awaitable<void> wait();

 private:
  struct State {
    explicit State(const boost::asio::any_io_executor& executor) : timer(executor) {}
    boost::asio::steady_timer timer;
    int pending = 0;
    std::exception_ptr failure;
  };
  boost::asio::any_io_executor executor_;
  std::shared_ptr<State> state_;  // shared with the completion handlers
};

}  // namespace edgefetch::net
