#include "proxy_request.hpp"

#include <boost/beast/http/parser.hpp>
#include <memory>
#include <optional>
#include <variant>

#include "edgefetch/edge/http_fields.hpp"
#include "edgefetch/edge/request_checks.hpp"
#include "edgefetch/edge/request_id.hpp"
#include "edgefetch/edge/routing.hpp"
#include "request_body_upload.hpp"
#include "request_record.hpp"
#include "response_relay.hpp"
#include "viewer_answer.hpp"

namespace edgefetch::edge {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// `value` after what `field` holds, joined by `separator` (a repeated header).
void append_listed(std::string& field, std::string_view value, std::string_view separator) {
  if (!field.empty()) field += separator;
  field += value;
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
      // Repeated fields as the origin gets them: cookies joined by "; ", addresses by ", ".
      append_listed(entry.cs_cookie, value, "; ");
    } else if (iequals(name, "X-Forwarded-For")) {
      append_listed(entry.x_forwarded_for, value, ", ");
    }
  }
}

// The viewer's request as the origin exchange needs it.
struct ForwardedRequest {
  RequestParser& parser;  // holds the head; reads the body
  const BodyFraming& framing;
  const ViewerInfo& viewer;
  beast::flat_buffer& input;  // the viewer's bytes after the head
  bool keep_alive = false;    // the viewer's request allows another after it
};

// The origin's answer to relay: the exchange it came on and its head.
struct OriginAnswer {
  std::unique_ptr<origin::Exchange> exchange;
  const origin::ResponseHead* head = nullptr;
  bool keep_alive = false;  // false when the origin answered before the whole body was read
};
// The viewer has its answer already (an error page) or is gone.
struct ViewerAnswered {
  bool keep_alive = false;  // whether the viewer connection may carry another request
};
using OriginOutcome = std::variant<OriginAnswer, ViewerAnswered>;

// Sends the request (and its body) to the route's origin and reads the head
// of the answer. For an origin group, the secondary is tried when the primary
// fails or answers with one of the group's failover statuses (facts 1.5), for
// GET, HEAD and OPTIONS: those reach here without a body (a GET or HEAD with
// one is refused), and an OPTIONS with one is not replayed.
asio::awaitable<OriginOutcome> exchange_with_origin(const RequestContext& request,
                                                    const ConfigSnapshot& snapshot, const Route& routed_to,
                                                    const ForwardedRequest& forwarded) {
  RequestRecord& record = request.record;
  const http::request_header<>& head = forwarded.parser.get().base();
  const BodyFraming& framing = forwarded.framing;
  const http::verb method = head.method();
  const bool can_fail_over =
      !routed_to.secondary.empty() && !framing.has_body() &&
      (method == http::verb::get || method == http::verb::head || method == http::verb::options);
  const Route* current = &routed_to;
  origin::ExchangeInfo failed_attempt;  // what a failed send() reached, for the log line
  for (;;) {
    const Route& destination = *current;
    const bool may_fail_over = can_fail_over && current == &routed_to;
    record.entry().origin_id = destination.origin->id;
    const auto plan = snapshot.origins.find(destination.origin->id);
    if (plan == snapshot.origins.end()) {
      const GeneratedResponse answer{
          502, "The cache behavior names an unknown origin.", "unknown_origin", {}};
      co_await send_generated(request, answer, false);
      co_return ViewerAnswered{false};
    }

    // The planned target as it is; a copy only to carry a forwarded Host.
    const origin::Target& planned = destination.https ? plan->second.https : plan->second.http;
    std::optional<origin::Target> with_host;
    if (destination.host_forwarded) {
      with_host.emplace(planned);
      with_host->host_header = destination.host;
    }
    const origin::Target& origin_target = with_host ? *with_host : planned;

    origin::RequestHead origin_request = make_origin_request(head, destination, forwarded.viewer, framing,
                                                             request.request_id, request.state.identity);
    origin::ExchangeInfo* const attempt_info = &failed_attempt;
    auto sent = co_await request.state.client.send(origin_target, std::move(origin_request), attempt_info);
    if (!sent) {
      record.origin_failure(sent.error());
      record.failed_attempt(failed_attempt);
      if (may_fail_over) {
        record.failed_over();
        current = &routed_to.secondary.front();
        continue;
      }
      // The body (if any) was not read: the connection cannot carry another request.
      const bool keep = forwarded.keep_alive && !framing.has_body();
      const GeneratedResponse answer = origin_error_response(sent.error());
      const bool keep_open = co_await send_generated(request, answer, keep);
      co_return ViewerAnswered{keep_open};
    }
    std::unique_ptr<origin::Exchange> exchange = std::move(*sent);

    if (framing.has_body()) {
      const BodyUpload upload =
          co_await send_request_body(request, forwarded.parser, framing, forwarded.input, *exchange);
      if (std::holds_alternative<BodyUploadEnded>(upload)) co_return ViewerAnswered{false};
      if (const auto* early = std::get_if<OriginAnsweredEarly>(&upload)) {
        co_return OriginAnswer{std::move(exchange), early->head, false};
      }
    }

    auto response_head = co_await exchange->read_response_head();
    if (!response_head) {
      record.origin_failure(response_head.error());
      record.origin_info(exchange->info());
      if (may_fail_over) {
        record.failed_over();
        current = &routed_to.secondary.front();
        continue;
      }
      const GeneratedResponse answer = origin_error_response(response_head.error());
      const bool keep_open = co_await send_generated(request, answer, forwarded.keep_alive);
      co_return ViewerAnswered{keep_open};
    }
    if (may_fail_over && routed_to.group->fails_over_on(static_cast<int>((*response_head)->status))) {
      // The primary's answer is dropped unread (its connection closes).
      record.origin_info(exchange->info());
      record.failed_over();
      current = &routed_to.secondary.front();
      continue;
    }
    co_return OriginAnswer{std::move(exchange), *response_head, forwarded.keep_alive};
  }
}

}  // namespace

