#pragma once
// A point in time every blocking step of a test is bounded by.

#include <algorithm>
#include <chrono>

namespace edgefetch::support {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  static Deadline after(std::chrono::milliseconds budget) { return Deadline(Clock::now() + budget); }

  [[nodiscard]] bool expired() const { return Clock::now() >= at_; }
  [[nodiscard]] std::chrono::milliseconds remaining() const {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(at_ - Clock::now()));
  }
  /// For poll(2): the remaining time in ms, at least 0.
  [[nodiscard]] int poll_timeout_ms() const { return static_cast<int>(remaining().count()); }

 private:
  explicit Deadline(Clock::time_point at) : at_(at) {}
  Clock::time_point at_;
};

}  // namespace edgefetch::support
