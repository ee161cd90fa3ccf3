#include "edgefetch/check/probe.hpp"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <sstream>

#include "check/probe_answer.hpp"
#include "check/probe_hello.hpp"
#include "edgefetch/net/connect.hpp"

namespace edgefetch::check {

namespace asio = boost::asio;
namespace beast = boost::beast;

std::string_view probe_outcome_name(ProbeOutcome outcome) {
  switch (outcome) {
    case ProbeOutcome::server_hello:
      return "server_hello";
    case ProbeOutcome::alert:
      return "alert";
    case ProbeOutcome::closed:
      return "closed";
    case ProbeOutcome::not_tls:
      return "not_tls";
    case ProbeOutcome::timeout:
      return "timeout";
    case ProbeOutcome::connect_failed:
      return "connect_failed";
    case ProbeOutcome::malformed:
      return "malformed";
    case ProbeOutcome::local_error:
      return "local_error";
  }
  return "local_error";
}

asio::awaitable<base::Expected<void, std::string>> resolve_target(ProbeTarget& target) {
  net::Resolution resolution = co_await net::resolve(target.host, target.port, target.resolve_overrides);
  if (resolution.error || resolution.endpoints.empty()) {
    const std::string why = resolution.error ? resolution.error.message() : "no addresses";
    co_return base::unexpected("cannot resolve " + target.host + ": " + why);
  }
  target.endpoints = std::move(resolution.endpoints);
  co_return base::Expected<void, std::string>{};
}

namespace {

std::string describe(const asio::ip::tcp::endpoint& endpoint) {
  std::ostringstream out;
  out << endpoint;
  return out.str();
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

bool offers_tls13(const ProbeOffer& offer) {
  for (std::uint16_t v : offer.supported_versions) {
    if (v >= 0x0304) return true;
  }
  return false;
}

}  // namespace

asio::awaitable<ProbeResult> run_probe(ProbeTarget target, ProbeOffer offer) {
  const auto started = std::chrono::steady_clock::now();
  detail::AnswerReader reader(offer.depth, offers_tls13(offer));
  ProbeResult& result = reader.result();

  auto hello = detail::build_probe_hello(offer, target.server_name);
  if (!hello) {
    result.outcome = ProbeOutcome::local_error;
    result.detail = hello.error();
    co_return result;
  }
  if (target.endpoints.empty()) {
    result.outcome = ProbeOutcome::local_error;
    result.detail = "no address to connect to (the target was not resolved)";
    co_return result;
  }

  net::ConnectOptions connect_options;
  connect_options.timeout = target.connect_timeout;
  connect_options.attempts = static_cast<int>(std::min<std::size_t>(target.endpoints.size(), 3));
  net::ConnectResult connected = co_await net::connect(target.endpoints, connect_options);
  if (!connected.connected()) {
    result.outcome = ProbeOutcome::connect_failed;
    const net::ConnectAttempt* last = connected.attempts.empty() ? nullptr : &connected.attempts.back();
    result.detail = last == nullptr ? "no connection attempt was made"
                                    : "connecting to " + describe(last->endpoint) + " " +
                                          std::string(net::connect_outcome_name(last->outcome)) +
                                          (last->error ? " (" + last->error.message() + ")" : std::string());
    result.elapsed = since(started);
    co_return result;
  }
  beast::tcp_stream& stream = *connected.stream;
  result.endpoint = connected.attempts.back().endpoint;
  stream.expires_after(target.read_timeout);

  boost::system::error_code ec;
  const std::size_t written =
      co_await asio::async_write(stream, asio::buffer(*hello), asio::redirect_error(asio::use_awaitable, ec));
  result.bytes_sent = written;
  std::vector<std::uint8_t> buffer(16384);
  while (!ec && !reader.done()) {
    const std::size_t n =
        co_await stream.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (n > 0) reader.feed(std::span<const std::uint8_t>(buffer.data(), n));
  }
  if (!reader.done()) {
    if (ec == beast::error::timeout) {
      reader.timed_out();
    } else if (ec == asio::error::eof) {
      reader.feed_eof(false);
    } else {
      reader.feed_eof(true);
      if (ec != asio::error::connection_reset && result.outcome == ProbeOutcome::closed) {
        result.detail += " (" + ec.message() + ")";
      }
    }
  }
  boost::system::error_code ignored;
  stream.socket().close(ignored);
  result.elapsed = since(started);
  co_return result;
}

ProbeResult run_probe_blocking(const ProbeTarget& target, const ProbeOffer& offer) {
  asio::io_context io;
  auto future = asio::co_spawn(io, run_probe(target, offer), asio::use_future);
  io.run();
  return future.get();
}

}  // namespace edgefetch::check
