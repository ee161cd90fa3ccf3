#include "edgefetch/check/verdict.hpp"

#include <algorithm>
#include <boost/asio/error.hpp>
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

using ClientCertificateAnswer = VerdictHandshake::ClientCertificateAnswer;

// TLS 1.3 completes on the client's side before the server has seen the
// client's (empty) Certificate: a server that requires one refuses it with an
// alert after the handshake, which the edge meets on its first request (502).
// Reads the server's next flight until it shows which, or `wait` ends. The
// engine is fed directly: a NewSessionTicket carries no application data, so
// a stream read would not complete on it.
asio::awaitable<ClientCertificateAnswer> await_client_certificate_answer(net::TlsStream& stream,
                                                                         Clock::duration wait) {
  tls::Client& engine = stream.engine();
  net::TcpTransport& transport = stream.next_layer();
  transport.set_deadline(Clock::now() + wait);
  constexpr std::size_t kReadSpace = 16384;
  for (;;) {
    if (engine.state() == tls::State::failed) co_return ClientCertificateAnswer::refused;
    if (engine.negotiated().session_ticket_received || !engine.readable().empty()) {
      co_return ClientCertificateAnswer::accepted;
    }
    if (engine.peer_closed()) co_return ClientCertificateAnswer::closed;
    const auto space = engine.input_space(kReadSpace);
    boost::system::error_code ec;
    const std::size_t n = co_await transport.async_read_some(asio::buffer(space.data(), space.size()),
                                                             asio::redirect_error(asio::use_awaitable, ec));
    if (n > 0) (void)engine.commit_input(n);  // a failure shows in engine.state()
    if (!ec || engine.state() == tls::State::failed) continue;
    if (ec == boost::beast::error::timeout) co_return ClientCertificateAnswer::no_answer;
    if (ec == asio::error::eof) {
      engine.feed_eof();
      if (engine.state() == tls::State::failed) continue;
    }
    co_return ClientCertificateAnswer::closed;
  }
}

bool is_reset(const boost::system::error_code& ec) {
  return ec == asio::error::connection_reset || ec == asio::error::connection_aborted;
}

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
    if (result.negotiated.client_certificate_requested) {
      result.client_certificate =
          ClientCertificateAnswer::accepted;  // TLS 1.2: the server's Finished says so
      if (result.negotiated.version == policy::ProtocolVersion::tls1_3) {
        const Clock::duration wait =
            std::min<Clock::duration>(kClientCertificateVerdictWait, settings.connection_timeout);
        result.client_certificate = co_await await_client_certificate_answer(stream, wait);
        result.negotiated = stream.negotiated();
      }
      if (result.client_certificate == ClientCertificateAnswer::refused) {
        result.error = stream.engine().error();
        result.verdict = Verdict::incompatible;
      } else if (result.client_certificate == ClientCertificateAnswer::closed) {
        result.error.code = tls::ErrorCode::unexpected_eof;
        result.error.message =
            "the origin asked for a client certificate and closed the connection right after the handshake, "
            "in which the client sent none";
        result.verdict = Verdict::incompatible;
      }
    }
    if (stream.engine().state() == tls::State::connected) {
      stream.next_layer().set_deadline(Clock::now() + std::chrono::seconds(1));
      boost::system::error_code ignored;
      co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
    }
  } else if (ec == boost::beast::error::timeout) {
    result.handshake_timed_out = true;
    result.verdict = Verdict::unreachable;
  } else if (net::tls_error_code(ec)) {
    result.error = stream.tls_error();
    result.verdict = Verdict::incompatible;
    if (result.error.code == tls::ErrorCode::client_certificate_required) {
      result.client_certificate = ClientCertificateAnswer::refused;
    }
  } else {
    // The socket failed under the handshake: the origin hung up on the edge
    // (a reset is told apart: firewalls and some servers reset on purpose).
    result.connection_reset = is_reset(ec);
    result.error.code = tls::ErrorCode::unexpected_eof;
    result.error.message =
        (result.connection_reset ? "the origin reset the connection during the TLS handshake: "
                                 : "the connection failed during the TLS handshake: ") +
        ec.message();
    result.verdict = Verdict::incompatible;
  }
  stream.next_layer().close();
  finish();
  co_return result;
}

}  // namespace edgefetch::check
