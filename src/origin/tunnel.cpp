#include "tunnel.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "edgefetch/net/error.hpp"
#include "errors.hpp"

namespace edgefetch::origin {
namespace asio = boost::asio;

OriginTunnel::Impl::Impl(std::shared_ptr<Pool> owner, std::unique_ptr<Connection> taken)
    : pool(std::move(owner)), connection(std::move(taken)) {
  // A tunnel may rightly stay quiet for long: its idle limit is the caller's.
  connection->transport().clear_timeout();
}

OriginTunnel::Impl::~Impl() {
  connection->close();
  --pool->active;
}

OriginTunnel::OriginTunnel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OriginTunnel::~OriginTunnel() = default;

bool OriginTunnel::half_close() {
  if (impl_->connection->is_tls()) return false;
  impl_->connection->transport().shutdown_send();
  return true;
}

void OriginTunnel::close() {
  impl_->connection->close();
}

asio::awaitable<base::Expected<std::size_t, FetchError>> OriginTunnel::read_some(
    std::span<std::uint8_t> out) {
  Connection& connection = *impl_->connection;
  if (out.empty()) co_return std::size_t{0};
  // Bytes that arrived with the 101 head (a server may speak first) wait in
  // the connection's buffer; the TLS stream hands out its decrypted
  // remainder itself.
  auto& buffer = connection.buffer();
  if (buffer.size() > 0) {
    const std::size_t n = asio::buffer_copy(asio::buffer(out.data(), out.size()), buffer.data());
    buffer.consume(n);
    co_return n;
  }
  boost::system::error_code ec;
  const std::size_t n = co_await connection.async_read_some(asio::buffer(out.data(), out.size()),
                                                            asio::redirect_error(asio::use_awaitable, ec));
  if (n > 0) co_return n;
  if (!ec || ec == asio::error::eof || net::tls_error_code(ec) == tls::ErrorCode::unexpected_eof) {
    co_return std::size_t{0};
  }
  const tls::Error* const tls = connection.tls_error();
  const std::string detail = tls != nullptr && *tls ? tls->message : ec.message();
  co_return base::unexpected(make_error(FailureKind::connection_closed, Phase::response,
                                        "the origin connection failed: " + detail, ec));
}

asio::awaitable<base::Expected<void, FetchError>> OriginTunnel::write(std::span<const std::uint8_t> data) {
  boost::system::error_code ec;
  co_await asio::async_write(*impl_->connection, asio::buffer(data.data(), data.size()),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return base::unexpected(write_error(ec, impl_->connection->tls_error(), true));
  co_return base::Expected<void, FetchError>{};
}

}  // namespace edgefetch::origin
