// What of a viewer's request reaches the origin under a behavior's
// ForwardingRules (headers, cookies, query string, Accept-Encoding, the
// CloudFront-* headers the edge writes) and the Set-Cookie rule on the way
// back. The rules are built here as the config reader builds them.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "edgefetch/edge/message_rewrite.hpp"
#include "edgefetch/edge/routing.hpp"
#include "edgefetch/edge/viewer_values.hpp"

namespace edgefetch::edge {
namespace {
namespace http = boost::beast::http;
using config::ForwardedNames;
using config::ForwardingRules;
using config::ForwardingSource;
using config::ForwardScope;

const EdgeIdentity kIdentity{"0123456789abcdef0123456789abcdef", "EFX1-C1"};

ForwardedNames names(ForwardScope scope, std::vector<std::string> listed = {}, bool wildcards = false) {
  return ForwardedNames{scope, std::move(listed), wildcards};
}

// No ForwardedValues and no cache policy (or a policy whose settings are not at hand).
ForwardingRules unspecified() {
  ForwardingRules rules;
  rules.source = ForwardingSource::unspecified;
  rules.headers = names(ForwardScope::all_except, {"Host", "User-Agent"});
  return rules;
}

// ForwardedValues with the given Headers, all cookies and query strings.
ForwardingRules legacy(std::vector<std::string> headers = {}) {
  ForwardingRules rules;
  rules.source = ForwardingSource::forwarded_values;
  rules.headers = names(ForwardScope::listed, std::move(headers));
  return rules;
}

// Policies that name the given headers and no cookie or query string.
ForwardingRules policies(ForwardedNames headers) {
  ForwardingRules rules;
  rules.source = ForwardingSource::policies;
  rules.headers = std::move(headers);
  rules.cookies = names(ForwardScope::none);
  rules.query_strings = names(ForwardScope::none);
  return rules;
}

http::request_header<> parse(const std::string& text) {
  http::request_parser<http::empty_body> parser;
  parser.header_limit(1U << 20);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(text), ec);
  EXPECT_FALSE(ec) << ec.message();
  return parser.get().base();
}

// The origin request for a viewer request head (without its final CRLF) under `behavior`.
struct Forwarder {
  config::Origin origin;
  config::CacheBehavior behavior;

  explicit Forwarder(ForwardingRules rules) {
    origin.id = "web";
    origin.domain_name = "web.example.com";
    behavior.target_origin_id = "web";
    behavior.forwarding = std::move(rules);
  }

