// OriginClient failures: connection attempts, read timeouts and retries, TLS
// failures, bad responses and bad requests, each as a FetchError with the
// CDN's status and edgefetch's reason code.

#include <gtest/gtest.h>

#include "client_harness.hpp"
#include "edgefetch/net/resolve.hpp"

namespace edgefetch::origin::test {
namespace {

using namespace std::chrono_literals;

class ClientFailureTest : public ::testing::Test {
 protected:
  Outcome call(const Target& target, std::string method = "GET") {
    Call c;
    c.head = request("origin.test", std::move(method));
    if (c.head.method == "POST") c.head.content_length = 0;
    return exchange(io_, client_, target, std::move(c));
  }

  boost::asio::io_context io_;
  OriginClient client_{io_.get_executor()};
};

// Attempt N uses the N-th address: 127.0.0.2 and 127.0.0.3 refuse, the origin
// listens on 127.0.0.4 only.
Target three_addresses(std::uint16_t port, int attempts) {
  Target target = target_for(port, false);
  auto entry =
      net::parse_resolve_override("origin.test:" + std::to_string(port) + ":127.0.0.2,127.0.0.3,127.0.0.4");
  EXPECT_TRUE(entry);
  target.config.resolve_overrides = {*entry};
  target.config.connection_attempts = attempts;
  return target;
}

TEST_F(ClientFailureTest, ConnectionAttemptsWalkTheResolvedAddresses) {
  TestOriginOptions options;
  options.address = "127.0.0.4";
  auto origin =
      TestOrigin::start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); }, options);

  const auto two = call(three_addresses(origin->port(), 2));
  ASSERT_TRUE(two.error);
  EXPECT_EQ(two.error->kind, FailureKind::connection_refused) << two.error->message;
  EXPECT_EQ(two.error->code(), "connection_refused");
  EXPECT_EQ(two.error->cdn_status(), 502);
  EXPECT_NE(two.error->message.find("127.0.0.3"), std::string::npos) << two.error->message;
  EXPECT_NE(two.error->message.find("2 attempts"), std::string::npos) << two.error->message;
  EXPECT_EQ(origin->connections(), 0);

  const auto three = call(three_addresses(origin->port(), 3));
  ASSERT_FALSE(three.error) << three.error->message;
  EXPECT_EQ(three.info->connect_attempts, 3);
  ASSERT_TRUE(three.info->remote);
  EXPECT_EQ(three.info->remote->address().to_string(), "127.0.0.4");
  EXPECT_EQ(origin->connections(), 1);
}

// IpAddressType: an origin whose addresses are all of the other family is a
// DNS failure naming the setting and the addresses left out; nothing connects.
TEST_F(ClientFailureTest, NoAddressOfTheOriginsFamilyIsADnsFailureNamingThem) {
  auto origin = TestOrigin::start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); });
  Target target = target_for(origin->port(), false);  // --resolve origin.test:PORT:127.0.0.1
  target.config.address_families = net::AddressFamilies::ipv6_only;
  const auto outcome = call(target);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::dns_failure) << outcome.error->message;
  EXPECT_EQ(outcome.error->cdn_status(), 502);
  EXPECT_EQ(outcome.error->message,
            "could not resolve 'origin.test' to an IPv6 address, as its IpAddressType ipv6 requires: skipped "
            "127.0.0.1 (from --resolve)");
  EXPECT_EQ(origin->connections(), 0);

  // ipv4: the IPv6 address listed first is left out, and the one attempt reaches the origin.
  auto entry =
      net::parse_resolve_override("origin.test:" + std::to_string(origin->port()) + ":::1,127.0.0.1");
  ASSERT_TRUE(entry);
  target.config.resolve_overrides = {*entry};
  target.config.connection_attempts = 1;
  target.config.address_families = net::AddressFamilies::ipv4_only;
  const auto v4 = call(target);
  ASSERT_FALSE(v4.error) << v4.error->message;
  ASSERT_TRUE(v4.info->remote);
  EXPECT_EQ(v4.info->remote->address().to_string(), "127.0.0.1");
}

