#include <gtest/gtest.h>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "edgefetch/edge/error_page.hpp"
#include "edgefetch/edge/message_rewrite.hpp"
#include "edgefetch/edge/request_id.hpp"
#include "edgefetch/edge/routing.hpp"

namespace edgefetch::edge {
namespace {
namespace http = boost::beast::http;

// What the config reader gives a behavior that names neither ForwardedValues
// nor a cache policy: every viewer header but Host and User-Agent, every
// cookie and query string parameter.
config::ForwardingRules unspecified_rules() {
  config::ForwardingRules rules;
  rules.source = config::ForwardingSource::unspecified;
  rules.headers = {config::ForwardScope::all_except, {"Host", "User-Agent"}, false};
  return rules;
}

config::DistributionConfig sample() {
  config::DistributionConfig config;
  config::Origin web;
  web.id = "web";
  web.domain_name = "web.example.com";
  web.origin_path = "/prod";
  web.custom_headers = {{"X-Secret", "s"}};
  web.custom = config::CustomOriginConfig{};
  web.custom->protocol_policy = config::OriginProtocolPolicy::match_viewer;
  web.custom->http_port = 8080;
  web.custom->https_port = 8443;
  config.origins.push_back(web);
  config::Origin api = web;
  api.id = "api";
  api.origin_path = "";
  api.custom->protocol_policy = config::OriginProtocolPolicy::http_only;
  config.origins.push_back(api);
  config::CacheBehavior images;
  images.path_pattern = "/images/*.jpg";
  images.target_origin_id = "api";
  images.forwards_host_header = true;
  images.forwarding = unspecified_rules();
  config.cache_behaviors.push_back(images);
  config.default_cache_behavior.target_origin_id = "web";
  config.default_cache_behavior.forwarding = unspecified_rules();
  return config;
}

TEST(Route, PicksTheBehaviorSchemePortAndTarget) {
  const auto config = sample();
  auto routed = route(config, {"GET", "/images/a.jpg?x=1", "viewer.example", false});
  ASSERT_TRUE(std::holds_alternative<Route>(routed));
  auto r = std::get<Route>(routed);
  EXPECT_EQ(r.origin->id, "api");
  EXPECT_FALSE(r.https);
  EXPECT_EQ(r.port, 8080);
  EXPECT_EQ(r.host, "viewer.example");  // forwarded
  EXPECT_TRUE(r.host_forwarded);
  EXPECT_EQ(r.target, "/images/a.jpg?x=1");

  routed = route(config, {"GET", "/Images/a.jpg", "viewer.example", true});  // case-sensitive: default
  r = std::get<Route>(routed);
  EXPECT_EQ(r.origin->id, "web");
  EXPECT_TRUE(r.https);  // match-viewer over HTTPS
  EXPECT_EQ(r.port, 8443);
  EXPECT_EQ(r.host, "web.example.com");
  EXPECT_EQ(r.target, "/prod/Images/a.jpg");
}

TEST(Route, RefusesMethodsAndHttpViewersAsTheCdn) {
  auto config = sample();
  auto refused = route(config, {"POST", "/x", "h", false});
  ASSERT_TRUE(std::holds_alternative<Refusal>(refused));
  EXPECT_EQ(std::get<Refusal>(refused).status, 403);
  config.default_cache_behavior.viewer_protocol_policy = config::ViewerProtocolPolicy::redirect_to_https;
  refused = route(config, {"GET", "/x?y", "h:8080", false});
  EXPECT_EQ(std::get<Refusal>(refused).status, 301);
  EXPECT_EQ(std::get<Refusal>(refused).location, "https://h/x?y");
  // An edge whose HTTPS listener is not on 443 names its port.
  refused = route(config, {"GET", "/x?y", "h:8080", false, 8443});
  EXPECT_EQ(std::get<Refusal>(refused).location, "https://h:8443/x?y");
  refused = route(config, {"GET", "/x", "[::1]:8080", false, 8443});
  EXPECT_EQ(std::get<Refusal>(refused).location, "https://[::1]:8443/x");
  EXPECT_TRUE(std::holds_alternative<Route>(route(config, {"GET", "/x", "h", true})));
  // HTTP/1.0 without Host: no URL to redirect to ("https:///x" is none).
  refused = route(config, {"GET", "/x", "", false});
  EXPECT_EQ(std::get<Refusal>(refused).status, 400);
  EXPECT_TRUE(std::get<Refusal>(refused).location.empty());
}

http::request_header<> parse(const std::string& text) {
  http::request_parser<http::empty_body> parser;
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(text), ec);
  EXPECT_FALSE(ec);
  return parser.get().base();
}

std::string field(const origin::RequestHead& head, std::string_view name) {
  std::string value;
  int count = 0;
  for (const auto& h : head.headers) {
    if (h.name == name) {
      value = h.value;
      ++count;
    }
  }
  return count > 1 ? "<repeated>" : value;
}

TEST(OriginForm, TakesThePathAndQueryOfAnAbsoluteTarget) {
  std::string storage;
  EXPECT_EQ(origin_form("/a?b", storage), "/a?b");
  EXPECT_EQ(origin_form("http://host/a?b", storage), "/a?b");
  EXPECT_EQ(origin_form("HTTPS://host:8443/x", storage), "/x");
  EXPECT_EQ(origin_form("http://host", storage), "/");
  EXPECT_EQ(origin_form("http://host?q=1/2", storage), "/?q=1/2");
  EXPECT_EQ(storage, "/?q=1/2");
  // Forms the checks refuse stay as they are, for the log.
  EXPECT_EQ(origin_form("*", storage), "*");
  EXPECT_EQ(origin_form("host:443", storage), "host:443");
  EXPECT_EQ(origin_form("", storage), "");
}

TEST(OriginRequest, RewritesAsTheCdn) {
  const auto config = sample();
  const auto r = std::get<Route>(route(config, {"GET", "/a", "viewer", false}));
  const auto viewer = parse(
      "GET /a HTTP/1.1\r\nHost: viewer\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nTE: trailers\r\n"
      "User-Agent: ua\r\nX-Forwarded-For: 1.2.3.4\r\nVia: 1.1 other\r\nX-Amz-Cf-Id: spoofed\r\nX-Secret: "
      "viewer\r\n"
      "Accept: */*\r\n\r\n");
  EdgeIdentity identity{"0123456789abcdef0123456789abcdef", "EFX1-C1"};
  const auto head = make_origin_request(viewer, r, {"10.0.0.1", 11, false}, {}, "ID", identity);
  EXPECT_EQ(head.target, "/prod/a");
  EXPECT_EQ(field(head, "Host"), "web.example.com");
  EXPECT_EQ(field(head, "X-Hop"), "");
  EXPECT_EQ(field(head, "TE"), "");
  EXPECT_EQ(field(head, "Connection"), "");
  EXPECT_EQ(field(head, "User-Agent"), "Amazon CloudFront");
  EXPECT_EQ(field(head, "X-Forwarded-For"), "1.2.3.4, 10.0.0.1");
  EXPECT_EQ(field(head, "Via"),
            "1.1 other, 1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)");
  EXPECT_EQ(field(head, "X-Amz-Cf-Id"), "ID");
  EXPECT_EQ(field(head, "X-Secret"), "s");
  EXPECT_EQ(field(head, "Accept"), "*/*");
  EXPECT_FALSE(head.content_length);
  EXPECT_FALSE(head.chunked);
}

TEST(OriginRequest, ACustomXForwardedForStartsTheOneChain) {
  auto config = sample();
  config.origins[0].custom_headers.push_back({"X-Forwarded-For", "9.9.9.9"});
  const auto r = std::get<Route>(route(config, {"GET", "/a", "viewer", false}));
  const auto viewer = parse("GET /a HTTP/1.1\r\nHost: viewer\r\nX-Forwarded-For: 5.5.5.5\r\n\r\n");
  EdgeIdentity identity{"0123456789abcdef0123456789abcdef", "EFX1-C1"};
  const auto head = make_origin_request(viewer, r, {"10.0.0.1", 11, false}, {}, "ID", identity);
  const auto fields = std::count_if(head.headers.begin(), head.headers.end(),
                                    [](const auto& h) { return h.name == "X-Forwarded-For"; });
  EXPECT_EQ(fields, 1);
  EXPECT_EQ(field(head, "X-Forwarded-For"), "9.9.9.9, 10.0.0.1");
}

TEST(OriginRequest, AWebSocketUpgradeIsAskedOfTheOriginWithItsHandshakeFields) {
  const auto config = sample();
  const auto r = std::get<Route>(route(config, {"GET", "/a", "viewer", false}));
  const auto viewer = parse(
      "GET /a HTTP/1.1\r\nHost: viewer\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Protocol: chat\r\nOrigin: https://app.example\r\n\r\n");
  EdgeIdentity identity{"0123456789abcdef0123456789abcdef", "EFX1-C1"};
  ASSERT_TRUE(is_websocket_upgrade(viewer));
  const auto head = make_origin_request(viewer, r, {"10.0.0.1", 11, false, true}, {}, "ID", identity);
  EXPECT_TRUE(head.websocket_upgrade);
  // Upgrade and Connection are the origin client's to write (with the request
  // head's flag); the handshake's own fields are end to end.
  EXPECT_EQ(field(head, "Upgrade"), "");
  EXPECT_EQ(field(head, "Connection"), "");
  EXPECT_EQ(field(head, "Sec-WebSocket-Key"), "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(field(head, "Sec-WebSocket-Version"), "13");
  EXPECT_EQ(field(head, "Sec-WebSocket-Protocol"), "chat");
  EXPECT_EQ(field(head, "Origin"), "https://app.example");
  EXPECT_EQ(field(head, "X-Amz-Cf-Id"), "ID");
  const auto plain = make_origin_request(viewer, r, {"10.0.0.1", 11, false}, {}, "ID", identity);
  EXPECT_FALSE(plain.websocket_upgrade);
}

TEST(SwitchingProtocols, RelaysTheOriginsHandshakeFieldsAndMarksTheEdge) {
  origin::ResponseHead origin_head;
  origin_head.status = 101;
  origin_head.reason = "Web Socket Protocol Handshake";
  origin_head.headers = {{"Upgrade", "WebSocket"},
                         {"Connection", "Upgrade, X-Private"},
                         {"X-Private", "1"},
                         {"Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
                         {"Sec-WebSocket-Protocol", "chat"},
                         {"Content-Length", "0"},
                         {"Via", "origin"}};
  EdgeIdentity identity{"h", "EFX1-C1"};
  const std::string head = make_switching_protocols_head(origin_head, "RID", identity);
  EXPECT_EQ(head.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0U) << head;
  EXPECT_NE(head.find("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nSec-WebSocket-Protocol: chat\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Private"), std::string::npos);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos);
  EXPECT_EQ(head.find("Via: origin"), std::string::npos);
  EXPECT_NE(head.find("\r\nVia: 1.1 h.cloudfront.net (CloudFront)\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nX-Amz-Cf-Id: RID\r\n"), std::string::npos);
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");
  EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);  // one head, nothing behind it
}

TEST(ViewerResponse, FramesAndMarksTheResponse) {
  origin::ResponseHead origin_head;
  origin_head.status = 200;
  origin_head.reason = "OK";
  origin_head.headers = {{"Content-Type", "text/plain"},
                         {"Transfer-Encoding", "chunked"},
                         {"Connection", "X-Private"},
                         {"X-Private", "1"},
                         {"Via", "origin"}};
  origin_head.chunked = true;
  origin_head.has_body = true;
  EdgeIdentity identity{"h", "EFX1-C1"};
  auto response = make_viewer_response(origin_head, false, 11, true, "RID", identity);
  EXPECT_EQ(response.framing, ViewerBodyFraming::chunked);
  EXPECT_NE(response.head.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(response.head.find("X-Private"), std::string::npos);
  EXPECT_EQ(response.head.find("Via: origin"), std::string::npos);
  EXPECT_NE(response.head.find("X-Cache: Miss from cloudfront\r\n"), std::string::npos);
  EXPECT_NE(response.head.find("X-Amz-Cf-Id: RID\r\n"), std::string::npos);
  // An origin's 4xx or 5xx is an error to the CDN, as in the access log.
  for (const unsigned status : {404U, 503U}) {
    origin::ResponseHead failed = origin_head;
    failed.status = status;
    const auto relayed = make_viewer_response(failed, false, 11, true, "RID", identity);
    EXPECT_NE(relayed.head.find("X-Cache: Error from cloudfront\r\n"), std::string::npos) << relayed.head;
  }

  response = make_viewer_response(origin_head, false, 10, true, "RID", identity);
  EXPECT_EQ(response.framing, ViewerBodyFraming::close_delimited);
  EXPECT_FALSE(response.keep_alive);

  origin_head.status = 304;
  origin_head.has_body = false;
  response = make_viewer_response(origin_head, false, 11, true, "RID", identity);
  EXPECT_EQ(response.framing, ViewerBodyFraming::none);
  EXPECT_EQ(response.head.find("Transfer-Encoding"), std::string::npos);
}

TEST(ErrorPage, HasTheCdnSkeletonAndTheRequestId) {
  const std::string page = error_page(502, origin_failure_sentence(502), "REQ<ID>");
  EXPECT_NE(page.find("<TITLE>ERROR: The request could not be satisfied</TITLE>"), std::string::npos);
  EXPECT_NE(page.find("<H1>502 ERROR</H1>"), std::string::npos);
  EXPECT_NE(page.find("Generated by edgefetch (CloudFront-compatible)"), std::string::npos);
  EXPECT_NE(page.find("Request ID: REQ&lt;ID&gt;"), std::string::npos);
}

TEST(RequestId, Is56Base64UrlCharactersAndUnique) {
  const auto a = make_request_id();
  const auto b = make_request_id();
  EXPECT_EQ(a.size(), kRequestIdLength);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(make_host_id().size(), 32u);
}

}  // namespace
}  // namespace edgefetch::edge
