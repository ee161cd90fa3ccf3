#pragma once
// A TCP socket whose reads and writes are bounded by a deadline, with Beast's
// tcp_stream semantics (when the deadline passes with an operation pending the
// socket is closed and the operation completes with beast::error::timeout) but
// without a timer wait per operation.
//
// Why not beast::tcp_stream: it starts a timer wait for every read and write
// and cancels it on completion: a timer-queue insert and removal, a cancelled
// handler run through the scheduler and two composed-operation layers per
// socket operation. A proxy re-arms "no progress for N seconds" before every
// operation, so that was a fifth of its per-request work. Here the deadline is
// a field: an operation only stores it, and one timer wait per socket stays
// armed at the earliest deadline it has seen. When that wait fires it closes
// the socket if the current deadline has passed with an operation pending, or
// waits again until the current deadline. A socket that keeps making progress
// costs one timer wait per timeout period, not one per operation.
//
// The operations are Asio's own (the completion handler is passed straight to
// the socket, wrapped only to count pending operations and translate an
// aborted operation into a timeout), so this is an AsyncReadStream and
// AsyncWriteStream that adds no composed operation.

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>

#include "edgefetch/net/cancel_quietly.hpp"
#include "edgefetch/net/hooked_handler.hpp"
#include "edgefetch/net/send_now.hpp"

namespace edgefetch::net {

class TimedSocket {
 public:
  using clock = std::chrono::steady_clock;
  using socket_type = boost::asio::ip::tcp::socket;
  using executor_type = socket_type::executor_type;
  using lowest_layer_type = TimedSocket;  // what asio::ssl::stream asks of its next layer

  explicit TimedSocket(socket_type socket) : state_(std::make_shared<State>(std::move(socket))) {}
  ~TimedSocket() {
    if (state_) close();
  }
  TimedSocket(const TimedSocket&) = delete;
  TimedSocket& operator=(const TimedSocket&) = delete;
  // The state lives on the heap, so moving is safe even with a timer wait pending.
  TimedSocket(TimedSocket&&) noexcept = default;
  TimedSocket& operator=(TimedSocket&& other) noexcept {
    if (this != &other) {
      if (state_) close();
      state_ = std::move(other.state_);
    }
    return *this;
  }

  executor_type get_executor() noexcept { return state_->socket.get_executor(); }
  socket_type& socket() noexcept { return state_->socket; }
  lowest_layer_type& lowest_layer() noexcept { return *this; }
  const lowest_layer_type& lowest_layer() const noexcept { return *this; }
  const socket_type& socket() const noexcept { return state_->socket; }

  /// Operations pending or started later must complete before `deadline`.
  void expires_at(clock::time_point deadline) { state_->set_deadline(deadline); }
  /// Operations pending or started later must complete within `timeout` from now.
  void expires_after(clock::duration timeout) { state_->set_deadline(clock::now() + timeout); }
  void expires_never() noexcept { state_->deadline = clock::time_point::max(); }
  [[nodiscard]] clock::time_point expiry() const noexcept { return state_->deadline; }

  /// send_now() on this socket: what it takes without waiting (no deadline
  /// needed). Only while no asynchronous write is pending, or bytes interleave.
  std::size_t write_now(std::span<const boost::asio::const_buffer> buffers, boost::system::error_code& ec) {
    return send_now(state_->socket.native_handle(), buffers, ec);
  }

  /// Closes the socket; pending operations complete with operation_aborted.
  void close() noexcept {
    boost::system::error_code ignored;
    state_->socket.close(ignored);
    cancel_quietly(state_->timer);
  }

  template <class MutableBufferSequence, class ReadToken>
  auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token) {
    return boost::asio::async_initiate<ReadToken, void(boost::system::error_code, std::size_t)>(
        Initiate<true>{state_.get()}, token, buffers);
  }

  template <class ConstBufferSequence, class WriteToken>
  auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token) {
    return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
        Initiate<false>{state_.get()}, token, buffers);
  }

 private:
  struct State : std::enable_shared_from_this<State> {
    explicit State(socket_type s) : socket(std::move(s)), timer(socket.get_executor()) {}

    socket_type socket;
    boost::asio::steady_timer timer;
    clock::time_point deadline = clock::time_point::max();
    std::optional<clock::time_point> timer_at;  // when the armed wait fires; empty when none is armed
    std::uint64_t wait_generation = 0;          // a superseded wait's handler does nothing
    int pending = 0;                            // operations started and not completed
    bool timed_out = false;                     // the deadline closed the socket

    // Called as an operation starts: makes sure a wait fires by the deadline.
    void watch() {
      ++pending;
      check();
    }

    void set_deadline(clock::time_point at) {
      deadline = at;
      if (pending > 0) check();  // a deadline moved earlier under a pending operation
    }

    void check() {
      if (deadline == clock::time_point::max()) return;
      if (deadline <= clock::now()) return expire();
      if (timer_at && *timer_at <= deadline) return;  // that wait fires first and looks again
      arm(deadline);
    }

    void arm(clock::time_point at) {
      timer_at = at;
      timer.expires_at(at);  // cancels an armed wait: its handler sees an old generation
      const std::uint64_t generation = ++wait_generation;
      timer.async_wait([weak = weak_from_this(), generation](const boost::system::error_code& ec) {
        const auto self = weak.lock();
        if (!self || generation != self->wait_generation) return;
        self->timer_at.reset();
        if (ec != boost::asio::error::operation_aborted && self->pending > 0) {
          self->check();  // aborted: closed
        }
      });
    }

    void expire() {
      timed_out = true;
      boost::system::error_code ignored;
      socket.close(ignored);
    }

    boost::system::error_code finish(boost::system::error_code ec) {
      --pending;
      if (ec && timed_out) return boost::beast::error::timeout;
      return ec;
    }
  };

  // Counts the operation done and names a deadline's abort a timeout.
  struct FinishHook {
    std::shared_ptr<State> state;
    executor_type executor() const noexcept { return state->socket.get_executor(); }
    void operator()(boost::system::error_code& ec, std::size_t /*n*/) const { ec = state->finish(ec); }
  };

  template <bool IsRead>
  struct Initiate {
    State* state;
    template <class Handler, class Buffers>
    void operator()(Handler&& handler, const Buffers& buffers) const {
      state->watch();
      auto hooked =
          detail::hook_handler(std::forward<Handler>(handler), FinishHook{state->shared_from_this()});
      if constexpr (IsRead) {
        state->socket.async_read_some(buffers, std::move(hooked));
      } else {
        state->socket.async_write_some(buffers, std::move(hooked));
      }
    }
  };

  std::shared_ptr<State> state_;
};

}  // namespace edgefetch::net
