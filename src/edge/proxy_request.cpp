#include "proxy_request.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "edgefetch/edge/error_page.hpp"
#include "edgefetch/edge/http_fields.hpp"
#include "edgefetch/edge/request_checks.hpp"
#include "edgefetch/edge/request_id.hpp"
#include "edgefetch/edge/routing.hpp"
#include "edgefetch/net/send_now.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "websocket_relay.hpp"

namespace edgefetch::edge {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// Body bytes moved per read/write in either direction: the most one request
// holds in memory besides the bounded input buffer.
constexpr std::size_t kBodyChunk = std::size_t{64} * 1024;

// The buffer a request body goes through on its way to the origin (response
// bodies go from the origin connection's own buffers to the viewer). Not zero-filled: every byte sent is
// first written by a read, and zeroing 64 KiB was a memset per request (5% of the proxy's CPU on 1 KiB
// responses). A request's body buffer, from a small per-thread stock: a fresh 64 KiB allocation per request
// sat at the top of the heap and made malloc grow and trim it with brk() on every third request.
class BodyBuffer {
 public:
  BodyBuffer() {
    auto& stock = spares();
    if (stock.empty()) {
      bytes_ = std::make_unique_for_overwrite<Block>();
    } else {
      bytes_ = std::move(stock.back());
      stock.pop_back();
    }
  }
  ~BodyBuffer() {
    auto& stock = spares();
    if (stock.size() < kMaxSpares) stock.push_back(std::move(bytes_));
  }
  BodyBuffer(const BodyBuffer&) = delete;
  BodyBuffer& operator=(const BodyBuffer&) = delete;

  [[nodiscard]] std::uint8_t* data() const { return bytes_->data(); }
  [[nodiscard]] static constexpr std::size_t size() { return kBodyChunk; }

 private:
  using Block = std::array<std::uint8_t, kBodyChunk>;  // default-initialized: not zeroed
  static constexpr std::size_t kMaxSpares = 32;        // 2 MiB kept at most
  static std::vector<std::unique_ptr<Block>>& spares() {
    thread_local std::vector<std::unique_ptr<Block>> stock;
    return stock;
  }
  std::unique_ptr<Block> bytes_;
};

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

double seconds_of(const std::optional<origin::Duration>& d) {
  return d ? std::chrono::duration<double>(*d).count() : -1.0;
}

// The CDN's x-edge-detailed-result-type for an origin failure (facts 4.2).
std::string_view detailed_result_type(const origin::FetchError& error) {
  using K = origin::FailureKind;
  switch (error.kind) {
    case K::dns_failure:
      return "OriginDnsError";
    case K::connection_refused:
    case K::host_unreachable:
    case K::connection_reset:
    case K::connect_failed:
    case K::tls:
      return "OriginConnectError";
    case K::connect_timeout:
    case K::tls_handshake_timeout:
    case K::read_timeout:
    case K::response_completion_timeout:
      return "OriginCommError";
    case K::write_failed:
      return "OriginWriteError";
    case K::connection_closed:
      return "OriginReadError";
    case K::invalid_response:
      return "OriginInvalidResponseError";
    case K::response_headers_too_large:
      return "OriginHeaderTooBigError";
    default:
      return "OriginError";
  }
}

// One request's bookkeeping: the access log entry, metrics and timings.
class RequestRecord {
 public:
  RequestRecord(EdgeServer::State& state, const ViewerConnectionInfo& connection, Clock::time_point started)
      : state_(state), started_(started) {
    entry_.c_ip = connection.ip;
    entry_.c_port = connection.port;
    entry_.cs_protocol = connection.tls ? "https" : "http";
    entry_.ssl_protocol = connection.tls_version;
    entry_.ssl_cipher = connection.tls_cipher;
    entry_.edge_location = state.identity.pop;
  }

  AccessLogEntry& entry() { return entry_; }
  void first_byte() {
    if (entry_.time_to_first_byte_s < 0) {
      entry_.time_to_first_byte_s = seconds_between(started_, Clock::now());
    }
  }
  void sent(std::size_t bytes) { entry_.sc_bytes += bytes; }

