// Reading the response head (Exchange::read_response_head): parsed where it
// lies when it came in one piece, gathered when it came split across TLS
// records or TCP segments, with Beast's limits and EOF verdicts either way.

#include <gtest/gtest.h>

#include <string>

#include "client_harness.hpp"
#include "edgefetch/origin/client.hpp"
#include "edgefetch/origin/config.hpp"
#include "test_origin.hpp"

namespace edgefetch::origin::test {
namespace {

class ClientHeadReadTest : public ::testing::TestWithParam<bool>,  // param: TLS
                           protected OriginClientFixture {
 protected:
  void start(Script script) { start_origin(std::move(script), GetParam()); }
  Outcome get(bool view, std::string path = "/") {
    return OriginClientFixture::get(std::move(path), "GET", view);
  }
};

std::string head_with_fields(int fields) {
  std::string head = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < fields; ++i)
    head += "X-Field-" + std::to_string(i) + ": value " + std::to_string(i) + "\r\n";
  return head;
}

TEST_P(ClientHeadReadTest, HeadSplitIntoSmallPiecesIsGatheredAndTheConnectionReused) {
  start([](const ReceivedRequest&) {
    Reply reply = Reply::send(head_with_fields(12) + "Content-Length: 11\r\n\r\nhello world");
    reply.write_piece = 7;  // over TLS: a record per 7 bytes, splitting names, values and CRLFs
    return reply;
  });
  for (const bool view : {false, true, false, true}) {
    const auto outcome = get(view);
    ASSERT_FALSE(outcome.error) << outcome.error->message;
    EXPECT_EQ(outcome.head.status, 200u);
    ASSERT_EQ(outcome.head.headers.size(), 13u);
    EXPECT_EQ(outcome.head.headers[11].name, "X-Field-11");
    EXPECT_EQ(outcome.head.headers[11].value, "value 11");
    EXPECT_EQ(outcome.body, "hello world");
  }
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_P(ClientHeadReadTest, HeadAndBodyInOneWriteLeaveTheBodyForTheBodyReads) {
  // The head is parsed in place; the body right behind it in the same record
  // must still reach both body readers, and the next response too.
  start([](const ReceivedRequest& r) { return Reply::send(ok_response("body of " + r.target)); });
  for (int i = 0; i < 3; ++i) {
    const auto copied = get(false, "/copied" + std::to_string(i));
    ASSERT_FALSE(copied.error) << copied.error->message;
    EXPECT_EQ(copied.body, "body of /copied" + std::to_string(i));
    const auto viewed = get(true, "/viewed" + std::to_string(i));
    ASSERT_FALSE(viewed.error) << viewed.error->message;
    EXPECT_EQ(viewed.body, "body of /viewed" + std::to_string(i));
  }
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_P(ClientHeadReadTest, HeadLargerThanARecordButUnderTheLimitIsAccepted) {
  // About 18 KiB: over TLS it spans two records (16 KiB maximum plaintext each).
  const std::string big(18 * 1024, 'v');
  start([big](const ReceivedRequest&) { return Reply::send(ok_response("ok", "X-Big: " + big + "\r\n")); });
  const auto outcome = get(true);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  ASSERT_EQ(outcome.head.headers.size(), 2u);
  EXPECT_EQ(outcome.head.headers[1].value, big);
  EXPECT_EQ(outcome.body, "ok");
}

TEST_P(ClientHeadReadTest, HeadOverTheLimitAcrossRecordsIs502) {
  start([](const ReceivedRequest&) {
    Reply reply =
        Reply::send("HTTP/1.1 200 OK\r\nX-Big: " + std::string(kMaxResponseHeaderBytes + 4096, 'a') +
                    "\r\nContent-Length: 0\r\n\r\n");
    reply.write_piece = 1000;
    return reply;
  });
  const auto outcome = get(false);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::response_headers_too_large) << outcome.error->message;
  EXPECT_EQ(outcome.error->cdn_status(), 502);
}

TEST_P(ClientHeadReadTest, ConflictingContentLengthsAreNamedInTheMessage) {
  // Beast's own message is "bad Content-Length"; the edge's names what it saw.
  start([](const ReceivedRequest&) {
    return Reply::send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello");
  });
  const auto outcome = get(false);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response);
  EXPECT_NE(outcome.error->message.find("Content-Length 5 and another Content-Length field that differs"),
            std::string::npos)
      << outcome.error->message;

  start(
      [](const ReceivedRequest&) { return Reply::send("HTTP/1.1 200 OK\r\nContent-Length: five\r\n\r\n"); });
  const auto not_a_number = get(false);
  ASSERT_TRUE(not_a_number.error);
  EXPECT_NE(not_a_number.error->message.find("a Content-Length that is not a single non-negative number"),
            std::string::npos)
      << not_a_number.error->message;
}

TEST_P(ClientHeadReadTest, EofInsideTheHeadIsAnIncompleteResponseNotAStaleRetry) {
  start([](const ReceivedRequest&) {
    Reply reply = Reply::send_then_close("HTTP/1.1 200 OK\r\nContent-Le");
    reply.write_piece = 5;
    return reply;
  });
  const auto outcome = get(false);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->cdn_status(), 502);
  EXPECT_NE(outcome.error->kind, FailureKind::read_timeout);
  // Bytes of a response came, so the request is not replayed on a new connection.
  EXPECT_EQ(origin_->connections(), 1);
  ASSERT_TRUE(outcome.info);
  EXPECT_FALSE(outcome.info->stale_retry);
}

