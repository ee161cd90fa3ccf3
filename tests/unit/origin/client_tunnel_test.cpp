// WebSocket upgrades through the origin client: the request asks for one
// (Connection: Upgrade, Upgrade: websocket), a 101 naming websocket is the
// final head, and Exchange::take_tunnel() hands over the connection as raw
// bytes both ways, starting with what came right behind the 101. A 101 the
// request did not ask for, or one to another protocol, is an invalid response.

#include <gtest/gtest.h>

#include <boost/asio/use_awaitable.hpp>
#include <string>

#include "client_harness.hpp"
#include "edgefetch/origin/client.hpp"
#include "origin/request_head.hpp"
#include "test_origin.hpp"

namespace edgefetch::origin::test {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kSwitch =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

RequestHead upgrade_request() {
  RequestHead head = request("origin.test", "GET", "/chat");
  head.headers.push_back({"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="});
  head.headers.push_back({"Sec-WebSocket-Version", "13"});
  head.websocket_upgrade = true;
  return head;
}

struct TunnelOutcome {
  std::optional<FetchError> error;
  unsigned status = 0;
  std::string first_read;   // what the tunnel gave first (sent behind the 101)
  std::string second_read;  // the answer to what the test wrote into the tunnel
  std::size_t active_during = 0;
};

class ClientTunnelTest : public ::testing::TestWithParam<bool>,  // param: TLS
                         protected OriginClientFixture {
 protected:
  // Sends the upgrade; after the 101, reads what follows it, writes `then`
  // into the tunnel and reads until `expect_bytes` more bytes came back.
  TunnelOutcome run_tunnel(std::string then, std::size_t expect_bytes) {
    return run(io_, tunnel(std::move(then), expect_bytes));
  }

  asio::awaitable<TunnelOutcome> tunnel(std::string then, std::size_t expect_bytes) {
    TunnelOutcome out;
    auto sent = co_await client_.send(target_, upgrade_request());
    if (!sent) {
      out.error = sent.error();
      co_return out;
    }
    auto head = co_await (*sent)->read_response_head();
    if (!head) {
      out.error = head.error();
      co_return out;
    }
    out.status = (*head)->status;
    auto taken = (*sent)->take_tunnel();
    if (!taken) {
      out.error = taken.error();
      co_return out;
    }
    OriginTunnel& tunnel = **taken;
    out.active_during = only_pool(client_).active;
    std::array<std::uint8_t, 4096> buffer{};
    auto first = co_await tunnel.read_some(buffer);
    if (!first) {
      out.error = first.error();
      co_return out;
    }
    out.first_read.assign(reinterpret_cast<const char*>(buffer.data()), *first);
    if (!then.empty()) {
      auto written = co_await tunnel.write(
          std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(then.data()), then.size()));
      if (!written) {
        out.error = written.error();
        co_return out;
      }
    }
    while (out.second_read.size() < expect_bytes) {
      auto more = co_await tunnel.read_some(buffer);
      if (!more) {
        out.error = more.error();
        co_return out;
      }
      if (*more == 0) break;
      out.second_read.append(reinterpret_cast<const char*>(buffer.data()), *more);
    }
    co_return out;
  }
};

TEST_P(ClientTunnelTest, UpgradeRequestAsksForWebSocketInsteadOfKeepAlive) {
  std::string seen;
  start_origin(
      [&seen](const ReceivedRequest& r) {
        seen = r.head;
        return Reply::send(std::string(kSwitch) + "first");
      },
      GetParam());
  const auto outcome = run_tunnel("", 0);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_NE(seen.find("\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("Keep-Alive"), std::string::npos) << seen;
  EXPECT_NE(seen.find("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"), std::string::npos) << seen;
}

TEST_P(ClientTunnelTest, BytesBehindThe101ComeFirstThenBothWaysRaw) {
  // After the 101 the origin's parser reads what the tunnel sends as its next
  // request: its answer comes back through the tunnel as raw bytes.
  start_origin(
      [](const ReceivedRequest& r) {
        if (r.number_on_connection == 1) return Reply::send(std::string(kSwitch) + "hello from origin");
        return Reply::send(ok_response("second " + r.target));
      },
      GetParam());
  const std::string answer = ok_response("second /through-the-tunnel");
  const auto outcome =
      run_tunnel("GET /through-the-tunnel HTTP/1.1\r\nHost: origin.test\r\n\r\n", answer.size());
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.status, 101u);
  EXPECT_EQ(outcome.first_read, "hello from origin");
  EXPECT_EQ(outcome.second_read, answer);
  EXPECT_EQ(outcome.active_during, 1u);  // the tunnel's connection still counts as active...
  const auto pool = only_pool(client_);
  EXPECT_EQ(pool.active, 0u);  // ...until the tunnel is gone, and it never goes back to the pool
  EXPECT_EQ(pool.idle, 0u);
  EXPECT_EQ(origin_->connections(), 1);
}

TEST_P(ClientTunnelTest, OriginClosingTheTunnelReadsAsEnd) {
  start_origin([](const ReceivedRequest&) { return Reply::send_then_close(std::string(kSwitch) + "bye"); },
               GetParam());
  const auto outcome = run_tunnel("", 1);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.first_read, "bye");
  EXPECT_EQ(outcome.second_read, "");  // read_some() gave 0: the end, not an error
}