  void origin_failure(const origin::FetchError& error) {
    entry_.origin_reason_code = error.code();
    entry_.x_edge_detailed_result_type = std::string(detailed_result_type(error));
    if (state_.options.metrics) {
      state_.options.metrics->record_origin_failure(entry_.origin_id, entry_.origin_reason_code);
    }
  }

  // An origin group's primary failed and the secondary is tried: the log
  // line describes the exchange that answers (the primary's failure stays
  // in the metrics, under its own origin id).
  void failed_over() {
    entry_.origin_reason_code.clear();
    entry_.x_edge_detailed_result_type.clear();
  }

  void origin_info(const origin::ExchangeInfo& info) {
    // The text fields cost an inet_ntop and allocations per request: only built
    // when a log line or a new-connection metric will use them.
    const bool logging = state_.options.access_log != nullptr;
    const bool new_connection_metric = state_.options.metrics != nullptr && !info.connection_reused;
    if (logging && info.remote) entry_.origin_ip = info.remote->address().to_string();
    entry_.origin_connection_reused = info.connection_reused;
    if (info.tls_negotiated && (logging || new_connection_metric)) {
      const auto& negotiated = *info.tls_negotiated;
      entry_.origin_tls_version = std::string(policy::info(negotiated.version).openssl_name);
      if (negotiated.cipher_suite != nullptr) {
        entry_.origin_tls_cipher = std::string(negotiated.cipher_suite->openssl_name);
      }
      entry_.origin_tls_resumed = negotiated.resumed;
    }
    if (!info.connection_reused) {
      entry_.origin_connect_s = seconds_of(info.timings.connect);
      entry_.origin_tls_s = seconds_of(info.timings.tls);
    }
    entry_.origin_first_byte_s = seconds_of(info.timings.first_byte);
    auto* metrics = state_.options.metrics.get();
    if (metrics == nullptr) return;
    const std::string& id = entry_.origin_id;
    if (!info.connection_reused) {
      if (info.timings.connect) metrics->observe_origin_connect(id, entry_.origin_connect_s);
      if (info.timings.tls) {
        metrics->observe_origin_tls_handshake(id, entry_.origin_tls_s, entry_.origin_tls_resumed);
      }
      if (info.tls_negotiated) {
        metrics->record_origin_tls(id, entry_.origin_tls_version, entry_.origin_tls_cipher);
      }
    }
    if (info.timings.first_byte) metrics->observe_origin_first_byte(id, entry_.origin_first_byte_s);
  }

  /// Writes the log line and the request metric (once).
  void finish(int status) {
    if (finished_) return;
    finished_ = true;
    entry_.sc_status = status;
    entry_.time = std::chrono::system_clock::now();
    entry_.time_taken_s = seconds_between(started_, Clock::now());
    if (entry_.x_edge_result_type.empty()) {
      entry_.x_edge_result_type = status >= 400 || status == 0 ? "Error" : "Miss";
    }
    entry_.x_edge_response_result_type = entry_.x_edge_result_type;
    if (state_.options.access_log) state_.options.access_log->write(entry_);
    if (state_.options.metrics) {
      state_.options.metrics->record_request(entry_.origin_id, status, entry_.time_taken_s);
    }
  }

