#include "edgefetch/origin/fetch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <limits>
#include <sstream>
#include <type_traits>

#include "connection.hpp"
#include "edgefetch/net/error.hpp"
#include "edgefetch/net/tcp_transport.hpp"
#include "edgefetch/net/tls_stream.hpp"
#include "edgefetch/net/url.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/error.hpp"
#include "errors.hpp"
#include "request_builder.hpp"
#include "response_parser.hpp"
#include "tls_setup.hpp"

namespace edgefetch::origin {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

std::string_view failure_kind_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::invalid_config:
      return "invalid_config";
    case FailureKind::dns_failure:
      return "dns_failure";
    case FailureKind::connection_refused:
      return "connection_refused";
    case FailureKind::connect_timeout:
      return "connect_timeout";
    case FailureKind::host_unreachable:
      return "host_unreachable";
    case FailureKind::connection_reset:
      return "connection_reset";
    case FailureKind::connect_failed:
      return "connect_failed";
    case FailureKind::tls:
      return "tls";
    case FailureKind::tls_handshake_timeout:
      return "tls_handshake_timeout";
    case FailureKind::write_failed:
      return "write_failed";
    case FailureKind::read_timeout:
      return "read_timeout";
    case FailureKind::connection_closed:
      return "connection_closed";
    case FailureKind::invalid_response:
      return "invalid_response";
    case FailureKind::response_headers_too_large:
      return "response_headers_too_large";
    case FailureKind::body_sink_failed:
      return "output_failed";
    case FailureKind::internal_error:
      return "internal_error";
    case FailureKind::invalid_request:
      return "invalid_request";
    case FailureKind::request_body_timeout:
      return "request_body_timeout";
    case FailureKind::response_completion_timeout:
      return "response_completion_timeout";
  }
  return "internal_error";
}

std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::setup:
      return "setup";
    case Phase::resolve:
      return "resolve";
    case Phase::connect:
      return "connect";
    case Phase::tls_handshake:
      return "tls_handshake";
    case Phase::request:
      return "request";
    case Phase::response:
      return "response";
  }
  return "setup";
}

std::string FetchError::code() const {
  if (kind == FailureKind::tls && tls) return std::string(tls::error_code_name(tls->code));
  return std::string(failure_kind_name(kind));
}

bool FetchError::is_timeout() const {
  return kind == FailureKind::connect_timeout || kind == FailureKind::tls_handshake_timeout ||
         kind == FailureKind::read_timeout || kind == FailureKind::request_body_timeout ||
         kind == FailureKind::response_completion_timeout;
}

int FetchError::cdn_status() const {
  // Facts 1.5/4.1: exhausted connection timeouts, unreachable origins and
  // response timeouts give 504; refusals, TLS and bad responses give 502.
  if (is_timeout() || kind == FailureKind::host_unreachable) return 504;
  return 502;
}

namespace {

class FetchRun {
 public:
  FetchRun(const OriginConfig& config, const Request& request, const BodySink& sink, FetchObserver* observer,
           FetchResult& result)
      : config_(config), request_(request), sink_(sink), observer_(observer), result_(result) {}

  // Everything before the first connection: validation and the TLS settings.
  bool prepare() {
    if (auto valid = validate(config_); !valid) {
      result_.error = make_error(FailureKind::invalid_config, Phase::setup, valid.error());
      return false;
    }
    if (auto valid = validate(request_); !valid) {
      result_.error = make_error(FailureKind::invalid_config, Phase::setup, valid.error());
      return false;
    }
    request_head_ = request_head(config_, request_);
    if (config_.protocol != net::Scheme::https) return true;

    result_.tls_used = true;
    result_.server_name = tls_server_name(config_, request_);
    auto tls_config = make_tls_config(config_, result_.server_name);
    if (!tls_config) {
      result_.error = std::move(tls_config).error();
      return false;
    }
    tls_config_ = std::move(tls_config).value();
    return true;
  }

