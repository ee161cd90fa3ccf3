#include "viewer_stream.hpp"

#include <openssl/ssl.h>

#include <array>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <type_traits>

#include "edgefetch/net/timed_socket.hpp"

namespace edgefetch::edge::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

// How long graceful_close() waits for the viewer to stop sending. Closing
// with the viewer's bytes unread resets the connection, and a viewer still
// sending (an upload the origin refused early) then loses the response it has
// not read yet. What a viewer has in flight when it sees the answer can be
// megabytes on a fast link, so the byte cap is generous; the time cap keeps a
// viewer that goes on sending from holding the connection.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = std::size_t{16} * 1024 * 1024;

template <class Stream>
class BasicViewerStream final : public ViewerStream {
 public:
  template <class... Args>
  explicit BasicViewerStream(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  // Not coroutines: each returns the operation's own awaitable, which starts
  // when the caller awaits it. A coroutine around it was one more frame and
  // resumption per read and per write.
  asio::awaitable<std::size_t> read_some(asio::mutable_buffer buffer,
                                         boost::system::error_code& ec) override {
    return stream_.async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<std::size_t> write(std::span<const asio::const_buffer> buffers,
                                     boost::system::error_code& ec) override {
    return asio::async_write(stream_, buffers, asio::redirect_error(asio::use_awaitable, ec));
  }

  std::size_t write_now(std::span<const asio::const_buffer> buffers, boost::system::error_code& ec) override {
    ec = {};
    if constexpr (std::is_same_v<Stream, net::TimedSocket>) {
      return stream_.write_now(buffers, ec);
    } else {
      (void)buffers;
      return 0;
    }
  }

  asio::awaitable<void> handshake(boost::system::error_code& ec) override {
    if constexpr (kTls) {
      co_await stream_.async_handshake(asio::ssl::stream_base::server,
                                       asio::redirect_error(asio::use_awaitable, ec));
    } else {
      ec = {};
      co_return;
    }
  }

  asio::awaitable<void> graceful_close() override {
    boost::system::error_code ec;
    auto& lowest = beast::get_lowest_layer(stream_);
    if (!lowest.socket().is_open()) co_return;
    lowest.expires_after(kLingerTime);
    if constexpr (kTls) {
      co_await stream_.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    }
    lowest.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    std::array<char, 4096> discard{};
    std::size_t discarded = 0;
    while (lowest.socket().is_open() && discarded < kLingerBytes) {
      const std::size_t n = co_await lowest.async_read_some(asio::buffer(discard),
                                                            asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      discarded += n;
    }
    lowest.close();
  }

  void close() override { beast::get_lowest_layer(stream_).close(); }
  asio::awaitable<void> wait_failure(boost::system::error_code& ec) override {
    // The reactor completes an error wait on EPOLLERR or EPOLLHUP: a reset,
    // not the FIN already read.
    return beast::get_lowest_layer(stream_).socket().async_wait(
        asio::socket_base::wait_error, asio::redirect_error(asio::use_awaitable, ec));
  }
  bool half_close() override {
    if constexpr (kTls) {
      return false;
    } else {
      boost::system::error_code ignored;
      stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      return true;
    }
  }
  void cancel() override {
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).socket().cancel(ignored);
  }
  void expires_after(Duration timeout) override { beast::get_lowest_layer(stream_).expires_after(timeout); }
  void expires_never() override { beast::get_lowest_layer(stream_).expires_never(); }

  [[nodiscard]] bool is_tls() const override { return kTls; }
  [[nodiscard]] std::string tls_version() const override {
    if constexpr (kTls) {
      return SSL_get_version(stream_.native_handle());
    } else {
      return {};
    }
  }
  [[nodiscard]] std::string tls_cipher() const override {
    if constexpr (kTls) {
      const char* name = SSL_get_cipher_name(stream_.native_handle());
      return name != nullptr ? name : "";
    } else {
      return {};
    }
  }
  [[nodiscard]] std::string_view take_tls_handshake_kind() override {
    if constexpr (kTls) {
      if (handshake_reported_) return "connectionReused";
      handshake_reported_ = true;
      return SSL_session_reused(stream_.native_handle()) == 1 ? "sessionResumed" : "fullHandshake";
    } else {
      return {};
    }
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, net::TimedSocket>;
  mutable Stream stream_;            // mutable: native_handle() is not const
  bool handshake_reported_ = false;  // take_tls_handshake_kind() was called
};

}  // namespace

std::unique_ptr<ViewerStream> make_plain_stream(asio::ip::tcp::socket socket) {
  return std::make_unique<BasicViewerStream<net::TimedSocket>>(std::move(socket));
}

std::unique_ptr<ViewerStream> make_tls_stream(asio::ip::tcp::socket socket, asio::ssl::context& context) {
  return std::make_unique<BasicViewerStream<beast::ssl_stream<net::TimedSocket>>>(std::move(socket), context);
}

}  // namespace edgefetch::edge::detail
