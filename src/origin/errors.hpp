#pragma once
// How network and protocol failures become FetchErrors: one place, shared by
// the one-shot fetch and the pooled OriginClient, so both name a failure the
// same way (kind, phase, message, the engine's TLS reason).

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "edgefetch/net/connect.hpp"
#include "edgefetch/net/resolve.hpp"
#include "edgefetch/origin/fetch.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::origin {

std::string seconds_text(std::chrono::seconds s);
std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint);

FetchError make_error(FailureKind kind, Phase phase, std::string message,
                      boost::system::error_code cause = {});

/// A failed resolution of `domain_name` (resolution.error is set). When the
/// name had addresses, all of another family than `families` (the origin's
/// IpAddressType), the message names the setting and the addresses skipped.
FetchError resolve_error(const std::string& domain_name, const net::Resolution& resolution,
                         net::AddressFamilies families);

/// The last connect attempt's outcome as the CDN would report it.
FetchError connect_error(const net::ConnectResult& connected, std::chrono::seconds connection_timeout);

/// A failed TLS handshake: timeout, the engine's error (`engine_error`, from
/// the stream), or a socket failure under the handshake (an unexpected EOF).
FetchError handshake_error(const boost::system::error_code& ec, const tls::Error& engine_error,
                           std::chrono::seconds connection_timeout);

/// What a failed response read had seen so far.
struct ReadContext {
  bool first_byte_received = false;  // any response byte since the request was sent
  bool head_received = false;        // a final response head was parsed
  std::uint64_t body_bytes = 0;
  std::chrono::seconds read_timeout{};
  /// The TLS stream's error when the connection is TLS (nullptr for plain TCP).
  const tls::Error* tls = nullptr;
  /// HelloRequests the origin sent (ignored, as the CDN ignores them): an
  /// origin that then waits for a new handshake never answers.
  int hello_requests_ignored = 0;
  /// The response's first Content-Length value, when a head failed after it
  /// (ResponseParser::first_content_length()).
  std::string_view first_content_length;
  /// The bytes the parser had not consumed when the read ended: the start of a
  /// head it could not parse, e.g. a TLS record from an HTTPS port.
  std::span<const std::uint8_t> unparsed;
};

/// A failed read of the response (head or body).
FetchError read_error(const boost::system::error_code& ec, const ReadContext& context);

/// A GET or HEAD whose origin stayed silent on each of `tries` > 1 tries (the
/// CDN sends it again on a new connection, up to ConnectionAttempts): the
/// read-timeout message says so, as the whole wait was tries × the timeout.
void note_silent_tries(FetchError& error, int tries);
/// The last of `tries` > 1 failed otherwise (refused, say, or a stall after
/// the head): the message says the tries before it got no response.
void note_earlier_silent_tries(FetchError& error, int tries);

/// Why `count` ignored HelloRequests matter: the CDN never renegotiates, so an
/// origin that waits for a new handshake never gets one (a read timeout's
/// message and get's warning both say so).
std::string ignored_hello_requests_text(int count);

/// A chunked response body whose framing has a line ended by a bare LF
/// (chunk_framing_has_bare_lf()), after `body_bytes` of body.
FetchError bare_lf_in_chunk_framing(std::uint64_t body_bytes);

/// A status code outside 100-599 (`code`), which has no class.
FetchError status_without_class(int code);

/// More than kMaxInterimResponses 1xx responses before the final one.
FetchError too_many_interim_responses();

/// A response framed with a transfer coding other than chunked (`value`: the
/// Transfer-Encoding field), which the CDN does not support.
FetchError unsupported_transfer_coding(std::string_view value);

/// A failed write of the request (head or body); `tls` as in ReadContext.
FetchError write_error(const boost::system::error_code& ec, const tls::Error* tls, bool body);

}  // namespace edgefetch::origin
