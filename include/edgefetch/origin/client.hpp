#pragma once
// The edge's origin side: one request/response exchange at a time over pooled,
// persistent origin connections, with the CDN's origin semantics (facts 1.5,
// 1.6, 1.7, 5.4):
//
//   - a new connection resolves the origin, connects with ConnectionTimeout per
//     attempt and ConnectionAttempts attempts (attempt N uses the N-th resolved
//     address), then does TLS with the engine (the profile narrowed by
//     OriginSslProtocols; SNI and certificate name = the forwarded viewer Host,
//     else the origin's domain name), offering the session cached for the pool
//     so the origin can resume it;
//   - OriginReadTimeout bounds the wait for the first response byte and every
//     gap after it; GET and HEAD are retried on a new connection up to
//     ConnectionAttempts tries in all, other methods are not retried;
//   - an idle connection stays in its pool for OriginKeepaliveTimeout and is
//     closed when that runs out, when the origin closes it, or when the origin
//     sends anything while it is idle; a response with `Connection: close`, an
//     HTTP/1.0 response without keep-alive, or a body delimited by EOF ends the
//     connection;
//   - a pooled connection the origin closed while idle is replaced
//     transparently by a fresh one when no response byte arrived and the
//     request can be replayed (no request body, or none of it sent yet).
//
// Every failure is a FetchError (fetch.hpp): kind, the engine's TLS reason,
// code() for logs and headers, cdn_status() 502/504 for the viewer.
//
// Threading: an OriginClient and its Exchanges belong to the executor given
// at construction and must only be used from it (one io_context thread, or a
// strand). Nothing blocks; there is no thread per connection.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/origin/config.hpp"
#include "edgefetch/origin/fetch.hpp"
#include "edgefetch/origin/http_message.hpp"
#include "edgefetch/tls/client.hpp"

namespace edgefetch::origin {

/// The CDN's OriginKeepaliveTimeout default (facts 1.7).
inline constexpr std::chrono::seconds kDefaultKeepaliveTimeout{5};

/// One viewer request's origin, built by the edge.
struct Target {
  /// Domain, scheme, port, OriginSslProtocols, profile, timeouts, attempts,
  /// trust settings, --resolve overrides. config.alpn is honoured as in fetch.
  OriginConfig config;
  /// The forwarded viewer Host ("name" or "name:port"): SNI and the certificate
  /// name. Empty: config.domain_name. (The Host header itself is in
  /// RequestHead::headers; the edge decides its value.)
  std::optional<std::string> host_header;
  std::chrono::seconds keepalive_timeout = kDefaultKeepaliveTimeout;
  /// A label for metrics (e.g. the distribution's origin Id). It does not
  /// decide sharing: the pool key does (see PoolStats::key).
  std::string pool_id;
};

/// The request as the edge forwards it.
struct RequestHead {
  std::string method = "GET";
  std::string target = "/";  // origin-form: OriginPath already prefixed, query included
  /// Final end-to-end headers in order, including Host. The client adds
  /// `Connection: Keep-Alive` and the body framing (Content-Length or
  /// Transfer-Encoding: chunked) itself, from the fields below, so headers
  /// must not contain Connection, Keep-Alive, Proxy-Connection, TE, Trailer,
  /// Upgrade, Expect (the CDN removes it, facts 5.2), Transfer-Encoding or
  /// Content-Length: send() fails with FailureKind::invalid_request if they do
  /// (a second framing header is how requests are smuggled). Exactly one Host.
  std::vector<Header> headers;
  /// Request body framing: a Content-Length body (0 allowed: sent as
  /// `Content-Length: 0`), or chunked, or neither (no body, no framing header).
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  /// Asks the origin to switch to the WebSocket protocol (RFC 6455 4.1): the
  /// client sends `Connection: Upgrade` and `Upgrade: websocket` instead of
  /// `Connection: Keep-Alive`, and read_response_head() then accepts a 101
  /// whose Upgrade is websocket (Exchange::take_tunnel()). A GET without a
  /// body only; the Sec-WebSocket-* fields are the caller's, in `headers`.
  bool websocket_upgrade = false;
};

struct ExchangeInfo {
  bool connection_reused = false;  // the final try ran on a pooled connection
  bool tls = false;
  /// Version, suite, resumed (from the connection's handshake; shared by the
  /// exchanges on one connection, without the certificate chain).
  std::shared_ptr<const tls::Negotiated> tls_negotiated;
  std::optional<boost::asio::ip::tcp::endpoint> remote;  // connected to; else the last address tried
  std::string server_name;                               // SNI and verified name (https)
  int connect_attempts = 0;  // TCP connect attempts this exchange made (0 when reused)
  int tries = 0;             // request transmissions: > 1 after a stale-connection retry or read timeouts
  bool stale_retry = false;  // a pooled connection was found closed and replaced transparently
  Timings timings;           // of this exchange's last connection; total: send() to the response head
  /// The body was delimited by the connection's end, and a TLS origin ended it
  /// with a TCP FIN and no close_notify: accepted (as the CDN and browsers
  /// must), but a truncation in transit cannot be told apart from the end.
  bool body_end_unverified = false;
};

class OriginClient;

/// An origin connection after the origin switched to the WebSocket protocol
/// (a 101 answering a RequestHead::websocket_upgrade): bytes both ways,
/// relayed unparsed. It never returns to a pool. There is no timeout here:
/// the caller decides how long a tunnel may stay idle. At most one
/// read_some() and one write() may be outstanding, at the same time.
class OriginTunnel {
 public:
  struct Impl;
  explicit OriginTunnel(std::unique_ptr<Impl> impl);
  ~OriginTunnel();  // closes the connection
  OriginTunnel(const OriginTunnel&) = delete;
  OriginTunnel& operator=(const OriginTunnel&) = delete;
  OriginTunnel(OriginTunnel&&) = delete;
  OriginTunnel& operator=(OriginTunnel&&) = delete;

