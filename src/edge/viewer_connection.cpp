#include "viewer_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <string_view>

#include "edgefetch/edge/request_checks.hpp"
#include "proxy_request.hpp"
#include "viewer_stream.hpp"

namespace edgefetch::edge {
namespace asio = boost::asio;

namespace {

// Bytes read from the viewer per read: also the most a pipelining viewer can
// have buffered beyond the current request head.
constexpr std::size_t kReadChunk = std::size_t{16} * 1024;

class ViewerConnection final : public ConnectionHandle {
 public:
  ViewerConnection(std::shared_ptr<EdgeServer::State> state, std::unique_ptr<detail::ViewerStream> stream,
                   ViewerConnectionInfo info)
      : state_(std::move(state)),
        stream_(std::move(stream)),
        info_(std::move(info)),
        input_(kMaxRequestHeadBytes + kReadChunk) {}

  void close_now() override { stream_->close(); }

  asio::awaitable<void> run() {
    state_->connections.insert(this);
    if (state_->options.metrics) state_->options.metrics->add_viewer_connections(1);
    try {
      co_await serve();
    } catch (const std::exception& e) {
      // A bug, not a viewer's doing: say so, and keep serving everyone else.
      state_->log(std::string("edgefetch serve: internal error on a viewer connection: ") + e.what());
    }
    stream_->close();
    state_->connection_closed(this);
  }

 private:
  asio::awaitable<void> serve() {
    boost::system::error_code ec;
    if (stream_->is_tls()) {
      stream_->expires_after(state_->options.timeouts.header);
      co_await stream_->handshake(ec);
      if (ec) co_return;
      info_.tls_version = stream_->tls_version();
      info_.tls_cipher = stream_->tls_cipher();
    }
    while (true) {
      idle = input_.size() == 0;
      if (state_->draining && idle) co_return;
      auto head_started = std::chrono::steady_clock::now();
      std::size_t head_size = 0;
      while (true) {
        input_.consume(leading_empty_lines(
            std::string_view(static_cast<const char*>(input_.data().data()), input_.size())));
        const auto* data = static_cast<const char*>(input_.data().data());
        const HeadScan scan = scan_request_head(std::string_view(data, input_.size()));
        if (scan.problem) {
          idle = false;
          co_await refuse_request(*state_, *stream_, info_, scan.problem->status, scan.problem->reason,
                                  head_started);
          co_await stream_->graceful_close();
          co_return;
        }
        if (scan.head_size > 0) {
          head_size = scan.head_size;
          break;
        }
        if (input_.size() == 0) {
          stream_->expires_after(state_->options.timeouts.idle);
        } else {
          // The head must be complete within the header timeout of its first byte.
          const auto left = head_started + state_->options.timeouts.header - std::chrono::steady_clock::now();
          stream_->expires_after(
              std::max(left, std::chrono::steady_clock::duration(std::chrono::milliseconds(1))));
        }
        const std::size_t n = co_await stream_->read_some(input_.prepare(kReadChunk), ec);
        if (ec) co_return;  // closed, timed out or drained: nothing to answer
        if (input_.size() == 0) head_started = std::chrono::steady_clock::now();
        input_.commit(n);
        idle = false;
      }
      idle = false;
      const bool keep_alive =
          co_await proxy_request(*state_, *stream_, input_, head_size, info_, head_started);
      if (!keep_alive) {
        co_await stream_->graceful_close();
        co_return;
      }
    }
  }

  std::shared_ptr<EdgeServer::State> state_;
  std::unique_ptr<detail::ViewerStream> stream_;
  ViewerConnectionInfo info_;
  boost::beast::flat_buffer input_;
};

}  // namespace

void start_viewer_connection(std::shared_ptr<EdgeServer::State> state, asio::ip::tcp::socket socket,
                             bool tls) {
  ViewerConnectionInfo info;
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  const auto address = remote.address();
  info.ip = address.is_v6() && address.to_v6().is_v4_mapped()
                ? asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string()
                : address.to_string();
  info.port = remote.port();
  info.tls = tls;
  auto stream = tls ? detail::make_tls_stream(std::move(socket), *state->tls_context)
                    : detail::make_plain_stream(std::move(socket));
  auto& io = state->io;
  auto connection = std::make_shared<ViewerConnection>(std::move(state), std::move(stream), std::move(info));
  asio::co_spawn(
      io, [connection]() -> asio::awaitable<void> { co_await connection->run(); }, asio::detached);
}

}  // namespace edgefetch::edge