TEST_P(ClientTunnelTest, A101ThatDoesNotCompleteTheHandshakeIsAnInvalidResponse) {
  // RFC 6455 4.1's client checks: the edge rewrites Upgrade and Connection
  // for the viewer, so it must make them itself.
  for (const std::string head : {
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n",
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket, h2c\r\nConnection: Upgrade\r\n\r\n",
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nUpgrade: h2c\r\nConnection: "
           "Upgrade\r\n\r\n",
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
           "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n\r\n",
           "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n",
           "HTTP/1.0 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
       }) {
    SCOPED_TRACE(head);
    start_origin([head](const ReceivedRequest&) { return Reply::send(head); }, GetParam());
    const auto outcome = run_tunnel("", 0);
    ASSERT_TRUE(outcome.error);
    EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response);
    EXPECT_NE(outcome.error->message.find("does not complete the WebSocket handshake"), std::string::npos)
        << outcome.error->message;
  }
}

TEST_P(ClientTunnelTest, A101InAnyCaseAndWithConnectionListsCompletesTheHandshake) {
  start_origin(
      [](const ReceivedRequest&) {
        return Reply::send(
            "HTTP/1.1 101 Web Socket Protocol Handshake\r\nUpgrade: WebSocket\r\nConnection: keep-alive, "
            "UPGRADE\r\n\r\nx");
      },
      GetParam());
  const auto outcome = run_tunnel("", 0);
  ASSERT_FALSE(outcome.error) << outcome.error->message;
  EXPECT_EQ(outcome.status, 101u);
  EXPECT_EQ(outcome.first_read, "x");
}

TEST_P(ClientTunnelTest, SwitchNobodyAskedForIsAnInvalidResponse) {
  start_origin([](const ReceivedRequest&) { return Reply::send(std::string(kSwitch)); }, GetParam());
  const auto outcome = get();
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_response);
  EXPECT_NE(outcome.error->message.find("no upgrade was requested"), std::string::npos)
      << outcome.error->message;
}

TEST_P(ClientTunnelTest, RefusedUpgradeIsAnOrdinaryResponseAndTheTunnelIsNotOffered) {
  start_origin([](const ReceivedRequest&) { return Reply::send(ok_response("no websockets here")); },
               GetParam());
  const auto outcome = run_tunnel("", 0);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.status, 200u);
  EXPECT_EQ(outcome.error->kind, FailureKind::invalid_request);  // take_tunnel() on a 200
}

TEST_P(ClientTunnelTest, A101WhoseTunnelIsNotTakenNeverReturnsToThePool) {
  start_origin(
      [](const ReceivedRequest& r) {
        if (r.target == "/chat") return Reply::send(std::string(kSwitch));
        return Reply::send(ok_response("plain"));
      },
      GetParam());
  const auto switched = run(io_, [this]() -> asio::awaitable<unsigned> {
    auto sent = co_await client_.send(target_, upgrade_request());
    if (!sent) co_return 0U;
    auto head = co_await (*sent)->read_response_head();
    co_return head ? (*head)->status : 0U;  // the Exchange goes without take_tunnel()
  }());
  EXPECT_EQ(switched, 101U);
  const auto after = get("/after");
  ASSERT_FALSE(after.error) << after.error->message;
  EXPECT_EQ(after.body, "plain");
  EXPECT_FALSE(after.info->connection_reused);
  EXPECT_EQ(origin_->connections(), 2);
}

INSTANTIATE_TEST_SUITE_P(PlainAndTls, ClientTunnelTest, ::testing::Bool(),
                         [](const auto& param_info) { return param_info.param ? "tls" : "plain"; });

TEST(RequestHeadWebSocket, OnlyAGetWithoutBodyMayAskForAnUpgrade) {
  RequestHead post = request("origin.test", "POST", "/chat");
  post.websocket_upgrade = true;
  post.content_length = 5;
  const auto refused = serialize_request_head(post);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, FailureKind::invalid_request);
  EXPECT_NE(refused.error().message.find("WebSocket upgrade is a GET"), std::string::npos);
}

}  // namespace
}  // namespace edgefetch::origin::test
