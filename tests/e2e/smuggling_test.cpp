// Requests the edge must refuse before any byte reaches an origin: framing
// conflicts (smuggling), malformed lines, size limits, GET with a body.

#include <gtest/gtest.h>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {

class SmugglingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& plain = SharedOrigins::plain();
    ConfigBuilder config;
    config.origin("plain", plain.port(), SharedOrigins::tls().port(), "http-only").default_behavior("plain");
    Edge::Options options;
    options.config = config.text();
    options.resolve_ports = {plain.port()};
    edge_ = Edge::start(options).release();
  }
  static void TearDownTestSuite() {
    delete edge_;
    edge_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(edge_, nullptr); }

  // The edge answers `status` once and closes (raw_exchange reads to EOF);
  // the origin never sees the request.
  static void expect_refused(const std::string& request, int status) {
    const int before = SharedOrigins::plain().stats()["requests"].get<int>();
    const std::string response = raw_exchange(edge_->port(), request);
    EXPECT_EQ(first_status(response), status) << response;
    EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
    // Exactly one response: nothing smuggled behind it was answered.
    EXPECT_EQ(response.find("\nHTTP/1."), std::string::npos) << response;
    EXPECT_EQ(SharedOrigins::plain().stats()["requests"].get<int>(), before + 1);  // only /stats
  }
  static Edge* edge_;
};
Edge* SmugglingTest::edge_ = nullptr;

const std::string kSmuggled = "GET /echo/smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

TEST_F(SmugglingTest, ContentLengthWithTransferEncoding) {
  expect_refused(
      "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
          kSmuggled,
      400);
  expect_refused(
      "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n" +
          kSmuggled,
      400);
}

TEST_F(SmugglingTest, DuplicateDifferingContentLength) {
  expect_refused("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd",
                 400);
}

TEST_F(SmugglingTest, TransferEncodingOtherThanChunked) {
  expect_refused("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                 400);
  expect_refused(
      "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\nContent-Length: 3\r\n\r\nabc", 400);
  expect_refused(
      "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n",
      400);
}

TEST_F(SmugglingTest, InvalidChunkSize) {
  const std::string response = raw_exchange(
      edge_->port(),
      "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n" +
          kSmuggled);
  EXPECT_EQ(first_status(response), 400) << response;
  EXPECT_EQ(response.find("smuggled"), std::string::npos);
}

TEST_F(SmugglingTest, ObsFoldBareLfAndBareCr) {
  expect_refused("GET /echo HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n", 400);
  expect_refused("GET /echo HTTP/1.1\nHost: a\n\n", 400);
  expect_refused("GET /echo HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", 400);
}

TEST_F(SmugglingTest, BareLfInChunkFramingIs400NotAHang) {
  // Beast skips a bare LF while it looks for a chunk line's CRLF: without the
  // edge's check these waited for the viewer I/O timeout (60 s).
  // (The head was valid, so it reached the origin before the body failed.)
  for (const std::string body : {"3\nabc\n0\n\n", "3\r\nabc\r\n0\n\n", "3\r\nabc\r\n0\r\nX: y\n\r\n"}) {
    const std::string response = raw_exchange(
        edge_->port(), "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
    EXPECT_EQ(first_status(response), 400) << response;
    EXPECT_NE(response.find("bare LF"), std::string::npos) << response;
    EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  }
  // A bare LF inside chunk data is data.
  const std::string ok = raw_exchange(edge_->port(),
                                      "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                                      "Connection: close\r\n\r\n3\r\na\nb\r\n0\r\n\r\n");
  EXPECT_EQ(first_status(ok), 200) << ok;
  EXPECT_NE(ok.find("received 3"), std::string::npos) << ok;
}

TEST_F(SmugglingTest, AnAbsoluteTargetNamingAnotherHostThanHostIsRefused) {
  // RFC 9112 3.2.2 has a server use the target's host; the edge routes and
  // checks certificates by Host, so the two must agree.
  expect_refused("GET http://other.test:1/echo HTTP/1.1\r\nHost: a\r\n\r\n", 400);
  expect_refused("GET http://user@a/echo HTTP/1.1\r\nHost: a\r\n\r\n", 400);
  const std::string refused =
      raw_exchange(edge_->port(), "GET http://other.test:1/echo HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_NE(refused.find("(other.test:1) is not the Host header's (a)"), std::string::npos) << refused;
  // The same name in both (any case) goes through, as origin-form.
  const std::string same = raw_exchange(
      edge_->port(), "GET http://A/echo/absolute HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(first_status(same), 200) << same;
  EXPECT_NE(same.find("/echo/absolute"), std::string::npos) << same;
}

TEST_F(SmugglingTest, MissingOrDuplicateHost) {
  expect_refused("GET /echo HTTP/1.1\r\n\r\n", 400);
  expect_refused("GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
}

TEST_F(SmugglingTest, TargetWithARawNonAsciiByteIs400NotA502) {
  // Beast accepts obs-text in the target; the origin client never writes it.
  // The viewer's mistake, so 400, not a 502 blaming the origin.
  const std::string response = raw_exchange(edge_->port(), "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(first_status(response), 400) << response;
  EXPECT_NE(response.find("outside visible ASCII"), std::string::npos) << response;
  EXPECT_EQ(response.find("X-Edgefetch-Origin-Error"), std::string::npos) << response;
  const std::string encoded =
      raw_exchange(edge_->port(), "GET /echo/caf%C3%A9 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(first_status(encoded), 200) << encoded;
}

TEST_F(SmugglingTest, GetWithABodyIs403) {
  expect_refused("GET /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", 403);
}

TEST_F(SmugglingTest, SizeLimits) {
  expect_refused("GET /" + std::string(9000, 'u') + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
  std::string many = "GET /echo HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 150; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  expect_refused(many + "\r\n", 431);
  expect_refused("GET /echo HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(21000, 'b') + "\r\n\r\n", 413);
}

TEST_F(SmugglingTest, VersionsOtherThanHttp1AreRefused) {
  // Beast's parser accepts only HTTP/1.x request lines.
  expect_refused("GET /echo HTTP/2.0\r\nHost: a\r\n\r\n", 400);
}

TEST_F(SmugglingTest, AValidRequestAfterTheChecksStillWorks) {
  const std::string response =
      raw_exchange(edge_->port(), "GET /echo/ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(first_status(response), 200) << response;
}

}  // namespace
}  // namespace edgefetch::e2e
