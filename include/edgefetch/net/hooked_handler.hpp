#pragma once
// A completion handler run after a hook: how TimedSocket and TcpTransport see
// an operation complete (count it, name a timeout) without a composed
// operation. The caller's handler keeps its associated executor and allocator,
// so Asio dispatches and allocates exactly as for the bare handler.

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace edgefetch::net::detail {

/// Hook: `operator()(error_code&, std::size_t)` (may rewrite the error) and
/// `executor()`, the I/O object's executor for a handler that has none.
template <class Handler, class Hook>
struct HookedHandler {
  Handler handler;
  Hook hook;

  using executor_type =
      boost::asio::associated_executor_t<Handler, decltype(std::declval<Hook&>().executor())>;
  executor_type get_executor() const noexcept {
    return boost::asio::get_associated_executor(handler, hook.executor());
  }
  using allocator_type = boost::asio::associated_allocator_t<Handler>;
  allocator_type get_allocator() const noexcept { return boost::asio::get_associated_allocator(handler); }

  void operator()(boost::system::error_code ec, std::size_t n) {
    hook(ec, n);
    std::move(handler)(ec, n);
  }
};

template <class Handler, class Hook>
HookedHandler<std::decay_t<Handler>, Hook> hook_handler(Handler&& handler, Hook hook) {
  return {std::forward<Handler>(handler), std::move(hook)};
}

}  // namespace edgefetch::net::detail