  asio::awaitable<void> run() {
    const Clock::time_point resolve_started = Clock::now();
    auto resolution = co_await net::resolve(config_.domain_name, config_.port, config_.resolve_overrides,
                                            config_.address_families);
    result_.timings.dns =
        resolution.source == net::ResolveSource::dns ? resolution.elapsed : Clock::now() - resolve_started;
    result_.resolve_source = resolution.source;
    result_.addresses = resolution.endpoints;
    if (observer_) observer_->on_resolved(resolution);
    if (resolution.error) {
      result_.error = resolve_error(config_.domain_name, resolution, config_.address_families);
      co_return;
    }

    const bool idempotent_read = request_.method == "GET" || request_.method == "HEAD";
    const int max_tries = idempotent_read ? config_.connection_attempts : 1;
    for (int attempt = 1;; ++attempt) {
      result_.tries = attempt;
      co_await one_try();
      const bool silent_origin = result_.error && result_.error->kind == FailureKind::read_timeout &&
                                 result_.status == 0 && !received_any_;
      if (!silent_origin) {
        if (result_.error) note_earlier_silent_tries(*result_.error, attempt);
        break;
      }
      if (attempt >= max_tries) {
        note_silent_tries(*result_.error, attempt);
        break;
      }
      // The CDN drops the connection and tries again for GET/HEAD (facts 1.6).
      if (observer_) observer_->on_retry(attempt + 1, max_tries, *result_.error);
      result_.error.reset();
      result_.tls.reset();
      result_.remote.reset();
    }
  }

 private:
  asio::awaitable<void> one_try() {
    received_any_ = false;
    net::ConnectOptions options;
    options.timeout = config_.connection_timeout;
    options.attempts = config_.connection_attempts;
    const int max_attempts = config_.connection_attempts;
    auto connected =
        co_await net::connect(result_.addresses, options, [this, max_attempts](const net::ConnectAttempt& a) {
          if (observer_) observer_->on_connect_attempt(a, max_attempts);
        });
    result_.connect_attempts.insert(result_.connect_attempts.end(), connected.attempts.begin(),
                                    connected.attempts.end());
    result_.timings.connect = connected.elapsed;
    if (!connected.connected()) {
      result_.error = connect_error(connected, config_.connection_timeout);
      co_return;
    }
    result_.remote = connected.attempts.back().endpoint;
    net::TcpTransport transport(std::move(*connected.stream));

    if (!tls_config_) {
      co_await exchange(transport, transport);
      transport.close();
      co_return;
    }

    net::TlsStream stream(std::move(transport), *tls_config_);
    stream.next_layer().set_deadline(Clock::now() + config_.connection_timeout);
    const auto handshake_started = Clock::now();
    boost::system::error_code ec;
    co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, ec));
    result_.timings.tls = Clock::now() - handshake_started;
    result_.tls = stream.negotiated();
    if (ec) {
      handshake_failed(ec, stream);
      note_warning_alerts(stream.negotiated());
      if (observer_) {
        observer_->on_tls_handshake(stream.negotiated(), &*result_.error);
      }
      stream.next_layer().close();
      co_return;
    }
    if (observer_) observer_->on_tls_handshake(stream.negotiated(), nullptr);
    if (!config_.alpn.empty() && !stream.negotiated().alpn.empty() &&
        stream.negotiated().alpn != "http/1.1") {
      result_.warnings.push_back("the origin chose ALPN protocol '" + stream.negotiated().alpn +
                                 "', but edgefetch speaks HTTP/1.1");
    }

