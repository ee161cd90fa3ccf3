// The exact bytes of the heads the edge writes to viewers and the fields it
// sends to origins: field order, which fields are dropped, framing, the
// CDN's own fields. (Checked against the implementation before the heads
// were written with StringAppender: the bytes did not change.)

#include <gtest/gtest.h>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <string>

#include "edgefetch/edge/http_fields.hpp"
#include "edgefetch/edge/message_rewrite.hpp"

namespace edgefetch::edge {
namespace {
namespace http = boost::beast::http;

const EdgeIdentity kIdentity{"0123456789abcdef0123456789abcdef", "EFX1-C1"};
constexpr std::string_view kId = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_";
constexpr std::string_view kEdgeFields =
    "X-Cache: Miss from cloudfront\r\n"
    "Via: 1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)\r\n"
    "X-Amz-Cf-Pop: EFX1-C1\r\n"
    "X-Amz-Cf-Id: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_\r\n"
    "\r\n";

origin::ResponseHead nginx_like() {
  origin::ResponseHead head;
  head.status = 200;
  head.reason = "OK";
  head.headers = {{"Server", "nginx/1.22.1"},
                  {"Date", "Thu, 26 Nov 2026 17:58:17 GMT"},
                  {"Content-Type", "application/octet-stream"},
                  {"Content-Length", "1024"},
                  {"Last-Modified", "Thu, 26 Nov 2026 17:00:00 GMT"},
                  {"Connection", "keep-alive, X-Private"},
                  {"X-Private", "1"},
                  {"Keep-Alive", "timeout=5"},
                  {"ETag", "\"6740a1b0-400\""},
                  {"X-Bad", "a\r\nInjected: 1"},
                  {"X-Edgefetch-Origin-Error", "spoofed"},  // the edge's own field: never the origin's
                  {"Accept-Ranges", "bytes"}};
  head.content_length = 1024;
  head.has_body = true;
  head.keep_alive = true;
  return head;
}

TEST(ViewerResponseBytes, KeepsTheOriginsFieldsInOrderAndAddsTheCdns) {
  const auto origin_head = nginx_like();
  const auto response = make_viewer_response(origin_head, false, 11, true, kId, kIdentity);
  EXPECT_EQ(response.head, std::string("HTTP/1.1 200 OK\r\n"
                                       "Server: nginx/1.22.1\r\n"
                                       "Date: Thu, 26 Nov 2026 17:58:17 GMT\r\n"
                                       "Content-Type: application/octet-stream\r\n"
                                       "Last-Modified: Thu, 26 Nov 2026 17:00:00 GMT\r\n"
                                       "ETag: \"6740a1b0-400\"\r\n"
                                       "Accept-Ranges: bytes\r\n"
                                       "Content-Length: 1024\r\n") +
                               std::string(kEdgeFields));
  EXPECT_EQ(response.content_type, "application/octet-stream");
  EXPECT_EQ(response.content_length, 1024u);
  EXPECT_EQ(response.framing, ViewerBodyFraming::content_length);
  EXPECT_TRUE(response.keep_alive);

  // HTTP/1.0 viewer, closing: Connection fields; an unusable reason is replaced.
  auto odd = origin_head;
  odd.reason = "Fine\r\nX: y";
  odd.headers.erase(odd.headers.begin() + 1);  // no Date: the edge adds one
  const auto closing = make_viewer_response(odd, false, 10, false, kId, kIdentity);
  EXPECT_EQ(closing.head.rfind("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n", 0), 0u);
  EXPECT_NE(closing.head.find("\r\nDate: "), std::string::npos);
  EXPECT_NE(closing.head.find("Content-Length: 1024\r\nConnection: close\r\nX-Cache:"), std::string::npos);
  EXPECT_NE(
      closing.head.find("\r\nVia: 1.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)\r\n"),
      std::string::npos)
      << "the viewer's HTTP version";
  const auto kept = make_viewer_response(odd, false, 10, true, kId, kIdentity);
  EXPECT_NE(kept.head.find("Content-Length: 1024\r\nConnection: keep-alive\r\nX-Cache:"), std::string::npos);
}

TEST(ViewerResponseBytes, ChunksOrClosesWithoutALengthAndLeavesHeadAnswersBodiless) {
  auto origin_head = nginx_like();
  origin_head.headers.erase(origin_head.headers.begin() + 3);  // Content-Length
  origin_head.content_length.reset();
  origin_head.chunked = true;
  origin_head.status = 404;
  origin_head.reason = "";
  const auto chunked = make_viewer_response(origin_head, false, 11, true, kId, kIdentity);
  EXPECT_EQ(chunked.head.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  EXPECT_NE(chunked.head.find("Accept-Ranges: bytes\r\nTransfer-Encoding: chunked\r\nX-Cache:"),
            std::string::npos);
  EXPECT_EQ(chunked.framing, ViewerBodyFraming::chunked);

  const auto head_answer = make_viewer_response(nginx_like(), true, 11, true, kId, kIdentity);
  EXPECT_EQ(head_answer.framing, ViewerBodyFraming::none);
  EXPECT_NE(head_answer.head.find("Accept-Ranges: bytes\r\nContent-Length: 1024\r\nX-Cache:"),
            std::string::npos);

  // A long head: more and longer fields than any size estimate.
  auto big = nginx_like();
  std::string expected_fields;
  for (int i = 0; i < 60; ++i) {
    big.headers.push_back(
        {"X-Field-" + std::to_string(i), std::string(200, static_cast<char>('a' + i % 26))});
    expected_fields += big.headers.back().name + ": " + big.headers.back().value + "\r\n";
  }
  const auto large = make_viewer_response(big, false, 11, true, kId, kIdentity);
  EXPECT_NE(large.head.find("Accept-Ranges: bytes\r\n" + expected_fields + "Content-Length: 1024\r\n"),
            std::string::npos);
  EXPECT_TRUE(large.head.ends_with(kEdgeFields));
}

TEST(GeneratedResponseBytes, HasTheCdnFieldsInOrder) {
  std::string body;
  const GeneratedResponse redirect{301, "Moved.", "", "https://h/x?y"};
  const auto response = make_generated_response(redirect, false, 11, true, kId, kIdentity, &body);
  const std::string length = std::to_string(body.size());
  const auto date_start = response.head.find("Date: ") + 6;
  const std::string date = response.head.substr(date_start, 29);
  EXPECT_EQ(response.head,
            "HTTP/1.1 301 Moved Permanently\r\n"
            "Server: CloudFront\r\n"
            "Date: " +
                date +
                "\r\n"
                "Content-Type: text/html\r\n"
                "Content-Length: " +
                length +
                "\r\n"
                "Location: https://h/x?y\r\n"
                "X-Cache: Redirect from cloudfront\r\n"
                "Via: 1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)\r\n"
                "X-Amz-Cf-Pop: EFX1-C1\r\n"
                "X-Amz-Cf-Id: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_\r\n"
                "\r\n");
  EXPECT_EQ(response.content_type, "text/html");

  const GeneratedResponse failure{502, "No origin.", "connection_refused", ""};
  const auto error = make_generated_response(failure, true, 10, true, kId, kIdentity, &body);
  EXPECT_TRUE(body.empty());
  EXPECT_NE(error.head.find("Connection: keep-alive\r\nX-Edgefetch-Origin-Error: connection_refused\r\n"
                            "X-Cache: Error from cloudfront\r\n"
                            "Via: 1.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)\r\n"),
            std::string::npos);
  const GeneratedResponse unsafe{302, "Found.", "", "https://h/\r\nX: y"};
  const auto dropped = make_generated_response(unsafe, false, 11, false, kId, kIdentity, &body);
  EXPECT_EQ(dropped.head.find("Location"), std::string::npos);
  EXPECT_NE(dropped.head.find("Connection: close\r\n"), std::string::npos);
}

http::request_header<> parse(const std::string& text) {
  http::request_parser<http::empty_body> parser;
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(text), ec);
  EXPECT_FALSE(ec);
  return parser.get().base();
}

TEST(OriginRequestFields, AreInTheCdnsOrder) {
  config::Origin web;
  web.id = "web";
  web.domain_name = "web.example.com";
  web.custom_headers = {{"X-Secret", "s"}, {"X-Bad", "a\nb"}};
  Route route;
  route.origin = &web;
  route.host = "web.example.com";
  route.target = "/a";
  const auto viewer = parse(
      "GET /a HTTP/1.1\r\nHost: viewer\r\nConnection: X-Hop\r\nX-Hop: 1\r\nAccept: */*\r\n"
      "Via: 1.0 first\r\nX-Forwarded-For: 1.2.3.4\r\nVia: 1.1 second\r\nX-Forwarded-For: 5.6.7.8\r\n"
      "X-Secret: viewer\r\nX-Edge-Foo: 1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n"
      "Accept-Language: a-very-long-language-list-beyond-the-small-string\r\n\r\n");
  BodyFraming framing;
  framing.content_length = 3;
  const auto head = make_origin_request(viewer, route, {"10.0.0.1", 10, false}, framing, kId, kIdentity);
  std::string fields;
  for (const auto& h : head.headers) fields += h.name + ": " + h.value + "\n";
  EXPECT_EQ(fields,
            "Host: web.example.com\n"
            "Accept: */*\n"
            "Accept-Language: a-very-long-language-list-beyond-the-small-string\n"
            "User-Agent: Amazon CloudFront\n"
            "Via: 1.0 first, 1.1 second, 1.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)\n"
            "X-Forwarded-For: 1.2.3.4, 5.6.7.8, 10.0.0.1\n"
            "X-Amz-Cf-Id: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_\n"
            "X-Secret: s\n");
  EXPECT_EQ(head.content_length, 3u);
  EXPECT_FALSE(head.chunked);
}

}  // namespace
}  // namespace edgefetch::edge