TEST_F(ClientFailureTest, ReadTimeoutRetriesGetUpToTheConnectionAttempts) {
  auto origin = TestOrigin::start([](const ReceivedRequest&) { return Reply::silence(); });
  Target target = target_for(origin->port(), false);
  target.config.read_timeout = 1s;
  target.config.connection_attempts = 3;
  const auto outcome = call(target);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::read_timeout) << outcome.error->message;
  EXPECT_EQ(outcome.error->code(), "read_timeout");
  EXPECT_EQ(outcome.error->cdn_status(), 504);
  EXPECT_EQ(outcome.info->tries, 3);
  // The wait was three read timeouts: the message says so.
  EXPECT_NE(outcome.error->message.find("on each of 3 tries"), std::string::npos) << outcome.error->message;
  ASSERT_TRUE(origin->wait_closed(3, support::Deadline::after(10s)));
  const auto requests = origin->requests();
  ASSERT_EQ(requests.size(), 3u);  // counted at the origin: one per connection
  EXPECT_EQ(origin->connections(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(requests[static_cast<std::size_t>(i)].connection, i + 1);
}

TEST_F(ClientFailureTest, ReadTimeoutRetrySucceedsWhenTheOriginAnswersLater) {
  auto origin = TestOrigin::start([](const ReceivedRequest& r) {
    Reply reply = Reply::send(ok_response("late"));
    reply.silent = r.connection == 1;
    return reply;
  });
  Target target = target_for(origin->port(), false);
  target.config.read_timeout = 1s;
  target.config.connection_attempts = 2;
  const auto outcome = call(target, "HEAD");
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.info->tries, 2);
  EXPECT_FALSE(outcome.head.has_body);
  EXPECT_EQ(origin->requests().size(), 2u);
}

TEST_F(ClientFailureTest, ReadTimeoutDoesNotRetryPost) {
  auto origin = TestOrigin::start([](const ReceivedRequest&) { return Reply::silence(); });
  Target target = target_for(origin->port(), false);
  target.config.read_timeout = 1s;
  target.config.connection_attempts = 3;
  const auto outcome = call(target, "POST");
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::read_timeout);
  EXPECT_EQ(outcome.error->cdn_status(), 504);
  EXPECT_EQ(outcome.info->tries, 1);
  EXPECT_EQ(outcome.error->message.find("tries"), std::string::npos) << outcome.error->message;
  ASSERT_TRUE(origin->wait_closed(1, support::Deadline::after(10s)));
  EXPECT_EQ(origin->requests().size(), 1u);
  EXPECT_EQ(origin->connections(), 1);
}

TEST_F(ClientFailureTest, GapInTheBodyIsAReadTimeoutWithoutRetry) {
  // Content-Length 10, five bytes, then silence.
  auto origin = TestOrigin::start([](const ReceivedRequest&) {
    Reply reply = Reply::send("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
    reply.generated_body = 0;
    return reply;
  });
  Target target = target_for(origin->port(), false);
  target.config.read_timeout = 1s;
  target.config.connection_attempts = 3;
  const auto outcome = call(target);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::read_timeout);
  EXPECT_NE(outcome.error->message.find("stopped sending"), std::string::npos) << outcome.error->message;
  EXPECT_EQ(outcome.body, "hello");
  EXPECT_EQ(origin->requests().size(), 1u);
  EXPECT_EQ(only_pool(client_).idle, 0u);
}

