#pragma once
// A viewer connection's byte stream, plain TCP or TLS (libssl via asio::ssl),
// behind one small interface so the proxy logic is written once. Every
// operation is bounded by the timeout set before it (expires_after), which
// closes the socket when it runs out (Beast's tcp_stream semantics).

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace edgefetch::edge::detail {

class ViewerStream {
 public:
  using Duration = std::chrono::steady_clock::duration;
  virtual ~ViewerStream() = default;

  virtual boost::asio::awaitable<std::size_t> read_some(boost::asio::mutable_buffer buffer,
                                                        boost::system::error_code& ec) = 0;
  /// All of `buffers` (the span and the bytes must outlive the co_await); the bytes written.
  virtual boost::asio::awaitable<std::size_t> write(std::span<const boost::asio::const_buffer> buffers,
                                                    boost::system::error_code& ec) = 0;
  /// The fast path of a write (net/send_now.hpp): the bytes of `buffers` the
  /// connection takes now, without an operation; the caller awaits write() for
  /// the rest. 0 for TLS viewers (libssl's stream has no such path). Only
  /// while no write is pending.
  virtual std::size_t write_now(std::span<const boost::asio::const_buffer> buffers,
                                boost::system::error_code& ec) = 0;
  /// The TLS handshake (no-op for plain TCP).
  virtual boost::asio::awaitable<void> handshake(boost::system::error_code& ec) = 0;
  /// Ends the connection politely: close_notify (TLS), FIN, then discards what
  /// the viewer still sends for a short while, so the last response is not
  /// lost to a reset; then closes.
  virtual boost::asio::awaitable<void> graceful_close() = 0;
  /// Closes at once; pending operations complete with an error.
  virtual void close() = 0;
  /// Ends the pending read and write with operation_aborted, leaving the
  /// connection open (for graceful_close()).
  virtual void cancel() = 0;
  /// Completes when the connection fails (a reset arrives), is closed
  /// (close()) or cancel() is called. For a viewer that has closed its
  /// sending half: there is nothing left to read, yet a reset or a drain
  /// must still be noticed.
  virtual boost::asio::awaitable<void> wait_failure(boost::system::error_code& ec) = 0;
  /// Sends FIN while reading goes on (a relayed connection's half-close);
  /// false for TLS viewers, where libssl's shutdown would wait for the
  /// viewer's close_notify on the read side the relay is using.
  virtual bool half_close() = 0;
  virtual void expires_after(Duration timeout) = 0;
  virtual void expires_never() = 0;

  [[nodiscard]] virtual bool is_tls() const = 0;
  [[nodiscard]] virtual std::string tls_version() const = 0;  // "TLSv1.3"; "" for plain
  [[nodiscard]] virtual std::string tls_cipher() const = 0;   // OpenSSL name; "" for plain
  /// How the request about to be served was secured, for CloudFront-Viewer-TLS:
  /// "fullHandshake" or "sessionResumed" for the connection's first request,
  /// "connectionReused" for every later one (each call is one request); "" for
  /// plain. The stream counts the requests: it is the one object that lives
  /// exactly as long as the TLS connection.
  [[nodiscard]] virtual std::string_view take_tls_handshake_kind() = 0;
};

std::unique_ptr<ViewerStream> make_plain_stream(boost::asio::ip::tcp::socket socket);
std::unique_ptr<ViewerStream> make_tls_stream(boost::asio::ip::tcp::socket socket,
                                              boost::asio::ssl::context& context);

}  // namespace edgefetch::edge::detail
