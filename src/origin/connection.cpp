#include "connection.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>

#include "edgefetch/net/connect.hpp"
#include "edgefetch/net/resolve.hpp"
#include "errors.hpp"

namespace edgefetch::origin {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

Connection::Connection(net::TcpTransport transport, asio::ip::tcp::endpoint remote)
    : tcp_(std::move(transport)), remote_(std::move(remote)) {
  buffer_.reserve(kReadSize);
}

Connection::Connection(net::TcpTransport transport, tls::ClientConfig tls_config,
                       asio::ip::tcp::endpoint remote)
    : tls_(std::in_place, std::move(transport), std::move(tls_config)), remote_(std::move(remote)) {
  buffer_.reserve(kReadSize);
}

Connection::~Connection() {
  close();
}

bool Connection::idle_and_open() {
  auto& socket = transport().socket();
  if (!socket.is_open()) return false;
  // TLS: the engine reads what came and tells a post-handshake message (a
  // TLS 1.3 ticket or KeyUpdate, an ignored HelloRequest), which leaves the
  // connection usable, from close_notify, a fatal alert, a FIN or part of a
  // record (TlsStream::absorb_idle_input()).
  if (tls_) return tls_->absorb_idle_input();
  // MSG_PEEK leaves any bytes in place; 0 is the origin's FIN, data means the
  // origin spoke out of turn. Either way the connection cannot carry a
  // request. EAGAIN: open and silent.
  std::array<char, 1> byte{};
  const auto n = ::recv(socket.native_handle(), byte.data(), byte.size(), MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  return false;
}

void Connection::close() noexcept {
  auto& socket = transport().socket();
  if (!socket.is_open()) return;
  boost::system::error_code ignored;
  if (tls_ && tls_->engine().state() == tls::State::connected && !tls_->transport_eof()) {
    // close_notify fits in the socket's send buffer; never wait for it.
    tls_->engine().close();
    const auto output = tls_->engine().pending_output();
    if (!output.empty()) {
      socket.non_blocking(true, ignored);
      if (!ignored) (void)socket.send(asio::buffer(output.data(), output.size()), 0, ignored);
      tls_->engine().consume_output(output.size());
    }
  }
  transport().close();
}

asio::awaitable<OpenResult> open_connection(const OriginConfig& endpoint, ConnectLimits limits,
                                            const tls::ClientConfig* tls_config) {
  OpenResult result;
  const auto resolve_started = Clock::now();
  auto resolution = co_await net::resolve(endpoint.domain_name, endpoint.port, endpoint.resolve_overrides,
                                          endpoint.address_families);
  result.timings.dns =
      resolution.source == net::ResolveSource::dns ? resolution.elapsed : Clock::now() - resolve_started;
  if (resolution.error) {
    result.error = resolve_error(endpoint.domain_name, resolution, endpoint.address_families);
    co_return result;
  }

  net::ConnectOptions options;
  options.timeout = limits.timeout;
  options.attempts = limits.attempts;
  auto connected = co_await net::connect(std::move(resolution.endpoints), options);
  result.connect_attempts = static_cast<int>(connected.attempts.size());
  result.timings.connect = connected.elapsed;
  if (!connected.connected()) {
    // The access log's origin address: the one that refused or timed out.
    if (!connected.attempts.empty()) result.remote = connected.attempts.back().endpoint;
    result.error = connect_error(connected, limits.timeout);
    co_return result;
  }
  const auto remote = connected.attempts.back().endpoint;
  result.remote = remote;
  net::TcpTransport transport(std::move(*connected.stream));
  if (!tls_config) {
    result.connection = std::make_unique<Connection>(std::move(transport), remote);
    co_return result;
  }

  auto connection = std::make_unique<Connection>(std::move(transport), *tls_config, remote);
  net::TlsStream& stream = *connection->tls_stream();
  stream.next_layer().set_deadline(Clock::now() + limits.timeout);
  const auto handshake_started = Clock::now();
  boost::system::error_code ec;
  co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, ec));
  result.timings.tls = Clock::now() - handshake_started;
  stream.next_layer().clear_timeout();
  result.negotiated = stream.negotiated();
  if (ec) {
    result.error = handshake_error(ec, stream.tls_error(), limits.timeout);
    stream.next_layer().close();
    co_return result;
  }
  result.session = stream.engine().session();
  tls::Negotiated negotiated = stream.negotiated();
  negotiated.certificate_chain.clear();  // verified; exchanges need the summary only
  connection->negotiated = std::make_shared<const tls::Negotiated>(std::move(negotiated));
  result.connection = std::move(connection);
  co_return result;
}

}  // namespace edgefetch::origin
