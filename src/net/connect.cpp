#include "edgefetch/net/connect.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

namespace edgefetch::net {
namespace asio = boost::asio;
namespace beast = boost::beast;

std::string_view connect_outcome_name(ConnectOutcome outcome) {
  switch (outcome) {
    case ConnectOutcome::connected:
      return "connected";
    case ConnectOutcome::refused:
      return "refused";
    case ConnectOutcome::timed_out:
      return "timed_out";
    case ConnectOutcome::unreachable:
      return "unreachable";
    case ConnectOutcome::reset:
      return "reset";
    case ConnectOutcome::failed:
      return "failed";
  }
  return "failed";
}

ConnectOutcome classify_connect_error(const boost::system::error_code& ec) {
  if (!ec) return ConnectOutcome::connected;
  if (ec == beast::error::timeout || ec == asio::error::timed_out) return ConnectOutcome::timed_out;
  if (ec == asio::error::connection_refused) return ConnectOutcome::refused;
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable) {
    return ConnectOutcome::unreachable;
  }
  if (ec == asio::error::connection_reset || ec == asio::error::connection_aborted) {
    return ConnectOutcome::reset;
  }
  return ConnectOutcome::failed;
}

asio::awaitable<ConnectResult> connect(std::vector<asio::ip::tcp::endpoint> endpoints, ConnectOptions options,
                                       std::function<void(const ConnectAttempt&)> on_attempt) {
  ConnectResult result;
  if (endpoints.empty() || options.attempts < 1) co_return result;
  const auto executor = co_await asio::this_coro::executor;
  const auto started = std::chrono::steady_clock::now();

  for (int number = 1; number <= options.attempts; ++number) {
    ConnectAttempt attempt;
    attempt.number = number;
    attempt.endpoint = endpoints[static_cast<std::size_t>(number - 1) % endpoints.size()];

    // A fresh socket per attempt: a socket whose connect failed is not reused.
    beast::tcp_stream stream(executor);
    stream.expires_after(options.timeout);
    const auto attempt_started = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    co_await stream.async_connect(attempt.endpoint, asio::redirect_error(asio::use_awaitable, ec));
    attempt.elapsed = std::chrono::steady_clock::now() - attempt_started;
    attempt.error = ec;
    attempt.outcome = classify_connect_error(ec);
    stream.expires_never();
    result.attempts.push_back(attempt);
    if (on_attempt) on_attempt(attempt);
    if (!ec) {
      // No Nagle: a TLS flight or a request head often goes out in two writes
      // (Finished, then the request), and Nagle would hold the second until the
      // origin's delayed ACK, 40 ms later on Linux.
      boost::system::error_code ignored;
      stream.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
      result.stream.emplace(std::move(stream));
      break;
    }
  }
  result.elapsed = std::chrono::steady_clock::now() - started;
  co_return result;
}

}  // namespace edgefetch::net