 private:
  EdgeServer::State& state_;
  Clock::time_point started_;
  AccessLogEntry entry_;
  bool finished_ = false;
};

// Writes a response the edge generated; false when the viewer is gone.
asio::awaitable<bool> send_generated(EdgeServer::State& state, detail::ViewerStream& stream,
                                     RequestRecord& record, const GeneratedResponse& generated,
                                     bool head_request, unsigned version, bool keep_alive,
                                     std::string_view request_id) {
  std::string body;
  const ViewerResponse response = make_generated_response(generated, head_request, version, keep_alive,
                                                          request_id, state.identity, &body);
  record.entry().sc_content_type = response.content_type;
  record.entry().sc_content_len = response.content_length;
  if (!generated.location.empty()) record.entry().x_edge_result_type = "Redirect";
  std::array<asio::const_buffer, 2> buffers{asio::buffer(response.head), asio::buffer(body)};
  record.first_byte();
  stream.expires_after(state.options.timeouts.io);
  boost::system::error_code ec;
  std::span<asio::const_buffer> rest(buffers);
  net::consume_front(rest, stream.write_now(rest, ec));  // what the socket takes at once
  if (!ec && !rest.empty()) {
    co_await stream.write(rest, ec);
  }
  if (!ec) record.sent(response.head.size() + body.size());
  record.finish(ec ? 0 : generated.status);
  co_return !ec;
}

GeneratedResponse origin_error_response(const origin::FetchError& error) {
  const int status = error.cdn_status();
  return GeneratedResponse{status, std::string(origin_failure_sentence(status)), error.code(), {}};
}

bool expects_continue(const http::request_header<>& head) {
  for (const auto& field : head) {
    if (iequals(std_view(field.name_string()), "Expect") &&
        iequals(std_view(field.value()), "100-continue")) {
      return true;
    }
  }
  return false;
}

// The viewer request's log fields. Routing needs the Host header either way;
// the rest only when a log line will be written.
void fill_request_fields(AccessLogEntry& entry, const http::request_header<>& head, std::string_view target,
                         bool logging) {
  if (!logging) {
    if (const auto host = head.find(http::field::host); host != head.end()) {
      entry.x_host_header = std::string(std_view(host->value()));
    }
    return;
  }
  entry.cs_method = std::string(std_view(head.method_string()));
  const auto query = target.find('?');
  entry.cs_uri_stem = std::string(target.substr(0, query));
  if (query != std::string_view::npos) entry.cs_uri_query = std::string(target.substr(query + 1));
  entry.cs_protocol_version = head.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  for (const auto& field : head) {
    const std::string_view name = std_view(field.name_string());
    const std::string_view value = std_view(field.value());
    if (iequals(name, "Host")) {
      entry.cs_host = std::string(value);
      entry.x_host_header = std::string(value);
    } else if (iequals(name, "Referer")) {
      entry.cs_referer = std::string(value);
    } else if (iequals(name, "User-Agent")) {
      entry.cs_user_agent = std::string(value);
    } else if (iequals(name, "Cookie")) {
      entry.cs_cookie = std::string(value);
    } else if (iequals(name, "X-Forwarded-For")) {
      entry.x_forwarded_for = std::string(value);
    }
  }
}

// The pieces of response body that go out in one write: the one
// read_body_view() returned and those the origin connection already holds
// decrypted behind it (Exchange::body_view_now()). All stay valid until the
// next read_body_view().
class BodyPieces {
 public:
  static constexpr std::size_t kMax = 8;

  /// Replaces the pieces with `first` and what is already decrypted behind it.
  void gather(std::span<const std::uint8_t> first, origin::Exchange& exchange) {
    count_ = 0;
    bytes_ = 0;
    if (first.empty()) return;
    add(first);
    while (count_ < kMax) {
      const auto next = exchange.body_view_now();
      if (!next) break;
      add(*next);
    }
  }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  [[nodiscard]] std::span<const std::span<const std::uint8_t>> pieces() const {
    return {pieces_.data(), count_};
  }

 private:
  void add(std::span<const std::uint8_t> piece) {
    pieces_[count_++] = piece;
    bytes_ += piece.size();
  }

