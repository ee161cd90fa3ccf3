// libFuzzer harness: an origin's response head on its way back to the viewer
// through `edgefetch serve`. The origin client's ResponseParser reads the
// head (interim 1xx answers skipped, as the client does), the client's
// framing summary is taken from the parser as client.cpp takes it, and
// make_viewer_response() writes the viewer's head. Beyond "no crash, no hang,
// no leak", it checks what stands between an origin and a desynchronised
// viewer connection (response splitting, two framings):
//   - Beast reads the viewer head back as exactly one head with the origin's
//     status;
//   - its framing is the one make_viewer_response() says it chose: the
//     Content-Length it gives, chunked, close-delimited (then not kept
//     alive), or none (HEAD, 1xx, 204, 304); never two framings;
//   - no hop-by-hop field and no field the origin's Connection lists reaches
//     the viewer, besides the edge's own Connection and Transfer-Encoding;
//   - Via, Date and X-Amz-Cf-Id (the request id) appear exactly once;
//   - the connection stays open exactly when the edge says it does;
//   - a 101 answering a WebSocket upgrade (as the client accepts it) becomes
//     make_switching_protocols_head(): one 101 head, exactly one
//     `Upgrade: websocket` and one `Connection: Upgrade`, no body framing, no
//     field the origin's Connection lists, one Via and one request id.

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "edgefetch/edge/http_fields.hpp"
#include "edgefetch/edge/message_rewrite.hpp"
#include "fuzz_require.hpp"
#include "origin/response_parser.hpp"
#include "origin/websocket_handshake.hpp"

using namespace edgefetch;
using edge::std_view;
using fuzz::require;
namespace http = boost::beast::http;

namespace {

// The origin's final response head, as the origin client reads it; false when
// the client would fail (or wait for more).
// The names the origin's Connection fields list (what the edge must drop).
void add_connection_tokens(edge::ConnectionTokens& tokens, const origin::ResponseHead& response) {
  for (const auto& header : response.headers) {
    if (edge::iequals(header.name, "Connection")) tokens.add_value(header.value);
  }
}

bool read_origin_head(std::string_view input, bool head_request, bool websocket,
                      origin::ResponseHead& response) {
  while (true) {
    origin::ResponseParser parser(response);
    parser.header_limit(20480);
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // as the client sets it
    parser.eager(false);
    if (head_request) parser.skip(true);
    boost::system::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    if (ec || !parser.is_header_done()) return false;
    input.remove_prefix(used);
    if (response.status == 101) {
      // The client takes it as the final head only for a WebSocket upgrade,
      // and only when it completes the handshake.
      return websocket && origin::completes_websocket_handshake(response);
    }
    if (response.status < 200) continue;  // interim: the next head follows
    const auto length = parser.content_length();
    response.content_length = length ? std::optional<std::uint64_t>(*length) : std::nullopt;
    response.chunked = parser.chunked();
    response.has_body = !parser.is_done();
    response.keep_alive = parser.keep_alive();
    return true;
  }
}

void check_viewer_head(const edge::ViewerResponse& out, const origin::ResponseHead& response,
                       bool head_request, std::string_view request_id) {
  http::response_parser<http::empty_body> parser;
  parser.header_limit(1u << 20);
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // Beast's default (8 MiB) would refuse more
  parser.eager(false);
  if (head_request) parser.skip(true);
  boost::system::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(out.head), ec);
  require(!ec && parser.is_header_done() && used == out.head.size());
  const auto& head = parser.get().base();
  require(head.result_int() == response.status);

