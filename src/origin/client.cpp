#include "edgefetch/origin/client.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/container/small_vector.hpp>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "connection.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/error.hpp"
#include "edgefetch/net/send_now.hpp"
#include "edgefetch/policy/profile.hpp"
#include "errors.hpp"
#include "pool.hpp"
#include "request_head.hpp"
#include "response_parser.hpp"
#include "tls_setup.hpp"
#include "tunnel.hpp"
#include "websocket_handshake.hpp"

namespace edgefetch::origin {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

using VoidResult = base::Expected<void, FetchError>;

// Failures that mean "the connection was already dead", as opposed to an
// origin that answered badly or too slowly.
bool is_dead_connection(const FetchError& error) {
  if (error.kind == FailureKind::connection_closed || error.kind == FailureKind::write_failed) return true;
  return error.kind == FailureKind::tls && error.tls && error.tls->code == tls::ErrorCode::unexpected_eof;
}

// Appends the decimal or hex form of `value` (no locale, no printf).
void append_number(std::string& out, std::uint64_t value, int base = 10) {
  std::array<char, 24> digits{};
  const auto done = std::to_chars(digits.data(), digits.data() + digits.size(), value, base);
  out.append(digits.data(), done.ptr);
}

// Everything that decides whether two requests may share a connection. Built
// for every request (the pool lookup), so it is appended in place: the
// addresses as raw bytes in hex rather than inet_ntop, the trust store by
// identity.
std::string pool_key(const OriginConfig& config, const std::string& server_name,
                     const std::shared_ptr<const crypto::TrustStore>& trust) {
  std::string key;
  key.reserve(128 + server_name.size() + config.domain_name.size());
  key += config.protocol == net::Scheme::https ? "https://" : "http://";
  key += config.domain_name;
  key += ':';
  append_number(key, config.port);
  if (const auto* entry =
          net::find_resolve_override(config.resolve_overrides, config.domain_name, config.port)) {
    key += " resolve=";
    for (const auto& address : entry->addresses) {
      if (address.is_v4()) {
        append_number(key, address.to_v4().to_uint(), 16);
      } else {
        for (const auto byte : address.to_v6().to_bytes()) {
          append_number(key, byte, 16);
          key += '.';
        }
      }
      key += ',';
    }
  }
  // IpAddressType: a connection made over IPv4 is no connection for an origin
  // that may only be reached over IPv6.
  if (config.address_families != net::AddressFamilies::ipv4_and_ipv6) {
    key += " families=";
    append_number(key, static_cast<std::uint64_t>(config.address_families));
  }
  if (config.protocol != net::Scheme::https) return key;
  const policy::Profile& profile = config.profile ? *config.profile : policy::default_profile();
  key += " sni=";
  key += server_name;
  key += " protocols=";
  for (const auto version : config.origin_ssl_protocols) {
    append_number(key, static_cast<std::uint64_t>(version));
    key += ',';
  }
  key += " profile=";
  key += profile.name;
  key += config.verify_certificates ? " verify" : " noverify";
  key += " trust=";
  append_number(key, reinterpret_cast<std::uintptr_t>(trust.get()), 16);
  for (const auto& protocol : config.alpn) {
    key += " alpn=";
    key += protocol;
  }
  return key;
}

}  // namespace

struct OriginClient::State {
  State(asio::any_io_executor ex, Options opts) : executor(std::move(ex)), options(opts) {}

  base::Expected<std::shared_ptr<Pool>, FetchError> pool_for(const Target& target) {
    const bool https = target.config.protocol == net::Scheme::https;
    const std::string server_name =
        https ? tls_server_name(target.config, target.host_header) : std::string();
    std::shared_ptr<const crypto::TrustStore> trust = target.config.trust_store;
    if (https && target.config.verify_certificates && !trust) {
      if (!system_trust) {
        auto loaded = crypto::TrustStore::system_default();
        if (!loaded) {
          return base::unexpected(
              make_error(FailureKind::invalid_config, Phase::setup,
                         "could not load the system trust store: " + loaded.error().message));
        }
        system_trust = std::move(loaded).value();
      }
      trust = system_trust;
    }
    std::string key = pool_key(target.config, server_name, trust);
    if (const auto found = pools.find(key); found != pools.end()) return found->second;

    std::optional<tls::ClientConfig> tls_base;
    if (https) {
      OriginConfig config = target.config;
      config.trust_store = trust;
      auto made = make_tls_config(config, server_name);
      if (!made) return base::unexpected(std::move(made).error());
      tls_base = std::move(made).value();
    }
    auto pool = std::make_shared<Pool>(executor, key, target.pool_id, target.config, std::move(tls_base),
                                       options.max_idle_per_origin);
    if (draining) pool->stop_accepting();
    pools.emplace(std::move(key), pool);
    return pool;
  }

  asio::any_io_executor executor;
  Options options;
  std::unordered_map<std::string, std::shared_ptr<Pool>> pools;
  std::shared_ptr<const crypto::TrustStore> system_trust;
  bool draining = false;
};

