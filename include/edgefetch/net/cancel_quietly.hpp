#pragma once
// Cancelling a timer on a close path (a destructor, a noexcept close()).
// Boost 1.74's basic_waitable_timer::cancel() has no error_code overload left
// (it is deprecated) and reports a failure of the reactor by throwing; a close
// path can neither pass that on nor do anything about it, and the timer's
// waits end with the object anyway.

namespace edgefetch::net {

template <class Timer>
void cancel_quietly(Timer& timer) noexcept {
  try {
    timer.cancel();
  } catch (...) {  // NOLINT(bugprone-empty-catch): see above
  }
}

}  // namespace edgefetch::net
