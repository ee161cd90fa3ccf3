// OriginClient over TLS: one handshake for many requests, session resumption
// seen from the origin side (libssl's SSL_session_reused in the test origin,
// and openssl s_server's -www page), and pools that never mix TLS settings.

#include <gtest/gtest.h>

#include "client_harness.hpp"
#include "support/openssl_server.hpp"

namespace edgefetch::origin::test {
namespace {

using namespace std::chrono_literals;

class ClientTlsTest : public ::testing::Test {
 protected:
  void start(Script script) {
    TestOriginOptions options;
    options.tls = true;
    origin_ = TestOrigin::start(std::move(script), options);
  }
  Outcome get(const Target& target, std::string host = "origin.test") {
    Call c;
    c.head = request(std::move(host));
    return exchange(io_, client_, target, std::move(c));
  }

  boost::asio::io_context io_;
  OriginClient client_{io_.get_executor()};
  std::unique_ptr<TestOrigin> origin_;
};

TEST_F(ClientTlsTest, KeepAliveNeedsOneHandshakeForManyRequests) {
  start([](const ReceivedRequest& r) {
    return Reply::send(ok_response(std::to_string(r.number_on_connection)));
  });
  const Target target = target_for(origin_->port(), true);
  for (int i = 1; i <= 5; ++i) {
    const auto outcome = get(target);
    ASSERT_FALSE(outcome.error) << outcome.error->code() << ": " << outcome.error->message;
    EXPECT_EQ(outcome.body, std::to_string(i));
    EXPECT_TRUE(outcome.info->tls);
    EXPECT_EQ(outcome.info->server_name, "origin.test");
    ASSERT_TRUE(outcome.info->tls_negotiated);
    EXPECT_EQ(outcome.info->tls_negotiated->version, policy::ProtocolVersion::tls1_2);
    EXPECT_NE(outcome.info->tls_negotiated->cipher_suite, nullptr);
    EXPECT_EQ(outcome.info->connection_reused, i > 1);
    EXPECT_EQ(outcome.info->timings.tls.has_value(), i == 1);
  }
  EXPECT_EQ(origin_->connections(), 1);
  EXPECT_EQ(origin_->handshakes(), 1);
  const auto stats = only_pool(client_);
  EXPECT_EQ(stats.tls_full, 1u);
  EXPECT_EQ(stats.reused, 4u);
}

TEST_F(ClientTlsTest, Tls13FirstByteIsTheAnswersNotTheSessionTickets) {
  // libssl sends its NewSessionTickets right after the handshake; the answer
  // comes 600 ms after the request. The first byte is the answer's.
  TestOriginOptions options;
  options.tls = true;
  options.tls13 = true;
  origin_ = TestOrigin::start(
      [](const ReceivedRequest&) {
        Reply reply = Reply::send(ok_response("late"));
        reply.delay = 600ms;
        return reply;
      },
      options);
  Target target = target_for(origin_->port(), true);
  target.config.profile = policy::profile_by_name("CloudFront-Upstream-2025");
  ASSERT_NE(target.config.profile, nullptr);
  const auto outcome = get(target);
  ASSERT_FALSE(outcome.error) << outcome.error->code() << ": " << outcome.error->message;
  ASSERT_TRUE(outcome.info->tls_negotiated);
  EXPECT_EQ(outcome.info->tls_negotiated->version, policy::ProtocolVersion::tls1_3);
  ASSERT_TRUE(outcome.info->timings.first_byte);
  EXPECT_GE(*outcome.info->timings.first_byte, 550ms);
}

TEST_F(ClientTlsTest, ASilentTls13OriginIsSilentDespiteItsSessionTickets) {
  // The tickets are no answer: the read timeout says nothing came, and a GET
  // is tried again as for any silent origin.
  TestOriginOptions options;
  options.tls = true;
  options.tls13 = true;
  origin_ = TestOrigin::start([](const ReceivedRequest&) { return Reply::silence(); }, options);
  Target target = target_for(origin_->port(), true);
  target.config.profile = policy::profile_by_name("CloudFront-Upstream-2025");
  target.config.read_timeout = 1s;
  target.config.connection_attempts = 2;
  const auto outcome = get(target);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code(), "read_timeout");
  EXPECT_NE(outcome.error->message.find("sent no response"), std::string::npos) << outcome.error->message;
  EXPECT_EQ(outcome.info->tries, 2);
  EXPECT_FALSE(outcome.info->timings.first_byte);
}

TEST_F(ClientTlsTest, AHelloRequestMidResponseIsIgnoredAndThePooledConnectionStaysUsable) {
  // The CDN ignores HelloRequests: the response completes, and the next
  // request runs on the same connection (libssl aborted it when the client
  // answered with a no_renegotiation warning).
  start([](const ReceivedRequest& r) {
    Reply reply = Reply::send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
    reply.generated_body = 100000;
    reply.hello_request = r.number_on_connection == 1;
    return reply;
  });
  const Target target = target_for(origin_->port(), true);
  for (int i = 1; i <= 3; ++i) {
    const auto outcome = get(target);
    ASSERT_FALSE(outcome.error) << i << ": " << outcome.error->code() << ": " << outcome.error->message;
    EXPECT_EQ(outcome.body.size(), 100000u);
    EXPECT_EQ(outcome.info->connection_reused, i > 1);
  }
  EXPECT_EQ(origin_->connections(), 1);
  EXPECT_EQ(origin_->handshakes(), 1);
}

TEST_F(ClientTlsTest, PostHandshakeMessagesToAnIdleConnectionKeepItInThePool) {
  // TLS 1.3: after each answer the origin sends a KeyUpdate asking for ours,
  // which reaches the connection while it rests in the pool (read there, or
  // at checkout); TLS 1.2: a HelloRequest after the answer. Both leave the
  // connection usable: one connection, one handshake.
  for (const bool tls13 : {true, false}) {
    SCOPED_TRACE(tls13 ? "TLS 1.3 KeyUpdate" : "TLS 1.2 HelloRequest");
    boost::asio::io_context io;
    OriginClient client{io.get_executor()};
    TestOriginOptions options;
    options.tls = true;
    options.tls13 = tls13;
    auto origin = TestOrigin::start(
        [tls13](const ReceivedRequest& r) {
          Reply reply = Reply::send(ok_response(std::to_string(r.number_on_connection)));
          reply.key_update_after = tls13;
          reply.hello_request = !tls13;
          return reply;
        },
        options);
    Target target = target_for(origin->port(), true);
    if (tls13) target.config.profile = policy::profile_by_name("CloudFront-Upstream-2025");
    for (int i = 1; i <= 3; ++i) {
      Call c;
      c.head = request("origin.test");
      const auto outcome = exchange(io, client, target, std::move(c));
      ASSERT_FALSE(outcome.error) << i << ": " << outcome.error->code() << ": " << outcome.error->message;
      EXPECT_EQ(outcome.body, std::to_string(i));
      // Let the post-handshake message reach the idle connection.
      io.run_for(std::chrono::milliseconds(100));
      io.restart();
    }
    EXPECT_EQ(origin->connections(), 1);
    EXPECT_EQ(origin->handshakes(), 1);
  }
}

TEST_F(ClientTlsTest, AnIdleConnectionHoldingPartOfARecordLeavesThePool) {
  // After its first answer the origin sends the first bytes of a record and
  // no more: its rest may never come, so the connection is not used again
  // (the next request would wait for it, or read garbage).
  start([](const ReceivedRequest& r) {
    Reply reply = Reply::send(ok_response(std::to_string(r.connection)));
    if (r.connection == 1) reply.raw_after = std::string("\x17\x03\x03\x00\x40\x01\x02", 7);
    return reply;
  });
  const Target target = target_for(origin_->port(), true);
  const auto first = get(target);
  ASSERT_FALSE(first.error) << first.error->message;
  io_.run_for(std::chrono::milliseconds(100));  // the partial record reaches the idle connection
  io_.restart();
  const auto second = get(target);
  ASSERT_FALSE(second.error) << second.error->code() << ": " << second.error->message;
  EXPECT_EQ(second.body, "2") << "a new connection";
  EXPECT_FALSE(second.info->connection_reused);
  EXPECT_EQ(origin_->connections(), 2);
}

TEST_F(ClientTlsTest, AnOriginThatWaitsForTheRenegotiationTimesOutAndTheMessageSaysWhy) {
  // A HelloRequest instead of an answer: the origin waits for a new handshake
  // that never comes (as a server that asks for a client certificate on some
  // paths does), and the read timeout names that.
  start([](const ReceivedRequest&) {
    Reply reply;
    reply.hello_request = true;
    reply.silent_after = true;
    return reply;
  });
  Target target = target_for(origin_->port(), true);
  target.config.read_timeout = 1s;
  const auto outcome = get(target);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code(), "read_timeout");
  EXPECT_NE(outcome.error->message.find("asked to renegotiate (HelloRequest), which the CDN ignores"),
            std::string::npos)
      << outcome.error->message;
}

