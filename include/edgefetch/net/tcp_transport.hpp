#pragma once
// A connected TCP stream with the timeouts an origin connection needs and the
// activity it has seen. It wraps TimedSocket (whose deadline closes the socket
// and completes pending operations with beast::error::timeout) and re-arms the
// timeout before every read and write, so an idle timeout means "no progress
// for that long": exactly the origin read timeout's "maximum gap between
// packets". A fixed deadline is available for bounded phases such as the TLS
// handshake. Reads and writes go straight to the socket with the caller's
// handler (no composed operation of its own).

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "edgefetch/net/timed_socket.hpp"

namespace edgefetch::net {

class TcpTransport {
 public:
  using clock = std::chrono::steady_clock;
  using executor_type = TimedSocket::executor_type;

  /// Takes the socket of a connected stream (net::connect's result).
  explicit TcpTransport(boost::beast::tcp_stream stream) : stream_(stream.release_socket()) {}
  explicit TcpTransport(boost::asio::ip::tcp::socket socket) : stream_(std::move(socket)) {}

  executor_type get_executor() noexcept { return stream_.get_executor(); }
  TimedSocket& stream() noexcept { return stream_; }
  boost::asio::ip::tcp::socket& socket() noexcept { return stream_.socket(); }

  /// Every later read and write must make progress within `timeout`.
  void set_idle_timeout(clock::duration timeout) {
    idle_timeout_ = timeout;
    deadline_.reset();
  }
  /// Every later read and write must complete before `deadline`.
  void set_deadline(clock::time_point deadline) {
    deadline_ = deadline;
    idle_timeout_.reset();
  }
  /// Both: every later read and write must make progress within `timeout`
  /// and complete before `deadline` (a response's read timeout under an
  /// overall cap).
  void set_idle_timeout_before(clock::duration timeout, clock::time_point deadline) {
    idle_timeout_ = timeout;
    deadline_ = deadline;
  }
  void clear_timeout() {
    idle_timeout_.reset();
    deadline_.reset();
  }

  /// Starts watching for the first response byte after now (a request was sent).
  void mark_first_byte_start() {
    first_byte_mark_ = clock::now();
    first_byte_at_.reset();
  }
  /// The layer above says a read after mark_first_byte_start() delivered
  /// response bytes (only the first call counts). Not every read does: over
  /// TLS 1.3 the server's NewSessionTickets arrive right after the handshake,
  /// and a KeyUpdate or an empty record may come at any time.
  void note_response_byte() {
    if (first_byte_mark_ && !first_byte_at_) first_byte_at_ = clock::now();
  }
  /// When the first response byte after mark_first_byte_start() was read.
  [[nodiscard]] std::optional<clock::time_point> first_byte_at() const { return first_byte_at_; }
  [[nodiscard]] std::optional<clock::time_point> first_byte_mark() const { return first_byte_mark_; }
  [[nodiscard]] std::uint64_t bytes_read() const { return bytes_read_; }
  [[nodiscard]] std::uint64_t bytes_written() const { return bytes_written_; }

  template <class MutableBufferSequence, class ReadToken>
  auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token) {
    return boost::asio::async_initiate<ReadToken, void(boost::system::error_code, std::size_t)>(
        Initiate<true>{this}, token, buffers);
  }

  template <class ConstBufferSequence, class WriteToken>
  auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token) {
    return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
        Initiate<false>{this}, token, buffers);
  }

  /// The bytes of `buffers` the socket takes now, without waiting (send_now):
  /// the fast path of a write, counted like one. Only while no asynchronous
  /// write is pending.
  std::size_t write_now(std::span<const boost::asio::const_buffer> buffers, boost::system::error_code& ec) {
    const std::size_t n = stream_.write_now(buffers, ec);
    bytes_written_ += n;
    return n;
  }

  /// Half-closes the sending side (FIN), ignoring errors: used after close_notify.
  void shutdown_send() noexcept {
    boost::system::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  }
  void close() noexcept { stream_.close(); }

 private:
  void arm() {
    if (idle_timeout_ && deadline_) {
      stream_.expires_at(std::min(clock::now() + *idle_timeout_, *deadline_));
    } else if (idle_timeout_) {
      stream_.expires_after(*idle_timeout_);
    } else if (deadline_) {
      stream_.expires_at(*deadline_);
    } else {
      stream_.expires_never();
    }
  }
  void note_read(std::size_t n) { bytes_read_ += n; }

  // Counts the bytes of a completed read or write.
  template <bool IsRead>
  struct CountHook {
    TcpTransport* transport;
    executor_type executor() const noexcept { return transport->stream_.get_executor(); }
    void operator()(boost::system::error_code& /*ec*/, std::size_t n) const {
      if constexpr (IsRead) {
        transport->note_read(n);
      } else {
        transport->bytes_written_ += n;
      }
    }
  };

  template <bool IsRead>
  struct Initiate {
    TcpTransport* transport;
    template <class Handler, class Buffers>
    void operator()(Handler&& handler, const Buffers& buffers) const {
      transport->arm();
      auto counted = detail::hook_handler(std::forward<Handler>(handler), CountHook<IsRead>{transport});
      if constexpr (IsRead) {
        transport->stream_.async_read_some(buffers, std::move(counted));
      } else {
        transport->stream_.async_write_some(buffers, std::move(counted));
      }
    }
  };

  TimedSocket stream_;
  std::optional<clock::duration> idle_timeout_;
  std::optional<clock::time_point> deadline_;
  std::optional<clock::time_point> first_byte_mark_;
  std::optional<clock::time_point> first_byte_at_;
  std::uint64_t bytes_read_ = 0;
  std::uint64_t bytes_written_ = 0;
};

}  // namespace edgefetch::net
