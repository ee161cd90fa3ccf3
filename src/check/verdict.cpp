#include "edgefetch/check/verdict.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include "edgefetch/net/error.hpp"
#include "edgefetch/net/tcp_transport.hpp"
#include "edgefetch/net/tls_stream.hpp"

namespace edgefetch::check {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::compatible:
      return "compatible";
    case Verdict::incompatible:
      return "incompatible";
    case Verdict::unreachable:
      return "unreachable";
  }
  return "unreachable";
}

namespace {
int severity(Verdict verdict) {
  switch (verdict) {
    case Verdict::compatible:
      return 0;
    case Verdict::incompatible:
      return 1;
    case Verdict::unreachable:
      return 2;
  }
  return 2;
}
}  // namespace

Verdict worse(Verdict a, Verdict b) {
  return severity(a) >= severity(b) ? a : b;
}

const policy::Profile& EdgeSettings::effective_profile() const {
  return profile != nullptr ? *profile : policy::default_profile();
}

policy::Offer EdgeSettings::offer() const {
  return policy::narrow(effective_profile(), origin_ssl_protocols);
}

std::string OriginTarget::server_name() const {
  return host_header && !host_header->empty() ? *host_header : host;
}

std::string OriginTarget::display() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

asio::awaitable<VerdictHandshake> run_verdict_handshake(OriginTarget target, EdgeSettings settings) {
  VerdictHandshake result;
  const auto started = Clock::now();
  const auto finish = [&result, started] {
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  };

  auto resolution = co_await net::resolve(target.host, target.port, target.resolve_overrides);
  if (resolution.error || resolution.endpoints.empty()) {
    result.resolve_source = resolution.source;
    result.addresses = resolution.endpoints;
    result.resolve_error = resolution.error ? resolution.error.message() : "no addresses";
    result.verdict = Verdict::unreachable;
    finish();
    co_return result;
  }
  result = co_await run_verdict_handshake_at(std::move(resolution.endpoints), resolution.source,
                                             std::move(target), std::move(settings));
  finish();
  co_return result;
}

asio::awaitable<VerdictHandshake> run_verdict_handshake_at(std::vector<asio::ip::tcp::endpoint> addresses,
                                                           net::ResolveSource resolve_source,
                                                           OriginTarget target, EdgeSettings settings) {
  VerdictHandshake result;
  const auto started = Clock::now();
  const auto finish = [&result, started] {
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  };
  result.resolve_source = resolve_source;
  result.addresses = std::move(addresses);

  net::ConnectOptions connect_options;
  connect_options.timeout = settings.connection_timeout;
  connect_options.attempts = settings.connection_attempts;
  auto connected = co_await net::connect(result.addresses, connect_options);
  result.connect_attempts = connected.attempts;
  if (!connected.connected()) {
    result.verdict = Verdict::unreachable;
    finish();
    co_return result;
  }
  result.remote = connected.attempts.back().endpoint;

  tls::ClientConfig config;
  config.offer = settings.offer();
  config.server_name = target.server_name();
  config.verify_name = config.server_name;
  config.trust_store = target.trust_store;
  config.verify_certificates = true;

  net::TlsStream stream(net::TcpTransport(std::move(*connected.stream)), std::move(config));
  // As the CDN: the connection timeout bounds the handshake that follows the connect.
  stream.next_layer().set_deadline(Clock::now() + settings.connection_timeout);
  result.handshake_started = true;
  boost::system::error_code ec;
  co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, ec));
  result.negotiated = stream.negotiated();
  if (!ec) {
    result.verdict = Verdict::compatible;
    stream.next_layer().set_deadline(Clock::now() + std::chrono::seconds(1));
    boost::system::error_code ignored;
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
  } else if (ec == boost::beast::error::timeout) {
    result.handshake_timed_out = true;
    result.verdict = Verdict::unreachable;
  } else if (net::tls_error_code(ec)) {
    result.error = stream.tls_error();
    result.verdict = Verdict::incompatible;
  } else {
    // The socket failed under the handshake (reset): the origin hung up on the edge.
    result.error.code = tls::ErrorCode::unexpected_eof;
    result.error.message = "the connection failed during the TLS handshake: " + ec.message();
    result.verdict = Verdict::incompatible;
  }
  stream.next_layer().close();
  finish();
  co_return result;
}

}  // namespace edgefetch::check
