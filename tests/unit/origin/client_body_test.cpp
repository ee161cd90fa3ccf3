// Bodies through OriginClient: streamed both ways with bounded buffers,
// chunked and Content-Length framing, and responses without a body.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "client_harness.hpp"

namespace edgefetch::origin::test {
namespace {

using namespace std::chrono_literals;

#ifdef __SANITIZE_ADDRESS__
// ASan keeps freed memory in quarantine (resident by design) and is ~20x
// slower: smaller bodies, and no RSS bound.
constexpr std::uint64_t kLargeBody = 32ull << 20;
constexpr bool kRssIsMeaningful = false;
#else
constexpr std::uint64_t kLargeBody = 128ull << 20;  // 128 MiB
constexpr bool kRssIsMeaningful = true;
#endif

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

class ClientBodyTest : public ::testing::Test, protected OriginClientFixture {
 protected:
  void start(Script script, bool tls = false) { start_origin(std::move(script), tls); }
};

TEST_F(ClientBodyTest, ChunkedResponseIsDecodedAndTheConnectionReused) {
  start([](const ReceivedRequest&) {
    return Reply::send(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
  });
  for (int i = 0; i < 2; ++i) {
    const auto outcome = get();
    ASSERT_FALSE(outcome.error) << outcome.error->message;
    EXPECT_EQ(outcome.body, "hello world");
    EXPECT_TRUE(outcome.head.chunked);
    EXPECT_FALSE(outcome.head.content_length);
    EXPECT_TRUE(outcome.head.has_body);
  }
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_F(ClientBodyTest, ContentLengthBodyArrivesInBoundedReads) {
  const std::string body(200000, 'b');
  start([&body](const ReceivedRequest&) { return Reply::send(ok_response(body)); });
  Call c;
  c.head = request("origin.test");
  c.read_buffer = 4096;
  const auto outcome = call(c);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.body, body);
  ASSERT_TRUE(outcome.head.content_length);
  EXPECT_EQ(*outcome.head.content_length, body.size());
  EXPECT_GE(outcome.reads, body.size() / 4096);  // never more than the buffer per read
}

TEST_F(ClientBodyTest, ResponseHeadersAreKeptAsReceived) {
  start([](const ReceivedRequest&) {
    return Reply::send(
        "HTTP/1.1 404 Not Here\r\nX-One: 1\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: "
        "0\r\n\r\n");
  });
  const auto outcome = get();
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.head.status, 404u);
  EXPECT_EQ(outcome.head.reason, "Not Here");
  EXPECT_EQ(outcome.head.version, 11u);
  EXPECT_FALSE(outcome.head.has_body);
  ASSERT_EQ(outcome.head.headers.size(), 4u);
  EXPECT_EQ(outcome.head.headers[1].name, "Set-Cookie");
  EXPECT_EQ(outcome.head.headers[2].value, "b=2");
}

TEST_F(ClientBodyTest, HeadAnd204And304HaveNoBodyAndKeepTheConnection) {
  start([](const ReceivedRequest& r) {
    if (r.method == "HEAD") return Reply::send("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
    if (r.target == "/204") return Reply::send("HTTP/1.1 204 No Content\r\n\r\n");
    if (r.target == "/304")
      return Reply::send("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\nETag: \"x\"\r\n\r\n");
    return Reply::send(ok_response("after"));
  });
  const auto head = get("/", "HEAD");
  ASSERT_FALSE(head.error) << head.error->message;
  EXPECT_FALSE(head.head.has_body);
  ASSERT_TRUE(head.head.content_length);
  EXPECT_EQ(*head.head.content_length, 1234u);
  EXPECT_TRUE(head.body.empty());
  const auto no_content = get("/204");
  ASSERT_FALSE(no_content.error) << no_content.error->message;
  EXPECT_EQ(no_content.head.status, 204u);
  EXPECT_FALSE(no_content.head.has_body);
  const auto not_modified = get("/304");
  ASSERT_FALSE(not_modified.error) << not_modified.error->message;
  EXPECT_FALSE(not_modified.head.has_body);
  // The framing was right: the next response on the same connection parses.
  const auto after = get("/next");
  ASSERT_FALSE(after.error) << after.error->message;
  EXPECT_EQ(after.body, "after");
  EXPECT_EQ(origin_->connections(), 1);
  EXPECT_EQ(origin_->requests().size(), 4u);
}

TEST_F(ClientBodyTest, RequestBodyWithContentLength) {
  start([](const ReceivedRequest& r) { return Reply::send(ok_response(std::to_string(r.body_bytes))); });
  Call c;
  c.head = request("origin.test", "PUT", "/upload");
  c.body = std::string(100000, 'p');
  c.head.content_length = c.body.size();
  c.piece = 7000;
  const auto outcome = call(c);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.body, "100000");
  const auto received = origin_->requests().at(0);
  EXPECT_FALSE(received.chunked);
  EXPECT_NE(received.head.find("\r\nContent-Length: 100000\r\n"), std::string::npos) << received.head;
  EXPECT_EQ(received.body_checksum, body_checksum(kChecksumSeed, c.body.data(), c.body.size()));
  // Reused afterwards: the body was framed exactly.
  ASSERT_FALSE(get().error);
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_F(ClientBodyTest, ChunkedRequestBody) {
  start([](const ReceivedRequest& r) { return Reply::send(ok_response(std::to_string(r.body_bytes))); });
  Call c;
  c.head = request("origin.test", "POST", "/chunks");
  c.head.chunked = true;
  c.body = "first piece, second piece, third piece";
  c.piece = 6;
  const auto outcome = call(c);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.body, std::to_string(c.body.size()));
  const auto received = origin_->requests().at(0);
  EXPECT_TRUE(received.chunked);
  EXPECT_NE(received.head.find("\r\nTransfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(received.head.find("Content-Length"), std::string::npos);
  EXPECT_EQ(received.body_prefix, c.body);
  ASSERT_FALSE(get().error);
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_F(ClientBodyTest, EmptyChunkedBodyIsJustTheLastChunk) {
  start([](const ReceivedRequest& r) { return Reply::send(ok_response(std::to_string(r.body_bytes))); });
  Call c;
  c.head = request("origin.test", "POST");
  c.head.chunked = true;
  const auto outcome = call(c);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.body, "0");
}

TEST_F(ClientBodyTest, BodyFramingMistakesAreRejected) {
  start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); });
  auto misuse = [&]() -> boost::asio::awaitable<std::vector<FailureKind>> {
    std::vector<FailureKind> kinds;
    RequestHead head = request("origin.test", "PUT");
    head.content_length = 4;
    auto sent = co_await client_.send(target_, head);
    if (!sent) co_return kinds;
    auto& exchange = **sent;
    const std::array<std::uint8_t, 5> five = {1, 2, 3, 4, 5};
    auto too_much = co_await exchange.write_body(five);  // more than Content-Length
    kinds.push_back(too_much ? FailureKind::internal_error : too_much.error().kind);
    auto some = co_await exchange.write_body(std::span(five).first(2));
    if (!some) co_return kinds;
    auto short_body = co_await exchange.finish_body();  // 2 of 4
    kinds.push_back(short_body ? FailureKind::internal_error : short_body.error().kind);

    auto get_sent = co_await client_.send(target_, request("origin.test"));
    if (!get_sent) co_return kinds;
    auto no_body = co_await (*get_sent)->write_body(five);  // a GET head without framing
    kinds.push_back(no_body ? FailureKind::internal_error : no_body.error().kind);
    std::array<std::uint8_t, 8> out{};
    auto early = co_await (*get_sent)->read_body(out);  // before the head
    kinds.push_back(early ? FailureKind::internal_error : early.error().kind);
    co_return kinds;
  };
  const auto kinds = run(io_, misuse());
  ASSERT_EQ(kinds.size(), 4u);
  for (const auto kind : kinds) EXPECT_EQ(kind, FailureKind::invalid_request);
}

TEST_F(ClientBodyTest, LargeResponseStreamsWithBoundedMemory) {
  constexpr std::uint64_t kSize = kLargeBody;  // with Content-Length, then chunked
  start([](const ReceivedRequest& r) {
    Reply reply = Reply::send(
        r.target == "/chunked" ? std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                               : "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kSize) + "\r\n\r\n");
    reply.generated_body = kSize;
    reply.generated_chunked = r.target == "/chunked";
    return reply;
  });
  const long before = max_rss_kib();
  for (const char* path : {"/length", "/chunked"}) {
    Call c;
    c.head = request("origin.test", "GET", path);
    c.keep_body = false;
    const auto outcome = call(c);
    ASSERT_FALSE(outcome.error) << path << ": " << outcome.error->message;
    EXPECT_EQ(outcome.body_bytes, kSize) << path;
    EXPECT_TRUE(outcome.pattern_ok) << path;
  }
  // Two bodies went through; the process grew by far less than one body.
  if (kRssIsMeaningful) {
    EXPECT_LT(max_rss_kib() - before, 64 * 1024) << "max RSS grew from " << before << " KiB";
  }
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_F(ClientBodyTest, LargeRequestBodyStreamsWithBoundedMemory) {
  constexpr std::uint64_t kSize = kLargeBody;
  start([](const ReceivedRequest& r) { return Reply::send(ok_response(std::to_string(r.body_bytes))); });
  const long before = max_rss_kib();
  Call c;
  c.head = request("origin.test", "POST", "/big");
  c.head.chunked = true;
  c.generated_body = kSize;
  c.piece = 64 * 1024;
  const auto outcome = call(c);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.body, std::to_string(kSize));
  std::uint64_t expected = kChecksumSeed;
  std::string block;
  for (std::uint64_t at = 0; at < kSize; at += block.size()) {
    block.resize(static_cast<std::size_t>(std::min<std::uint64_t>(1 << 20, kSize - at)));
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = pattern_byte(at + i);
    expected = body_checksum(expected, block.data(), block.size());
  }
  EXPECT_EQ(origin_->requests().at(0).body_checksum, expected);
  if (kRssIsMeaningful) {
    EXPECT_LT(max_rss_kib() - before, 64 * 1024);
  }
}

TEST_F(ClientBodyTest, LargeBodiesOverTls) {
  constexpr std::uint64_t kSize = 32ull << 20;
  start(
      [](const ReceivedRequest& r) {
        Reply reply = Reply::send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kSize) +
                                  "\r\nX-Got: " + std::to_string(r.body_bytes) + "\r\n\r\n");
        reply.generated_body = kSize;
        return reply;
      },
      true);
  Call c;
  c.head = request("origin.test", "PUT", "/both-ways");
  c.head.content_length = kSize;
  c.generated_body = kSize;
  c.keep_body = false;
  const auto outcome = call(c);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.body_bytes, kSize);
  EXPECT_TRUE(outcome.pattern_ok);
  EXPECT_EQ(outcome.head.headers.at(1).value, std::to_string(kSize));
  EXPECT_TRUE(outcome.info->tls);
}

TEST_F(ClientBodyTest, ResponseCutShortIsConnectionClosed) {
  start([](const ReceivedRequest&) {
    return Reply::send_then_close("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
  });
  const auto outcome = get();
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::connection_closed) << outcome.error->message;
  EXPECT_EQ(outcome.body, "only this");
  EXPECT_EQ(outcome.error->cdn_status(), 502);
}

}  // namespace
}  // namespace edgefetch::origin::test