// What an exchange needs of its target beyond the pool's endpoint: copied per
// request instead of the whole OriginConfig (strings, vectors, a trust store).
struct ExchangeLimits {
  ConnectLimits connect;
  std::chrono::seconds read_timeout{};
  std::optional<std::chrono::seconds> response_completion_timeout;

  static ExchangeLimits of(const OriginConfig& config) {
    return {ConnectLimits{config.connection_timeout, config.connection_attempts}, config.read_timeout,
            config.response_completion_timeout};
  }
};

struct Exchange::Impl {
  Impl(std::shared_ptr<Pool> p, const Target& target, const RequestHead& head, std::string bytes)
      : pool(std::move(p)),
        limits(ExchangeLimits::of(target.config)),
        keepalive_timeout(target.keepalive_timeout),
        method(head.method),
        head_bytes(std::move(bytes)),
        request_content_length(head.content_length),
        request_chunked(head.chunked),
        websocket_upgrade(head.websocket_upgrade),
        started(Clock::now()) {
    body_finished = !request_chunked && request_content_length.value_or(0) == 0;
    if (limits.response_completion_timeout) {
      completion_deadline = started + *limits.response_completion_timeout;
    }
    info.tls = target.config.protocol == net::Scheme::https;
    if (info.tls) info.server_name = tls_server_name(target.config, target.host_header);
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  ~Impl() {
    if (!connection) return;
    // A 101's connection speaks another protocol now: never pooled, even when
    // its tunnel was not taken.
    const bool clean = response_complete && !failed && response.keep_alive && body_finished &&
                       !eof_delimited && response.status != 101;
    bool reusable = clean && connection->buffer().size() == 0;
    if (reusable && connection->is_tls()) {
      const auto& engine = connection->tls_stream()->engine();
      reusable = engine.state() == tls::State::connected && engine.readable().empty();
    }
    release(reusable);
  }

  // Gives the connection back to the pool, or closes it.
  void release(bool reusable) {
    if (!connection) return;
    --pool->active;
    if (reusable) {
      pool->checkin(std::move(connection), keepalive_timeout);
    } else {
      connection->close();
      connection.reset();
    }
  }

  [[nodiscard]] bool replayable() const { return body_sent == 0; }

  // Once the origin has the whole request head, a closed connection does not
  // say whether it acted on it: it may have closed an idle connection as the
  // request arrived, or crashed while working on it. RFC 9112 9.3.1 forbids a
  // proxy to retry a non-idempotent request automatically, and the CDN retries
  // only GET and HEAD (facts 1.6): a POST is never sent twice.
  [[nodiscard]] bool stale_retry_allowed() const { return is_retryable_method(method); }

  // Every read and write of the exchange: the read timeout, under the
  // ResponseCompletionTimeout cap when the origin has one.
  void arm_timeouts() {
    auto& transport = connection->transport();
    if (completion_deadline) {
      transport.set_idle_timeout_before(limits.read_timeout, *completion_deadline);
    } else {
      transport.set_idle_timeout(limits.read_timeout);
    }
  }

  // A timeout that fired at the completion deadline is that, not a read timeout
  // (and is never retried).
  FetchError past_completion(FetchError error) const {
    if (!completion_deadline || error.cause != beast::error::timeout || Clock::now() < *completion_deadline) {
      return error;
    }
    const auto seconds = limits.response_completion_timeout->count();
    return make_error(FailureKind::response_completion_timeout, Phase::response,
                      "the origin's response did not complete within the ResponseCompletionTimeout of " +
                          std::to_string(seconds) + (seconds == 1 ? " second" : " seconds") + " (" +
                          std::to_string(body_received) + " body bytes received)",
                      error.cause);
  }

  // A connection (pooled when allowed, else new) with the request head written.
  // A pooled connection whose write fails was dead: replaced by a new one.
  asio::awaitable<std::optional<FetchError>> connect_and_send(bool allow_pooled) {
    for (;;) {
      std::unique_ptr<Connection> candidate = allow_pooled ? pool->checkout() : nullptr;
      const bool reused = candidate != nullptr;
      if (reused) {
        ++pool->reused;
      } else {
        auto opened = co_await open_new();
        if (!opened) co_return std::move(opened).error();
        candidate = std::move(opened).value();
      }
      connection = std::move(candidate);
      ++pool->active;
      info.connection_reused = reused;
      info.remote = connection->remote();
      if (connection->negotiated) info.tls_negotiated = connection->negotiated;
      ++info.tries;
      ++connection->exchanges;
      response_bytes_seen = false;
      first_byte_marked = false;

      // The head goes out at once when the socket takes it (almost always).
      // Awaited here rather than through write_all(): no frame of its own.
      boost::system::error_code ec;
      std::array<asio::const_buffer, 1> head_buffer{asio::buffer(head_bytes)};
      std::span<asio::const_buffer> rest(head_buffer);
      if (send_now(rest, ec)) {
        co_await connection->tls_stream()->async_flush(asio::redirect_error(asio::use_awaitable, ec));
      }
      if (!ec && !rest.empty()) {
        co_await start_write(rest, ec);
      }
      auto written = write_result(ec, false);
      if (written && request_chunked && body_finished && body_sent == 0) {
        written = co_await write_all(asio::buffer("0\r\n\r\n", 5), true);  // replaying an empty chunked body
      }
      if (written) co_return std::nullopt;
      release(false);
      // Any method: an origin that did not take the whole head has no request
      // to act on, so sending it again on a new connection cannot repeat it.
      if (reused && !info.stale_retry && is_dead_connection(written.error())) {
        note_stale_retry();
        allow_pooled = false;
        continue;
      }
      co_return std::move(written).error();
    }
  }

  asio::awaitable<base::Expected<std::unique_ptr<Connection>, FetchError>> open_new() {
    const auto tls_config = pool->connection_tls_config();
    auto opened =
        co_await open_connection(pool->endpoint(), limits.connect, tls_config ? &*tls_config : nullptr);
    info.connect_attempts += opened.connect_attempts;
    info.timings.dns = opened.timings.dns;
    info.timings.connect = opened.timings.connect;
    info.timings.tls = opened.timings.tls;
    if (opened.remote) info.remote = opened.remote;
    if (opened.connection && opened.connection->negotiated) {
      info.tls_negotiated = opened.connection->negotiated;
    } else if (opened.negotiated) {  // a failed handshake: what was agreed before it failed
      opened.negotiated->certificate_chain.clear();
      info.tls_negotiated = std::make_shared<const tls::Negotiated>(std::move(*opened.negotiated));
    }
    if (opened.error) {
      if (opened.error->phase == Phase::tls_handshake) pool->forget_session();
      co_return base::unexpected(std::move(*opened.error));
    }
    ++pool->opened;
    if (tls_config) {
      ++(connection_resumed(*opened.connection) ? pool->tls_resumed : pool->tls_full);
      pool->remember_session(std::move(opened.session));
    }
    opened.connection->id = pool->next_connection_id();
    co_return std::move(opened.connection);
  }

  static bool connection_resumed(const Connection& c) { return c.negotiated && c.negotiated->resumed; }

  void note_stale_retry() {
    info.stale_retry = true;
    ++pool->stale_retries;
  }

  // The write of all of `buffers` under the exchange's timeouts: not a
  // coroutine, it returns the operation's awaitable (no frame of its own on
  // the request head's path); write_result() names its error.
  template <class Buffers>
  asio::awaitable<std::size_t> start_write(const Buffers& buffers, boost::system::error_code& ec) {
    arm_timeouts();
    return asio::async_write(*connection, buffers, asio::redirect_error(asio::use_awaitable, ec));
  }

  VoidResult write_result(const boost::system::error_code& ec, bool body) {
    if (ec) return base::unexpected(past_completion(write_error(ec, connection->tls_error(), body)));
    return VoidResult{};
  }

  // Sends what the socket takes now, without an operation (net/send_now.hpp),
  // and drops it from `rest`. True when TLS records are left that the caller
  // must await with async_flush() (timeouts armed) before writing `rest`.
  bool send_now(std::span<asio::const_buffer>& rest, boost::system::error_code& ec) {
    net::consume_front(rest, connection->write_now(rest, ec));
    const net::TlsStream* const tls = connection->tls_stream();
    if (ec || tls == nullptr || !tls->flush_pending()) return false;
    arm_timeouts();
    return true;
  }

  // A body piece (or the last chunk): the fast path, then an operation for the rest.
  template <class Buffers>
  asio::awaitable<VoidResult> write_all(const Buffers& buffers, bool body) {
    boost::container::small_vector<asio::const_buffer, 4> pieces(asio::buffer_sequence_begin(buffers),
                                                                 asio::buffer_sequence_end(buffers));
    std::span<asio::const_buffer> rest(pieces.data(), pieces.size());
    boost::system::error_code ec;
    if (send_now(rest, ec)) {
      co_await connection->tls_stream()->async_flush(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (!ec && !rest.empty()) {
      co_await start_write(rest, ec);
    }
    co_return write_result(ec, body);
  }

  void mark_first_byte() {
    if (first_byte_marked) return;
    first_byte_marked = true;
    connection->transport().mark_first_byte_start();
  }

  FetchError fail(FetchError error) {
    failed = true;
    release(false);
    return error;
  }

  asio::awaitable<VoidResult> write_body(std::span<const std::uint8_t> data) {
    if (failed || body_write_failed || !connection) co_return base::unexpected(closed_error());
    if (body_finished) {
      co_return base::unexpected(make_error(FailureKind::invalid_request, Phase::request,
                                            request_chunked || request_content_length
                                                ? "the request body was already finished"
                                                : "the request head declares no body"));
    }
    if (data.empty()) co_return VoidResult{};
    if (request_content_length && body_sent + data.size() > *request_content_length) {
      co_return base::unexpected(make_error(FailureKind::invalid_request, Phase::request,
                                            "the request body exceeds its Content-Length of " +
                                                std::to_string(*request_content_length) + " bytes"));
    }
    for (;;) {
      VoidResult written;
      if (request_chunked) {
        std::array<char, 24> size_line{};
        const int length = std::snprintf(size_line.data(), size_line.size(), "%zx\r\n", data.size());
        const std::array<asio::const_buffer, 3> chunk = {
            asio::buffer(size_line.data(), static_cast<std::size_t>(length)),
            asio::buffer(data.data(), data.size()), asio::buffer("\r\n", 2)};
        written = co_await write_all(chunk, true);
      } else {
        written = co_await write_all(asio::buffer(data.data(), data.size()), true);
      }
      if (written) break;
      // The first body write on a pooled connection can be the first to see
      // that the origin had closed it: nothing was streamed yet, so replay a
      // GET or HEAD. Not another method: the origin had the whole head and may
      // have acted on it, or answered (a 201 from the head alone, then a reset).
      if (info.connection_reused && !info.stale_retry && replayable() && stale_retry_allowed() &&
          is_dead_connection(written.error())) {
        release(false);
        note_stale_retry();
        if (auto error = co_await connect_and_send(false))
          co_return base::unexpected(fail(std::move(*error)));
        continue;
      }
      if (is_dead_connection(written.error())) {
        // An origin may answer before it has read the whole body (413, 403)
        // and close: its answer can still be waiting to be read, so the
        // connection stays open for read_response_head() (never reused).
        body_write_failed = true;
        co_return base::unexpected(std::move(written).error());
      }
      co_return base::unexpected(fail(std::move(written).error()));
    }
    body_sent += data.size();
    co_return VoidResult{};
  }

  asio::awaitable<VoidResult> finish_body() {
    if (body_finished) co_return VoidResult{};
    if (failed || body_write_failed || !connection) co_return base::unexpected(closed_error());
    if (request_chunked) {
      auto written = co_await write_all(asio::buffer("0\r\n\r\n", 5), true);
      if (!written) {
        // As in write_body(): an origin that answered before the last chunk
        // (a 413 from the head, then a close) is still to be read.
        if (is_dead_connection(written.error())) {
          body_write_failed = true;
          co_return base::unexpected(std::move(written).error());
        }
        co_return base::unexpected(fail(std::move(written).error()));
      }
    } else if (body_sent != request_content_length.value_or(0)) {
      co_return base::unexpected(make_error(FailureKind::invalid_request, Phase::request,
                                            "the request body ended after " + std::to_string(body_sent) +
                                                " of its " + std::to_string(*request_content_length) +
                                                " Content-Length bytes"));
    }
    body_finished = true;
    mark_first_byte();
    co_return VoidResult{};
  }

  FetchError closed_error() const {
    return make_error(FailureKind::internal_error, Phase::request, "the exchange already failed or ended");
  }

  // Puts the buffered response bytes into the parser: need_more while the
  // head is incomplete. A head that arrived in one TLS record is parsed where
  // the engine decrypted it; one split across records is gathered in the
  // buffer. Bytes after the head stay where they are (buffer or engine) for
  // the body reads.
  boost::system::error_code parse_buffered_head() {
    auto& buffer = connection->buffer();
    net::TlsStream* const tls = connection->tls_stream();
    boost::system::error_code ec = http::error::need_more;
    if (tls != nullptr && !tls->engine().readable().empty()) {
      auto readable = tls->engine().readable();
      if (buffer.size() == 0) {
        const std::size_t used = parser->put(asio::buffer(readable.data(), readable.size()), ec);
        tls->engine().consume_readable(used);
        response_head_size += used;
        if (ec != http::error::need_more) return ec;
        readable = tls->engine().readable();
      }
      if (readable.size() > buffer.max_size() - buffer.size()) return http::error::buffer_overflow;
      buffer.commit(
          asio::buffer_copy(buffer.prepare(readable.size()), asio::buffer(readable.data(), readable.size())));
      tls->engine().consume_readable(readable.size());
    }
    if (buffer.size() > 0) {
      const std::size_t used = parser->put(buffer.data(), ec);
      buffer.consume(used);
      response_head_size += used;
    }
    return ec;
  }

  // A fresh parser for the next head (a final one, or a 1xx before it).
  void start_head() {
    parser.emplace(response);
    response_head_size = 0;
    // Any size streams through; not boost::none: Beast 1.74 compares a
    // Content-Length against an empty optional as "exceeded".
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    parser->header_limit(kMaxResponseHeaderBytes);
    if (method == "HEAD") parser->skip(true);
  }

  // What the read of one head came to: the error that ended it, or nullopt
  // with `interim` set for a 1xx to skip, or clear for the final head.
  std::optional<FetchError> judge_head(boost::system::error_code ec, int& continues, int& interims,
                                       bool& interim) {
    interim = false;
    // HTTP bytes, not transport bytes: a TLS close_notify is no response.
    if (parser->got_some() || connection->buffer().size() > 0) response_bytes_seen = true;
    // Beast's header_limit lets a head run a line or two past it: the CDN's
    // limit is exact (the bytes every put() of this head took).
    if (!ec && response_head_size > kMaxResponseHeaderBytes) ec = http::error::header_limit;
    if (ec == http::error::bad_transfer_encoding && !parser->unsupported_coding().empty()) {
      return past_completion(unsupported_transfer_coding(parser->unsupported_coding()));
    }
    if (ec == http::error::bad_status && parser->rejected_status()) {
      return past_completion(status_without_class(*parser->rejected_status()));
    }
    if (ec) {
      ReadContext context;
      context.first_byte_received = response_bytes_seen;
      context.read_timeout = limits.read_timeout;
      context.tls = connection->tls_error();
      context.hello_requests_ignored = connection->hello_requests_ignored();
      context.first_content_length = parser->first_content_length();
      const auto unparsed = connection->buffer().data();
      context.unparsed = {static_cast<const std::uint8_t*>(unparsed.data()), unparsed.size()};
      return past_completion(read_error(ec, context));
    }
    const unsigned status = response.status;
    if (status == 101) {
      if (!websocket_upgrade) {
        return make_error(FailureKind::invalid_response, Phase::response,
                          "the origin switched protocols (101) although no upgrade was requested");
      }
      if (!completes_websocket_handshake(response)) {
        return make_error(
            FailureKind::invalid_response, Phase::response,
            "the origin's 101 does not complete the WebSocket handshake that was requested "
            "(RFC 6455 4.1: HTTP/1.1, Upgrade exactly \"websocket\", Connection listing upgrade)");
      }
      return std::nullopt;  // the final head: the connection becomes a tunnel
    }
    if (status >= 100 && status < 200) {
      // Interim responses: the CDN tolerates one 100 Continue (facts 4.1).
      if (status == 100 && ++continues > 1) {
        return make_error(FailureKind::invalid_response, Phase::response,
                          "the origin sent more than one 100 Continue");
      }
      if (++interims > kMaxInterimResponses) return too_many_interim_responses();
      interim = true;
    }
    return std::nullopt;
  }

  // One coroutine for the whole head: each nested coroutine was a frame and a
  // resumption per request.
  asio::awaitable<base::Expected<const ResponseHead*, FetchError>> read_response_head() {
    if (head_done) co_return &response;
    if (failed || !connection) co_return base::unexpected(closed_error());
    int timeouts = 0;
    for (;;) {
      mark_first_byte();
      std::optional<FetchError> error;
      int continues = 0;
      int interims = 0;
      arm_timeouts();
      for (bool interim = true; interim && !error;) {
        start_head();
        // Beast's async_read_header, without its two composed operations per
        // read and without copying TLS plaintext into the buffer. Errors as
        // Beast's: end_of_stream for EOF before a byte, partial_message for
        // EOF inside the head, header_limit, buffer_overflow, or the transport's.
        boost::system::error_code ec;
        while ((ec = parse_buffered_head()) == http::error::need_more) {
          ec = {};
          // The first byte is an HTTP byte (TLS plaintext), not a record:
          // TLS 1.3 tickets arrive before any answer.
          if (net::TlsStream* const tls = connection->tls_stream(); tls != nullptr) {
            co_await tls->async_fill(asio::redirect_error(asio::use_awaitable, ec));
            if (!tls->engine().readable().empty()) connection->transport().note_response_byte();
          } else {
            auto& buffer = connection->buffer();
            const std::size_t room = std::min(Connection::kReadSize, buffer.max_size() - buffer.size());
            if (room == 0) {
              ec = http::error::buffer_overflow;
              break;
            }
            const std::size_t n = co_await connection->async_read_some(
                buffer.prepare(room), asio::redirect_error(asio::use_awaitable, ec));
            buffer.commit(n);
            if (n > 0) connection->transport().note_response_byte();
          }
          if (ec == asio::error::eof) {
            // Every byte so far went through put(), so got_some() says whether any came.
            if (parser->got_some()) {
              parser->put_eof(ec);  // inside the head: partial_message
            } else {
              ec = http::error::end_of_stream;
            }
          }
          if (ec) break;
        }
        error = judge_head(ec, continues, interims, interim);
      }
      if (!error) break;
      // GET/HEAD: the CDN drops a silent connection and tries again (facts 1.6).
      const bool silent = error->kind == FailureKind::read_timeout && !response_bytes_seen;
      const bool retry_timeout =
          silent && is_retryable_method(method) && replayable() && ++timeouts < limits.connect.attempts;
      // A pooled connection the origin had closed: replay a GET or HEAD on a
      // fresh one (stale_retry_allowed() says why no other method).
      const bool retry_stale = info.connection_reused && !info.stale_retry && !response_bytes_seen &&
                               replayable() && stale_retry_allowed() && is_dead_connection(*error);
      if (!retry_timeout && !retry_stale) {
        if (silent) note_silent_tries(*error, timeouts);
        co_return base::unexpected(fail(std::move(*error)));
      }
      release(false);
      if (retry_stale) note_stale_retry();
      if (auto reconnect_error = co_await connect_and_send(false)) {
        co_return base::unexpected(fail(std::move(*reconnect_error)));
      }
    }

    // The parser wrote the status line and fields into `response`.
    const auto length = parser->content_length();
    response.content_length = length ? std::optional<std::uint64_t>(*length) : std::nullopt;
    response.chunked = parser->chunked();
    response.has_body = !parser->is_done();
    response.keep_alive = parser->keep_alive();
    head_done = true;
    if (!response.has_body) response_complete = true;
    auto& transport = connection->transport();
    transport.note_response_byte();  // a head parsed from bytes already buffered: at the latest now
    if (transport.first_byte_at() && transport.first_byte_mark()) {
      info.timings.first_byte = *transport.first_byte_at() - *transport.first_byte_mark();
    }
    info.timings.total = Clock::now() - started;
    co_return &response;
  }

  // Before a body read: an error, false when the response is already complete,
  // true when there is more to read.
  base::Expected<bool, FetchError> body_may_continue() const {
    if (!head_done) {
      return base::unexpected(
          make_error(FailureKind::invalid_request, Phase::response, "read_response_head() comes first"));
    }
    if (response_complete) return false;
    if (failed || !connection) return base::unexpected(closed_error());
    return true;
  }

  // Once the parser is done the response is complete; one delimited by EOF
  // leaves the connection unusable.
  bool complete_if_done() {
    if (!parser->is_done()) return false;
    if (parser->need_eof()) eof_delimited = true;
    response_complete = true;
    return true;
  }

  asio::awaitable<base::Expected<std::size_t, FetchError>> read_body(std::span<std::uint8_t> out) {
    const auto go_on = body_may_continue();
    if (!go_on) co_return base::unexpected(go_on.error());
    if (!*go_on) co_return std::size_t{0};
    if (out.empty()) {
      co_return base::unexpected(
          make_error(FailureKind::invalid_request, Phase::response, "read_body() needs a non-empty buffer"));
    }
    arm_timeouts();
    for (;;) {
      if (complete_if_done()) co_return std::size_t{0};
      parser->set_body_buffer(out);
      boost::system::error_code ec;
      co_await http::async_read_some(*connection, connection->buffer(), *parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::need_buffer) ec = {};
      const std::size_t n = out.size() - parser->body_space();
      body_received += n;
      if (ec && !accept_tls_eof(ec)) co_return base::unexpected(fail(body_read_error(ec)));
      if (complete_if_done() && n == 0) co_return std::size_t{0};
      if (n > 0) co_return n;
    }
  }

  // read_body() without copying: the next piece of body where it lies, in the
  // TLS engine's plaintext or in the connection's buffer. A body used to be
  // copied from the engine into the connection's buffer and from there into
  // the caller's; for a 64 KiB response that was a quarter of the proxy's work.
  asio::awaitable<base::Expected<std::span<const std::uint8_t>, FetchError>> read_body_view() {
    using View = std::span<const std::uint8_t>;
    if (deferred_error) co_return base::unexpected(fail_deferred());
    const auto go_on = body_may_continue();
    if (!go_on) co_return base::unexpected(go_on.error());
    if (!*go_on) co_return View{};
    arm_timeouts();
    auto& buffer = connection->buffer();
    net::TlsStream* const tls = connection->tls_stream();
    for (;;) {
      if (complete_if_done()) co_return View{};
      boost::system::error_code ec;
      std::size_t used = 0;
      parser->start_body_view();
      if (buffer.size() > 0) {
        used = parser->put(buffer.data(), ec);
        buffer.consume(used);  // only moves the read position: the view stays valid
      } else if (tls != nullptr && !tls->engine().readable().empty()) {
        used = put_plaintext(*tls, ec);
        if (ec == http::error::need_more) {
          // An element (a chunk header) split across records: gather it in the buffer.
          const auto rest = tls->engine().readable();
          buffer.commit(
              asio::buffer_copy(buffer.prepare(rest.size()), asio::buffer(rest.data(), rest.size())));
          tls->engine().consume_readable(rest.size());
        }
      }
      if (ec == http::error::need_buffer || ec == http::error::need_more) ec = {};
      if (ec) co_return base::unexpected(fail(body_read_error(ec)));
      if (const auto view = take_body_view()) co_return *view;
      if (used > 0 || parser->is_done()) continue;

      // The parser needs more bytes than are buffered (the TLS plaintext it
      // could not use is in the buffer by now). A bare LF there would make it
      // wait for a CRLF until the read timeout: the answer is invalid now.
      if (response.chunked &&
          chunk_framing_has_bare_lf({static_cast<const char*>(buffer.data().data()), buffer.size()})) {
        co_return base::unexpected(fail(bare_lf_in_chunk_framing(body_received)));
      }
      if (tls != nullptr && buffer.size() == 0) {
        co_await tls->async_fill(asio::redirect_error(asio::use_awaitable, ec));
      } else {
        const std::size_t room = std::min(Connection::kReadSize, buffer.max_size() - buffer.size());
        if (room == 0) co_return base::unexpected(fail(body_read_error(http::error::buffer_overflow)));
        const std::size_t n = co_await connection->async_read_some(
            buffer.prepare(room), asio::redirect_error(asio::use_awaitable, ec));
        buffer.commit(n);
      }
      if (ec == asio::error::eof) parser->put_eof(ec);  // ends an EOF-delimited body, or partial_message
      if (ec && !accept_tls_eof(ec)) co_return base::unexpected(fail(body_read_error(ec)));
    }
  }

  // Puts the TLS engine's plaintext into the parser and consumes what it
  // used; the plaintext stays in place until the next read, so a body view
  // into it stays valid.
  std::size_t put_plaintext(net::TlsStream& tls, boost::system::error_code& ec) {
    const auto readable = tls.engine().readable();
    const std::size_t used = parser->put(asio::buffer(readable.data(), readable.size()), ec);
    tls.engine().consume_readable(used);
    return used;
  }

  // The piece of body the last put() found, counted. With the last piece the
  // response is complete: body_complete() says so without another call.
  std::optional<std::span<const std::uint8_t>> take_body_view() {
    const auto view = parser->body_view();
    if (view.empty()) return std::nullopt;
    body_received += view.size();
    complete_if_done();
    return view;
  }

  // Reports the error body_view_now() kept (see there).
  FetchError fail_deferred() {
    FetchError error = std::move(*deferred_error);
    deferred_error.reset();
    return fail(std::move(error));
  }

  // The next piece of body when the TLS engine already holds it decrypted:
  // no read, no timer, and nothing that moves the pieces handed out before
  // (the engine opens each record in place, behind the previous one), so a
  // caller can send several records' worth in one write. std::nullopt when
  // read_body_view() has to go on: the body needs a read, a piece must be
  // gathered in the buffer (a chunk header split across records), the body
  // ended, or it failed (the error is kept for read_body_view(): failing now
  // would close the connection under the pieces not yet written).
  std::optional<std::span<const std::uint8_t>> body_view_now() {
    if (!head_done || response_complete || failed || deferred_error || !connection) return std::nullopt;
    net::TlsStream* const tls = connection->tls_stream();
    if (tls == nullptr || connection->buffer().size() > 0) return std::nullopt;
    while (!complete_if_done()) {
      if (tls->engine().readable().empty()) return std::nullopt;
      boost::system::error_code ec;
      parser->start_body_view();
      const std::size_t used = put_plaintext(*tls, ec);
      if (ec == http::error::need_more) return std::nullopt;  // read_body_view() gathers the rest
      if (ec && ec != http::error::need_buffer) {
        deferred_error = body_read_error(ec);
        return std::nullopt;
      }
      if (const auto view = take_body_view()) return view;
      if (used == 0) return std::nullopt;
    }
    return std::nullopt;
  }

  bool body_bytes_arrived() const {
    if (!head_done || response_complete || failed || !connection) return false;
    if (connection->buffer().size() > 0) return true;
    const net::TlsStream* const tls = connection->tls_stream();
    return tls != nullptr && !tls->engine().readable().empty();
  }

  // A failed read of the body (after the head), named for the viewer.
  FetchError body_read_error(const boost::system::error_code& ec) const {
    ReadContext context;
    context.first_byte_received = true;
    context.head_received = true;
    context.body_bytes = body_received;
    context.read_timeout = limits.read_timeout;
    context.tls = connection->tls_error();
    context.hello_requests_ignored = connection->hello_requests_ignored();
    return past_completion(read_error(ec, context));
  }

  // TCP EOF without close_notify ends a body delimited by EOF: accepted (as
  // browsers and the CDN must); the connection is not reused either way.
  bool accept_tls_eof(const boost::system::error_code& ec) {
    if (net::tls_error_code(ec) != tls::ErrorCode::unexpected_eof) return false;
    if (!parser->need_eof() || parser->content_length() || parser->chunked()) return false;
    boost::system::error_code eof_ec;
    parser->put_eof(eof_ec);
    if (eof_ec) return false;
    eof_delimited = true;
    info.body_end_unverified = true;
    return true;
  }

  std::shared_ptr<Pool> pool;
  ExchangeLimits limits;  // the endpoint itself is the pool's
  std::chrono::seconds keepalive_timeout;
  std::string method;
  std::string head_bytes;
  std::optional<std::uint64_t> request_content_length;
  bool request_chunked = false;
  bool websocket_upgrade = false;  // a 101 completing the handshake is then the final head
  Clock::time_point started;
  std::optional<Clock::time_point> completion_deadline;  // started + ResponseCompletionTimeout

  std::unique_ptr<Connection> connection;
  ResponseHead response;                 // written by the parser
  std::optional<ResponseParser> parser;  // holds a reference to `response`
  ExchangeInfo info;
  std::uint64_t body_sent = 0;
  std::uint64_t body_received = 0;
  bool body_finished = false;
  bool head_done = false;
  bool response_complete = false;
  bool response_bytes_seen = false;
  bool first_byte_marked = false;
  bool eof_delimited = false;
  std::size_t response_head_size = 0;  // of the head being parsed, once complete
  bool failed = false;
  bool body_write_failed = false;            // the origin went away mid-body; its answer may still be read
  std::optional<FetchError> deferred_error;  // found by body_view_now(), reported by read_body_view()
};

Exchange::Exchange(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Exchange::~Exchange() = default;

asio::awaitable<base::Expected<void, FetchError>> Exchange::write_body(std::span<const std::uint8_t> data) {
  return impl_->write_body(data);
}
asio::awaitable<base::Expected<void, FetchError>> Exchange::finish_body() {
  return impl_->finish_body();
}
asio::awaitable<base::Expected<const ResponseHead*, FetchError>> Exchange::read_response_head() {
  return impl_->read_response_head();
}
asio::awaitable<base::Expected<std::size_t, FetchError>> Exchange::read_body(std::span<std::uint8_t> out) {
  return impl_->read_body(out);
}

asio::awaitable<base::Expected<std::span<const std::uint8_t>, FetchError>> Exchange::read_body_view() {
  return impl_->read_body_view();
}
std::optional<std::span<const std::uint8_t>> Exchange::body_view_now() {
  return impl_->body_view_now();
}
const ExchangeInfo& Exchange::info() const {
  return impl_->info;
}
std::uint64_t Exchange::body_bytes_sent() const {
  return impl_->body_sent;
}
std::uint64_t Exchange::body_bytes_received() const {
  return impl_->body_received;
}

base::Expected<std::unique_ptr<OriginTunnel>, FetchError> Exchange::take_tunnel() {
  Impl& exchange = *impl_;
  if (!exchange.head_done || exchange.response.status != 101 || !exchange.websocket_upgrade ||
      exchange.failed || !exchange.connection) {
    return base::unexpected(make_error(FailureKind::invalid_request, Phase::response,
                                       "take_tunnel() needs a 101 answering a WebSocket upgrade"));
  }
  // The pool still counts the connection as active until the tunnel ends.
  return std::make_unique<OriginTunnel>(
      std::make_unique<OriginTunnel::Impl>(exchange.pool, std::move(exchange.connection)));
}

bool Exchange::body_complete() const {
  return impl_->response_complete;
}
bool Exchange::body_bytes_arrived() const {
  return impl_->body_bytes_arrived();
}

OriginClient::OriginClient(asio::any_io_executor executor, Options options)
    : state_(std::make_shared<State>(std::move(executor), options)) {}

OriginClient::~OriginClient() {
  for (auto& [key, pool] : state_->pools) {
    pool->stop_accepting();
    pool->close_idle();
  }
}

asio::awaitable<base::Expected<std::unique_ptr<Exchange>, FetchError>> OriginClient::send(
    const Target& target, RequestHead head, ExchangeInfo* failed_attempt) {
  if (auto valid = validate(target.config); !valid) {
    co_return base::unexpected(make_error(FailureKind::invalid_config, Phase::setup, valid.error()));
  }
  auto bytes = serialize_request_head(head);
  if (!bytes) co_return base::unexpected(std::move(bytes).error());
  auto pool = state_->pool_for(target);
  if (!pool) co_return base::unexpected(std::move(pool).error());

  auto impl =
      std::make_unique<Exchange::Impl>(std::move(pool).value(), target, head, std::move(bytes).value());
  if (auto error = co_await impl->connect_and_send(true)) {
    impl->failed = true;
    impl->info.timings.total = Clock::now() - impl->started;
    if (failed_attempt != nullptr) *failed_attempt = impl->info;
    co_return base::unexpected(std::move(*error));
  }
  if (impl->body_finished) impl->mark_first_byte();
  co_return std::make_unique<Exchange>(std::move(impl));
}

std::vector<PoolStats> OriginClient::stats() const {
  std::vector<PoolStats> out;
  out.reserve(state_->pools.size());
  for (const auto& [key, pool] : state_->pools) out.push_back(pool->stats());
  return out;
}

void OriginClient::close_idle(bool draining) {
  if (draining) state_->draining = true;
  for (auto& [key, pool] : state_->pools) {
    if (draining) pool->stop_accepting();
    pool->close_idle();
  }
}

}  // namespace edgefetch::origin