TEST_F(ClientTlsTest, ExpiredTlsConnectionIsReplacedByAResumedOne) {
  start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); });
  Target target = target_for(origin_->port(), true);
  target.keepalive_timeout = 1s;
  ASSERT_FALSE(get(target).error);
  ASSERT_TRUE(run_until(io_, [&] { return only_pool(client_).idle == 0; }));
  EXPECT_EQ(only_pool(client_).expired, 1u);
  const auto again = get(target);
  ASSERT_FALSE(again.error) << again.error->message;
  EXPECT_FALSE(again.info->connection_reused);
  EXPECT_EQ(origin_->connections(), 2);
  EXPECT_EQ(origin_->handshakes(), 2);
  // Resumption, observed by the origin (libssl) and by the client.
  EXPECT_EQ(origin_->resumed_handshakes(), 1);
  ASSERT_TRUE(again.info->tls_negotiated);
  EXPECT_TRUE(again.info->tls_negotiated->resumed);
  EXPECT_EQ(only_pool(client_).tls_resumed, 1u);
  EXPECT_EQ(only_pool(client_).tls_full, 1u);
}

TEST_F(ClientTlsTest, StaleTlsConnectionClosedWithCloseNotifyIsRetried) {
  start([](const ReceivedRequest& r) {
    Reply reply = Reply::send(ok_response("fine"));
    reply.drop = r.connection == 1 && r.number_on_connection == 2;
    return reply;
  });
  const Target target = target_for(origin_->port(), true);
  ASSERT_FALSE(get(target).error);
  const auto second = get(target);
  ASSERT_FALSE(second.error) << second.error->code() << ": " << second.error->message;
  EXPECT_EQ(second.body, "fine");
  EXPECT_TRUE(second.info->stale_retry);
  EXPECT_EQ(second.info->tries, 2);
  EXPECT_EQ(origin_->connections(), 2);
  EXPECT_EQ(origin_->resumed_handshakes(), 1);  // the replacement resumed the session
}