TEST_P(ClientHeadReadTest, InterimResponseSplitFromTheFinalOneIsSkipped) {
  start([](const ReceivedRequest&) {
    Reply reply = Reply::send("HTTP/1.1 100 Continue\r\n\r\n" + ok_response("final"));
    reply.write_piece = 11;  // the final head starts inside the interim one's last record
    return reply;
  });
  const auto outcome = get(true);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.head.status, 200u);
  EXPECT_EQ(outcome.body, "final");
}

TEST_P(ClientHeadReadTest, TheHeadLimitIsExact) {
  // Beast's own limit let heads through up to a line or two past 20,480 bytes
  // (20,516 for this one); the CDN's limit counts the status line to the final CRLF.
  const auto head_of_size = [](std::size_t size) {
    const std::string start = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Pad: ";
    const std::string end = "\r\n\r\n";
    return start + std::string(size - start.size() - end.size(), 'p') + end + "ok";
  };
  start([&head_of_size](const ReceivedRequest& r) {
    return Reply::send(
        head_of_size(r.target == "/at" ? kMaxResponseHeaderBytes : kMaxResponseHeaderBytes + 1));
  });
  const auto at = get(true, "/at");
  ASSERT_FALSE(at.error) << at.error->message;
  EXPECT_EQ(at.body, "ok");
  const auto over = get(true, "/over");
  ASSERT_TRUE(over.error);
  EXPECT_EQ(over.error->kind, FailureKind::response_headers_too_large) << over.error->message;
}

TEST_P(ClientHeadReadTest, InterimResponsesAreBounded) {
  start([](const ReceivedRequest& r) {
    std::string interims;
    for (int i = 0; i < kMaxInterimResponses; ++i)
      interims += "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n";
    if (r.target == "/beyond") interims += "HTTP/1.1 102 Processing\r\n\r\n";
    return Reply::send(interims + ok_response("final"));
  });
  const auto within = get(true, "/within");
  ASSERT_FALSE(within.error) << within.error->message;
  EXPECT_EQ(within.body, "final");
  const auto beyond = get(true, "/beyond");
  ASSERT_TRUE(beyond.error);
  EXPECT_EQ(beyond.error->kind, FailureKind::invalid_response) << beyond.error->message;
  EXPECT_NE(beyond.error->message.find("more than 32 interim (1xx) responses"), std::string::npos)
      << beyond.error->message;
}

INSTANTIATE_TEST_SUITE_P(PlainAndTls, ClientHeadReadTest, ::testing::Bool(),
                         [](const auto& param_info) { return param_info.param ? "tls" : "plain"; });

}  // namespace
}  // namespace edgefetch::origin::test
