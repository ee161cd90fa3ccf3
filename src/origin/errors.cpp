#include "errors.hpp"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <optional>

#include "edgefetch/net/error.hpp"
#include "edgefetch/origin/config.hpp"

namespace edgefetch::origin {
namespace beast = boost::beast;
namespace http = beast::http;

std::string seconds_text(std::chrono::seconds s) {
  return std::to_string(s.count()) + (s.count() == 1 ? " second" : " seconds");
}

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

FetchError make_error(FailureKind kind, Phase phase, std::string message, boost::system::error_code cause) {
  FetchError error;
  error.kind = kind;
  error.phase = phase;
  error.message = std::move(message);
  error.cause = cause;
  return error;
}

FetchError resolve_error(const std::string& domain_name, const net::Resolution& resolution,
                         net::AddressFamilies families) {
  if (resolution.skipped.empty() || families == net::AddressFamilies::ipv4_and_ipv6) {
    return make_error(FailureKind::dns_failure, Phase::resolve,
                      "could not resolve '" + domain_name + "': " + resolution.error.message(),
                      resolution.error);
  }
  // A name has a handful of addresses; DNS could answer with many.
  constexpr std::size_t kAddressesNamed = 8;
  std::string skipped;
  for (std::size_t i = 0; i < resolution.skipped.size() && i < kAddressesNamed; ++i) {
    skipped += (i == 0 ? "" : ", ") + resolution.skipped[i].address().to_string();
  }
  if (resolution.skipped.size() > kAddressesNamed) {
    skipped += " and " + std::to_string(resolution.skipped.size() - kAddressesNamed) + " more";
  }
  const bool ipv6 = families == net::AddressFamilies::ipv6_only;
  return make_error(FailureKind::dns_failure, Phase::resolve,
                    "could not resolve '" + domain_name + "' to an " + (ipv6 ? "IPv6" : "IPv4") +
                        " address, as its IpAddressType " + (ipv6 ? "ipv6" : "ipv4") + " requires: skipped " +
                        skipped + " (from " + std::string(net::resolve_source_name(resolution.source)) + ")",
                    resolution.error);
}

FetchError connect_error(const net::ConnectResult& connected, std::chrono::seconds connection_timeout) {
  if (connected.attempts.empty()) {
    return make_error(FailureKind::connect_failed, Phase::connect, "no address to connect to");
  }
  const auto& last = connected.attempts.back();
  const std::string where = endpoint_text(last.endpoint);
  const std::string tries =
      std::to_string(connected.attempts.size()) + (connected.attempts.size() == 1 ? " attempt" : " attempts");
  switch (last.outcome) {
    case net::ConnectOutcome::refused:
      return make_error(FailureKind::connection_refused, Phase::connect,
                        "the connection to " + where + " was refused (" + tries +
                            "): nothing listens on that port, or a firewall rejects the connection",
                        last.error);
    case net::ConnectOutcome::timed_out:
      return make_error(FailureKind::connect_timeout, Phase::connect,
                        "no answer from " + where + " within the connection timeout of " +
                            seconds_text(connection_timeout) + " (" + tries +
                            "): the origin is down, or a firewall silently drops the packets",
                        last.error);
    case net::ConnectOutcome::unreachable:
      return make_error(FailureKind::host_unreachable, Phase::connect,
                        where + " is unreachable (" + tries + "): " + last.error.message(), last.error);
    case net::ConnectOutcome::reset:
      return make_error(FailureKind::connection_reset, Phase::connect,
                        "the connection to " + where + " was reset while connecting (" + tries + ")",
                        last.error);
    case net::ConnectOutcome::connected:
    case net::ConnectOutcome::failed:
      break;
  }
  return make_error(FailureKind::connect_failed, Phase::connect,
                    "could not connect to " + where + " (" + tries + "): " + last.error.message(),
                    last.error);
}

FetchError handshake_error(const boost::system::error_code& ec, const tls::Error& engine_error,
                           std::chrono::seconds connection_timeout) {
  if (ec == beast::error::timeout) {
    return make_error(FailureKind::tls_handshake_timeout, Phase::tls_handshake,
                      "the TLS handshake did not complete within the connection timeout of " +
                          seconds_text(connection_timeout),
                      ec);
  }
  if (ec == boost::asio::error::connection_reset || ec == boost::asio::error::connection_aborted) {
    // A reset is not an end of stream: the origin (or a firewall in front of
    // it) aborted the connection, which the CDN reports as a connect error.
    return make_error(FailureKind::connection_reset, Phase::tls_handshake,
                      "the origin reset the connection during the TLS handshake (" + ec.message() + ")", ec);
  }
  FetchError error = make_error(FailureKind::tls, Phase::tls_handshake, "", ec);
  if (net::tls_error_code(ec)) {
    error.tls = engine_error;
  } else {
    // The socket failed under the handshake (reset): for the CDN this is the
    // origin hanging up on its ClientHello, a TLS failure like an EOF.
    tls::Error eof;
    eof.code = tls::ErrorCode::unexpected_eof;
    eof.message = "the connection failed during the TLS handshake: " + ec.message();
    error.tls = eof;
  }
  error.message =
      error.tls->message.empty() ? std::string(tls::error_code_name(error.tls->code)) : error.tls->message;
  return error;
}

namespace {

// A plain HTTP request to a TLS port: many TLS servers answer it with an alert
// record (type 21, version 3.x) before they close, which no HTTP parser reads.
std::optional<std::string> tls_answer(const ReadContext& context) {
  const auto bytes = context.unparsed;
  if (context.tls != nullptr || context.head_received || bytes.size() < 3 || bytes[1] != 0x03) {
    return std::nullopt;
  }
  constexpr std::uint8_t kHandshake = 22;
  constexpr std::uint8_t kAlert = 21;
  constexpr std::size_t kAlertDescription = 6;  // 5-byte record header, level, description
  if (bytes[0] == kHandshake) return std::string("a TLS handshake record");
  if (bytes[0] != kAlert) return std::nullopt;
  if (bytes.size() <= kAlertDescription) return std::string("a TLS alert");
  return "a TLS alert (" + tls::alert_name(bytes[kAlertDescription]) + ")";
}

// Bytes that cannot begin an HTTP/1.x status line ("HTTP/"), shown as text
// when printable: an origin that answered in another protocol and closed
// sent something, which "closed the connection" would hide.
std::optional<std::string> not_http_answer(const ReadContext& context) {
  constexpr std::string_view kHttp = "HTTP/";
  const auto bytes = context.unparsed;
  if (context.head_received || bytes.empty()) return std::nullopt;
  const std::size_t n = std::min(bytes.size(), kHttp.size());
  if (std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n), kHttp.begin())) {
    return std::nullopt;
  }
  std::string shown;
  for (std::size_t i = 0; i < bytes.size() && i < 16; ++i) {
    const auto c = static_cast<char>(bytes[i]);
    shown += bytes[i] >= 0x20 && bytes[i] < 0x7F ? std::string(1, c) : std::string("?");
  }
  return shown;
}

}  // namespace