  std::array<std::span<const std::uint8_t>, kMax> pieces_{};
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
};

std::size_t chunk_prefix(std::array<char, 24>& out, std::size_t size) {
  const int n = std::snprintf(out.data(), out.size(), "%zx\r\n", size);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

// The origin accepted a WebSocket upgrade: its 101 to the viewer, then the
// connection's bytes both ways until it ends. The log line is written then,
// with the bytes relayed and the whole connection's time.
asio::awaitable<void> relay_switched_protocols(EdgeServer::State& state, detail::ViewerStream& stream,
                                               beast::flat_buffer& input, RequestRecord& record,
                                               origin::Exchange& exchange, const origin::ResponseHead& head,
                                               std::string_view request_id, bool remove_set_cookie) {
  auto tunnel = exchange.take_tunnel();
  if (!tunnel) {
    record.origin_failure(tunnel.error());
    const GeneratedResponse answer = origin_error_response(tunnel.error());
    co_await send_generated(state, stream, record, answer, false, 11, false, request_id);
    co_return;
  }
  const std::string response =
      make_switching_protocols_head(head, request_id, state.identity, remove_set_cookie);
  record.first_byte();
  stream.expires_after(state.options.timeouts.io);
  boost::system::error_code ec;
  const std::array<asio::const_buffer, 1> buffers{asio::buffer(response)};
  co_await stream.write(buffers, ec);
  if (ec) {
    record.entry().x_edge_detailed_result_type = "ClientCommError";
    record.finish(101);
    co_return;
  }
  record.sent(response.size());
  auto* const metrics = state.options.metrics.get();
  if (metrics != nullptr) metrics->websocket_opened();
  const RelayResult relayed = co_await relay_websocket(state.io.get_executor(), stream, input, **tunnel,
                                                       state.options.timeouts.websocket_idle);
  if (metrics != nullptr) metrics->websocket_closed();
  record.sent(relayed.origin_to_viewer);
  record.entry().cs_bytes += relayed.viewer_to_origin;
  record.finish(101);
}

}  // namespace

asio::awaitable<void> refuse_request(EdgeServer::State& state, detail::ViewerStream& stream,
                                     const ViewerConnectionInfo& connection, int status,
                                     std::string_view reason, Clock::time_point head_started) {
  RequestRecord record(state, connection, head_started);
  const std::string request_id = make_request_id();
  record.entry().x_edge_request_id = request_id;
  const GeneratedResponse answer = GeneratedResponse{status, std::string(reason), {}, {}};
  co_await send_generated(state, stream, record, answer, false, 11, false, request_id);
}

asio::awaitable<bool> proxy_request(EdgeServer::State& state, detail::ViewerStream& stream,
                                    beast::flat_buffer& input, std::size_t head_size,
                                    const ViewerConnectionInfo& connection, Clock::time_point head_started) {
  // The config this request uses from start to end, whatever reloads happen meanwhile.
  const std::shared_ptr<const ConfigSnapshot> snapshot = state.config;
  RequestRecord record(state, connection, head_started);
  const std::string request_id = make_request_id();
  record.entry().x_edge_request_id = request_id;
  record.entry().cs_bytes = head_size;
  // First thing: every request counts, answered by the edge or not, so the
  // next one on this connection reads "connectionReused".
  const std::string_view tls_handshake = stream.take_tls_handshake_kind();

  RequestParser parser;
  const auto read =
      read_request_head(parser, std::string_view(static_cast<const char*>(input.data().data()), head_size));
  input.consume(head_size);
  if (!parser.is_header_done()) {
    const GeneratedResponse answer = GeneratedResponse{400, std::get<HeadProblem>(read).reason, {}, {}};
    co_await send_generated(state, stream, record, answer, false, 11, false, request_id);
    co_return false;
  }
  const http::request_header<>& head = parser.get().base();
  std::string target_storage;
  const std::string_view target = origin_form(std_view(head.target()), target_storage);
  fill_request_fields(record.entry(), head, target, state.options.access_log != nullptr);
  const unsigned version = head.version() == 10 ? 10 : 11;
  const bool head_request = head.method() == http::verb::head;
  if (const auto* problem = std::get_if<HeadProblem>(&read)) {
    const GeneratedResponse answer = GeneratedResponse{problem->status, problem->reason, {}, {}};
    co_await send_generated(state, stream, record, answer, head_request, version, false, request_id);
    co_return false;
  }
  const BodyFraming framing = std::get<BodyFraming>(read);
  bool keep_alive = parser.keep_alive() && !state.draining;
  const std::string_view method = std_view(head.method_string());
  boost::system::error_code ec;

  const auto routed = route(*snapshot->distribution,
                            ViewerRequestLine{method, target, record.entry().x_host_header, connection.tls});
  if (const auto* refusal = std::get_if<Refusal>(&routed)) {
    // The body (if any) was not read: the connection cannot carry another request.
    const bool keep = keep_alive && !framing.has_body();
    const GeneratedResponse answer =
        GeneratedResponse{refusal->status, refusal->reason, {}, refusal->location};
    const bool ok =
        co_await send_generated(state, stream, record, answer, head_request, version, keep, request_id);
    co_return (ok && keep);
  }
  const auto& routed_to = std::get<Route>(routed);
  // An origin group's secondary is tried for GET, HEAD and OPTIONS (facts
  // 1.5); those reach here without a body (a GET or HEAD with one is refused),
  // and an OPTIONS with one is not replayed.
  const bool can_fail_over = !routed_to.secondary.empty() && !framing.has_body() &&
                             (method == "GET" || method == "HEAD" || method == "OPTIONS");
  const Route* current = &routed_to;
  // Beast's upgrade() (Connection lists "upgrade") is known already: the
  // field scan only runs for requests that may be WebSocket handshakes.
  const bool websocket = parser.upgrade() && is_websocket_upgrade(head);
  const ViewerInfo viewer{
      connection.ip,         version,      connection.tls, websocket, connection.port, connection.tls_version,
      connection.tls_cipher, tls_handshake};
  // A behavior that forwards no cookies hides the origin's Set-Cookie from the viewer (facts 5.4).
  const bool remove_set_cookie = routed_to.behavior->forwarding.cookies.scope == config::ForwardScope::none;
  std::unique_ptr<origin::Exchange> exchange;
  const origin::ResponseHead* origin_head = nullptr;  // set when the loop ends with an answer
  for (;;) {
    const Route& destination = *current;
    const bool may_fail_over = can_fail_over && current == &routed_to;
    record.entry().origin_id = destination.origin->id;
    const auto plan = snapshot->origins.find(destination.origin->id);
    if (plan == snapshot->origins.end()) {
      const GeneratedResponse answer =
          GeneratedResponse{502, "The cache behavior names an unknown origin.", "unknown_origin", {}};
      co_await send_generated(state, stream, record, answer, head_request, version, false, request_id);
      co_return false;
    }

    // The planned target as it is; a copy only to carry a forwarded Host.
    const origin::Target& planned = destination.https ? plan->second.https : plan->second.http;
    std::optional<origin::Target> with_host;
    if (destination.host_forwarded) {
      with_host.emplace(planned);
      with_host->host_header = destination.host;
    }
    const origin::Target& origin_target = with_host ? *with_host : planned;

    origin::RequestHead origin_request =
        make_origin_request(head, destination, viewer, framing, request_id, state.identity);
    auto sent = co_await state.client.send(origin_target, std::move(origin_request));
    if (!sent) {
      record.origin_failure(sent.error());
      if (may_fail_over) {
        record.failed_over();
        current = &routed_to.secondary.front();
        continue;
      }
      const bool keep = keep_alive && !framing.has_body();
      const GeneratedResponse answer = origin_error_response(sent.error());
      const bool ok =
          co_await send_generated(state, stream, record, answer, head_request, version, keep, request_id);
      co_return (ok && keep);
    }
    exchange = std::move(*sent);
    bool answered_early = false;  // the origin answered (and closed) before taking the whole body

    // The request body, viewer -> origin, one bounded buffer at a time.
    if (framing.has_body()) {
      BodyBuffer buffer;
      if (version == 11 && expects_continue(head)) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        const std::array<asio::const_buffer, 1> interim{asio::buffer(kContinue)};
        stream.expires_after(state.options.timeouts.io);
        co_await stream.write(interim, ec);
        if (ec) {
          record.finish(0);
          co_return false;
        }
      }
      while (!parser.is_done()) {
        auto& body = parser.get().body();
        body.data = buffer.data();
        body.size = buffer.size();
        body.more = true;
        std::size_t consumed = 0;
        if (input.size() > 0) {
          consumed = parser.put(input.data(), ec);
          input.consume(consumed);
          if (ec == http::error::need_buffer || ec == http::error::need_more) ec = {};
          if (ec) {
            const GeneratedResponse answer =
                GeneratedResponse{400, "The request body is malformed (" + ec.message() + ").", {}, {}};
            co_await send_generated(state, stream, record, answer, head_request, version, false, request_id);
            co_return false;
          }
        }
        const std::size_t produced = buffer.size() - body.size;
        record.entry().cs_bytes += consumed;
        if (produced > 0) {
          auto written =
              co_await exchange->write_body(std::span<const std::uint8_t>(buffer.data(), produced));
          if (!written) {
            // An origin may answer before it has taken the whole body (413,
            // 403) and close: that answer is the viewer's, not a 502.
            if (auto early = co_await exchange->read_response_head()) {
              origin_head = *early;
              answered_early = true;
              keep_alive = false;  // the rest of the viewer's body was not read
              break;
            }
            record.origin_failure(written.error());
            record.origin_info(exchange->info());
            const GeneratedResponse answer = origin_error_response(written.error());
            co_await send_generated(state, stream, record, answer, head_request, version, false, request_id);
            co_return false;
          }
        }
        if (parser.is_done()) break;
        if (produced == 0 && consumed == 0) {
          if (framing.chunked &&
              chunk_framing_has_bare_lf({static_cast<const char*>(input.data().data()), input.size()})) {
            const GeneratedResponse answer = GeneratedResponse{
                400, "The request body's chunked framing has a line ending in a bare LF (not CRLF).", {}, {}};
            co_await send_generated(state, stream, record, answer, head_request, version, false, request_id);
            co_return false;
          }
          if (input.size() >= input.max_size()) {
            // A chunk header (with extensions) longer than the whole input buffer.
            const GeneratedResponse answer =
                GeneratedResponse{400, "The request body has an oversized chunk header.", {}, {}};
            co_await send_generated(state, stream, record, answer, head_request, version, false, request_id);
            co_return false;
          }
          stream.expires_after(state.options.timeouts.io);
          const std::size_t n = co_await stream.read_some(input.prepare(input.max_size() - input.size()), ec);
          if (ec) {
            // The viewer went away (or stalled) mid-body: nothing to answer.
            record.entry().x_edge_detailed_result_type = "ClientCommError";
            record.finish(0);
            co_return false;
          }
          input.commit(n);
        }
      }
      if (!answered_early) {
        auto finished = co_await exchange->finish_body();
        if (!finished) {
          record.origin_failure(finished.error());
          const GeneratedResponse answer = origin_error_response(finished.error());
          co_await send_generated(state, stream, record, answer, head_request, version, false, request_id);
          co_return false;
        }
      }
    }

    if (answered_early) break;
    auto response_head = co_await exchange->read_response_head();
    if (!response_head) {
      record.origin_failure(response_head.error());
      record.origin_info(exchange->info());
      if (may_fail_over) {
        exchange.reset();
        record.failed_over();
        current = &routed_to.secondary.front();
        continue;
      }
      const GeneratedResponse answer = origin_error_response(response_head.error());
      const bool ok = co_await send_generated(state, stream, record, answer, head_request, version,
                                              keep_alive, request_id);
      co_return (ok && keep_alive);
    }
    origin_head = *response_head;
    if (may_fail_over && routed_to.group->fails_over_on(static_cast<int>(origin_head->status))) {
      // The primary's answer is dropped unread (its connection closes).
      record.origin_info(exchange->info());
      exchange.reset();
      record.failed_over();
      current = &routed_to.secondary.front();
      continue;
    }
    break;
  }
  const origin::ResponseHead& origin_response = *origin_head;
  record.origin_info(exchange->info());
  record.entry().origin_status = static_cast<int>(origin_response.status);
  const int status = static_cast<int>(origin_response.status);
  if (status == 101) {
    // Only ever the answer to a WebSocket upgrade (the origin client refuses any other).
    co_await relay_switched_protocols(state, stream, input, record, *exchange, origin_response, request_id,
                                      remove_set_cookie);
    co_return false;
  }

