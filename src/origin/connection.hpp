#pragma once
// One origin connection, plain or TLS, as a single Asio stream type (Beast's
// reader and writer run over it unchanged), with the buffer that belongs to the
// connection rather than to one exchange, and the few facts the pool needs.
// open_connection() makes one the CDN's way: resolve, connect with
// ConnectionTimeout x ConnectionAttempts, TLS handshake within the connection
// timeout.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "edgefetch/net/tcp_transport.hpp"
#include "edgefetch/net/tls_stream.hpp"
#include "edgefetch/origin/config.hpp"
#include "edgefetch/origin/fetch.hpp"
#include "edgefetch/tls/client.hpp"

namespace edgefetch::origin {

class Connection {
 public:
  using executor_type = net::TcpTransport::executor_type;
  using clock = std::chrono::steady_clock;

  /// The most bytes the connection buffers ahead of the parser: the response
  /// head limit plus one socket read; the body goes to the caller's buffer.
  static constexpr std::size_t kBufferLimit = kMaxResponseHeaderBytes + 64 * 1024;
  /// Capacity reserved up front. Beast sizes each socket read by the buffer's
  /// free capacity (at least 512 bytes), and the parser drains the buffer into
  /// the caller's body buffer, so without a reserve a body arrives 512 bytes per
  /// read and leaves 512 bytes per viewer write. One TLS record's plaintext.
  static constexpr std::size_t kReadSize = 16 * 1024;

  Connection(net::TcpTransport transport, boost::asio::ip::tcp::endpoint remote);
  Connection(net::TcpTransport transport, tls::ClientConfig tls_config,
             boost::asio::ip::tcp::endpoint remote);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  executor_type get_executor() noexcept { return transport().get_executor(); }
  net::TcpTransport& transport() noexcept { return tls_ ? tls_->next_layer() : *tcp_; }
  [[nodiscard]] net::TlsStream* tls_stream() noexcept { return tls_ ? &*tls_ : nullptr; }
  /// The TLS stream's error for tls_category() error codes; nullptr for plain TCP.
  [[nodiscard]] const tls::Error* tls_error() const noexcept { return tls_ ? &tls_->tls_error() : nullptr; }
  /// HelloRequests the origin sent on this connection (ignored, as by the CDN).
  [[nodiscard]] int hello_requests_ignored() const {
    return tls_ ? tls_->negotiated().hello_requests_ignored : 0;
  }
  [[nodiscard]] bool is_tls() const noexcept { return tls_.has_value(); }
  [[nodiscard]] const boost::asio::ip::tcp::endpoint& remote() const noexcept { return remote_; }
  boost::beast::flat_buffer& buffer() noexcept { return buffer_; }

  /// False when the origin has closed the connection or sent bytes nobody
  /// asked for (an idle HTTP/1.1 connection must be silent). Over TLS it
  /// reads them into the engine: post-handshake messages (tickets, KeyUpdate,
  /// HelloRequest) leave the connection usable. Never blocks.
  [[nodiscard]] bool idle_and_open();
  /// The fast path of a write (net/send_now.hpp): the bytes of `buffers`
  /// taken now, without an operation. Over TLS, records the socket did not
  /// take wait in the stream (tls_stream()->flush_pending()). Only while no
  /// other write is pending.
  std::size_t write_now(std::span<const boost::asio::const_buffer> buffers, boost::system::error_code& ec) {
    return tls_ ? tls_->write_now(buffers, ec) : tcp_->write_now(buffers, ec);
  }
  /// Closes now: close_notify (best effort, without waiting) for TLS, then the socket.
  void close() noexcept;

  // The handler goes straight to the TLS stream or the socket: a composed
  // operation here would add a layer of work tracking to every origin read.
  template <class MutableBufferSequence, class ReadToken>
  auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token) {
    return boost::asio::async_initiate<ReadToken, void(boost::system::error_code, std::size_t)>(
        InitiateRead{this}, token, buffers);
  }

  template <class ConstBufferSequence, class WriteToken>
  auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token) {
    return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
        InitiateWrite{this}, token, buffers);
  }

  // Pool bookkeeping (owned by the pool while the connection is idle).
  std::uint64_t id = 0;
  std::uint64_t idle_epoch = 0;       // bumps on every checkout: stale idle callbacks compare it
  clock::time_point idle_deadline{};  // checkin time + the keep-alive timeout
  bool idle_watched = false;          // the pool's readiness wait is pending on the socket
  std::uint64_t exchanges = 0;        // requests sent on this connection
  /// Shared with every exchange on the connection (a copy per request was 2% of the proxy's work).
  std::shared_ptr<const tls::Negotiated> negotiated;

 private:
  struct InitiateRead {
    Connection* c;
    template <class Handler, class Buffers>
    void operator()(Handler&& handler, const Buffers& buffers) const {
      if (c->tls_) {
        c->tls_->async_read_some(buffers, std::forward<Handler>(handler));
      } else {
        c->tcp_->async_read_some(buffers, std::forward<Handler>(handler));
      }
    }
  };
  struct InitiateWrite {
    Connection* c;
    template <class Handler, class Buffers>
    void operator()(Handler&& handler, const Buffers& buffers) const {
      if (c->tls_) {
        c->tls_->async_write_some(buffers, std::forward<Handler>(handler));
      } else {
        c->tcp_->async_write_some(buffers, std::forward<Handler>(handler));
      }
    }
  };

  std::optional<net::TcpTransport> tcp_;
  std::optional<net::TlsStream> tls_;
  boost::asio::ip::tcp::endpoint remote_;
  boost::beast::flat_buffer buffer_{kBufferLimit};
};

struct OpenResult {
  std::unique_ptr<Connection> connection;  // set on success
  std::optional<FetchError> error;
  int connect_attempts = 0;
  std::optional<boost::asio::ip::tcp::endpoint> remote;  // connected to; else the last address tried
  std::optional<tls::Negotiated> negotiated;             // also after a failed handshake (partial)
  std::shared_ptr<const tls::Session> session;  // what the engine offers for resumption, after a handshake
  Timings timings;                              // dns, connect, tls
};

/// ConnectionTimeout (per attempt, also bounding the handshake) and ConnectionAttempts.
struct ConnectLimits {
  std::chrono::seconds timeout = kDefaultConnectionTimeout;
  int attempts = kDefaultConnectionAttempts;
};

/// Resolves `endpoint`'s domain name (its --resolve overrides first), connects
/// within `limits` and (when tls_config is set) completes the handshake.
boost::asio::awaitable<OpenResult> open_connection(const OriginConfig& endpoint, ConnectLimits limits,
                                                   const tls::ClientConfig* tls_config);

}  // namespace edgefetch::origin