TEST_F(ClientFailureTest, ResponseCompletionTimeoutCapsATricklingBody) {
  // 1 KiB every 300 ms: never a read timeout (1 s), but 64 KiB would take 19 s.
  auto origin = TestOrigin::start([](const ReceivedRequest&) {
    Reply reply = Reply::send("HTTP/1.1 200 OK\r\nContent-Length: 65536\r\n\r\n");
    reply.generated_body = 65536;
    reply.pace = 300ms;
    return reply;
  });
  Target target = target_for(origin->port(), false);
  target.config.read_timeout = 1s;
  target.config.response_completion_timeout = 2s;
  const auto outcome = call(target);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::response_completion_timeout) << outcome.error->message;
  EXPECT_EQ(outcome.error->code(), "response_completion_timeout");
  EXPECT_EQ(outcome.error->cdn_status(), 504);
  EXPECT_NE(outcome.error->message.find("ResponseCompletionTimeout of 2 seconds"), std::string::npos)
      << outcome.error->message;
  EXPECT_GT(outcome.body.size(), 0u);  // the head and some of the body arrived first
  EXPECT_LT(outcome.body.size(), 65536u);
  EXPECT_EQ(only_pool(client_).idle, 0u);  // a cut-off connection is never pooled
}

TEST_F(ClientFailureTest, ResponseCompletionTimeoutIsNeverRetried) {
  // Without the cap a silent origin gets three tries of the read timeout.
  auto origin = TestOrigin::start([](const ReceivedRequest&) { return Reply::silence(); });
  Target target = target_for(origin->port(), false);
  target.config.read_timeout = 2s;
  target.config.connection_attempts = 3;
  target.config.response_completion_timeout = 2s;
  const auto outcome = call(target);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::response_completion_timeout) << outcome.error->message;
  EXPECT_EQ(outcome.info->tries, 1);
  ASSERT_TRUE(origin->wait_closed(1, support::Deadline::after(10s)));
  EXPECT_EQ(origin->requests().size(), 1u);
}

TEST_F(ClientFailureTest, ResponseCompletionTimeoutShorterThanTheReadTimeoutIsRejected) {
  auto origin = TestOrigin::start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); });
  Target target = target_for(origin->port(), false);
  target.config.read_timeout = 5s;
  target.config.response_completion_timeout = 2s;
  const auto outcome = call(target);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_config) << outcome.error->message;
  EXPECT_NE(outcome.error->message.find("shorter than the read timeout"), std::string::npos)
      << outcome.error->message;
  EXPECT_EQ(origin->connections(), 0);
}

TEST_F(ClientFailureTest, CertificateNameMismatchIs502WithTheEngineReason) {
  TestOriginOptions options;
  options.tls = true;
  options.leaf = support::Leaf::wrong_name;
  auto origin =
      TestOrigin::start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); }, options);
  const auto outcome = call(target_for(origin->port(), true));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::tls);
  EXPECT_EQ(outcome.error->code(), "cert_name_mismatch") << outcome.error->message;
  EXPECT_EQ(outcome.error->phase, Phase::tls_handshake);
  EXPECT_EQ(outcome.error->cdn_status(), 502);
  EXPECT_TRUE(origin->requests().empty());
  const auto stats = only_pool(client_);
  EXPECT_EQ(stats.opened, 0u);
  EXPECT_EQ(stats.idle + stats.active, 0u);
}

TEST_F(ClientFailureTest, UntrustedCertificateIs502) {
  TestOriginOptions options;
  options.tls = true;
  options.leaf = support::Leaf::self_signed;
  auto origin =
      TestOrigin::start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); }, options);
  const auto outcome = call(target_for(origin->port(), true));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::tls);
  EXPECT_EQ(outcome.error->cdn_status(), 502);
  EXPECT_NE(outcome.error->code().find("cert_"), std::string::npos) << outcome.error->code();
}

TEST_F(ClientFailureTest, PlainHttpOnTheTlsPortIsATlsFailure) {
  auto origin = TestOrigin::start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); });
  Target target = target_for(origin->port(), true);
  target.config.connection_timeout = 1s;
  const auto outcome = call(target);
  ASSERT_TRUE(outcome.error);
  // The plain origin waits for a request head and never answers the hello.
  EXPECT_EQ(outcome.error->kind, FailureKind::tls_handshake_timeout) << outcome.error->message;
  EXPECT_EQ(outcome.error->cdn_status(), 504);
}