namespace {

std::string received_text(const ReadContext& context) {
  return std::to_string(context.body_bytes) + " body bytes received";
}

// A read timeout: nothing since the request, or a stall after some bytes.
FetchError read_timeout_error(const boost::system::error_code& ec, const ReadContext& context) {
  if (!context.first_byte_received) {
    return make_error(FailureKind::read_timeout, Phase::response,
                      "the origin sent no response within the read timeout of " +
                          seconds_text(context.read_timeout) + " after the request",
                      ec);
  }
  // A stall inside the head has no body to count yet.
  const std::string where =
      context.head_received ? received_text(context) : "in the middle of the status line and headers";
  return make_error(FailureKind::read_timeout, Phase::response,
                    "the origin stopped sending: no data for the read timeout of " +
                        seconds_text(context.read_timeout) + " (" + where + ")",
                    ec);
}

// What the HTTP parser found wrong, in the terms of RFC 9112 rather than its
// two-word names ("bad field"), which do not say what to look for.
std::string parser_error_text(const boost::system::error_code& ec) {
  using http::error;
  if (ec == error::bad_line_ending) return "a line does not end with CRLF (RFC 9112 2.2)";
  if (ec == error::bad_version) return "the status line does not begin with HTTP/1.0 or HTTP/1.1";
  if (ec == error::bad_status) {
    return "the status line has no three-digit status code followed by a space (RFC 9112 4: "
           "'HTTP/1.1 200 OK', and 'HTTP/1.1 200 ' without a reason)";
  }
  if (ec == error::bad_reason) {
    return "the status line's reason phrase has a control character, or the line ends with a bare LF "
           "instead of CRLF (RFC 9112 4)";
  }
  if (ec == error::bad_field) {
    return "a header line is not 'Name: value': a name with a space or another character names may not "
           "have, whitespace before the colon, or no colon (RFC 9112 5.1)";
  }
  if (ec == error::bad_value) return "a header value has a control character (RFC 9110 5.5)";
  if (ec == error::bad_transfer_encoding) {
    return "its Transfer-Encoding is not a list ending in chunked, names chunked twice, or comes with a "
           "Content-Length (RFC 9112 6.1, 6.3)";
  }
  if (ec == error::bad_chunk) return "a chunk's size line is not a hexadecimal size (RFC 9112 7.1)";
  if (ec == error::bad_chunk_extension) return "a chunk extension is malformed (RFC 9112 7.1.1)";
  if (ec == error::bad_obs_fold) return "a header line folded onto the next is malformed (RFC 9112 5.2)";
  return ec.message();
}

}  // namespace

