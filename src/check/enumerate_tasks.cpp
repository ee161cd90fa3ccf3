#include "check/enumerate_tasks.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace edgefetch::check::detail {

namespace asio = boost::asio;

TaskGroup::TaskGroup(const asio::any_io_executor& executor)
    : executor_(executor), state_(std::make_shared<State>(executor)) {}

void TaskGroup::spawn(asio::awaitable<void> task) {
  ++state_->pending;
  asio::co_spawn(executor_, std::move(task), [state = state_](const std::exception_ptr& failure) {
    if (failure && !state->failure) state->failure = failure;
    if (--state->pending == 0) state->timer.cancel();
  });
}

asio::awaitable<void> TaskGroup::wait() {
  while (state_->pending > 0) {
    state_->timer.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ignored;
    co_await state_->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  if (state_->failure) std::rethrow_exception(state_->failure);
}


}  // namespace edgefetch::check::detail
