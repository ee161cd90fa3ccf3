// Exchange::read_body_view(): the response body handed out where the
// connection holds it (TLS plaintext or the connection's buffer), with the same
// framing, reuse and error behaviour as read_body().

#include <gtest/gtest.h>

#include "client_harness.hpp"
#include "origin/connection.hpp"

namespace edgefetch::origin::test {
namespace {

class ClientBodyViewTest : public ::testing::TestWithParam<bool>,  // param: TLS
                           protected OriginClientFixture {
 protected:
  void start(Script script) { start_origin(std::move(script), GetParam()); }
  Outcome get(std::string target = "/", std::string method = "GET") {
    return OriginClientFixture::get(std::move(target), std::move(method), true);
  }
  // `size` pattern bytes: chunked on /chunked, with a Content-Length elsewhere.
  void start_generated(std::uint64_t size) {
    start([size](const ReceivedRequest& r) {
      const bool chunked = r.target == "/chunked";
      Reply reply =
          Reply::send(chunked ? std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                              : "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n");
      reply.generated_body = size;
      reply.generated_chunked = chunked;
      return reply;
    });
  }
  // GET `path` with the body read as views and only counted and checked.
  Outcome get_large(const char* path, bool gather) {
    Call c;
    c.head = request("origin.test", "GET", path);
    c.view = true;
    c.gather = gather;
    c.keep_body = false;
    return call(std::move(c));
  }
};

TEST_P(ClientBodyViewTest, ChunkedBodyWithExtensionsIsDecodedAndTheConnectionReused) {
  start([](const ReceivedRequest&) {
    return Reply::send(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
  });
  for (int i = 0; i < 3; ++i) {
    const auto outcome = get();
    ASSERT_FALSE(outcome.error) << outcome.error->message;
    EXPECT_EQ(outcome.body, "hello world");
    EXPECT_EQ(outcome.reads, 2U);  // one view per chunk
  }
  EXPECT_EQ(origin_->connections(), 1);
}

// The test origin writes each chunk line, chunk and CRLF separately (over TLS:
// separate records), so chunk framing arrives split from the data around it.
TEST_P(ClientBodyViewTest, LargeChunkedAndContentLengthBodiesArriveIntact) {
  constexpr std::uint64_t kSize = (8ull << 20) + 12345;
  start_generated(kSize);
  for (const char* path : {"/length", "/chunked", "/length"}) {
    const auto outcome = get_large(path, false);
    ASSERT_FALSE(outcome.error) << path << ": " << outcome.error->message;
    EXPECT_EQ(outcome.body_bytes, kSize) << path;
    EXPECT_TRUE(outcome.pattern_ok) << path;
  }
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_P(ClientBodyViewTest, PacedBodyArrivesInSmallPieces) {
  constexpr std::uint64_t kSize = 20 * 1024;
  start([](const ReceivedRequest&) {
    Reply reply = Reply::send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    reply.generated_body = kSize;
    reply.generated_chunked = true;
    reply.pace = std::chrono::milliseconds(5);
    return reply;
  });
  const auto outcome = get();
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.body_bytes, kSize);
  EXPECT_TRUE(outcome.pattern_ok);
  EXPECT_GE(outcome.reads, kSize / 1024);  // one view per 1 KiB chunk at least
}

TEST_P(ClientBodyViewTest, BodyDelimitedByTheConnectionClosingIsAcceptedAndNotReused) {
  start([](const ReceivedRequest&) {
    return Reply::send_then_close("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  });
  for (int i = 0; i < 2; ++i) {
    const auto outcome = get();
    ASSERT_FALSE(outcome.error) << outcome.error->message;
    EXPECT_EQ(outcome.body, "until the end");
  }
  EXPECT_EQ(origin_->connections(), 2);
}

TEST_P(ClientBodyViewTest, BodyCutShortIsConnectionClosedAfterTheBytesThatCame) {
  start([](const ReceivedRequest&) {
    return Reply::send_then_close("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
  });
  const auto outcome = get();
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::connection_closed) << outcome.error->message;
  EXPECT_EQ(outcome.body, "only this");
}

TEST_P(ClientBodyViewTest, MalformedChunkSizeIsAnInvalidResponse) {
  start([](const ReceivedRequest&) {
    return Reply::send(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nbad\r\n0\r\n\r\n");
  });
  const auto outcome = get();
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response) << outcome.error->message;
  EXPECT_EQ(outcome.body, "hello");
}

TEST_P(ClientBodyViewTest, BareLfInChunkFramingIsAnInvalidResponseNotATimeout) {
  // Beast skips a bare LF while it looks for a chunk line's CRLF, and the
  // origin keeps the connection open: without the check this waited for the
  // read timeout and answered 504.
  struct Case {
    std::string chunked;
    std::string delivered;
  };
  for (const auto& [chunked, delivered] : {Case{"5\nhello\n0\n\n", ""}, Case{"5\r\nhello\r\n0\n\n", "hello"},
                                           Case{"5\r\nhello\r\n0\r\nX: y\n\r\n", "hello"}}) {
    start([chunked](const ReceivedRequest&) {
      return Reply::send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
    });
    const auto outcome = get();
    ASSERT_TRUE(outcome.error);
    EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response) << outcome.error->message;
    EXPECT_EQ(outcome.error->cdn_status(), 502);
    EXPECT_NE(outcome.error->message.find("bare LF"), std::string::npos) << outcome.error->message;
    EXPECT_EQ(outcome.body, delivered);
  }
}

// A chunk line that never ends: bounded by the connection's buffer, not memory.
TEST_P(ClientBodyViewTest, EndlessChunkExtensionIsRefusedWithinTheBufferLimit) {
  start([](const ReceivedRequest&) {
    return Reply::send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=" +
                       std::string(Connection::kBufferLimit + 4096, 'a'));
  });
  const auto outcome = get();
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response) << outcome.error->message;
  EXPECT_TRUE(outcome.body.empty());
}

TEST_P(ClientBodyViewTest, HeadResponseHasNoBodyAndKeepsTheConnection) {
  start(
      [](const ReceivedRequest&) { return Reply::send("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"); });
  for (int i = 0; i < 2; ++i) {
    const auto outcome = get("/", "HEAD");
    ASSERT_FALSE(outcome.error) << outcome.error->message;
    EXPECT_TRUE(outcome.body.empty());
    EXPECT_EQ(outcome.reads, 0U);
  }
  EXPECT_EQ(origin_->connections(), 1);
}

// body_view_now(): the pieces the TLS engine already holds decrypted, taken
// without a read behind a read_body_view() piece; all of them keep their bytes
// until the next read_body_view() (the harness checks them only after the
// last was taken). Without TLS there is nothing decrypted ahead: none.
TEST_P(ClientBodyViewTest, PiecesAlreadyDecryptedAreGatheredWithoutARead) {
  constexpr std::uint64_t kSize = (4ull << 20) + 777;
  start_generated(kSize);
  for (const char* path : {"/length", "/chunked", "/length"}) {
    const auto outcome = get_large(path, true);
    ASSERT_FALSE(outcome.error) << path << ": " << outcome.error->message;
    EXPECT_EQ(outcome.body_bytes, kSize) << path;
    EXPECT_TRUE(outcome.pattern_ok) << path;
    if (GetParam()) {
      EXPECT_GT(outcome.gathered, 0U) << path << ": megabytes of records, never two in one read?";
    } else {
      EXPECT_EQ(outcome.gathered, 0U) << path;
    }
  }
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_P(ClientBodyViewTest, ChunksInOneRecordAreGatheredAndTheConnectionReused) {
  start([](const ReceivedRequest&) {
    return Reply::send(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
  });
  for (int i = 0; i < 3; ++i) {
    Call c;
    c.head = request("origin.test");
    c.view = true;
    c.gather = true;
    const auto outcome = call(std::move(c));
    ASSERT_FALSE(outcome.error) << outcome.error->message;
    EXPECT_EQ(outcome.body, "hello world");
    EXPECT_EQ(outcome.reads, 2U);
    EXPECT_EQ(outcome.gathered, GetParam() ? 1U : 0U);  // over TLS the whole reply is one record
  }
  EXPECT_EQ(origin_->connections(), 1);
}

// A framing error met while gathering is not lost, and the pieces before it
// are still delivered: read_body_view() reports it next.
TEST_P(ClientBodyViewTest, MalformedChunkSizeMetWhileGatheringIsReportedByTheNextRead) {
  start([](const ReceivedRequest&) {
    return Reply::send(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nbad\r\n0\r\n\r\n");
  });
  Call c;
  c.head = request("origin.test");
  c.view = true;
  c.gather = true;
  const auto outcome = call(std::move(c));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response) << outcome.error->message;
  EXPECT_EQ(outcome.body, "hello");
  EXPECT_EQ(outcome.gathered, 0U);
}

INSTANTIATE_TEST_SUITE_P(PlainAndTls, ClientBodyViewTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "tls" : "plain";
                         });

}  // namespace
}  // namespace edgefetch::origin::test
