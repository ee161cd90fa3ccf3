// origin::fetch over plain TCP against scripted loopback origins.

#include <gtest/gtest.h>

#include "edgefetch/origin/fetch.hpp"
#include "http_handlers.hpp"
#include "support/tcp.hpp"

namespace edgefetch::origin {
namespace {

using namespace std::chrono_literals;
using net::test::Captured;

OriginConfig http_origin(std::uint16_t port) {
  OriginConfig config;
  config.domain_name = "127.0.0.1";
  config.protocol = net::Scheme::http;
  config.port = port;
  return config;
}

std::unique_ptr<support::LoopbackServer> start(support::ConnectionHandler handler) {
  auto server = support::LoopbackServer::start(std::move(handler));
  EXPECT_TRUE(server) << (server ? "" : server.error());
  return server ? std::move(*server) : nullptr;
}

struct Collected {
  std::string body;
  BodySink sink() {
    return [this](std::span<const std::uint8_t> bytes) {
      body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());  // NOLINT: bytes as chars
      return true;
    };
  }
};

const std::string* find_header(const FetchResult& result, std::string_view name) {
  for (const auto& header : result.headers) {
    if (header.name == name) return &header.value;
  }
  return nullptr;
}

TEST(FetchHttpTest, ContentLengthBody) {
  auto captured = std::make_shared<Captured>();
  auto server = start(net::test::respond(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nX-Test: a\r\n\r\nhello world",
      captured));
  ASSERT_TRUE(server);
  Collected out;
  Request request;
  request.target = "/path?q=1";
  const auto result = fetch(http_origin(server->port()), request, out.sink());
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.status, 200u);
  EXPECT_EQ(result.reason, "OK");
  EXPECT_EQ(result.http_version, 11u);
  EXPECT_EQ(result.body_bytes, 11u);
  EXPECT_TRUE(result.body_complete);
  EXPECT_EQ(out.body, "hello world");
  ASSERT_NE(find_header(result, "X-Test"), nullptr);
  EXPECT_EQ(*find_header(result, "X-Test"), "a");
  EXPECT_FALSE(result.tls_used);
  EXPECT_EQ(result.tries, 1);
  ASSERT_EQ(result.connect_attempts.size(), 1u);
  ASSERT_TRUE(result.remote);
  EXPECT_EQ(result.remote->port(), server->port());
  EXPECT_TRUE(result.timings.dns && result.timings.connect && result.timings.first_byte);
  EXPECT_FALSE(result.timings.tls);
  EXPECT_GE(result.timings.total, *result.timings.first_byte);

  const auto requests = captured->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rfind("GET /path?q=1 HTTP/1.1\r\n", 0), 0u) << requests[0];
  EXPECT_NE(requests[0].find("\r\nHost: 127.0.0.1\r\n"), std::string::npos) << requests[0];
  EXPECT_NE(requests[0].find("\r\nUser-Agent: Amazon CloudFront\r\n"), std::string::npos) << requests[0];
  EXPECT_NE(requests[0].find("\r\nConnection: Keep-Alive\r\n"), std::string::npos) << requests[0];
  EXPECT_EQ(requests[0].find("Content-Length"), std::string::npos) << requests[0];
  EXPECT_EQ(result.request_head, requests[0]);
}

TEST(FetchHttpTest, ChunkedBodyIsDecoded) {
  auto server = start(net::test::respond(
      "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  ASSERT_TRUE(server);
  Collected out;
  const auto result = fetch(http_origin(server->port()), Request{}, out.sink());
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.status, 404u);  // any HTTP status is a successful fetch
  EXPECT_EQ(out.body, "hello world");
  EXPECT_EQ(result.body_bytes, 11u);
}

TEST(FetchHttpTest, BodyDelimitedByCloseOnPlainTcp) {
  auto server = start(net::test::respond("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"));
  ASSERT_TRUE(server);
  Collected out;
  const auto result = fetch(http_origin(server->port()), Request{}, out.sink());
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.http_version, 10u);
  EXPECT_EQ(out.body, "until the end");
  EXPECT_TRUE(result.warnings.empty());
}

