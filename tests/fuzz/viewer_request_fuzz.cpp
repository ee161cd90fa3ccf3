// libFuzzer harness: a viewer's request on its way through `edgefetch serve`,
// every step the edge takes before and after the origin is chosen, with the
// functions the proxy itself calls (viewer_connection.cpp, proxy_request.cpp):
//   1. the bytes arrive in pieces and scan_request_head() looks at all that
//      has arrived after each one, as the viewer connection does;
//   2. read_request_head() parses and checks the head it delimited;
//   3. route() picks a behavior and origin of a sample distribution (OriginPath,
//      CustomHeaders, a behavior that forwards Host, one limited to GET/HEAD,
//      one with legacy ForwardedValues that filters cookies and drops the
//      query, one with a managed cache policy that filters the query);
//   4. make_origin_request() and the origin client's serialize_request_head()
//      build the head the origin gets;
//   5. the rest of the input is read as the request body, through a small
//      buffer, as proxy_request() streams it.
// Beyond "no crash, no hang, no leak", it checks what stands between a viewer
// and request smuggling:
//   - the scan reaches the same verdict whether the bytes come in pieces or at
//     once, and a head it delimits ends in CRLF CRLF;
//   - a request the edge accepts yields an origin head that serializes, and
//     that Beast reads back as exactly one head of the same method, with the
//     route's target, exactly one Host (the route's), the framing fields the
//     accepted framing calls for and no other, no hop-by-hop field but the
//     client's Connection (and, for a WebSocket handshake, exactly one
//     `Upgrade: websocket`), and the request id;
//   - the behavior's forwarding rules hold: the target is OriginPath + path +
//     only parameters the rules let through; at most one Cookie field (none
//     when no cookie is forwarded), at most one Accept-Encoding (a normalized
//     value when the rules normalize it), and no CloudFront-* field but those
//     the rules ask the edge to write;
//   - a Content-Length body yields exactly that many bytes, and no body piece
//     overflows its buffer.

#include <algorithm>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "edgefetch/config/reader.hpp"
#include "edgefetch/edge/http_fields.hpp"
#include "edgefetch/edge/message_rewrite.hpp"
#include "edgefetch/edge/request_checks.hpp"
#include "edgefetch/edge/routing.hpp"
#include "edgefetch/edge/viewer_values.hpp"
#include "fuzz_require.hpp"
#include "origin/request_head.hpp"

using namespace edgefetch;
using edge::std_view;
using fuzz::require;
namespace http = boost::beast::http;

namespace {

// Two origins and five behaviors: OriginPath and a custom header on the
// default one, all viewer headers but Host (AllViewerExceptHostHeader) under
// /api/*, GET/HEAD only under /static/*, HTTPS-only viewers under /secure/*,
// legacy ForwardedValues (cookie whitelist with a wildcard, no query string,
// Authorization and a CloudFront-* header named) under /legacy/*, and the
// Elemental-MediaPackage cache policy (four query parameters, Origin, gzip)
// under /media/*.
constexpr std::string_view kDistribution = R"({
  "Origins": {"Quantity": 2, "Items": [
    {"Id": "site", "DomainName": "site.example", "OriginPath": "/base",
     "CustomHeaders": {"Quantity": 1, "Items": [{"HeaderName": "X-Origin-Verify", "HeaderValue": "token"}]},
     "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}},
    {"Id": "api", "DomainName": "api.example",
     "CustomOriginConfig": {"OriginProtocolPolicy": "match-viewer"}}]},
  "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all",
    "AllowedMethods": {"Quantity": 7, "Items": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]}},
  "CacheBehaviors": {"Quantity": 5, "Items": [
    {"PathPattern": "/api/*", "TargetOriginId": "api", "ViewerProtocolPolicy": "allow-all",
     "AllowedMethods": {"Quantity": 7, "Items": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]},
     "OriginRequestPolicyId": "b689b0a8-53d0-40ab-baf2-68738e2966ac"},
    {"PathPattern": "/static/*", "TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all"},
    {"PathPattern": "/secure/*", "TargetOriginId": "site", "ViewerProtocolPolicy": "https-only"},
    {"PathPattern": "/legacy/*", "TargetOriginId": "api", "ViewerProtocolPolicy": "allow-all",
     "AllowedMethods": {"Quantity": 7, "Items": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]},
     "ForwardedValues": {"QueryString": false,
       "Cookies": {"Forward": "whitelist", "WhitelistedNames": {"Quantity": 2, "Items": ["session", "user_*"]}},
       "Headers": {"Quantity": 2, "Items": ["Authorization", "CloudFront-Viewer-Address"]}}},
    {"PathPattern": "/media/*", "TargetOriginId": "api", "ViewerProtocolPolicy": "allow-all",
     "CachePolicyId": "08627262-05a9-4f76-9ded-b50ca2e3a84f"}]}
})";