  /// Bytes from the origin into `out` (those that came right behind the 101
  /// first). 0: the origin closed its side (FIN, or TLS close_notify, or a
  /// FIN without close_notify: WebSocket has a close handshake of its own).
  boost::asio::awaitable<base::Expected<std::size_t, FetchError>> read_some(std::span<std::uint8_t> out);
  /// All of `data` to the origin.
  boost::asio::awaitable<base::Expected<void, FetchError>> write(std::span<const std::uint8_t> data);
  /// Tells a plain-TCP origin that no more bytes come (FIN) while its own
  /// keep coming. Not done over TLS (false): a FIN without close_notify reads
  /// as a truncation to most servers, and the engine has no state for a
  /// close_notify sent while reading goes on. Only while no write() is pending.
  bool half_close();
  /// Closes now: pending operations complete with an error.
  void close();

 private:
  std::unique_ptr<Impl> impl_;
};

/// One request/response on one origin connection. Use in order: send() wrote
/// the request head; then write_body()* and finish_body() when the head has a
/// body; then read_response_head(); then read_body() until it returns 0
/// (or read_body_view() until it returns an empty view).
/// Destroying an Exchange earlier is allowed: the connection is then closed.
class Exchange {
 public:
  struct Impl;
  explicit Exchange(std::unique_ptr<Impl> impl);
  ~Exchange();  // back to the pool when the response was read completely and keep-alive; else closed
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;
  Exchange(Exchange&&) = delete;
  Exchange& operator=(Exchange&&) = delete;

  /// Sends request body bytes, framed per the head (a chunk when chunked).
  /// More than content_length bytes: FailureKind::invalid_request. An empty
  /// span is a no-op. When the origin has closed or reset the connection, the
  /// error is returned but read_response_head() may still find the answer it
  /// sent before it went away (an early 413 or 403); no more body is taken.
  boost::asio::awaitable<base::Expected<void, FetchError>> write_body(std::span<const std::uint8_t> data);
  /// Ends the body: the last chunk when chunked; checks that content_length
  /// bytes were sent (FailureKind::invalid_request otherwise). As with
  /// write_body(), an origin that closed before the last chunk may have
  /// answered: read_response_head() may still find that answer.
  boost::asio::awaitable<base::Expected<void, FetchError>> finish_body();
  /// Reads the response head within the read timeout (GET/HEAD retried as
  /// described above). Interim 1xx responses are skipped (at most one 100
  /// Continue, as the CDN); 101 is the final head when the request asked for
  /// a WebSocket upgrade and its Upgrade field names websocket (take_tunnel()),
  /// invalid_response otherwise. The pointer stays valid
  /// for the Exchange's lifetime. Calling it again returns the same head.
  boost::asio::awaitable<base::Expected<const ResponseHead*, FetchError>> read_response_head();
  /// Reads body bytes into out (at most out.size()); 0 = the body is complete.
  /// Each read must make progress within the read timeout.
  boost::asio::awaitable<base::Expected<std::size_t, FetchError>> read_body(std::span<std::uint8_t> out);
  /// read_body() without a copy: the next body bytes where the connection
  /// holds them, valid until the next call on this Exchange (or its end);
  /// empty = the body is complete. The same timeouts and errors as read_body().
  boost::asio::awaitable<base::Expected<std::span<const std::uint8_t>, FetchError>> read_body_view();
  /// The next piece of body when it is already received and decrypted (no
  /// read, no wait): pieces from read_body_view() and body_view_now() all stay
  /// valid until the next read_body_view(), so several can go out in one
  /// write. std::nullopt: call read_body_view() (more must be read, or the
  /// body is complete, or it failed and read_body_view() says how).
  [[nodiscard]] std::optional<std::span<const std::uint8_t>> body_view_now();
  /// Body bytes have arrived and wait to be read: read_body_view() will not
  /// wait for the origin for its first piece (unless a chunk header is split).
  /// False once the body is complete, and before any body byte has arrived.
  [[nodiscard]] bool body_bytes_arrived() const;