std::string ignored_hello_requests_text(int count) {
  return "the origin asked to renegotiate (HelloRequest" +
         (count == 1 ? std::string(")") : ", " + std::to_string(count) + " times)") +
         ", which the CDN ignores as it supports no renegotiation, and so did edgefetch: an origin that "
         "waits for a new handshake (e.g. to ask for a client certificate on some paths) never gets one";
}

void note_silent_tries(FetchError& error, int tries) {
  if (tries < 2 || error.kind != FailureKind::read_timeout) return;
  error.message += ", on each of " + std::to_string(tries) +
                   " tries (a GET or HEAD to a silent origin is sent again on a new connection, up to "
                   "ConnectionAttempts times)";
}

void note_earlier_silent_tries(FetchError& error, int tries) {
  if (tries < 2) return;
  const int silent = tries - 1;
  error.message +=
      " (on try " + std::to_string(tries) + ": " +
      (silent == 1 ? std::string("the first try") : "each of " + std::to_string(silent) + " tries") +
      " before it got no response within the read timeout, and a GET or HEAD is sent again on a "
      "new connection)";
}

FetchError read_error(const boost::system::error_code& ec, const ReadContext& context) {
  if (const auto tls_record = tls_answer(context)) {
    return make_error(FailureKind::invalid_response, Phase::response,
                      "the origin answered the plain HTTP request with " + *tls_record +
                          ", not HTTP: the port speaks TLS (is it the HTTPS port?)",
                      ec);
  }
  if (const auto other = not_http_answer(context);
      other && (ec == http::error::partial_message || ec == boost::asio::error::eof ||
                ec == http::error::bad_version)) {
    return make_error(FailureKind::invalid_response, Phase::response,
                      "the origin's answer is not HTTP/1.x: it begins \"" + *other + "\"", ec);
  }
  if (ec == beast::error::timeout) {
    FetchError error = read_timeout_error(ec, context);
    if (context.hello_requests_ignored > 0) {
      error.message += "; " + ignored_hello_requests_text(context.hello_requests_ignored);
    }
    return error;
  }
  const std::string received = received_text(context);
  if (ec == http::error::header_limit) {
    return make_error(FailureKind::response_headers_too_large, Phase::response,
                      "the response's status line and headers exceed " +
                          std::to_string(kMaxResponseHeaderBytes) + " bytes, the CDN's limit",
                      ec);
  }
  if (ec == http::error::end_of_stream) {
    return make_error(FailureKind::connection_closed, Phase::response,
                      "the origin closed the connection without sending a response", ec);
  }
  if (ec == http::error::partial_message) {
    return make_error(FailureKind::connection_closed, Phase::response,
                      "the origin closed the connection before the response was complete (" + received + ")",
                      ec);
  }
  if (ec == http::error::bad_content_length) {
    // RFC 9112 6.3: lengths that disagree make the response invalid; relaying
    // it would let the edge and the viewer disagree on where it ends.
    const std::string what =
        context.first_content_length.empty()
            ? "a Content-Length that is not a single non-negative number"
            : "Content-Length " + std::string(context.first_content_length) +
                  " and another Content-Length field that differs from it or is not a number";
    return make_error(FailureKind::invalid_response, Phase::response,
                      "the origin's response is not valid HTTP/1.x: it has " + what +
                          " (RFC 9112 6.3: a response whose length is unclear is refused)",
                      ec);
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return make_error(FailureKind::invalid_response, Phase::response,
                      "the origin's response is not valid HTTP/1.x: " + parser_error_text(ec), ec);
  }
  if (const auto code = net::tls_error_code(ec); code && context.tls) {
    if (*code == tls::ErrorCode::unexpected_eof) {
      auto error =
          make_error(FailureKind::connection_closed, Phase::response,
                     std::string("the origin closed the connection without close_notify ") +
                         (context.head_received ? "before the response was complete (" + received + ")"
                                                : "before sending a response"),
                     ec);
      error.tls = *context.tls;
      return error;
    }
    auto error = make_error(FailureKind::tls, Phase::response, context.tls->message, ec);
    error.tls = *context.tls;
    return error;
  }
  if (ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) {
    // A reset stays connection_closed (the pool reads it as a dead connection,
    // and the README keeps connection_reset for connect and handshake), but is said as it was.
    const std::string how = ec == boost::asio::error::eof ? "closed" : "reset";
    return make_error(FailureKind::connection_closed, Phase::response,
                      "the origin " + how + " the connection " +
                          (context.head_received ? "before the response was complete (" + received + ")"
                                                 : std::string("without sending a response")),
                      ec);
  }
  return make_error(FailureKind::connection_closed, Phase::response,
                    "reading the response failed: " + ec.message() + " (" + received + ")", ec);
}

