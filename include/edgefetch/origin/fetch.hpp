#pragma once
// One HTTP/1.1 request to an origin, made the way the CDN makes it: resolve,
// connect with ConnectionTimeout x ConnectionAttempts, TLS with the profile
// narrowed by OriginSslProtocols, request with the CDN's default headers,
// response within the origin read timeout. The body is streamed to a sink,
// never buffered whole. Every failure is classified the way the CDN would
// answer its viewer (502 or 504) and carries the exact reason.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/net/connect.hpp"
#include "edgefetch/net/resolve.hpp"
#include "edgefetch/origin/config.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::origin {

using Duration = std::chrono::steady_clock::duration;

/// Phase durations, measured with steady_clock around the network operations.
struct Timings {
  std::optional<Duration> dns;         // name resolution (0 for literals and --resolve)
  std::optional<Duration> connect;     // TCP connect, all attempts of the last try
  std::optional<Duration> tls;         // TLS handshake
  std::optional<Duration> first_byte;  // request sent -> first response byte
  Duration total{};                    // the whole fetch, all tries
};

enum class FailureKind {
  invalid_config,              // the config or request failed validate()
  dns_failure,                 // the name did not resolve
  connection_refused,          // the last attempt was refused (RST)
  connect_timeout,             // the last attempt timed out
  host_unreachable,            // ICMP unreachable / no route
  connection_reset,            // reset during connect or the TLS handshake
  connect_failed,              // another socket error during connect
  tls,                         // the TLS engine failed: FetchError::tls says why
  tls_handshake_timeout,       // no complete handshake within the connection timeout
  write_failed,                // the request could not be sent
  read_timeout,                // no first byte, or no data for read_timeout
  connection_closed,           // the origin closed or reset before the response was complete
  invalid_response,            // not parsable as HTTP/1.x
  response_headers_too_large,  // more than kMaxResponseHeaderBytes of status line and headers
  body_sink_failed,            // the sink refused the body (e.g. the output file failed)
  internal_error,
  invalid_request,              // the caller's request head or body framing is invalid (OriginClient)
  request_body_timeout,         // sending the request body to the origin made no progress for read_timeout
  response_completion_timeout,  // the exchange outlived ResponseCompletionTimeout (OriginClient)
};

/// Stable names (JSON "error.code"): "dns_failure", "connection_refused", ...
std::string_view failure_kind_name(FailureKind kind);

enum class Phase { setup, resolve, connect, tls_handshake, request, response };
std::string_view phase_name(Phase phase);

struct FetchError {
  FailureKind kind = FailureKind::internal_error;
  Phase phase = Phase::setup;
  std::string message;              // what happened and why, one or two sentences
  std::optional<tls::Error> tls;    // set when kind == tls
  boost::system::error_code cause;  // the underlying error_code, when there is one

  /// The JSON error code: the TLS error's name for kind tls, else failure_kind_name(kind).
  [[nodiscard]] std::string code() const;
  /// What the CDN would answer its viewer: 504 for timeouts and unreachable
  /// origins, 502 for everything else (refused, reset, TLS, bad response).
  [[nodiscard]] int cdn_status() const;
  [[nodiscard]] bool is_timeout() const;
};

struct FetchResult {
  std::vector<boost::asio::ip::tcp::endpoint> addresses;  // what the name resolved to
  net::ResolveSource resolve_source = net::ResolveSource::dns;
  std::vector<net::ConnectAttempt> connect_attempts;     // all tries
  std::optional<boost::asio::ip::tcp::endpoint> remote;  // the connected address
  int tries = 0;                                         // > 1 after read-timeout retries
  bool tls_used = false;
  std::optional<tls::Negotiated> tls;  // what was negotiated (partial when the handshake failed)
  std::string server_name;             // SNI and verified name (https)

  std::string request_head;  // the request line and headers as sent

  unsigned status = 0;  // 0 when no response header arrived
  std::string reason;
  unsigned http_version = 0;  // 10 or 11
  std::vector<Header> headers;
  std::uint64_t body_bytes = 0;
  bool body_complete = false;

  Timings timings;
  std::vector<std::string> warnings;
  std::optional<FetchError> error;

  [[nodiscard]] bool ok() const { return !error.has_value(); }
};

/// Receives the response body as it arrives. Returning false stops the fetch
/// (FailureKind::body_sink_failed); the sink keeps its own reason.
using BodySink = std::function<bool(std::span<const std::uint8_t>)>;

/// Sees a fetch as it happens (for -v). All callbacks run on the fetch's executor.
class FetchObserver {
 public:
  virtual ~FetchObserver() = default;
  virtual void on_resolved(const net::Resolution& /*resolution*/) {}
  virtual void on_connect_attempt(const net::ConnectAttempt& /*attempt*/, int /*max_attempts*/) {}
  /// `error`: why the handshake failed (a TLS error, a timeout, the
  /// connection closed...); nullptr when it completed.
  virtual void on_tls_handshake(const tls::Negotiated& /*negotiated*/, const FetchError* /*error*/) {}
  virtual void on_request_sent(std::string_view /*request_head*/) {}
  /// A 1xx interim response (100 Continue, 103 Early Hints, ...) before the final one.
  virtual void on_interim_response(unsigned /*http_version*/, unsigned /*status*/,
                                   std::string_view /*reason*/, const std::vector<Header>& /*headers*/) {}
  virtual void on_response_head(unsigned /*http_version*/, unsigned /*status*/, std::string_view /*reason*/,
                                const std::vector<Header>& /*headers*/) {}
  virtual void on_retry(int /*next_try*/, int /*max_tries*/, const FetchError& /*why*/) {}
};

/// The fetch as a coroutine. Never throws for network or protocol failures:
/// they are in FetchResult::error.
boost::asio::awaitable<FetchResult> async_fetch(OriginConfig config, Request request, BodySink sink = {},
                                                FetchObserver* observer = nullptr);

/// Runs async_fetch on a private io_context until it completes.
FetchResult fetch(const OriginConfig& config, const Request& request, BodySink sink = {},
                  FetchObserver* observer = nullptr);

/// The request head (request line and headers) fetch sends for this request.
std::string request_head(const OriginConfig& config, const Request& request);

}  // namespace edgefetch::origin