  /// After a 101 to a WebSocket upgrade: the connection, as a tunnel. The
  /// Exchange is spent. invalid_request when the head was not such a 101.
  base::Expected<std::unique_ptr<OriginTunnel>, FetchError> take_tunnel();

  [[nodiscard]] const ExchangeInfo& info() const;
  /// Request body bytes sent so far (payload, without chunk framing).
  [[nodiscard]] std::uint64_t body_bytes_sent() const;
  /// Response body bytes read so far.
  [[nodiscard]] std::uint64_t body_bytes_received() const;
  /// The response (head and body) has been read completely: a further
  /// read_body()/read_body_view() would return nothing.
  [[nodiscard]] bool body_complete() const;

 private:
  std::unique_ptr<Impl> impl_;
};

struct PoolStats {
  std::string pool_id;  // Target::pool_id of the pool's first use
  std::string key;      // what decides sharing: "https://name:port sni=... protocols=... ..."
  std::size_t idle = 0;
  std::size_t active = 0;
  std::uint64_t opened = 0;            // TCP connections established
  std::uint64_t reused = 0;            // exchanges that ran on a pooled connection
  std::uint64_t tls_full = 0;          // full TLS handshakes
  std::uint64_t tls_resumed = 0;       // abbreviated (resumed) handshakes
  std::uint64_t expired = 0;           // idle connections closed by the keep-alive timeout
  std::uint64_t closed_by_origin = 0;  // idle connections the origin closed (or wrote to)
  std::uint64_t stale_retries = 0;     // requests replayed after a pooled connection turned out closed
};

struct OriginClientOptions {
  std::size_t max_idle_per_origin = 64;  // per pool key; the least recently used idle one goes first
};

/// One per serve instance: owns the per-origin pools and TLS session caches.
/// Connections with different TLS or addressing settings are never shared: the
/// pool key is scheme, domain, port, SNI/verified name, OriginSslProtocols,
/// profile, trust store, verification, ALPN and the --resolve addresses.
class OriginClient {
 public:
  using Options = OriginClientOptions;
  struct State;

  explicit OriginClient(boost::asio::any_io_executor executor, Options options = {});
  ~OriginClient();  // closes idle connections; live Exchanges then close theirs when done
  OriginClient(const OriginClient&) = delete;
  OriginClient& operator=(const OriginClient&) = delete;

  /// Picks a pooled connection (or opens one) and writes the request head.
  /// The returned Exchange continues with the body and the response. When it
  /// fails, `failed_attempt` (if given) receives what is known of the attempt:
  /// the address connected to, the timings, and what a failed TLS handshake
  /// had agreed (a certificate refused by name still names its server).
  boost::asio::awaitable<base::Expected<std::unique_ptr<Exchange>, FetchError>> send(
      const Target& target, RequestHead head, ExchangeInfo* failed_attempt = nullptr);

  [[nodiscard]] std::vector<PoolStats> stats() const;
  /// Closes every idle connection (drain, config reload). Active exchanges are
  /// not affected, but their connections are closed rather than pooled when
  /// they finish if close_idle(true) was called (draining).
  void close_idle(bool draining = false);

 private:
  std::shared_ptr<State> state_;
};

}  // namespace edgefetch::origin