FetchError bare_lf_in_chunk_framing(std::uint64_t body_bytes) {
  return make_error(FailureKind::invalid_response, Phase::response,
                    "the origin's chunked body has a framing line ended by a bare LF, not CRLF (" +
                        std::to_string(body_bytes) + " body bytes received)");
}

FetchError status_without_class(int code) {
  return make_error(FailureKind::invalid_response, Phase::response,
                    "the origin's status code " + std::to_string(code) +
                        " is outside 100-599, so it has no class (RFC 9110 15); the CDN answers 502");
}

FetchError too_many_interim_responses() {
  return make_error(FailureKind::invalid_response, Phase::response,
                    "the origin sent more than " + std::to_string(kMaxInterimResponses) +
                        " interim (1xx) responses before its final one");
}

FetchError unsupported_transfer_coding(std::string_view value) {
  return make_error(FailureKind::invalid_response, Phase::response,
                    "the origin's response has Transfer-Encoding: " + std::string(value) +
                        "; the CDN supports only chunked (compress with Content-Encoding instead)");
}

FetchError write_error(const boost::system::error_code& ec, const tls::Error* tls, bool body) {
  if (tls && net::tls_error_code(ec)) {
    auto error = make_error(FailureKind::tls, Phase::request, tls->message, ec);
    error.tls = *tls;
    return error;
  }
  const std::string what = body ? "the request body" : "the request";
  if (ec == net::make_error_code(net::Errc::peer_closed)) {
    return make_error(FailureKind::connection_closed, Phase::request,
                      "the origin closed the connection (TLS close_notify) before " + what + " was sent", ec);
  }
  if (ec == beast::error::timeout) {
    return make_error(body ? FailureKind::request_body_timeout : FailureKind::write_failed, Phase::request,
                      "sending " + what + " timed out: the origin stopped reading", ec);
  }
  return make_error(FailureKind::write_failed, Phase::request, "sending " + what + " failed: " + ec.message(),
                    ec);
}

}  // namespace edgefetch::origin