TEST_F(ClientFailureTest, OversizedResponseHeadIs502) {
  auto origin = TestOrigin::start([](const ReceivedRequest&) {
    return Reply::send("HTTP/1.1 200 OK\r\nX-Big: " + std::string(kMaxResponseHeaderBytes, 'a') +
                       "\r\nContent-Length: 0\r\n\r\n");
  });
  const auto outcome = call(target_for(origin->port(), false));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::response_headers_too_large);
  EXPECT_EQ(outcome.error->cdn_status(), 502);
}

TEST_F(ClientFailureTest, ShortNonHttpAnswerThenCloseIsInvalidNotAClosedConnection) {
  // Too short for Beast to judge the version before the close: it was reported
  // as "closed before the response was complete", hiding what the origin said.
  auto origin = TestOrigin::start([](const ReceivedRequest&) { return Reply::send_then_close("hello"); });
  const auto outcome = call(target_for(origin->port(), false));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response) << outcome.error->message;
  EXPECT_NE(outcome.error->message.find("begins \"hello\""), std::string::npos) << outcome.error->message;
  // A truncated status line is still a closed connection.
  auto truncated =
      TestOrigin::start([](const ReceivedRequest&) { return Reply::send_then_close("HTTP/1.1 2"); });
  const auto cut = call(target_for(truncated->port(), false));
  ASSERT_TRUE(cut.error);
  EXPECT_EQ(cut.error->kind, FailureKind::connection_closed) << cut.error->message;
}

TEST_F(ClientFailureTest, GarbageResponseIsInvalid) {
  auto origin =
      TestOrigin::start([](const ReceivedRequest&) { return Reply::send("SSH-2.0-OpenSSH\r\n\r\n"); });
  const auto outcome = call(target_for(origin->port(), false));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response);
  EXPECT_EQ(outcome.error->cdn_status(), 502);
}

TEST_F(ClientFailureTest, ATlsAlertForAPlainRequestIsAnInvalidResponseNamingTls) {
  // http-only (or match-viewer from an HTTP viewer) pointed at an HTTPS port:
  // gnutls-serv answers the request with a fatal alert and closes.
  auto origin = TestOrigin::start([](const ReceivedRequest&) {
    return Reply::send_then_close(std::string("\x15\x03\x01\x00\x02\x02\x46", 7));
  });
  const auto outcome = call(target_for(origin->port(), false));
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response) << outcome.error->message;
  EXPECT_EQ(outcome.error->cdn_status(), 502);
  EXPECT_NE(outcome.error->message.find("a TLS alert (protocol_version)"), std::string::npos)
      << outcome.error->message;
  EXPECT_NE(outcome.error->message.find("the port speaks TLS"), std::string::npos) << outcome.error->message;
}

