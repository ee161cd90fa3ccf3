#include "edgefetch/net/task_group.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "edgefetch/net/cancel_quietly.hpp"

namespace edgefetch::net {

namespace asio = boost::asio;

TaskGroup::TaskGroup(const asio::any_io_executor& executor)
    : executor_(executor), state_(std::make_shared<State>(executor)) {}

void TaskGroup::spawn(asio::awaitable<void> task) {
  ++state_->pending;
  asio::co_spawn(executor_, std::move(task), [state = state_](const std::exception_ptr& failure) {
    if (failure && !state->failure) state->failure = failure;
    if (--state->pending == 0) cancel_quietly(state->timer);
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

}  // namespace edgefetch::net
