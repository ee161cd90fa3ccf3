#include "edgefetch/check/enumerate_limit.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "edgefetch/net/cancel_quietly.hpp"

namespace edgefetch::check {

namespace asio = boost::asio;

ConnectionLimit::ConnectionLimit(asio::any_io_executor executor, int limit)
    : executor_(std::move(executor)), limit_(limit < 1 ? 1 : limit) {}

asio::awaitable<void> ConnectionLimit::acquire() {
  if (in_use_ < limit_ && waiters_.empty()) {
    ++in_use_;
    if (in_use_ > peak_) peak_ = in_use_;
    co_return;
  }
  auto waiter = std::make_shared<Waiter>(executor_);
  waiter->timer.expires_at(asio::steady_timer::time_point::max());
  waiters_.push_back(waiter);
  // Woken by release(), which hands the slot over (in_use_ is not changed in between).
  while (!waiter->granted) {
    boost::system::error_code ignored;
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

void ConnectionLimit::release() noexcept {
  if (!waiters_.empty()) {
    std::shared_ptr<Waiter> next = waiters_.front();
    waiters_.pop_front();
    next->granted = true;
    net::cancel_quietly(next->timer);
    return;
  }
  if (in_use_ > 0) --in_use_;
}

}  // namespace edgefetch::check