  origin::RequestHead forward(const std::string& head,
                              const ViewerInfo& info = {"192.0.2.7", 11, false}) const {
    Route route;
    route.behavior = &behavior;
    route.origin = &origin;
    route.host = origin.domain_name;
    route.target = "/";
    return make_origin_request(parse(head + "\r\n"), route, info, {}, "ID", kIdentity);
  }
};

// The value of `name` (exact spelling), "<absent>" or "<repeated>".
std::string field(const origin::RequestHead& head, std::string_view name) {
  std::string value = "<absent>";
  int count = 0;
  for (const auto& h : head.headers) {
    if (h.name == name) {
      value = h.value;
      ++count;
    }
  }
  return count > 1 ? "<repeated>" : value;
}

bool has_field(const origin::RequestHead& head, std::string_view name) {
  return field(head, name) != "<absent>";
}

const std::string kBrowserRequest =
    "GET / HTTP/1.1\r\nHost: viewer.example\r\nUser-Agent: Mozilla/5.0\r\nAccept: text/html\r\n"
    "Accept-Charset: utf-8\r\nAccept-Language: en\r\nReferer: https://a.example/\r\n"
    "X-Forwarded-Proto: https\r\nX-HTTP-Method-Override: PUT\r\nX-Real-IP: 198.51.100.1\r\n"
    "Authorization: Bearer t\r\nCookie: a=1\r\nAccept-Encoding: gzip, deflate, br\r\n"
    "Origin: https://a.example\r\nCache-Control: no-cache\r\nX-Custom: c\r\n";

const std::vector<std::string> kLegacyRemoved = {"Accept",   "Accept-Charset",    "Accept-Language",
                                                 "Referer",  "X-Forwarded-Proto", "X-HTTP-Method-Override",
                                                 "X-Real-IP"};

// --- headers ---------------------------------------------------------------

TEST(ForwardHeaders, UnspecifiedRulesForwardEveryViewerHeaderButUserAgentAsBefore) {
  const auto head = Forwarder(unspecified()).forward(kBrowserRequest);
  for (const auto& name : kLegacyRemoved) EXPECT_TRUE(has_field(head, name)) << name;
  EXPECT_EQ(field(head, "User-Agent"), "Amazon CloudFront");
  EXPECT_EQ(field(head, "Authorization"), "Bearer t");
  EXPECT_EQ(field(head, "Cookie"), "a=1");
  EXPECT_EQ(field(head, "Accept-Encoding"), "gzip, deflate, br");  // raw: not normalized
  EXPECT_EQ(field(head, "X-Custom"), "c");
  EXPECT_EQ(field(head, "Host"), "web.example.com");
}

TEST(ForwardHeaders, LegacyRemovesTheTablesHeadersUnlessNamed) {
  auto head = Forwarder(legacy()).forward(kBrowserRequest);
  for (const auto& name : kLegacyRemoved) EXPECT_FALSE(has_field(head, name)) << name;
  EXPECT_EQ(field(head, "Origin"), "https://a.example");  // other fields: forwarded
  EXPECT_EQ(field(head, "Cache-Control"), "no-cache");
  EXPECT_EQ(field(head, "X-Custom"), "c");
  EXPECT_EQ(field(head, "User-Agent"), "Amazon CloudFront");

  // Named (in any case): forwarded.
  head = Forwarder(legacy({"accept", "REFERER", "X-Real-IP", "User-Agent"})).forward(kBrowserRequest);
  EXPECT_EQ(field(head, "Accept"), "text/html");
  EXPECT_EQ(field(head, "Referer"), "https://a.example/");
  EXPECT_EQ(field(head, "X-Real-IP"), "198.51.100.1");
  EXPECT_EQ(field(head, "User-Agent"), "Mozilla/5.0");
  EXPECT_FALSE(has_field(head, "Accept-Language"));
}

TEST(ForwardHeaders, LegacyAuthorizationDependsOnTheMethodAndCachedOptions) {
  Forwarder forwarder(legacy());
  const auto with_method = [&](std::string_view method) {
    return forwarder.forward(std::string(method) + " / HTTP/1.1\r\nHost: v\r\nAuthorization: Basic x\r\n");
  };
  EXPECT_FALSE(has_field(with_method("GET"), "Authorization"));
  EXPECT_FALSE(has_field(with_method("HEAD"), "Authorization"));
  for (const auto* method : {"POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    EXPECT_EQ(field(with_method(method), "Authorization"), "Basic x") << method;
  }
  forwarder.behavior.cached_methods = {"GET", "HEAD", "OPTIONS"};
  EXPECT_FALSE(has_field(with_method("OPTIONS"), "Authorization"));
  EXPECT_EQ(field(with_method("POST"), "Authorization"), "Basic x");

  // Named: forwarded whatever the method.
  forwarder.behavior.forwarding = legacy({"Authorization"});
  EXPECT_EQ(field(with_method("GET"), "Authorization"), "Basic x");
  EXPECT_EQ(field(with_method("OPTIONS"), "Authorization"), "Basic x");
}

TEST(ForwardHeaders, PoliciesForwardOnlyWhatTheyNameAndThePassThroughSet) {
  auto head = Forwarder(policies(names(ForwardScope::listed, {"Origin"}))).forward(kBrowserRequest);
  EXPECT_EQ(field(head, "Origin"), "https://a.example");
  for (const auto& name : kLegacyRemoved) EXPECT_FALSE(has_field(head, name)) << name;
  EXPECT_FALSE(has_field(head, "X-Custom"));
  EXPECT_FALSE(has_field(head, "Cache-Control"));
  EXPECT_FALSE(has_field(head, "Cookie"));
  EXPECT_FALSE(has_field(head, "Accept-Encoding"));
  EXPECT_EQ(field(head, "User-Agent"), "Amazon CloudFront");
  head = Forwarder(policies(names(ForwardScope::none)))
             .forward("POST / HTTP/1.1\r\nHost: v\r\nAuthorization: Basic x\r\nX-Custom: 1\r\n");
  EXPECT_FALSE(has_field(head, "Authorization"));  // policies: never unless named
  EXPECT_FALSE(has_field(head, "X-Custom"));

  // All viewer headers (AllViewer): everything, User-Agent and Authorization included.
  head = Forwarder(policies(names(ForwardScope::all))).forward(kBrowserRequest);
  for (const auto& name : kLegacyRemoved) EXPECT_TRUE(has_field(head, name)) << name;
  EXPECT_EQ(field(head, "User-Agent"), "Mozilla/5.0");
  EXPECT_EQ(field(head, "Authorization"), "Bearer t");
  EXPECT_EQ(field(head, "X-Custom"), "c");

  // All except some (AllViewerExceptHostHeader and custom block lists).
  head = Forwarder(policies(names(ForwardScope::all_except, {"Host", "x-custom"}))).forward(kBrowserRequest);
  EXPECT_FALSE(has_field(head, "X-Custom"));
  EXPECT_EQ(field(head, "Accept"), "text/html");
}

TEST(ForwardHeaders, ThePassThroughSetGoesThroughUnderEveryRule) {
  const std::string request =
      "PUT / HTTP/1.1\r\nHost: v\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n"
      "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\nIf-Match: \"a\"\r\nIf-None-Match: \"b\"\r\n"
      "If-Modified-Since: Thu, 26 Nov 2026 17:58:17 GMT\r\nIf-Unmodified-Since: Thu, 26 Nov 2026 17:58:17 "
      "GMT\r\n"
      "If-Range: \"c\"\r\nRange: bytes=0-1\r\nRequest-Range: bytes=2-3\r\n";
  for (const auto& rules : {policies(names(ForwardScope::none)), legacy(), unspecified()}) {
    const auto head = Forwarder(rules).forward(request);
    for (const auto* name :
         {"Content-Type", "Content-Encoding", "Content-MD5", "If-Match", "If-None-Match", "If-Modified-Since",
          "If-Unmodified-Since", "If-Range", "Range", "Request-Range"}) {
      EXPECT_TRUE(has_field(head, name)) << name;
    }
  }
}

TEST(ForwardHeaders, HopByHopFieldsStayRemovedEvenWhenNamed) {
  const auto head =
      Forwarder(legacy({"TE", "Trailer", "Proxy-Authorization", "Proxy-Connection", "Keep-Alive"}))
          .forward(
              "GET / HTTP/1.1\r\nHost: v\r\nTE: trailers\r\nTrailer: X\r\n"
              "Proxy-Authorization: Basic x\r\nProxy-Connection: keep-alive\r\n"
              "Keep-Alive: timeout=5\r\nExpect: 100-continue\r\nX-Edge-Foo: 1\r\n");
  for (const auto* name :
       {"TE", "Trailer", "Proxy-Authorization", "Proxy-Connection", "Keep-Alive", "Expect", "X-Edge-Foo"}) {
    EXPECT_FALSE(has_field(head, name)) << name;
  }
}

TEST(ForwardHeaders, AViewersCloudFrontHeadersAreAlwaysRemoved) {
  const std::string request =
      "GET / HTTP/1.1\r\nHost: v\r\nCloudFront-Viewer-Address: 10.0.0.1:1\r\n"
      "cloudfront-is-mobile-viewer: true\r\nCloudFront-Viewer-Country: AQ\r\nCloudFrontish: kept\r\n";
  for (const auto& rules :
       {unspecified(), legacy({"CloudFront-Viewer-Country"}), policies(names(ForwardScope::all))}) {
    const auto head = Forwarder(rules).forward(request);
    EXPECT_FALSE(has_field(head, "CloudFront-Viewer-Address"));
    EXPECT_FALSE(has_field(head, "cloudfront-is-mobile-viewer"));
    EXPECT_FALSE(has_field(head, "CloudFront-Viewer-Country"));
    EXPECT_EQ(field(head, "CloudFrontish"), "kept");  // not the CloudFront- namespace
  }
}

TEST(ForwardHeaders, WebSocketHandshakeFieldsGoThroughWhateverTheRules) {
  const std::string request =
      "GET /chat HTTP/1.1\r\nHost: v\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      "sec-websocket-protocol: chat\r\nX-Custom: 1\r\n";
  const Forwarder forwarder(policies(names(ForwardScope::none)));
  const auto upgrade = forwarder.forward(request, {"192.0.2.7", 11, false, true});
  EXPECT_TRUE(upgrade.websocket_upgrade);
  EXPECT_EQ(field(upgrade, "Sec-WebSocket-Key"), "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(field(upgrade, "Sec-WebSocket-Version"), "13");
  EXPECT_EQ(field(upgrade, "sec-websocket-protocol"), "chat");
  EXPECT_FALSE(has_field(upgrade, "X-Custom"));
  EXPECT_FALSE(has_field(upgrade, "Upgrade"));  // the origin client's to write

  // Not an upgrade: ordinary fields, which these rules do not forward.
  const auto plain = forwarder.forward(request, {"192.0.2.7", 11, false, false});
  EXPECT_FALSE(has_field(plain, "Sec-WebSocket-Key"));
}

TEST(ForwardHeaders, CustomHeadersStillReplaceViewerAndGeneratedFields) {
  auto rules = policies(names(ForwardScope::all));
  rules.cookies = names(ForwardScope::all);
  rules.cloudfront_headers = {"CloudFront-Viewer-Address", "CloudFront-Forwarded-Proto"};
  Forwarder forwarder(rules);
  forwarder.origin.custom_headers = {{"User-Agent", "edge-agent"},
                                     {"Cookie", "fixed=1"},
                                     {"Accept-Encoding", "identity"},
                                     {"CloudFront-Viewer-Address", "custom"}};
  const auto head = forwarder.forward(
      "GET / HTTP/1.1\r\nHost: v\r\nUser-Agent: ua\r\nCookie: a=1\r\nAccept-Encoding: gzip\r\n");
  EXPECT_EQ(field(head, "User-Agent"), "edge-agent");
  EXPECT_EQ(field(head, "Cookie"), "fixed=1");
  EXPECT_EQ(field(head, "Accept-Encoding"), "identity");
  EXPECT_EQ(field(head, "CloudFront-Viewer-Address"), "custom");
  EXPECT_EQ(field(head, "CloudFront-Forwarded-Proto"), "http");
}

// --- cookies ---------------------------------------------------------------

TEST(ForwardCookies, AllSendsTheViewersCookiesAsSentInOneField) {
  auto rules = unspecified();
  const auto head = Forwarder(rules).forward(
      "GET / HTTP/1.1\r\nHost: v\r\nCookie: b=2; a=1\r\nX-Between: 1\r\nCookie: c=3\r\n");
  EXPECT_EQ(field(head, "Cookie"), "b=2; a=1; c=3");  // not sorted: scope all keeps the bytes
  // Where the first Cookie field was.
  ASSERT_GE(head.headers.size(), 3U);
  EXPECT_EQ(head.headers[1].name, "Cookie");
  EXPECT_EQ(head.headers[2].name, "X-Between");
}

TEST(ForwardCookies, EmptyFieldsCarryNoCookie) {
  const auto head =
      Forwarder(unspecified()).forward("GET / HTTP/1.1\r\nHost: v\r\nCookie: \r\nCookie: s=1\r\nCookie:\r\n");
  EXPECT_EQ(field(head, "Cookie"), "s=1");
  const auto only_empty = Forwarder(unspecified()).forward("GET / HTTP/1.1\r\nHost: v\r\nCookie:   \r\n");
  EXPECT_FALSE(has_field(only_empty, "Cookie"));
}

TEST(ForwardCookies, NoneRemovesThem) {
  auto rules = legacy();
  rules.cookies = names(ForwardScope::none);
  const auto head = Forwarder(rules).forward("GET / HTTP/1.1\r\nHost: v\r\nCookie: a=1\r\nCookie: b=2\r\n");
  EXPECT_FALSE(has_field(head, "Cookie"));
}

TEST(ForwardCookies, AListKeepsTheNamedPairsSortedByNameWithWildcards) {
  auto rules = legacy();
  rules.cookies = names(ForwardScope::listed, {"userid_*", "theme", "v?"}, true);
  const auto head = Forwarder(rules).forward(
      "GET / HTTP/1.1\r\nHost: v\r\nCookie: theme=dark; session=x; userid_b=2; Theme=light\r\n"
      "Cookie: userid_a=1; v1=a; v10=b; userid=none\r\n");
  // Case-sensitive names: Theme is not theme; '?' is one character.
  EXPECT_EQ(field(head, "Cookie"), "theme=dark; userid_a=1; userid_b=2; v1=a");
}

TEST(ForwardCookies, AllExceptDropsTheListedOnes) {
  auto rules = policies(names(ForwardScope::none));
  rules.cookies = names(ForwardScope::all_except, {"session"});
  const auto head = Forwarder(rules).forward("GET / HTTP/1.1\r\nHost: v\r\nCookie: z=1; session=2; a=3\r\n");
  EXPECT_EQ(field(head, "Cookie"), "a=3; z=1");
}

TEST(ForwardCookies, NothingKeptMeansNoCookieField) {
  auto rules = legacy();
  rules.cookies = names(ForwardScope::listed, {"wanted"});
  const auto head = Forwarder(rules).forward(
      "GET / HTTP/1.1\r\nHost: v\r\nCookie: a=1; wanted\r\nAccept-Encoding: gzip\r\nX-After: 1\r\n");
  EXPECT_FALSE(has_field(head, "Cookie"));  // "wanted" without '=' is no pair
  EXPECT_EQ(field(head, "Accept-Encoding"), "gzip");
  EXPECT_EQ(field(head, "X-After"), "1");
}

TEST(FilterCookies, DropsMalformedPairsTrimsAndSortsStably) {
  const auto everything = names(ForwardScope::all_except, {});
  EXPECT_EQ(filter_cookies("flag; =v; b=; a=1;;  c = 3 ", everything), "a=1; b=; c=3");
  EXPECT_EQ(filter_cookies("a=2; B=0; a=1", everything), "B=0; a=2; a=1");  // byte order, stable
  EXPECT_EQ(filter_cookies("x=\"quoted value\"", everything), "x=\"quoted value\"");
  EXPECT_EQ(filter_cookies("", everything), "");
  EXPECT_EQ(filter_cookies("a=1", names(ForwardScope::listed, {"A"})), "");
}

// --- query strings ---------------------------------------------------------

std::string target_for(std::string_view target, const ForwardedNames& query_strings) {
  std::string out = "/prod";
  append_forwarded_target(out, target, query_strings);
  return out;
}

TEST(ForwardQuery, AllKeepsTheTargetAsSent) {
  EXPECT_EQ(target_for("/p?b=2&&a=1", names(ForwardScope::all)), "/prod/p?b=2&&a=1");
  EXPECT_EQ(target_for("/p?", names(ForwardScope::all)), "/prod/p?");
  EXPECT_EQ(target_for("/p", names(ForwardScope::all)), "/prod/p");
}

TEST(ForwardQuery, NoneDropsTheQueryAndItsMark) {
  EXPECT_EQ(target_for("/p?a=1&b=2", names(ForwardScope::none)), "/prod/p");
  EXPECT_EQ(target_for("/p?", names(ForwardScope::none)), "/prod/p");
  EXPECT_EQ(target_for("/p", names(ForwardScope::none)), "/prod/p");
}

TEST(ForwardQuery, AListKeepsTheNamedParametersInTheirOrder) {
  const auto listed = names(ForwardScope::listed, {"a", "c"});
  EXPECT_EQ(target_for("/p?c=3&b=2&a=1&a=4", listed), "/prod/p?c=3&a=1&a=4");
  EXPECT_EQ(target_for("/p?a&&c=&b=1", listed), "/prod/p?a&c=");  // no '=' is a name; empties dropped
  EXPECT_EQ(target_for("/p?b=1&d=2", listed), "/prod/p");         // none kept: no '?'
  EXPECT_EQ(target_for("/p?", listed), "/prod/p");
  // Names are raw bytes, compared exactly: not decoded, not folded.
  EXPECT_EQ(target_for("/p?A=1&%61=2&a%3D=3", listed), "/prod/p");
}

TEST(ForwardQuery, AllExceptDropsTheListedAndEmptyParameters) {
  const auto except = names(ForwardScope::all_except, {"b"});
  EXPECT_EQ(target_for("/p?a=1&&b=2&c&b", except), "/prod/p?a=1&c");
  EXPECT_EQ(target_for("/p?b=1", except), "/prod/p");
}

TEST(ForwardQuery, RoutingAppliesTheBehaviorsQueryRulesAfterOriginPath) {
  config::DistributionConfig config;
  config::Origin web;
  web.id = "web";
  web.domain_name = "web.example.com";
  web.origin_path = "/prod";
  web.custom = config::CustomOriginConfig{};
  config.origins.push_back(web);
  config.default_cache_behavior.target_origin_id = "web";
  config.default_cache_behavior.forwarding = legacy();
  config.default_cache_behavior.forwarding.query_strings = names(ForwardScope::listed, {"page"});
  const auto routed = route(config, {"GET", "/list?sort=asc&page=2", "v", false});
  ASSERT_TRUE(std::holds_alternative<Route>(routed));
  EXPECT_EQ(std::get<Route>(routed).target, "/prod/list?page=2");

  config.default_cache_behavior.forwarding.query_strings = names(ForwardScope::none);
  EXPECT_EQ(std::get<Route>(route(config, {"GET", "/list?page=2", "v", false})).target, "/prod/list");
  // A redirect to HTTPS keeps the viewer's whole target.
  config.default_cache_behavior.viewer_protocol_policy = config::ViewerProtocolPolicy::redirect_to_https;
  EXPECT_EQ(std::get<Refusal>(route(config, {"GET", "/list?page=2", "v", false})).location,
            "https://v/list?page=2");
}

// --- Accept-Encoding -------------------------------------------------------

AcceptedCodings accepted(std::initializer_list<std::string_view> fields) {
  AcceptedCodings codings;
  for (const auto value : fields) codings.add_field_value(value);
  return codings;
}

TEST(AcceptEncoding, ReadsTheViewersCodingsAndWeights) {
  auto codings = accepted({"gzip, deflate, br"});
  EXPECT_TRUE(codings.gzip && codings.br);
  codings = accepted({"GZIP;q=0.5", "Br ; q=1"});
  EXPECT_TRUE(codings.gzip && codings.br);
  codings = accepted({"gzip;q=0, br"});
  EXPECT_FALSE(codings.gzip);
  EXPECT_TRUE(codings.br);
  codings = accepted({"br; q=0.000, gzip; Q=0."});
  EXPECT_FALSE(codings.gzip || codings.br);
  codings = accepted({"gzip;q=0.001"});
  EXPECT_TRUE(codings.gzip);
  codings = accepted({"identity, deflate, *, x-gzip, gzipx"});
  EXPECT_FALSE(codings.gzip || codings.br);
}

TEST(AcceptEncoding, NormalizesToTheEnabledCodings) {
  const AcceptedCodings both{true, true};
  EXPECT_EQ(normalized_accept_encoding(both, true, true), "br,gzip");
  EXPECT_EQ(normalized_accept_encoding(both, true, false), "gzip");
  EXPECT_EQ(normalized_accept_encoding(both, false, true), "br");
  EXPECT_EQ(normalized_accept_encoding({true, false}, false, true), "");
  EXPECT_EQ(normalized_accept_encoding({false, false}, true, true), "");
}

TEST(AcceptEncoding, ACachePolicyNormalizesTheOriginsHeader) {
  auto rules = policies(names(ForwardScope::none));  // CachingOptimized: gzip and br
  rules.accept_encoding_gzip = true;
  rules.accept_encoding_brotli = true;
  const Forwarder optimized(rules);
  EXPECT_EQ(field(optimized.forward("GET / HTTP/1.1\r\nHost: v\r\nAccept-Encoding: gzip, deflate, br\r\n"),
                  "Accept-Encoding"),
            "br,gzip");
  EXPECT_EQ(field(optimized.forward(
                      "GET / HTTP/1.1\r\nHost: v\r\nAccept-Encoding: gzip\r\nAccept-Encoding: BR\r\n"),
                  "Accept-Encoding"),
            "br,gzip");
  EXPECT_FALSE(has_field(optimized.forward("GET / HTTP/1.1\r\nHost: v\r\nAccept-Encoding: deflate\r\n"),
                         "Accept-Encoding"));
  EXPECT_FALSE(has_field(optimized.forward("GET / HTTP/1.1\r\nHost: v\r\nAccept-Encoding: gzip;q=0\r\n"),
                         "Accept-Encoding"));
  EXPECT_FALSE(has_field(optimized.forward("GET / HTTP/1.1\r\nHost: v\r\n"), "Accept-Encoding"));

  rules.accept_encoding_brotli = false;  // Elemental-MediaPackage: gzip only
  const Forwarder gzip_only(rules);
  EXPECT_EQ(field(gzip_only.forward("GET / HTTP/1.1\r\nHost: v\r\nAccept-Encoding: br, gzip\r\n"),
                  "Accept-Encoding"),
            "gzip");
  EXPECT_FALSE(has_field(gzip_only.forward("GET / HTTP/1.1\r\nHost: v\r\nAccept-Encoding: br\r\n"),
                         "Accept-Encoding"));

  // Neither coding enabled: an ordinary header, here not named.
  rules.accept_encoding_gzip = false;
  EXPECT_FALSE(has_field(Forwarder(rules).forward("GET / HTTP/1.1\r\nHost: v\r\nAccept-Encoding: gzip\r\n"),
                         "Accept-Encoding"));
}

TEST(AcceptEncoding, LegacySettingsNormalizeUnlessTheyNameIt) {
  const std::string request = "GET / HTTP/1.1\r\nHost: v\r\nAccept-Encoding: deflate, gzip, br;q=0.8\r\n";
  EXPECT_EQ(field(Forwarder(legacy()).forward(request), "Accept-Encoding"), "br,gzip");
  EXPECT_EQ(field(Forwarder(legacy({"Accept-Encoding"})).forward(request), "Accept-Encoding"),
            "deflate, gzip, br;q=0.8");
  EXPECT_EQ(field(Forwarder(unspecified()).forward(request), "Accept-Encoding"), "deflate, gzip, br;q=0.8");
}

// --- CloudFront-* headers the edge writes ------------------------------------

TEST(GeneratedHeaders, AreWrittenWhenTheRulesAskForThem) {
  auto rules = policies(names(ForwardScope::all));
  rules.cloudfront_headers = {"cloudfront-viewer-address",      "CloudFront-Forwarded-Proto",
                              "CloudFront-Viewer-Http-Version", "CloudFront-Viewer-TLS",
                              "CloudFront-Viewer-Header-Order", "CloudFront-Viewer-Header-Count",
                              "CloudFront-Is-Mobile-Viewer",    "CloudFront-Viewer-Country"};
  const Forwarder forwarder(rules);
  const std::string request =
      "GET / HTTP/1.1\r\nHost: v\r\nuser-agent: ua\r\nAccept: */*\r\nCloudFront-Viewer-Address: forged\r\n";
  ViewerInfo tls{"2001:db8::1", 11, true};
  tls.port = 46532;
  tls.tls_version = "TLSv1.3";
  tls.tls_cipher = "TLS_AES_128_GCM_SHA256";
  tls.tls_handshake = "fullHandshake";
  auto head = forwarder.forward(request, tls);
  EXPECT_EQ(field(head, "CloudFront-Viewer-Address"), "2001:db8::1:46532");
  EXPECT_EQ(field(head, "CloudFront-Forwarded-Proto"), "https");
  EXPECT_EQ(field(head, "CloudFront-Viewer-Http-Version"), "1.1");
  EXPECT_EQ(field(head, "CloudFront-Viewer-TLS"), "TLSv1.3:TLS_AES_128_GCM_SHA256:fullHandshake");
  EXPECT_EQ(field(head, "CloudFront-Viewer-Header-Order"),
            "Host:user-agent:Accept:CloudFront-Viewer-Address");
  EXPECT_EQ(field(head, "CloudFront-Viewer-Header-Count"), "4");
  EXPECT_FALSE(has_field(head, "cloudfront-viewer-address"));    // the CDN's spelling only
  EXPECT_FALSE(has_field(head, "CloudFront-Is-Mobile-Viewer"));  // no data for these
  EXPECT_FALSE(has_field(head, "CloudFront-Viewer-Country"));
  // After the viewer's fields, before Via.
  std::vector<std::string> order;
  for (const auto& h : head.headers) order.push_back(h.name);
  const auto via = std::find(order.begin(), order.end(), "Via");
  const auto proto = std::find(order.begin(), order.end(), "CloudFront-Forwarded-Proto");
  const auto accept = std::find(order.begin(), order.end(), "Accept");
  EXPECT_LT(accept, proto);
  EXPECT_LT(proto, via);

  tls.tls_handshake = "connectionReused";
  head = forwarder.forward(request, tls);
  EXPECT_EQ(field(head, "CloudFront-Viewer-TLS"), "TLSv1.3:TLS_AES_128_GCM_SHA256:connectionReused");

  ViewerInfo plain{"192.0.2.7", 10, false};
  plain.port = 5000;
  head = forwarder.forward("GET / HTTP/1.0\r\nHost: v\r\n", plain);
  EXPECT_EQ(field(head, "CloudFront-Viewer-Address"), "192.0.2.7:5000");
  EXPECT_EQ(field(head, "CloudFront-Forwarded-Proto"), "http");
  EXPECT_EQ(field(head, "CloudFront-Viewer-Http-Version"), "1.0");
  EXPECT_FALSE(has_field(head, "CloudFront-Viewer-TLS"));
  EXPECT_EQ(field(head, "CloudFront-Viewer-Header-Count"), "1");
}

TEST(GeneratedHeaders, NoneUnlessAskedFor) {
  const auto head = Forwarder(policies(names(ForwardScope::all))).forward("GET / HTTP/1.1\r\nHost: v\r\n");
  for (const auto& h : head.headers) EXPECT_FALSE(config::is_cloudfront_header(h.name)) << h.name;
}

TEST(GeneratedHeaders, HeaderOrderIsCutAtTheCdnsLimit) {
  auto rules = policies(names(ForwardScope::none));
  rules.cloudfront_headers = {"CloudFront-Viewer-Header-Order", "CloudFront-Viewer-Header-Count"};
  std::string request = "GET / HTTP/1.1\r\nHost: v\r\n";
  std::string expected = "Host";
  for (int i = 0; i < 90; ++i) {
    const std::string name = "X-Long-Field-Name-" + std::to_string(i) + std::string(80, 'n');
    request += name + ": 1\r\n";
    expected += ":" + name;
  }
  ASSERT_GT(expected.size(), kMaxHeaderOrderSize);
  const auto head = Forwarder(rules).forward(request);
  EXPECT_EQ(field(head, "CloudFront-Viewer-Header-Order"), expected.substr(0, kMaxHeaderOrderSize));
  EXPECT_EQ(field(head, "CloudFront-Viewer-Header-Count"), "91");
}

// --- Set-Cookie on the way back -------------------------------------------------

std::string lowered(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

TEST(SetCookie, IsRemovedOnlyWhenTheBehaviorForwardsNoCookies) {
  origin::ResponseHead origin_head;
  origin_head.status = 200;
  origin_head.reason = "OK";
  origin_head.headers = {
      {"Set-Cookie", "a=1"}, {"set-cookie", "b=2"}, {"Set-Cookie2", "c=3"}, {"Content-Type", "text/plain"}};
  origin_head.content_length = 0;
  origin_head.has_body = true;
  const auto kept = make_viewer_response(origin_head, false, 11, true, "RID", kIdentity);
  EXPECT_NE(kept.head.find("Set-Cookie: a=1\r\n"), std::string::npos);
  EXPECT_NE(kept.head.find("set-cookie: b=2\r\n"), std::string::npos);
  EXPECT_NE(kept.head.find("Set-Cookie2: c=3\r\n"), std::string::npos);
  ForwardingRules no_cookies = unspecified();
  no_cookies.cookies = names(ForwardScope::none);
  const auto stripped = make_viewer_response(origin_head, false, 11, true, "RID", kIdentity, &no_cookies);
  EXPECT_EQ(lowered(stripped.head).find("set-cookie"), std::string::npos) << stripped.head;
  EXPECT_NE(stripped.head.find("Content-Type: text/plain\r\n"), std::string::npos);

  origin_head.status = 101;
  origin_head.headers.push_back({"Upgrade", "websocket"});
  origin_head.headers.push_back({"Connection", "Upgrade"});
  EXPECT_NE(make_switching_protocols_head(origin_head, "RID", kIdentity).find("Set-Cookie: a=1"),
            std::string::npos);
  const std::string switched = make_switching_protocols_head(origin_head, "RID", kIdentity, &no_cookies);
  EXPECT_EQ(lowered(switched).find("set-cookie"), std::string::npos) << switched;
}

// --- Vary on the way back ---------------------------------------------------------

// The viewer's Vary fields (name: value lines) for an origin answer with
// these fields, under `rules`.
std::vector<std::string> vary_fields(const std::vector<origin::Header>& fields,
                                     const ForwardingRules& rules) {
  origin::ResponseHead origin_head;
  origin_head.status = 200;
  origin_head.reason = "OK";
  origin_head.headers = fields;
  origin_head.content_length = 0;
  origin_head.has_body = true;
  const std::string head = make_viewer_response(origin_head, false, 11, true, "RID", kIdentity, &rules).head;
  std::vector<std::string> found;
  for (std::size_t at = head.find("\r\n"); at != std::string::npos; at = head.find("\r\n", at + 2)) {
    const std::string line = head.substr(at + 2, head.find("\r\n", at + 2) - at - 2);
    if (lowered(line).rfind("vary:", 0) == 0) found.push_back(line);
  }
  return found;
}

using Lines = std::vector<std::string>;

TEST(Vary, KeepsAcceptEncodingCookieAndWhatTheBehaviorForwards) {
  const std::vector<origin::Header> fields = {{"Vary", "Accept-Encoding, User-Agent"},
                                              {"X-A", "1"},
                                              {"vary", "cookie,X-Tenant ,Origin"},
                                              {"X-B", "2"}};
  EXPECT_EQ(vary_fields(fields, legacy()), Lines{"Vary: Accept-Encoding, cookie"});
  EXPECT_EQ(vary_fields(fields, policies(names(ForwardScope::none))), Lines{"Vary: Accept-Encoding, cookie"});
  EXPECT_EQ(vary_fields(fields, legacy({"x-tenant"})), Lines{"Vary: Accept-Encoding, cookie, X-Tenant"});
  EXPECT_EQ(vary_fields(fields, policies(names(ForwardScope::listed, {"Origin", "User-Agent"}))),
            Lines{"Vary: Accept-Encoding, User-Agent, cookie, Origin"});
  EXPECT_EQ(vary_fields(fields, policies(names(ForwardScope::all_except, {"Origin"}))),
            Lines{"Vary: Accept-Encoding, User-Agent, cookie, X-Tenant"});
  auto all = legacy();
  all.headers = names(ForwardScope::all);
  EXPECT_EQ(vary_fields(fields, all), Lines{"Vary: Accept-Encoding, User-Agent, cookie, X-Tenant, Origin"});
  // The one field is where the first was.
  origin::ResponseHead origin_head;
  origin_head.status = 200;
  origin_head.headers = fields;
  const auto rules = legacy();
  EXPECT_NE(make_viewer_response(origin_head, true, 11, true, "RID", kIdentity, &rules)
                .head.find("\r\nVary: Accept-Encoding, cookie\r\nX-A: 1\r\nX-B: 2\r\n"),
            std::string::npos);
}

TEST(Vary, KeepsUserAgentWhenADeviceHeaderIsForwarded) {
  auto device = legacy();
  device.cloudfront_headers = {"CloudFront-Is-Tablet-Viewer"};
  EXPECT_EQ(vary_fields({{"Vary", "User-Agent"}}, device), Lines{"Vary: User-Agent"});
  auto country = legacy();
  country.cloudfront_headers = {"CloudFront-Viewer-Country"};
  EXPECT_EQ(
      vary_fields({{"Vary", "User-Agent, CloudFront-Viewer-Country, CloudFront-Is-Mobile-Viewer"}}, country),
      Lines{"Vary: CloudFront-Viewer-Country"});
}

TEST(Vary, IsRemovedWhenNothingIsLeftAndKeepsAStarAndEachNameOnce) {
  EXPECT_EQ(vary_fields({{"Vary", "User-Agent, X-Foo"}, {"Vary", " , "}}, legacy()), Lines{});
  EXPECT_EQ(vary_fields({{"Vary", "*"}}, legacy()), Lines{"Vary: *"});
  EXPECT_EQ(
      vary_fields({{"Vary", "Cookie, Accept-Encoding"}, {"Vary", "accept-encoding,COOKIE, *"}}, legacy()),
      Lines{"Vary: Cookie, Accept-Encoding, *"});
  // A field that could split the head is dropped as any other; the rest stays.
  EXPECT_EQ(vary_fields({{"Vary", "Cookie\r\nX-Injected: 1"}, {"Vary", "Accept-Encoding"}}, legacy()),
            Lines{"Vary: Accept-Encoding"});
}

TEST(Vary, IsAsTheOriginSentItWithoutRules) {
  origin::ResponseHead origin_head;
  origin_head.status = 200;
  origin_head.headers = {{"Vary", "X-Foo"}, {"Vary", "User-Agent"}};
  const std::string head = make_viewer_response(origin_head, true, 11, true, "RID", kIdentity).head;
  EXPECT_NE(head.find("\r\nVary: X-Foo\r\nVary: User-Agent\r\n"), std::string::npos) << head;
}

}  // namespace
}  // namespace edgefetch::edge