TEST(FetchHttpTest, LargeBodyStreamsInChunks) {
  const std::string body(300 * 1024 + 7, 'x');
  auto server = start(net::test::respond("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                                         "\r\n\r\n" + body));
  ASSERT_TRUE(server);
  std::size_t calls = 0;
  std::uint64_t total = 0;
  const auto result = fetch(http_origin(server->port()), Request{}, [&](std::span<const std::uint8_t> bytes) {
    ++calls;
    total += bytes.size();
    return true;
  });
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.body_bytes, body.size());
  EXPECT_EQ(total, body.size());
  EXPECT_GT(calls, 1u);
}

TEST(FetchHttpTest, HeadReadsNoBody) {
  auto captured = std::make_shared<Captured>();
  auto server = start(net::test::respond("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", captured));
  ASSERT_TRUE(server);
  Request request;
  request.method = "HEAD";
  const auto result = fetch(http_origin(server->port()), request);
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.body_bytes, 0u);
  EXPECT_EQ(captured->requests().at(0).rfind("HEAD / HTTP/1.1\r\n", 0), 0u);
}

TEST(FetchHttpTest, PostSendsBodyWithContentLengthAndCustomHeaders) {
  auto captured = std::make_shared<Captured>();
  auto server = start(net::test::respond("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", captured));
  ASSERT_TRUE(server);
  Request request;
  request.method = "POST";
  request.body = "a=1&b=2";
  request.host_header = "www.example.test";
  request.headers = {{"X-Custom", "v1"}, {"User-Agent", "tester/1"}, {"Connection", ""}};
  const auto result = fetch(http_origin(server->port()), request);
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.status, 201u);
  const std::string sent = captured->requests().at(0);
  EXPECT_EQ(sent.rfind("POST / HTTP/1.1\r\n", 0), 0u) << sent;
  EXPECT_NE(sent.find("\r\nHost: www.example.test\r\n"), std::string::npos) << sent;
  EXPECT_NE(sent.find("\r\nUser-Agent: tester/1\r\n"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("Amazon CloudFront"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("Connection:"), std::string::npos) << sent;
  EXPECT_NE(sent.find("\r\nX-Custom: v1\r\n"), std::string::npos) << sent;
  EXPECT_NE(sent.find("\r\nContent-Length: 7\r\n\r\na=1&b=2"), std::string::npos) << sent;
}

TEST(FetchHttpTest, OneInterimContinueIsSkipped) {
  auto server = start(
      net::test::respond("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  ASSERT_TRUE(server);
  Collected out;
  const auto result = fetch(http_origin(server->port()), Request{}, out.sink());
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.status, 200u);
  EXPECT_EQ(out.body, "ok");
}

TEST(FetchHttpTest, TwoContinuesAreAnInvalidResponse) {
  auto server =
      start(net::test::respond("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 "
                               "OK\r\nContent-Length: 0\r\n\r\n"));
  ASSERT_TRUE(server);
  const auto result = fetch(http_origin(server->port()), Request{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::invalid_response);
  EXPECT_EQ(result.error->cdn_status(), 502);
}

TEST(FetchHttpTest, GarbageIsAnInvalidResponse) {
  auto server = start(net::test::respond("SSH-2.0-OpenSSH_9.2\r\n"));
  ASSERT_TRUE(server);
  const auto result = fetch(http_origin(server->port()), Request{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::invalid_response) << result.error->message;
  EXPECT_EQ(result.error->code(), "invalid_response");
  EXPECT_EQ(result.error->phase, Phase::response);
}

TEST(FetchHttpTest, HeadersOverTheCdnLimitAreRefused) {
  const std::string big(kMaxResponseHeaderBytes, 'a');
  auto server =
      start(net::test::respond("HTTP/1.1 200 OK\r\nX-Big: " + big + "\r\nContent-Length: 0\r\n\r\n"));
  ASSERT_TRUE(server);
  const auto result = fetch(http_origin(server->port()), Request{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::response_headers_too_large) << result.error->message;
  EXPECT_NE(result.error->message.find("20480"), std::string::npos);
}

// A response head of exactly `size` bytes, status line to the final CRLF, with a 2-byte body.
std::string head_of_size(std::size_t size) {
  const std::string start = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Pad: ";
  const std::string end = "\r\n\r\n";
  return start + std::string(size - start.size() - end.size(), 'p') + end + "ok";
}

TEST(FetchHttpTest, TheHeadLimitIsExact) {
  // Beast's own limit let heads through up to a line or two past 20,480 bytes.
  for (const std::size_t size :
       {std::size_t{kMaxResponseHeaderBytes}, std::size_t{kMaxResponseHeaderBytes} + 1}) {
    auto server = start(net::test::respond(head_of_size(size)));
    ASSERT_TRUE(server);
    Collected out;
    const auto result = fetch(http_origin(server->port()), Request{}, out.sink());
    if (size == kMaxResponseHeaderBytes) {
      ASSERT_TRUE(result.ok()) << result.error->message;
      EXPECT_EQ(out.body, "ok");
    } else {
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.error->kind, FailureKind::response_headers_too_large) << result.error->message;
    }
  }
}

TEST(FetchHttpTest, InterimResponsesAreBounded) {
  std::string interims;
  for (int i = 0; i < kMaxInterimResponses; ++i) interims += "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n";
  const std::string final_response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  auto within = start(net::test::respond(interims + final_response));
  ASSERT_TRUE(within);
  Collected out;
  const auto taken = fetch(http_origin(within->port()), Request{}, out.sink());
  ASSERT_TRUE(taken.ok()) << taken.error->message;
  EXPECT_EQ(out.body, "ok");

  auto beyond = start(net::test::respond(interims + "HTTP/1.1 102 Processing\r\n\r\n" + final_response));
  ASSERT_TRUE(beyond);
  const auto refused = fetch(http_origin(beyond->port()), Request{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error->kind, FailureKind::invalid_response);
  EXPECT_NE(refused.error->message.find("more than 32 interim (1xx) responses"), std::string::npos)
      << refused.error->message;
}

TEST(FetchHttpTest, BareLfInChunkFramingIsAnInvalidResponseNotATimeout) {
  // Beast skips a bare LF while it looks for a chunk line's CRLF: the origin
  // keeps the connection open, so without the check this waited for the read timeout.
  struct Case {
    std::string body;
    std::string delivered;
  };
  for (const auto& [chunked, delivered] : {Case{"5\nhello\n0\n\n", ""}, Case{"5\r\nhello\r\n0\n\n", "hello"},
                                           Case{"5\r\nhello\r\n0\r\nX: y\n\r\n", "hello"}}) {
    auto server = start(
        net::test::respond_then_stall("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked));
    ASSERT_TRUE(server);
    auto config = http_origin(server->port());
    config.read_timeout = 30s;
    Collected out;
    const auto result = fetch(config, Request{}, out.sink());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->kind, FailureKind::invalid_response) << result.error->message;
    EXPECT_NE(result.error->message.find("bare LF"), std::string::npos) << result.error->message;
    EXPECT_EQ(out.body, delivered);
  }
  // A bare LF inside chunk data is data.
  auto server = start(
      net::test::respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\na\nb\r\n0\r\n\r\n"));
  ASSERT_TRUE(server);
  Collected out;
  const auto result = fetch(http_origin(server->port()), Request{}, out.sink());
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(out.body, "a\nb");
}

TEST(FetchHttpTest, CloseWithoutResponse) {
  auto server = start(net::test::close_without_response());
  ASSERT_TRUE(server);
  const auto result = fetch(http_origin(server->port()), Request{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::connection_closed) << result.error->message;
  EXPECT_NE(result.error->message.find("without sending a response"), std::string::npos);
  EXPECT_EQ(result.error->cdn_status(), 502);
}

TEST(FetchHttpTest, TruncatedContentLengthBodyIsAnError) {
  auto server = start(net::test::respond("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"));
  ASSERT_TRUE(server);
  Collected out;
  const auto result = fetch(http_origin(server->port()), Request{}, out.sink());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::connection_closed) << result.error->message;
  EXPECT_EQ(result.status, 200u);
  EXPECT_EQ(result.body_bytes, 9u);
  EXPECT_EQ(out.body, "only this");
  EXPECT_FALSE(result.body_complete);
}

TEST(FetchHttpTest, SinkFailureStopsTheFetch) {
  auto server = start(net::test::respond("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
  ASSERT_TRUE(server);
  const auto result =
      fetch(http_origin(server->port()), Request{}, [](std::span<const std::uint8_t>) { return false; });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::body_sink_failed);
  EXPECT_EQ(result.error->code(), "output_failed");
}

TEST(FetchHttpTest, ReadTimeoutWhenTheOriginNeverAnswers) {
  auto captured = std::make_shared<Captured>();
  auto server = start(net::test::never_respond(captured));
  ASSERT_TRUE(server);
  auto config = http_origin(server->port());
  config.read_timeout = 1s;
  config.connection_attempts = 1;
  const auto started = std::chrono::steady_clock::now();
  const auto result = fetch(config, Request{});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::read_timeout);
  EXPECT_NE(result.error->message.find("no response within the read timeout of 1 second"), std::string::npos)
      << result.error->message;
  EXPECT_EQ(result.error->cdn_status(), 504);
  EXPECT_TRUE(result.error->is_timeout());
  EXPECT_EQ(result.tries, 1);
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_EQ(captured->requests().size(), 1u);
}

TEST(FetchHttpTest, GetIsRetriedAfterAResponseTimeoutUpToTheAttempts) {
  auto captured = std::make_shared<Captured>();
  auto server = start(net::test::never_respond(captured));
  ASSERT_TRUE(server);
  auto config = http_origin(server->port());
  config.read_timeout = 1s;
  config.connection_attempts = 2;
  const auto started = std::chrono::steady_clock::now();
  const auto result = fetch(config, Request{});
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::read_timeout);
  EXPECT_EQ(result.tries, 2);
  EXPECT_EQ(result.connect_attempts.size(), 2u);
  EXPECT_GE(elapsed, 1900ms);
  EXPECT_LT(elapsed, 5s);
  // The server thread sees the second connection once the first one closed.
  EXPECT_EQ(server->connections(), 2);
}

TEST(FetchHttpTest, PostIsNotRetriedAfterAResponseTimeout) {
  auto server = start(net::test::never_respond());
  ASSERT_TRUE(server);
  auto config = http_origin(server->port());
  config.read_timeout = 1s;
  config.connection_attempts = 3;
  Request request;
  request.method = "POST";
  const auto result = fetch(config, request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::read_timeout);
  EXPECT_EQ(result.tries, 1);
}

TEST(FetchHttpTest, ReadTimeoutIsTheGapBetweenReadsNotTheTotal) {
  // Pieces 400 ms apart: 1.2 s in all, but never 1 s without data.
  auto server = start(net::test::respond_in_pieces(
      {"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n", "ab", "cd", "ef"}, 400ms));
  ASSERT_TRUE(server);
  auto config = http_origin(server->port());
  config.read_timeout = 1s;
  Collected out;
  const auto result = fetch(config, Request{}, out.sink());
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(out.body, "abcdef");
  EXPECT_GT(result.timings.total, 1150ms);
}

TEST(FetchHttpTest, StalledBodyTimesOutWithTheBytesSoFar) {
  auto server = start(net::test::respond_then_stall("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
  ASSERT_TRUE(server);
  auto config = http_origin(server->port());
  config.read_timeout = 1s;
  Collected out;
  const auto result = fetch(config, Request{}, out.sink());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::read_timeout);
  EXPECT_NE(result.error->message.find("stopped sending"), std::string::npos) << result.error->message;
  EXPECT_NE(result.error->message.find("(3 body bytes received)"), std::string::npos)
      << result.error->message;
  EXPECT_EQ(result.status, 200u);
  EXPECT_EQ(out.body, "abc");
  EXPECT_EQ(result.tries, 1);  // a response had started: no retry
}

TEST(FetchHttpTest, AStallInsideTheHeadSaysSoRatherThanCountingBody) {
  auto server = start(net::test::respond_then_stall("HTTP/1.1 200 OK\r\nContent-Len"));
  ASSERT_TRUE(server);
  auto config = http_origin(server->port());
  config.read_timeout = 1s;
  Collected out;
  const auto result = fetch(config, Request{}, out.sink());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::read_timeout);
  EXPECT_NE(result.error->message.find("(in the middle of the status line and headers)"), std::string::npos)
      << result.error->message;
  EXPECT_EQ(result.error->message.find("body bytes"), std::string::npos) << result.error->message;
}

TEST(FetchHttpTest, RefusedConnectionIsReportedPerAttempt) {
  auto config = http_origin(support::pick_free_port());
  std::vector<net::ConnectOutcome> seen;
  struct Observer : FetchObserver {
    std::vector<net::ConnectOutcome>* seen;
    void on_connect_attempt(const net::ConnectAttempt& attempt, int max_attempts) override {
      EXPECT_EQ(max_attempts, 3);
      seen->push_back(attempt.outcome);
    }
  } observer;
  observer.seen = &seen;
  const auto result = fetch(config, Request{}, {}, &observer);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::connection_refused);
  EXPECT_EQ(result.error->code(), "connection_refused");
  EXPECT_EQ(result.error->phase, Phase::connect);
  EXPECT_EQ(result.error->cdn_status(), 502);
  EXPECT_NE(result.error->message.find("3 attempts"), std::string::npos) << result.error->message;
  EXPECT_EQ(result.connect_attempts.size(), 3u);
  EXPECT_EQ(seen, std::vector<net::ConnectOutcome>(3, net::ConnectOutcome::refused));
}

TEST(FetchHttpTest, ResolveOverrideRedirectsTheConnectionButNotTheHostHeader) {
  auto captured = std::make_shared<Captured>();
  auto server = start(net::test::respond("HTTP/1.1 204 No Content\r\n\r\n", captured));
  ASSERT_TRUE(server);
  OriginConfig config = http_origin(server->port());
  config.domain_name = "origin.test";
  auto entry = net::parse_resolve_override("origin.test:" + std::to_string(server->port()) + ":127.0.0.1");
  ASSERT_TRUE(entry);
  config.resolve_overrides.push_back(*entry);
  const auto result = fetch(config, Request{});
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.status, 204u);
  EXPECT_EQ(result.resolve_source, net::ResolveSource::override);
  EXPECT_NE(captured->requests().at(0).find("\r\nHost: origin.test\r\n"), std::string::npos);
}

TEST(FetchHttpTest, InvalidConfigIsRefusedBeforeConnecting) {
  auto config = http_origin(80);
  config.connection_timeout = 11s;
  auto result = fetch(config, Request{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::invalid_config);
  EXPECT_NE(result.error->message.find("1-10"), std::string::npos);
  EXPECT_TRUE(result.connect_attempts.empty());

  Request bad;
  bad.method = "GE T";
  result = fetch(http_origin(80), bad);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::invalid_config);

  Request host_in_headers;
  host_in_headers.headers = {{"host", "a.test"}};
  result = fetch(http_origin(80), host_in_headers);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error->message.find("host_header"), std::string::npos) << result.error->message;
}

}  // namespace
}  // namespace edgefetch::origin