asio::awaitable<void> refuse_request(EdgeServer::State& state, detail::ViewerStream& stream,
                                     const ViewerConnectionInfo& connection, int status,
                                     std::string_view reason, Clock::time_point head_started) {
  RequestRecord record(state, connection, head_started);
  const std::string request_id = make_request_id();
  record.entry().x_edge_request_id = request_id;
  const RequestContext request{state, stream, record, request_id};
  const GeneratedResponse answer{status, std::string(reason), {}, {}};
  co_await send_generated(request, answer, false);
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
  RequestContext request{state, stream, record, request_id};

  RequestParser parser;
  const auto read =
      read_request_head(parser, std::string_view(static_cast<const char*>(input.data().data()), head_size));
  input.consume(head_size);
  if (!parser.is_header_done()) {
    const GeneratedResponse answer{400, std::get<HeadProblem>(read).reason, {}, {}};
    co_await send_generated(request, answer, false);
    co_return false;
  }
  const http::request_header<>& head = parser.get().base();
  std::string target_storage;
  const std::string_view target = origin_form(std_view(head.target()), target_storage);
  fill_request_fields(record.entry(), head, target, state.options.access_log != nullptr);
  request.version = head.version() == 10 ? 10 : 11;
  request.head_request = head.method() == http::verb::head;
  if (const auto* problem = std::get_if<HeadProblem>(&read)) {
    const GeneratedResponse answer{problem->status, problem->reason, {}, {}};
    co_await send_generated(request, answer, false);
    co_return false;
  }
  const BodyFraming framing = std::get<BodyFraming>(read);
  // What the viewer asked for; a drain is checked when the answer is written
  // (send_generated, relay_response), since one can begin while the origin is awaited.
  const bool keep_alive = parser.keep_alive();

  const auto routed = route(*snapshot->distribution, ViewerRequestLine{std_view(head.method_string()), target,
                                                                       record.entry().x_host_header,
                                                                       connection.tls, state.https_port});
  if (const auto* refusal = std::get_if<Refusal>(&routed)) {
    // The body (if any) was not read: the connection cannot carry another request.
    const bool keep = keep_alive && !framing.has_body();
    const GeneratedResponse answer{refusal->status, refusal->reason, {}, refusal->location};
    co_return co_await send_generated(request, answer, keep);
  }
  const auto& routed_to = std::get<Route>(routed);
  // Beast's upgrade() (Connection lists "upgrade") is known already: the
  // field scan only runs for requests that may be WebSocket handshakes.
  const bool websocket = parser.upgrade() && is_websocket_upgrade(head);
  const ViewerInfo viewer{connection.ip,   request.version,        connection.tls,        websocket,
                          connection.port, connection.tls_version, connection.tls_cipher, tls_handshake};
  // What the behavior forwards also filters the origin's Set-Cookie and Vary (facts 5.4).
  const config::ForwardingRules& forwarding = routed_to.behavior->forwarding;

  // Arguments of a co_awaited call are named first: GCC 12 destroys some
  // temporaries of a co_await expression early (see check/enumerate.cpp).
  const ForwardedRequest forwarded{parser, framing, viewer, input, keep_alive};
  OriginOutcome outcome = co_await exchange_with_origin(request, *snapshot, routed_to, forwarded);
  if (const auto* answered = std::get_if<ViewerAnswered>(&outcome)) co_return answered->keep_alive;
  auto& answer = std::get<OriginAnswer>(outcome);
  record.origin_info(answer.exchange->info());
  const int status = static_cast<int>(answer.head->status);
  record.entry().origin_status = status;
  if (status == 101) {
    // Only ever the answer to a WebSocket upgrade (the origin client refuses any other).
    co_await relay_switched_protocols(request, input, *answer.exchange, *answer.head, forwarding);
    co_return false;
  }
  co_return co_await relay_response(request, *answer.exchange, *answer.head, answer.keep_alive, forwarding);
}

}  // namespace edgefetch::edge
