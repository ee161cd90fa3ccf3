// serialize_request_head: the exact bytes of the head the client writes, and
// every refusal (the API is public: `edgefetch get` and library users pass
// heads the edge never checked).

#include "origin/request_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace edgefetch::origin {
namespace {

RequestHead typical() {
  RequestHead head;
  head.method = "GET";
  head.target = "/images/a.jpg?x=1&y=%20";
  head.headers = {{"Host", "origin.test"},
                  {"Accept", "*/*"},
                  {"User-Agent", "Amazon CloudFront"},
                  {"Via", "1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)"},
                  {"X-Forwarded-For", "10.0.0.1"},
                  {"X-Amz-Cf-Id", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_"}};
  return head;
}

std::string serialized(const RequestHead& head) {
  auto bytes = serialize_request_head(head);
  EXPECT_TRUE(bytes) << (bytes ? "" : bytes.error().message);
  return bytes ? *bytes : std::string();
}

void expect_refused(const RequestHead& head, std::string_view reason_part) {
  const auto bytes = serialize_request_head(head);
  ASSERT_FALSE(bytes) << *bytes;
  EXPECT_EQ(bytes.error().kind, FailureKind::invalid_request);
  EXPECT_NE(bytes.error().message.find(reason_part), std::string::npos) << bytes.error().message;
}

TEST(SerializeRequestHead, WritesTheHeadersInOrderThenConnectionAndFraming) {
  RequestHead head = typical();
  EXPECT_EQ(serialized(head),
            "GET /images/a.jpg?x=1&y=%20 HTTP/1.1\r\n"
            "Host: origin.test\r\n"
            "Accept: */*\r\n"
            "User-Agent: Amazon CloudFront\r\n"
            "Via: 1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)\r\n"
            "X-Forwarded-For: 10.0.0.1\r\n"
            "X-Amz-Cf-Id: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_\r\n"
            "Connection: Keep-Alive\r\n"
            "\r\n");

  head.method = "POST";
  head.content_length = 0;
  EXPECT_NE(serialized(head).find("Connection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"), std::string::npos);
  head.content_length = 18446744073709551615ULL;
  EXPECT_NE(serialized(head).find("\r\nContent-Length: 18446744073709551615\r\n\r\n"), std::string::npos);
  head.content_length.reset();
  head.chunked = true;
  EXPECT_NE(serialized(head).find("Connection: Keep-Alive\r\nTransfer-Encoding: chunked\r\n\r\n"),
            std::string::npos);

  RequestHead minimal;
  minimal.method = "OPTIONS";
  minimal.target = "*";
  minimal.headers = {{"host", "h"}};
  EXPECT_EQ(serialized(minimal), "OPTIONS * HTTP/1.1\r\nhost: h\r\nConnection: Keep-Alive\r\n\r\n");
}

TEST(SerializeRequestHead, AllowsTabsObsTextAndEmptyValues) {
  RequestHead head = typical();
  head.headers.push_back({"X-Tab", "a\tb"});
  head.headers.push_back({"X-Latin1", "caf\xe9 \x80\xff"});
  head.headers.push_back({"X-Empty", ""});
  const std::string text = serialized(head);
  EXPECT_NE(text.find("X-Tab: a\tb\r\nX-Latin1: caf\xe9 \x80\xff\r\nX-Empty: \r\n"), std::string::npos);
}

TEST(SerializeRequestHead, RefusesWhatCouldSplitOrReframeTheRequest) {
  RequestHead head = typical();
  head.method = "GET /x";
  expect_refused(head, "not a valid HTTP method");
  head.method = "";
  expect_refused(head, "not a valid HTTP method");

  head = typical();
  head.target = "images";
  expect_refused(head, "must start with '/'");
  head.target = "";
  expect_refused(head, "must start with '/'");
  for (const char bad : {' ', '\r', '\n', '\0', '\x7f', '\x80', '\xff'}) {
    head.target = std::string("/a-long-enough-target") + bad + "-to-use-words";
    expect_refused(head, "space or control character");
    head.target = std::string("/") + bad;
    expect_refused(head, "space or control character");
  }

  head = typical();
  head.headers.push_back({"X Bad", "v"});
  expect_refused(head, "not a valid header name");
  head.headers.back() = {"", "v"};
  expect_refused(head, "not a valid header name");
  head.headers.back() = {"X-Long-Header-Name:", "v"};
  expect_refused(head, "not a valid header name");

  for (const char bad : {'\r', '\n', '\0', '\x7f', '\x01', '\x1f'}) {
    head = typical();
    head.headers.push_back({"X-Value", std::string("a value long enough for words ") + bad + "end"});
    expect_refused(head, "line break or control character");
    head.headers.back().value = std::string(1, bad);
    expect_refused(head, "line break or control character");
  }

  for (const char* managed : {"Content-Length", "transfer-encoding", "Connection", "TE", "Trailer", "Upgrade",
                              "Proxy-Connection"}) {
    head = typical();
    head.headers.push_back({managed, "x"});
    expect_refused(head, "managed by the origin client");
  }
  // Origin custom headers the CDN accepts and sends: not the client's to refuse.
  for (const char* custom : {"Keep-Alive", "Expect"}) {
    head = typical();
    head.headers.push_back({custom, "x"});
    const auto bytes = serialize_request_head(head);
    ASSERT_TRUE(bytes) << custom << ": " << bytes.error().message;
    EXPECT_NE(bytes->find(std::string(custom) + ": x\r\n"), std::string::npos) << *bytes;
  }

  head = typical();
  head.headers.erase(head.headers.begin());
  expect_refused(head, "exactly one Host header, it has 0");
  head = typical();
  head.headers.push_back({"HOST", "again"});
  expect_refused(head, "exactly one Host header, it has 2");

  head = typical();
  head.chunked = true;
  head.content_length = 5;
  expect_refused(head, "not both");
}

}  // namespace
}  // namespace edgefetch::origin