  edge::ConnectionTokens origin_tokens;
  add_connection_tokens(origin_tokens, response);
  std::size_t vias = 0;
  std::size_t dates = 0;
  std::size_t request_ids = 0;
  std::size_t content_lengths = 0;
  std::size_t transfer_encodings = 0;
  for (const auto& field : head) {
    const std::string_view name = std_view(field.name_string());
    const std::string_view value = std_view(field.value());
    if (edge::iequals(name, "Connection")) {
      require(value == "close" || value == "keep-alive");
      continue;
    }
    if (edge::iequals(name, "Transfer-Encoding")) {
      ++transfer_encodings;
      require(value == "chunked");
      continue;
    }
    require(!edge::is_hop_by_hop(name));
    if (!edge::iequals(name, "Content-Length") && !edge::iequals(name, "Date")) {
      require(!origin_tokens.contains(name));
    }
    if (edge::iequals(name, "Via")) ++vias;
    if (edge::iequals(name, "Date")) ++dates;
    if (edge::iequals(name, "Content-Length")) ++content_lengths;
    if (edge::iequals(name, "X-Amz-Cf-Id")) {
      ++request_ids;
      require(value == request_id);
    }
  }
  require(vias == 1 && request_ids == 1 && content_lengths <= 1 && transfer_encodings <= 1);
  require(dates >= 1);  // the origin's own (as many as it sent), else the edge's
  require(content_lengths + transfer_encodings <= 1);

  switch (out.framing) {
    case edge::ViewerBodyFraming::content_length:
      require(content_lengths == 1 && out.content_length && parser.content_length() == *out.content_length);
      break;
    case edge::ViewerBodyFraming::chunked:
      require(transfer_encodings == 1 && parser.chunked());
      break;
    case edge::ViewerBodyFraming::close_delimited:
      require(content_lengths == 0 && transfer_encodings == 0 && !out.keep_alive);
      break;
    case edge::ViewerBodyFraming::none:
      require(head_request || response.status < 200 || response.status == 204 || response.status == 304 ||
              !response.has_body);
      require(transfer_encodings == 0);
      break;
  }
  require(parser.keep_alive() == out.keep_alive);
}

void check_switching_head(const std::string& out, const origin::ResponseHead& response,
                          std::string_view request_id) {
  http::response_parser<http::empty_body> parser;
  parser.header_limit(1u << 20);
  parser.eager(false);
  boost::system::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(out), ec);
  require(!ec && parser.is_header_done() && used == out.size());
  const auto& head = parser.get().base();
  require(head.result_int() == 101);
  edge::ConnectionTokens origin_tokens;
  add_connection_tokens(origin_tokens, response);
  std::size_t upgrades = 0;
  std::size_t connections = 0;
  std::size_t vias = 0;
  std::size_t request_ids = 0;
  for (const auto& field : head) {
    const std::string_view name = std_view(field.name_string());
    const std::string_view value = std_view(field.value());
    if (edge::iequals(name, "Upgrade")) {
      ++upgrades;
      require(value == "websocket");
    } else if (edge::iequals(name, "Connection")) {
      ++connections;
      require(value == "Upgrade");
    } else {
      require(!edge::is_hop_by_hop(name) && !edge::iequals(name, "Content-Length"));
      if (!edge::iequals(name, "Date")) require(!origin_tokens.contains(name));
    }
    if (edge::iequals(name, "Via")) ++vias;
    if (edge::iequals(name, "X-Amz-Cf-Id")) {
      ++request_ids;
      require(value == request_id);
    }
  }
  require(upgrades == 1 && connections == 1 && vias == 1 && request_ids == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // First byte: bit 0 the request was HEAD, bit 1 an HTTP/1.0 viewer, bit 2
  // the viewer's connection may stay open, bit 3 the request was a WebSocket
  // upgrade (a GET).
  const bool head_request = (data[0] & 1) != 0;
  const unsigned viewer_version = (data[0] & 2) != 0 ? 10 : 11;
  const bool keep_alive = (data[0] & 4) != 0;
  const bool websocket = (data[0] & 8) != 0 && !head_request;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  origin::ResponseHead response;
  if (!read_origin_head(input, head_request, websocket, response)) return 0;
  edge::EdgeIdentity identity;
  identity.host_id = "0123456789abcdef0123456789abcdef";
  const std::string request_id = "fuzz-request-id";
  if (response.status == 101) {
    check_switching_head(edge::make_switching_protocols_head(response, request_id, identity), response,
                         request_id);
    return 0;
  }
  const edge::ViewerResponse out =
      edge::make_viewer_response(response, head_request, viewer_version, keep_alive, request_id, identity);
  check_viewer_head(out, response, head_request, request_id);
  return 0;
}