const config::DistributionConfig& distribution() {
  static const config::DistributionConfig parsed = [] {
    auto loaded = config::read_distribution_config(kDistribution);
    require(loaded.has_value());
    return loaded->distributions.front().config;
  }();
  return parsed;
}

// Step 1: the viewer connection's loop, with `piece` bytes per read.
edge::HeadScan scan_in_pieces(std::string_view input, std::size_t piece) {
  std::size_t arrived = 0;
  while (true) {
    arrived = std::min(input.size(), arrived + piece);
    edge::HeadScan scan = edge::scan_request_head(input.substr(0, arrived));
    if (scan.problem || scan.head_size > 0 || arrived == input.size()) return scan;
  }
}

// Step 4's checks: the serialized origin head read back by Beast.
void check_origin_head(const std::string& serialized, const origin::RequestHead& request,
                       const edge::Route& route, const edge::BodyFraming& framing,
                       std::string_view request_id) {
  http::request_parser<http::empty_body> parser;
  parser.header_limit(1u << 20);
  // Beast's default (1 MiB) refuses a larger Content-Length in the head, and in Boost 1.74 so does
  // boost::none (it compares the length with the empty optional): the largest value, as the edge sets.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  parser.eager(false);
  boost::system::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(serialized), ec);
  require(!ec && parser.is_header_done() && used == serialized.size());
  const auto& head = parser.get().base();
  require(std_view(head.method_string()) == request.method);
  require(std_view(head.target()) == route.target);
  std::size_t hosts = 0;
  std::size_t content_lengths = 0;
  std::size_t transfer_encodings = 0;
  std::size_t request_ids = 0;
  std::size_t upgrades = 0;
  std::size_t cookies = 0;
  std::size_t accept_encodings = 0;
  const config::ForwardingRules& rules = route.behavior->forwarding;
  // Accept-Encoding is normalized into one field (or none) by a cache policy
  // that enables a coding, and by legacy settings that do not name it.
  const bool normalized = rules.accept_encoding_gzip || rules.accept_encoding_brotli ||
                          (rules.source == config::ForwardingSource::forwarded_values &&
                           !rules.headers.includes_header("Accept-Encoding"));
  for (const auto& field : head) {
    const std::string_view name = std_view(field.name_string());
    const std::string_view value = std_view(field.value());
    if (edge::iequals(name, "Host")) {
      ++hosts;
      require(value == route.host);
    } else if (edge::iequals(name, "Content-Length")) {
      ++content_lengths;
      require(framing.content_length && !framing.chunked && value == std::to_string(*framing.content_length));
    } else if (edge::iequals(name, "Transfer-Encoding")) {
      ++transfer_encodings;
      require(framing.chunked && value == "chunked");
    } else if (edge::iequals(name, "Connection")) {
      require(value == (request.websocket_upgrade ? "Upgrade" : "Keep-Alive"));
    } else if (edge::iequals(name, "Upgrade")) {
      ++upgrades;
      require(request.websocket_upgrade && value == "websocket");
    } else if (edge::iequals(name, "X-Amz-Cf-Id")) {
      ++request_ids;
      require(value == request_id);
    } else if (edge::iequals(name, "Cookie")) {
      ++cookies;
      require(rules.cookies.scope != config::ForwardScope::none);
    } else if (edge::iequals(name, "Accept-Encoding")) {
      ++accept_encodings;
      if (normalized) {
        const bool legacy = rules.source == config::ForwardingSource::forwarded_values;
        require(
            (value == "gzip" && (legacy || rules.accept_encoding_gzip)) ||
            (value == "br" && (legacy || rules.accept_encoding_brotli)) ||
            (value == "br,gzip" && (legacy || (rules.accept_encoding_gzip && rules.accept_encoding_brotli))));
      }
    } else if (config::is_cloudfront_header(name)) {
      // Only those the rules ask for, in the CDN's spelling.
      require(std::any_of(rules.cloudfront_headers.begin(), rules.cloudfront_headers.end(),
                          [&](const std::string& asked) { return edge::iequals(asked, name); }));
      require(name.substr(0, 11) == "CloudFront-");
    } else {
      require(!edge::is_hop_by_hop(name) && !edge::iequals(name, "Expect"));
    }
  }
  require(hosts == 1 && request_ids == 1 && content_lengths + transfer_encodings <= 1);
  require(cookies <= 1 && (accept_encodings <= 1 || !normalized));
  require((upgrades == 1) == request.websocket_upgrade);
  require((content_lengths == 1) == (framing.content_length.has_value() && !framing.chunked));
  require((transfer_encodings == 1) == framing.chunked);
}

