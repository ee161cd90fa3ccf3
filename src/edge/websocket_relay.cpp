#include "websocket_relay.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

namespace edgefetch::edge {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Bytes moved per read in each direction: a WebSocket message of any size
// goes through in pieces, so memory per connection stays fixed.
constexpr std::size_t kRelayChunk = std::size_t{16} * 1024;

using Chunk = std::array<std::uint8_t, kRelayChunk>;

// Shared by the three coroutines of one relay: the viewer-to-origin pump (the
// caller's), the origin-to-viewer pump and the idle watchdog (spawned). The
// streams belong to the caller, which returns only once the spawned ones
// have finished (`running`), so they never outlive the streams.
struct RelayState {
  RelayState(const asio::any_io_executor& executor, detail::ViewerStream& v, origin::OriginTunnel& o,
             Clock::duration idle)
      : viewer(v), origin(o), idle_timeout(idle), finished(executor), watchdog(executor) {}

  detail::ViewerStream& viewer;
  origin::OriginTunnel& origin;
  Clock::duration idle_timeout;
  Clock::time_point last_activity = Clock::now();
  asio::steady_timer finished;  // woken when a spawned coroutine ends
  asio::steady_timer watchdog;
  int running = 0;
  bool ending = false;
  RelayResult result;

  // The first end wins: it is the relay's reason. Stops the other side's
  // pending operations: the origin connection is closed, the viewer's
  // operations cancelled (the caller closes it gracefully, so the last bytes
  // written to it are not lost to a reset).
  void end(RelayEnd why) {
    if (ending) return;
    ending = true;
    result.end = why;
    origin.close();
    viewer.cancel();
    watchdog.cancel();
  }

  void spawned_done() {
    --running;
    finished.cancel();
  }
};

// Keeps `running` true to the coroutine's end, however it ends.
class SpawnedGuard {
 public:
  explicit SpawnedGuard(std::shared_ptr<RelayState> state) : state_(std::move(state)) {}
  ~SpawnedGuard() { state_->spawned_done(); }
  SpawnedGuard(const SpawnedGuard&) = delete;
  SpawnedGuard& operator=(const SpawnedGuard&) = delete;

 private:
  std::shared_ptr<RelayState> state_;
};

asio::awaitable<void> origin_to_viewer(std::shared_ptr<RelayState> state) {
  const SpawnedGuard guard(state);
  const auto chunk = std::make_unique_for_overwrite<Chunk>();
  while (!state->ending) {
    auto read = co_await state->origin.read_some(std::span<std::uint8_t>(chunk->data(), chunk->size()));
    if (!read || *read == 0) {
      state->end(RelayEnd::origin_closed);
      break;
    }
    state->last_activity = Clock::now();
    boost::system::error_code ec;
    const std::array<asio::const_buffer, 1> out{asio::buffer(chunk->data(), *read)};
    co_await state->viewer.write(out, ec);
    if (ec) {
      state->end(RelayEnd::viewer_closed);
      break;
    }
    state->result.origin_to_viewer += *read;
    state->last_activity = Clock::now();
  }
}

// Closes both sides when no byte has moved for the idle timeout. A write
// that cannot finish (a peer that stopped reading) counts as no movement.
asio::awaitable<void> watch_idle(std::shared_ptr<RelayState> state) {
  const SpawnedGuard guard(state);
  while (!state->ending) {
    const auto deadline = state->last_activity + state->idle_timeout;
    if (Clock::now() >= deadline) {
      state->end(RelayEnd::idle_timeout);
      break;
    }
    state->watchdog.expires_at(deadline);
    boost::system::error_code ec;
    co_await state->watchdog.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace

std::string_view relay_end_name(RelayEnd end) {
  switch (end) {
    case RelayEnd::viewer_closed:
      return "viewer_closed";
    case RelayEnd::origin_closed:
      return "origin_closed";
    case RelayEnd::idle_timeout:
      return "idle_timeout";
  }
  return "unknown";
}

asio::awaitable<RelayResult> relay_websocket(detail::ViewerStream& viewer,
                                             boost::beast::flat_buffer& viewer_input,
                                             origin::OriginTunnel& origin, Clock::duration idle_timeout) {
  const auto executor = co_await asio::this_coro::executor;
  auto state = std::make_shared<RelayState>(executor, viewer, origin, idle_timeout);
  viewer.expires_never();  // the watchdog bounds the relay instead

  // What the viewer sent right behind its upgrade request goes first.
  if (viewer_input.size() > 0) {
    const auto pending = viewer_input.data();
    auto written = co_await origin.write(
        std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(pending.data()), pending.size()));
    if (!written) {
      origin.close();
      co_return RelayResult{RelayEnd::origin_closed, 0, 0};
    }
    state->result.viewer_to_origin += pending.size();
    viewer_input.consume(pending.size());
  }

  state->running = 2;
  asio::co_spawn(executor, origin_to_viewer(state), asio::detached);
  asio::co_spawn(executor, watch_idle(state), asio::detached);

  const auto chunk = std::make_unique_for_overwrite<Chunk>();
  while (!state->ending) {
    boost::system::error_code ec;
    const std::size_t n = co_await viewer.read_some(asio::buffer(chunk->data(), chunk->size()), ec);
    if (ec || n == 0) {
      state->end(RelayEnd::viewer_closed);
      break;
    }
    state->last_activity = Clock::now();
    auto written = co_await origin.write(std::span<const std::uint8_t>(chunk->data(), n));
    if (!written) {
      state->end(RelayEnd::origin_closed);
      break;
    }
    state->result.viewer_to_origin += n;
    state->last_activity = Clock::now();
  }

  while (state->running > 0) {
    state->finished.expires_at(Clock::time_point::max());
    boost::system::error_code ec;
    co_await state->finished.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return state->result;
}

}  // namespace edgefetch::edge