TEST_F(ClientFailureTest, ATransferCodingOtherThanChunkedIsInvalid) {
  // Beast frames "gzip, chunked" as chunked and would hand out the gzip bytes
  // as the body; the CDN supports only chunked (facts 5.4).
  for (const std::string coding : {"gzip, chunked", "identity", "chunked, gzip"}) {
    auto origin = TestOrigin::start([coding](const ReceivedRequest&) {
      return Reply::send_then_close("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + coding +
                                    "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    });
    const auto outcome = call(target_for(origin->port(), false));
    ASSERT_TRUE(outcome.error) << coding;
    EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response) << coding << ": " << outcome.error->message;
    EXPECT_EQ(outcome.error->cdn_status(), 502);
    EXPECT_NE(outcome.error->message.find("Transfer-Encoding: " + coding), std::string::npos)
        << outcome.error->message;
  }
  auto chunked = TestOrigin::start([](const ReceivedRequest&) {
    return Reply::send("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  });
  const auto fine = call(target_for(chunked->port(), false));
  EXPECT_FALSE(fine.error) << fine.error->message;
  EXPECT_EQ(fine.body, "hello");
}

TEST_F(ClientFailureTest, StatusOutsideTheFiveClassesIsInvalid) {
  // Three digits, as the grammar wants, but no class: found by the response fuzz harness.
  for (const char* status : {"099", "600", "000"}) {
    auto origin = TestOrigin::start([status](const ReceivedRequest&) {
      return Reply::send(std::string("HTTP/1.1 ") + status + " Odd\r\nContent-Length: 0\r\n\r\n");
    });
    const auto outcome = call(target_for(origin->port(), false));
    ASSERT_TRUE(outcome.error) << status;
    EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response) << status;
    EXPECT_EQ(outcome.error->cdn_status(), 502) << status;
  }
}

TEST_F(ClientFailureTest, TwoContinuesAreInvalidOneIsSkipped) {
  auto origin = TestOrigin::start([](const ReceivedRequest& r) {
    const std::string interim = r.target == "/two"
                                    ? "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n"
                                    : "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\n";
    return Reply::send(interim + ok_response("final"));
  });
  const Target target = target_for(origin->port(), false);
  Call one;
  one.head = request("origin.test", "GET", "/one");
  const auto skipped = exchange(io_, client_, target, one);
  ASSERT_FALSE(skipped.error) << skipped.error->message;
  EXPECT_EQ(skipped.head.status, 200u);
  EXPECT_EQ(skipped.body, "final");
  Call two;
  two.head = request("origin.test", "GET", "/two");
  const auto invalid = exchange(io_, client_, target, two);
  ASSERT_TRUE(invalid.error);
  EXPECT_EQ(invalid.error->kind, FailureKind::invalid_response);
}

TEST_F(ClientFailureTest, RefusedEverywhereIs502AndUnresolvableIsDnsFailure) {
  Target refused = three_addresses(1, 3);  // port 1: nothing listens
  const auto outcome = call(refused);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::connection_refused);

  Target unknown = target_for(8080, false);
  unknown.config.domain_name = "does-not-exist.invalid";
  const auto dns = call(unknown);
  ASSERT_TRUE(dns.error);
  EXPECT_EQ(dns.error->kind, FailureKind::dns_failure);
  EXPECT_EQ(dns.error->cdn_status(), 502);
}

TEST_F(ClientFailureTest, RequestHeadsTheClientManagesAreRejected) {
  const Target target = target_for(9, false);  // never contacted
  for (const char* managed : {"Content-Length", "transfer-encoding", "Connection", "Upgrade", "TE", "Trailer",
                              "Proxy-Connection"}) {
    Call c;
    c.head = request("origin.test");
    c.head.headers.push_back({managed, "1"});
    const auto outcome = exchange(io_, client_, target, c);
    ASSERT_TRUE(outcome.error) << managed;
    EXPECT_EQ(outcome.error->kind, FailureKind::invalid_request) << managed;
    EXPECT_FALSE(outcome.sent);
  }
  Call no_host;
  no_host.head.headers = {{"User-Agent", "x"}};
  EXPECT_EQ(exchange(io_, client_, target, no_host).error->kind, FailureKind::invalid_request);
  Call split;
  split.head = request("origin.test");
  split.head.headers.push_back({"X-Injected", "a\r\nEvil: b"});
  EXPECT_EQ(exchange(io_, client_, target, split).error->kind, FailureKind::invalid_request);
  Call both;
  both.head = request("origin.test", "POST");
  both.head.chunked = true;
  both.head.content_length = 3;
  EXPECT_EQ(exchange(io_, client_, target, both).error->kind, FailureKind::invalid_request);
  Call bad_target;
  bad_target.head = request("origin.test", "GET", "/a b");
  EXPECT_EQ(exchange(io_, client_, target, bad_target).error->kind, FailureKind::invalid_request);
  Target bad_config = target;
  bad_config.config.connection_attempts = 4;
  EXPECT_EQ(
      exchange(io_, client_, bad_config, Call{request("origin.test"), "", 0, 16 * 1024, 16 * 1024, true})
          .error->kind,
      FailureKind::invalid_config);
}

}  // namespace
}  // namespace edgefetch::origin::test