    co_await exchange(stream, stream.next_layer());
    // What came after the handshake, while the response was read.
    result_.tls->key_updates_received = stream.negotiated().key_updates_received;
    result_.tls->session_ticket_received = stream.negotiated().session_ticket_received;
    note_warning_alerts(stream.negotiated());
    if (const int requests = stream.negotiated().hello_requests_ignored; requests > 0) {
      result_.tls->hello_requests_ignored = requests;
      // A read timeout's message already says this.
      const bool timed_out = result_.error && result_.error->kind == FailureKind::read_timeout;
      if (!timed_out) {
        result_.warnings.push_back(ignored_hello_requests_text(requests));
      }
    }
    if (!stream.failed() && !stream.transport_eof()) {
      // Close cleanly, briefly: the response is complete either way.
      stream.next_layer().set_deadline(Clock::now() + std::chrono::seconds(2));
      co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    }
    stream.next_layer().close();
  }

  // Warning alerts the origin sent, in the handshake or the response: the
  // connection went on here, but may not at the edge (tls::warning_alerts_text).
  void note_warning_alerts(const tls::Negotiated& negotiated) {
    if (negotiated.warning_alerts.empty()) return;
    result_.tls->warning_alerts = negotiated.warning_alerts;
    const std::string sni = net::is_ip_literal(result_.server_name) ? std::string() : result_.server_name;
    result_.warnings.push_back(tls::warning_alerts_text(negotiated.warning_alerts, sni));
  }

  void handshake_failed(const boost::system::error_code& ec, const net::TlsStream& stream) {
    result_.error = handshake_error(ec, stream.tls_error(), config_.connection_timeout);
  }

  template <class Stream>
  void read_failed(const boost::system::error_code& ec, const Stream& stream,
                   const net::TcpTransport& transport, const beast::flat_buffer& unparsed,
                   std::string_view first_content_length = {}) {
    ReadContext context;
    context.first_content_length = first_content_length;
    context.unparsed = {static_cast<const std::uint8_t*>(unparsed.data().data()), unparsed.size()};
    context.first_byte_received = transport.first_byte_at().has_value();
    context.head_received = result_.status != 0;
    context.body_bytes = result_.body_bytes;
    context.read_timeout = config_.read_timeout;
    if constexpr (std::is_same_v<Stream, net::TlsStream>) {
      context.tls = &stream.tls_error();
      context.hello_requests_ignored = stream.negotiated().hello_requests_ignored;
    }
    result_.error = read_error(ec, context);
  }

  // Beast's async_read_header, but the head's size is known exactly (Beast's
  // header_limit lets a head run a line or two past it): the head's bytes, or
  // 0 with `ec` set. Errors as Beast's: end_of_stream for EOF before a byte,
  // partial_message for EOF inside the head, header_limit, or the transport's.
  template <class Stream>
  static asio::awaitable<std::size_t> read_head(Stream& stream, net::TcpTransport& transport,
                                                beast::flat_buffer& buffer, ResponseParser& parser,
                                                boost::system::error_code& ec) {
    std::size_t head_size = 0;  // put() may take the status line before the fields have all come
    for (;;) {
      if (buffer.size() > 0) {
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        head_size += used;
        if (!ec && parser.is_header_done()) co_return head_size;
        if (ec != http::error::need_more) co_return 0;
      }
      ec = {};
      const std::size_t room = std::min(Connection::kReadSize, buffer.max_size() - buffer.size());
      if (room == 0) {
        ec = http::error::buffer_overflow;
        co_return 0;
      }
      const std::size_t n = co_await stream.async_read_some(buffer.prepare(room),
                                                            asio::redirect_error(asio::use_awaitable, ec));
      buffer.commit(n);
      if (n > 0) transport.note_response_byte();  // HTTP bytes (TLS plaintext), not records
      if (ec == asio::error::eof) {
        if (parser.got_some()) {
          parser.put_eof(ec);
        } else {
          ec = http::error::end_of_stream;
        }
      }
      if (ec) co_return 0;
    }
  }

  // Beast's async_read of a body into the parser's buffer, with one check
  // between reads: a bare LF in chunked framing would make Beast wait for a
  // CRLF until the read timeout (chunk_framing_has_bare_lf()). Returns with
  // body bytes in the parser's buffer, the message done, or `ec` set;
  // `bare_lf` when the framing was refused (with `ec` set to bad_chunk).
  template <class Stream>
  static asio::awaitable<void> read_body_some(Stream& stream, beast::flat_buffer& buffer,
                                              ResponseParser& parser, boost::system::error_code& ec,
                                              bool& bare_lf) {
    const std::size_t space = parser.body_space();
    for (;;) {
      if (buffer.size() > 0) {
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == http::error::need_buffer) ec = {};
        if (ec && ec != http::error::need_more) co_return;
        ec = {};
        if (parser.is_done() || parser.body_space() < space) co_return;
        if (used > 0) continue;
        if (parser.chunked() &&
            chunk_framing_has_bare_lf({static_cast<const char*>(buffer.data().data()), buffer.size()})) {
          bare_lf = true;
          ec = http::error::bad_chunk;
          co_return;
        }
      }
      const std::size_t room = std::min(Connection::kReadSize, buffer.max_size() - buffer.size());
      if (room == 0) {
        ec = http::error::buffer_overflow;
        co_return;
      }
      buffer.commit(co_await stream.async_read_some(buffer.prepare(room),
                                                    asio::redirect_error(asio::use_awaitable, ec)));
      if (ec == asio::error::eof) parser.put_eof(ec);  // ends an EOF-delimited body, or partial_message
      if (ec || parser.is_done()) co_return;
    }
  }

  template <class Stream>
  asio::awaitable<void> exchange(Stream& stream, net::TcpTransport& transport) {
    transport.set_idle_timeout(config_.read_timeout);
    result_.request_head = request_head_;
    auto message = build_request(config_, request_);
    boost::system::error_code ec;
    co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      const tls::Error* tls_error = nullptr;
      if constexpr (std::is_same_v<Stream, net::TlsStream>) tls_error = &stream.tls_error();
      // A head fits in the socket's buffer: a write that stalls with a body stalls in the body.
      result_.error = write_error(ec, tls_error, !request_.body.empty());
      co_return;
    }
    transport.mark_first_byte_start();
    if (observer_) observer_->on_request_sent(request_head_);

    // Reads and buffers as the edge's origin connections do.
    beast::flat_buffer buffer{Connection::kBufferLimit};
    // The edge's own parser (response_parser.hpp): the same grammar, limits
    // and refusals as serve's origin connections, and the fields in the order
    // they came (Beast's fields put a repeated one next to its first).
    ResponseHead head;
    std::optional<ResponseParser> parser;
    int continues = 0;
    int interims = 0;
    while (true) {
      parser.emplace(head);
      // A fetch tool streams any size to its sink. Not boost::none: Beast 1.74
      // compares a Content-Length against an empty optional as "exceeded".
      parser->body_limit(std::numeric_limits<std::uint64_t>::max());
      parser->header_limit(kMaxResponseHeaderBytes);
      if (request_.method == "HEAD") parser->skip(true);
      const std::size_t head_bytes = co_await read_head(stream, transport, buffer, *parser, ec);
      if (!ec && head_bytes > kMaxResponseHeaderBytes) ec = http::error::header_limit;
      if (transport.first_byte_at()) {
        received_any_ = true;
        result_.timings.first_byte = *transport.first_byte_at() - *transport.first_byte_mark();
      }
      // Only the chunked transfer coding (facts 5.4), and only statuses with a class.
      if (ec == http::error::bad_transfer_encoding && !parser->unsupported_coding().empty()) {
        result_.error = unsupported_transfer_coding(parser->unsupported_coding());
        co_return;
      }
      if (ec == http::error::bad_status && parser->rejected_status()) {
        result_.error = status_without_class(*parser->rejected_status());
        co_return;
      }
      if (ec) {
        read_failed(ec, stream, transport, buffer, parser->first_content_length());
        co_return;
      }
      const unsigned status = head.status;
      if (status == 101) {
        // get asks for no upgrade (its -H refuses Upgrade): RFC 9110 15.2.2.
        result_.error = make_error(FailureKind::invalid_response, Phase::response,
                                   "the origin switched protocols (101) although no upgrade was requested "
                                   "(RFC 9110 15.2.2)");
        co_return;
      }
      if (status >= 100 && status < 200) {
        if (observer_) observer_->on_interim_response(head.version, status, head.reason, head.headers);
        // Interim responses: the CDN tolerates one 100 Continue (facts 4.1).
        if (status == 100 && ++continues > 1) {
          result_.error = make_error(FailureKind::invalid_response, Phase::response,
                                     "the origin sent more than one 100 Continue");
          co_return;
        }
        if (++interims > kMaxInterimResponses) {
          result_.error = too_many_interim_responses();
          co_return;
        }
        continue;
      }
      break;
    }

    result_.status = head.status;
    result_.reason = std::move(head.reason);
    result_.http_version = head.version;
    result_.headers = std::move(head.headers);
    if (observer_) {
      observer_->on_response_head(result_.http_version, result_.status, result_.reason, result_.headers);
    }

    std::vector<std::uint8_t> chunk(std::size_t{64} * 1024);
    while (!parser->is_done()) {
      parser->set_body_buffer(chunk);
      bool bare_lf = false;
      co_await read_body_some(stream, buffer, *parser, ec, bare_lf);
      const std::size_t n = chunk.size() - parser->body_space();
      if (n > 0) {
        result_.body_bytes += n;
        if (sink_ && !sink_(std::span<const std::uint8_t>(chunk.data(), n))) {
          result_.error = make_error(FailureKind::body_sink_failed, Phase::response,
                                     "the response body could not be written to the output");
          co_return;
        }
      }
      if (!ec) continue;
      if (bare_lf) {
        result_.error = bare_lf_in_chunk_framing(result_.body_bytes);
        co_return;
      }
      if constexpr (std::is_same_v<Stream, net::TlsStream>) {
        // TCP EOF without close_notify ends a body delimited by EOF: accept
        // it (as browsers and the CDN must), but say that it is unverifiable.
        if (net::tls_error_code(ec) == tls::ErrorCode::unexpected_eof && parser->need_eof() &&
            !parser->content_length() && !parser->chunked()) {
          boost::system::error_code eof_ec;
          parser->put_eof(eof_ec);
          if (!eof_ec) {
            result_.warnings.emplace_back(
                "the origin ended the body by closing the connection without close_notify; a truncated body "
                "cannot be told apart");
            break;
          }
        }
      }
      read_failed(ec, stream, transport, buffer);
      co_return;
    }
    result_.body_complete = true;
  }

  const OriginConfig& config_;
  const Request& request_;
  const BodySink& sink_;
  FetchObserver* observer_;
  FetchResult& result_;
  std::optional<tls::ClientConfig> tls_config_;
  std::string request_head_;
  bool received_any_ = false;
};

}  // namespace

asio::awaitable<FetchResult> async_fetch(OriginConfig config, Request request, BodySink sink,
                                         FetchObserver* observer) {
  FetchResult result;
  const auto started = Clock::now();
  FetchRun run(config, request, sink, observer, result);
  if (run.prepare()) {
    co_await run.run();
  }
  result.timings.total = Clock::now() - started;
  co_return result;
}

FetchResult fetch(const OriginConfig& config, const Request& request, BodySink sink,
                  FetchObserver* observer) {
  asio::io_context io;
  std::optional<FetchResult> result;
  std::exception_ptr failure;
  asio::co_spawn(io, async_fetch(config, request, std::move(sink), observer),
                 [&result, &failure](const std::exception_ptr& error, FetchResult value) {
                   failure = error;
                   if (!error) result = std::move(value);
                 });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace edgefetch::origin