  ViewerResponse response =
      make_viewer_response(origin_response, head_request, version, keep_alive && !state.draining, request_id,
                           state.identity, remove_set_cookie);
  record.entry().sc_content_type = response.content_type;
  record.entry().sc_content_len = response.content_length;
  const bool has_body = response.framing != ViewerBodyFraming::none;

  // The first body bytes go out with the head when they came with it (one
  // write for small responses); when they have not arrived, the head goes out
  // alone at once: a stream, a long poll or a slow first byte must not hold
  // back a head the origin has sent. Body bytes are written from where the
  // origin connection holds them (no copy), and every piece already decrypted
  // goes out in the same write: a 64 KiB response arrives as four or five TLS
  // records, often several per read, and one write per record cost a system
  // call and a wake-up of the viewer each.
  BodyPieces pending;
  const bool body_with_head = has_body && exchange->body_bytes_arrived();
  if (body_with_head) {
    auto piece = co_await exchange->read_body_view();
    if (!piece) {
      record.origin_failure(piece.error());
      const GeneratedResponse answer = origin_error_response(piece.error());
      const bool ok = co_await send_generated(state, stream, record, answer, head_request, version,
                                              keep_alive, request_id);
      co_return (ok && keep_alive);
    }
    pending.gather(*piece, *exchange);
  }
  bool head_written = false;
  bool body_done = !has_body || (body_with_head && (pending.empty() || exchange->body_complete()));
  std::array<char, 24> prefix{};
  static constexpr std::string_view kCrlf = "\r\n";
  static constexpr std::string_view kLastChunk = "0\r\n\r\n";
  while (true) {
    std::array<asio::const_buffer, BodyPieces::kMax + 4> buffers{};
    std::size_t count = 0;
    std::size_t bytes = 0;
    const auto add = [&](asio::const_buffer b) {
      buffers[count++] = b;
      bytes += b.size();
    };
    if (!head_written) add(asio::buffer(response.head));
    if (!pending.empty()) {
      // Chunked: the gathered pieces make one chunk.
      const bool chunked = response.framing == ViewerBodyFraming::chunked;
      if (chunked) add(asio::buffer(prefix.data(), chunk_prefix(prefix, pending.bytes())));
      for (const auto& piece : pending.pieces()) add(asio::buffer(piece.data(), piece.size()));
      if (chunked) add(asio::buffer(kCrlf));
    }
    if (body_done && has_body && response.framing == ViewerBodyFraming::chunked) {
      add(asio::buffer(kLastChunk));
    }
    if (count > 0) {
      if (!head_written) record.first_byte();
      stream.expires_after(state.options.timeouts.io);
      // What the socket takes at once needs no operation (net/send_now.hpp);
      // only the rest is awaited.
      std::span<asio::const_buffer> rest(buffers.data(), count);
      net::consume_front(rest, stream.write_now(rest, ec));
      if (!ec && !rest.empty()) {
        co_await stream.write(rest, ec);
      }
      if (ec) {
        // The viewer went away or stopped reading: drop the origin exchange too.
        record.entry().x_edge_detailed_result_type = "ClientCommError";
        record.finish(status);
        co_return false;
      }
      record.sent(bytes);
      head_written = true;
    }
    if (body_done) break;
    auto piece = co_await exchange->read_body_view();
    if (!piece) {
      // Too late for an error page: cut the viewer's response short so it
      // sees the truncation (no final chunk, or fewer bytes than announced).
      record.origin_failure(piece.error());
      record.finish(status);
      co_return false;
    }
    pending.gather(*piece, *exchange);
    if (pending.empty() || exchange->body_complete()) body_done = true;
  }
  record.finish(status);
  co_return response.keep_alive;
}

}  // namespace edgefetch::edge