// Step 3's check: OriginPath, the viewer's path, then only what the
// behavior's query rules let through (all of it, as sent, under scope all).
void check_target(const edge::Route& route, std::string_view target) {
  const config::ForwardedNames& query = route.behavior->forwarding.query_strings;
  if (query.scope == config::ForwardScope::all) {
    require(route.target == route.origin->origin_path + std::string(target));
    return;
  }
  const std::string path = route.origin->origin_path + std::string(edge::target_path(target));
  require(route.target.starts_with(path));
  std::string_view kept = std::string_view(route.target).substr(path.size());
  if (kept.empty()) return;
  require(query.scope != config::ForwardScope::none && kept.size() > 1 && kept.front() == '?');
  kept.remove_prefix(1);
  // Parameters of the viewer's query, none empty, each let through.
  const std::string_view sent = target.substr(target.find('?') + 1);
  while (true) {
    const auto end = kept.find('&');
    const std::string_view parameter = kept.substr(0, end);
    require(!parameter.empty() && sent.find(parameter) != std::string_view::npos);
    require(query.includes(parameter.substr(0, parameter.find('=')), false));
    if (end == std::string_view::npos) break;
    kept.remove_prefix(end + 1);
  }
}

// Step 5: the body through a buffer of `capacity` bytes, the input offered
// `piece` bytes more at a time.
void read_body(edge::RequestParser& parser, std::string_view rest, const edge::BodyFraming& framing,
               std::size_t piece, std::size_t capacity) {
  std::string buffer(capacity, '\0');
  std::uint64_t produced_total = 0;
  std::size_t offset = 0;
  std::size_t offered = 0;
  while (!parser.is_done()) {
    offered = std::min(rest.size() - offset, offered + piece);
    auto& body = parser.get().body();
    body.data = buffer.data();
    body.size = buffer.size();
    body.more = true;
    boost::system::error_code ec;
    const std::size_t consumed = parser.put(boost::asio::buffer(rest.data() + offset, offered), ec);
    if (ec == http::error::need_buffer || ec == http::error::need_more) ec = {};
    if (ec) return;  // the edge answers 400
    require(consumed <= offered && body.size <= buffer.size());
    produced_total += buffer.size() - body.size;
    offset += consumed;
    offered -= consumed;
    if (consumed == 0 && body.size == buffer.size() && offset + offered == rest.size()) return;  // needs more
  }
  if (framing.content_length) require(produced_total == *framing.content_length);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // First byte: the read size (1-64); second: bit 0 the viewer came over TLS,
  // bit 1 HTTP/1.0 rather than 1.1 in Via, bits 2-4 the body buffer (1-8 bytes).
  const std::size_t piece = (data[0] % 64) + 1;
  const bool viewer_tls = (data[1] & 1) != 0;
  const std::size_t body_capacity = ((data[1] >> 2) & 7) + 1;
  const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

  const edge::HeadScan scan = scan_in_pieces(input, piece);
  const edge::HeadScan at_once = edge::scan_request_head(input);
  require(scan.problem.has_value() == at_once.problem.has_value());
  if (scan.problem) {
    require(scan.problem->status == at_once.problem->status);
    return 0;
  }
  require(scan.head_size == at_once.head_size);
  if (scan.head_size == 0) return 0;
  require(scan.head_size <= input.size() && input.substr(0, scan.head_size).ends_with("\r\n\r\n"));

  edge::RequestParser parser;
  const auto read = edge::read_request_head(parser, input.substr(0, scan.head_size));
  const auto* framing = std::get_if<edge::BodyFraming>(&read);
  if (framing == nullptr) {
    require(!std::get<edge::HeadProblem>(read).reason.empty());
    return 0;
  }
  const auto& head = parser.get().base();
  std::string_view host;
  if (const auto field = head.find(http::field::host); field != head.end()) host = std_view(field->value());
  std::string target_storage;
  const std::string_view target = edge::origin_form(std_view(head.target()), target_storage);
  const auto routed = edge::route(
      distribution(), edge::ViewerRequestLine{std_view(head.method_string()), target, host, viewer_tls});
  if (const auto* route = std::get_if<edge::Route>(&routed)) {
    check_target(*route, target);
    const bool websocket = edge::is_websocket_upgrade(head);
    require(!websocket || (head.method() == http::verb::get && head.version() == 11 && !framing->has_body()));
    edge::ViewerInfo viewer{"192.0.2.1", head.version() == 10 ? 10u : 11u, viewer_tls, websocket};
    viewer.port = 40000;
    if (viewer_tls) {
      viewer.tls_version = "TLSv1.3";
      viewer.tls_cipher = "TLS_AES_128_GCM_SHA256";
      viewer.tls_handshake = "fullHandshake";
    }
    edge::EdgeIdentity identity;
    identity.host_id = "0123456789abcdef0123456789abcdef";
    const std::string request_id = "fuzz-request-id";
    const origin::RequestHead request =
        edge::make_origin_request(head, *route, viewer, *framing, request_id, identity);
    const auto serialized = origin::serialize_request_head(request);
    require(serialized.has_value());
    check_origin_head(*serialized, request, *route, *framing, request_id);
  } else {
    const auto& refusal = std::get<edge::Refusal>(routed);
    require(refusal.status == 301 || refusal.status == 403 || refusal.status == 502);
  }
  read_body(parser, input.substr(scan.head_size), *framing, piece, body_capacity);
  return 0;
}
