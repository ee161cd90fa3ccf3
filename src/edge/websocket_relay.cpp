#include "websocket_relay.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "edgefetch/net/cancel_quietly.hpp"
#include "edgefetch/net/task_group.hpp"

namespace edgefetch::edge {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Bytes moved per read in each direction: a WebSocket message of any size
// goes through in pieces, so memory per connection stays fixed.
constexpr std::size_t kRelayChunk = std::size_t{16} * 1024;

using Chunk = std::array<std::uint8_t, kRelayChunk>;

// Shared by the relay's three coroutines: one per direction and the idle
// watchdog. The streams belong to relay_websocket(), which returns only when
// all three have finished.
struct RelayState {
  RelayState(const asio::any_io_executor& executor, detail::ViewerStream& v, origin::OriginTunnel& o,
             Clock::duration idle)
      : viewer(v), origin(o), idle_timeout(idle), watchdog(executor) {}

  detail::ViewerStream& viewer;
  origin::OriginTunnel& origin;
  Clock::duration idle_timeout;
  Clock::time_point last_activity = Clock::now();
  asio::steady_timer watchdog;
  bool ending = false;
  bool viewer_done = false;  // the viewer closed its sending half
  bool origin_done = false;  // the origin closed its sending half
  RelayResult result;

  // Stops everything still pending: the origin connection is closed, the
  // viewer's operations cancelled (the caller closes it gracefully, so the
  // last bytes written to it are not lost to a reset).
  void end() {
    if (ending) return;
    ending = true;
    origin.close();
    viewer.cancel();
    net::cancel_quietly(watchdog);
  }
};

asio::awaitable<void> viewer_to_origin(std::shared_ptr<RelayState> state) {
  const auto chunk = std::make_unique_for_overwrite<Chunk>();
  while (!state->ending) {
    boost::system::error_code ec;
    const std::size_t n = co_await state->viewer.read_some(asio::buffer(chunk->data(), chunk->size()), ec);
    if (ec || n == 0) {
      // A clean end of the viewer's half: the origin's answers still go back.
      // A TLS origin is not told (see OriginTunnel::half_close()); it ends the
      // connection itself after a close frame, or the idle timeout does.
      state->viewer_done = true;
      if (ec != asio::error::eof || state->origin_done) {
        state->end();
        break;
      }
      state->origin.half_close();
      // Nothing is left to read, but a reset from the viewer, or the drain
      // closing its connection, must still end the relay.
      co_await state->viewer.wait_failure(ec);
      state->end();
      break;
    }
    state->last_activity = Clock::now();
    auto written = co_await state->origin.write(std::span<const std::uint8_t>(chunk->data(), n));
    if (!written) {
      state->end();
      break;
    }
    state->result.viewer_to_origin += n;
    state->last_activity = Clock::now();
  }
}

asio::awaitable<void> origin_to_viewer(std::shared_ptr<RelayState> state) {
  const auto chunk = std::make_unique_for_overwrite<Chunk>();
  while (!state->ending) {
    auto read = co_await state->origin.read_some(std::span<std::uint8_t>(chunk->data(), chunk->size()));
    if (!read || *read == 0) {
      // A TLS viewer that cannot be half-closed must still learn that the
      // origin is done (it waits for the server to close first, RFC 6455 7.1.1).
      state->origin_done = true;
      if (!read || state->viewer_done || !state->viewer.half_close()) state->end();
      break;
    }
    state->last_activity = Clock::now();
    boost::system::error_code ec;
    const std::array<asio::const_buffer, 1> out{asio::buffer(chunk->data(), *read)};
    co_await state->viewer.write(out, ec);
    if (ec) {
      state->end();
      break;
    }
    state->result.origin_to_viewer += *read;
    state->last_activity = Clock::now();
  }
}

// Ends the relay when no byte has moved for the idle timeout. A write that
// cannot finish (a peer that stopped reading) counts as no movement.
asio::awaitable<void> watch_idle(std::shared_ptr<RelayState> state) {
  while (!state->ending) {
    const auto deadline = state->last_activity + state->idle_timeout;
    if (Clock::now() >= deadline) {
      state->end();
      break;
    }
    state->watchdog.expires_at(deadline);
    boost::system::error_code ec;
    co_await state->watchdog.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace

asio::awaitable<RelayResult> relay_websocket(const asio::any_io_executor& executor,
                                             detail::ViewerStream& viewer,
                                             boost::beast::flat_buffer& viewer_input,
                                             origin::OriginTunnel& origin, Clock::duration idle_timeout) {
  auto state = std::make_shared<RelayState>(executor, viewer, origin, idle_timeout);
  viewer.expires_never();  // the watchdog bounds the relay instead

  // What the viewer sent right behind its upgrade request goes first.
  if (viewer_input.size() > 0) {
    const auto pending = viewer_input.data();
    auto written = co_await origin.write(
        std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(pending.data()), pending.size()));
    if (!written) {
      origin.close();
      co_return RelayResult{};
    }
    state->result.viewer_to_origin += pending.size();
    viewer_input.consume(pending.size());
  }

  net::TaskGroup directions(executor);
  directions.spawn(viewer_to_origin(state));
  directions.spawn(origin_to_viewer(state));
  directions.spawn(watch_idle(state));
  co_await directions.wait();
  origin.close();
  co_return state->result;
}

}  // namespace edgefetch::edge