TEST_F(ClientTlsTest, OpenSslServerReportsTheResumedSession) {
  support::OpenSslServerOptions options;
  options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
  auto server = support::OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();
  const Target target = target_for(server->port(), true);
  // s_server -www answers HTTP/1.0 and closes: every request is a new connection.
  const auto first = get(target);
  ASSERT_FALSE(first.error) << first.error->code() << ": " << first.error->message << "\n" << server->logs();
  EXPECT_NE(first.body.find("New, TLSv1.2"), std::string::npos) << first.body;
  const auto second = get(target);
  ASSERT_FALSE(second.error) << second.error->code() << ": " << second.error->message;
  EXPECT_NE(second.body.find("Reused, TLSv1.2"), std::string::npos) << second.body;
  EXPECT_TRUE(second.info->tls_negotiated && second.info->tls_negotiated->resumed);
  const auto stats = only_pool(client_);
  EXPECT_EQ(stats.opened, 2u);
  EXPECT_EQ(stats.tls_full, 1u);
  EXPECT_EQ(stats.tls_resumed, 1u);
}

TEST_F(ClientTlsTest, ForwardedHostDecidesSniAndGetsItsOwnPool) {
  start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); });
  Target by_domain = target_for(origin_->port(), true);
  Target by_host = by_domain;
  by_host.host_header = "www.wild.test";  // the certificate covers *.wild.test
  ASSERT_FALSE(get(by_domain).error);
  const auto forwarded = get(by_host, "www.wild.test");
  ASSERT_FALSE(forwarded.error) << forwarded.error->message;
  EXPECT_EQ(forwarded.info->server_name, "www.wild.test");
  EXPECT_FALSE(forwarded.info->connection_reused);  // never the other name's connection
  EXPECT_EQ(origin_->connections(), 2);
  EXPECT_EQ(client_.stats().size(), 2u);

  Target wrong_host = by_domain;
  wrong_host.host_header = "other.test:443";
  const auto mismatch = get(wrong_host, "other.test");
  ASSERT_TRUE(mismatch.error);
  EXPECT_EQ(mismatch.error->code(), "cert_name_mismatch");
  EXPECT_EQ(mismatch.error->cdn_status(), 502);
}

TEST_F(ClientTlsTest, DifferentOriginSslProtocolsAreNeverShared) {
  start([](const ReceivedRequest&) { return Reply::send(ok_response("x")); });
  Target modern = target_for(origin_->port(), true);
  Target legacy = modern;
  legacy.config.origin_ssl_protocols = {policy::ProtocolVersion::tls1_0, policy::ProtocolVersion::tls1_1,
                                        policy::ProtocolVersion::tls1_2};
  ASSERT_FALSE(get(modern).error);
  ASSERT_FALSE(get(legacy).error);
  ASSERT_FALSE(get(modern).error);
  EXPECT_EQ(origin_->connections(), 2);
  const auto stats = client_.stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_NE(stats[0].key, stats[1].key);
}

TEST_F(ClientTlsTest, PlainAndTlsTargetsOfOneDomainAreSeparatePools) {
  auto plain = TestOrigin::start([](const ReceivedRequest&) { return Reply::send(ok_response("plain")); });
  start([](const ReceivedRequest&) { return Reply::send(ok_response("tls")); });
  EXPECT_EQ(get(target_for(plain->port(), false)).body, "plain");
  EXPECT_EQ(get(target_for(origin_->port(), true)).body, "tls");
  EXPECT_EQ(client_.stats().size(), 2u);
}

}  // namespace
}  // namespace edgefetch::origin::test
