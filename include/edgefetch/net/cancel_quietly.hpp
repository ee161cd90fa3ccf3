#pragma once
// Cancelling a timer where nothing may throw (a destructor, a noexcept close
// or release). Boost 1.74's basic_waitable_timer::cancel() reports errors only
// by throwing (its error_code overload is deprecated), and Asio's timer service
// never reports one; such a caller could not pass it on anyway.

namespace edgefetch::net {

template <class Timer>
void cancel_quietly(Timer& timer) noexcept {
  try {
    timer.cancel();
  } catch (...) {
    // Unreachable (see above).
  }
}

}  // namespace edgefetch::net
