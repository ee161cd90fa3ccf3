// WebSocket pass-through: a GET/1.1 upgrade to websocket is forwarded with
// Upgrade and Connection: Upgrade, the origin's 101 is relayed with the CDN's
// headers, and the bytes then flow both ways unchanged until a side closes or
// the tunnel idles out (--websocket-idle-timeout). Other upgrades, HTTP/1.0
// and non-GET upgrades are plain requests. The origin is tests/support/ws_origin.py
// and the viewer tests/support/ws_client.py (python3-websockets, which only
// Debian's /usr/bin/python3 has), or curl and raw sockets for the HTTP side.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>

#include <array>
#include <fstream>
#include <future>
#include <thread>

#include "cli/cli_support.hpp"
#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"
#include "support/deadline.hpp"
#include "support/pki.hpp"
#include "support/tcp.hpp"

namespace edgefetch::e2e {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kPython = "/usr/bin/python3";  // the one with python3-websockets

fs::path support_script(const std::string& name) {
  return fs::path(EDGEFETCH_SOURCE_DIR) / "tests" / "support" / name;
}

/// tests/support/ws_origin.py as a child process, plain or TLS (origin.test's RSA leaf).
class WsOrigin {
 public:
  static std::unique_ptr<WsOrigin> start(bool tls) {
    auto origin = std::make_unique<WsOrigin>();
    origin->dir_ = support::ScratchDir::create("e2e-ws-origin");
    std::vector<std::string> argv = {kPython, support_script("ws_origin.py").string(), "--port", "0"};
    if (tls) {
      const auto leaf = support::TestPki::get().leaf(support::Leaf::rsa2048);
      argv.insert(argv.end(), {"--cert", leaf.chain.string(), "--key", leaf.key.string()});
    }
    auto started = start_listening_script(std::move(argv), origin->dir_.path());
    if (!started) return nullptr;
    origin->child_ = std::move(started->child);
    origin->port_ = started->port;
    return origin;
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// Waits until the origin's stdout (its "closed PATH CODE" lines) contains `marker`.
  bool wait_stdout(const std::string& marker, std::chrono::milliseconds budget) const {
    const auto deadline = support::Deadline::after(budget);
    while (!deadline.expired()) {
      if (child_.read_stdout().find(marker) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return child_.read_stdout().find(marker) != std::string::npos;
  }
  [[nodiscard]] std::string stdout_text() const { return child_.read_stdout(); }

 private:
  support::ScratchDir dir_;
  support::ChildProcess child_;
  std::uint16_t port_ = 0;
};

struct WsResult {
  int exit_code = -1;
  json out = json::object();
  std::string err;
  [[nodiscard]] std::string describe() const {
    return "exit " + std::to_string(exit_code) + ": " + out.dump() + " " + err;
  }
};

/// Runs tests/support/ws_client.py against `url` (wss:// URLs trust the test
/// PKI and verify the name origin.test).
WsResult ws_client(const std::string& url, std::vector<std::string> args = {},
                   std::chrono::seconds timeout = 10s) {
  std::vector<std::string> argv = {support_script("ws_client.py").string(), url, "--timeout",
                                   std::to_string(timeout.count())};
  if (url.rfind("wss://", 0) == 0) {
    argv.insert(argv.end(),
                {"--ca", support::TestPki::get().ca_file().string(), "--server-name", "origin.test"});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  cli_test::RunOptions run;
  run.timeout = 4 * timeout + 30s;
  auto ran = cli_test::run_program(kPython, argv, run);
  WsResult result;
  result.exit_code = ran.exit_code;
  result.err = ran.err;
  auto parsed = json::parse(ran.out, nullptr, false);
  if (!parsed.is_discarded()) result.out = parsed;
  return result;
}

std::string ws_url(const Edge& edge, const std::string& path) {
  return "ws://127.0.0.1:" + std::to_string(edge.port()) + path;
}
std::string wss_url(const Edge& edge, const std::string& path) {
  return "wss://127.0.0.1:" + std::to_string(edge.tls_port()) + path;
}

// The RFC 6455 example key and its accept value.
constexpr const char* kKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr const char* kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

std::vector<std::string> upgrade_headers() {
  return {"-H", "Upgrade: websocket",
          "-H", "Connection: Upgrade",
          "-H", std::string("Sec-WebSocket-Key: ") + kKey,
          "-H", "Sec-WebSocket-Version: 13"};
}

/// Sends `request` and reads until the response head and `body_bytes` more
/// bytes have arrived (or the connection ends, or the deadline passes).
std::string raw_upgrade(std::uint16_t port, const std::string& request, std::size_t body_bytes,
                        std::chrono::milliseconds budget = 10s) {
  const auto deadline = support::Deadline::after(budget);
  auto fd = support::connect_loopback(port, deadline);
  if (!fd) {
    ADD_FAILURE() << fd.error();
    return {};
  }
  if (auto sent = support::send_all(fd->get(), request, deadline); !sent) {
    ADD_FAILURE() << sent.error();
    return {};
  }
  std::string received;
  std::array<std::uint8_t, 16384> buffer{};
  while (true) {
    const auto head_end = received.find("\r\n\r\n");
    if (head_end != std::string::npos && received.size() >= head_end + 4 + body_bytes) break;
    auto got = support::recv_some(fd->get(), buffer, deadline);
    if (!got || *got == 0) break;
    received.append(reinterpret_cast<const char*>(buffer.data()), *got);
  }
  return received;
}

std::string upgrade_request(const std::string& path, const std::string& upgrade = "websocket",
                            const std::string& connection = "Upgrade") {
  return "GET " + path + " HTTP/1.1\r\nHost: viewer.test\r\nUpgrade: " + upgrade +
         "\r\nConnection: " + connection + "\r\nSec-WebSocket-Key: " + kKey +
         "\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

/// The admin /metrics body once it contains every one of `wanted` (or as it is when the budget runs out).
std::string wait_metrics(const Edge& edge, const std::vector<std::string>& wanted,
                         std::chrono::milliseconds budget) {
  const std::string url = "http://127.0.0.1:" + std::to_string(edge.admin_port()) + "/metrics";
  const auto deadline = support::Deadline::after(budget);
  std::string body;
  while (true) {
    body = curl(url).body;
    bool all = true;
    for (const auto& line : wanted) all = all && body.find(line) != std::string::npos;
    if (all || deadline.expired()) return body;
    std::this_thread::sleep_for(50ms);
  }
}

class WebSocketTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plain_ = WsOrigin::start(false).release();
    tls_ = WsOrigin::start(true).release();
    if (plain_ == nullptr || tls_ == nullptr) return;
    auto& http = SharedOrigins::plain();
    refused_port_ = closed_port();
    ConfigBuilder config;
    config.origin("ws", plain_->port(), plain_->port(), "http-only")
        .origin("ws-tls", plain_->port(), tls_->port(), "https-only")
        .origin("ws-custom", plain_->port(), plain_->port(), "http-only",
                {{"OriginPath", "/base"},
                 {"CustomHeaders",
                  {{"Quantity", 1},
                   {"Items", {{{"HeaderName", "X-Origin-Secret"}, {"HeaderValue", "s3cr3t"}}}}}}})
        .origin("down", refused_port_, refused_port_, "http-only", {{"ConnectionAttempts", 1}})
        .origin("http", http.port(), http.port(), "http-only")
        .behavior("/secure/*", "ws-tls")
        .behavior("/custom/*", "ws-custom")
        .behavior("/down/*", "down")
        .behavior("/http/*", "http")
        .default_behavior("ws");
    Edge::Options options;
    options.config = config.text();
    options.tls_listener = true;
    options.resolve_ports = {plain_->port(), tls_->port(), http.port(), refused_port_};
    options.access_log = "access.json";
    options.args = {"--log-format", "json"};
    edge_ = Edge::start(options).release();
  }
  static void TearDownTestSuite() {
    delete edge_;
    delete plain_;
    delete tls_;
    edge_ = nullptr;
    plain_ = tls_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(plain_, nullptr);
    ASSERT_NE(tls_, nullptr);
    ASSERT_NE(edge_, nullptr);
  }

  // An edge of its own (fresh metrics, other flags) in front of the plain ws
  // origin, or the TLS one (which the edge never tells of a viewer's FIN).
  static std::unique_ptr<Edge> own_edge(std::vector<std::string> args, bool admin, bool tls_origin = false,
                                        std::string access_log = "") {
    ConfigBuilder config;
    if (tls_origin) {
      config.origin("ws", plain_->port(), tls_->port(), "https-only").default_behavior("ws");
    } else {
      config.origin("ws", plain_->port(), plain_->port(), "http-only").default_behavior("ws");
    }
    Edge::Options options;
    options.config = config.text();
    options.resolve_ports = {plain_->port(), tls_->port()};
    options.args = std::move(args);
    options.admin = admin;
    options.access_log = std::move(access_log);
    return Edge::start(options);
  }

  // A raw viewer connection through the upgrade: the socket, right after the 101's head.
  static support::UniqueFd open_raw_tunnel(std::uint16_t port, const std::string& path) {
    const auto deadline = support::Deadline::after(10s);
    auto fd = support::connect_loopback(port, deadline);
    if (!fd) {
      ADD_FAILURE() << fd.error();
      return {};
    }
    if (auto sent = support::send_all(fd->get(), upgrade_request(path), deadline); !sent) {
      ADD_FAILURE() << sent.error();
      return {};
    }
    std::string received;
    std::array<std::uint8_t, 4096> buffer{};
    while (received.find("\r\n\r\n") == std::string::npos) {
      auto got = support::recv_some(fd->get(), buffer, deadline);
      if (!got || *got == 0) break;
      received.append(reinterpret_cast<const char*>(buffer.data()), *got);
    }
    EXPECT_EQ(received.rfind("HTTP/1.1 101 ", 0), 0U) << received;
    return std::move(*fd);
  }

  static WsOrigin* plain_;
  static WsOrigin* tls_;
  static Edge* edge_;
  static std::uint16_t refused_port_;
};
WsOrigin* WebSocketTest::plain_ = nullptr;
WsOrigin* WebSocketTest::tls_ = nullptr;
Edge* WebSocketTest::edge_ = nullptr;
std::uint16_t WebSocketTest::refused_port_ = 0;

TEST_F(WebSocketTest, TextAndAMebibyteBinaryEchoThroughAPlainViewerToAnHttpOrigin) {
  auto result = ws_client(ws_url(*edge_, "/ws/echo"),
                          {"--send", "hello", "--send", "héllo wörld", "--send-binary-size", "1048576"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  json& out = result.out;
  EXPECT_EQ(out["status"], "open");
  ASSERT_EQ(out["received"].size(), 3u) << result.describe();
  EXPECT_EQ(out["received"][0], "hello");
  EXPECT_EQ(out["received"][1], "héllo wörld");
  EXPECT_EQ(out["received"][2], (json{{"binary", 1048576}, {"sha256", out["sent_binary_sha256"]}}));
  // The viewer's close went through and the origin's close answer came back.
  EXPECT_EQ(out["close_code"], 1000);
  EXPECT_EQ(out["close_reason"], "");
  // The 101: the origin's fields plus the CDN's.
  json& headers = out["response_headers"];
  EXPECT_EQ(headers["upgrade"], "websocket");
  EXPECT_EQ(headers["connection"], "Upgrade");
  EXPECT_EQ(headers.value("x-amz-cf-id", "").size(), 56u) << headers.dump();
  EXPECT_NE(headers.value("via", "").find(".cloudfront.net (CloudFront)"), std::string::npos)
      << headers.dump();
  EXPECT_FALSE(headers.value("x-amz-cf-pop", "").empty()) << headers.dump();
  // Extensions are negotiated end to end (the client offers permessage-deflate).
  EXPECT_EQ(headers.value("sec-websocket-extensions", "").rfind("permessage-deflate", 0), 0u)
      << headers.dump();
  EXPECT_TRUE(plain_->wait_stdout("closed /ws/echo 1000", 5s)) << plain_->stdout_text();
}

TEST_F(WebSocketTest, TextAndAMebibyteBinaryEchoThroughATlsViewerToAnHttpsOrigin) {
  auto result =
      ws_client(wss_url(*edge_, "/secure/ws/echo"), {"--send", "over tls", "--send-binary-size", "1048576"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out["status"], "open");
  ASSERT_EQ(result.out["received"].size(), 2u) << result.describe();
  EXPECT_EQ(result.out["received"][0], "over tls");
  EXPECT_EQ(result.out["received"][1],
            (json{{"binary", 1048576}, {"sha256", result.out["sent_binary_sha256"]}}));
  EXPECT_EQ(result.out["close_code"], 1000);
  EXPECT_TRUE(tls_->wait_stdout("closed /secure/ws/echo 1000", 5s)) << tls_->stdout_text();
}

TEST_F(WebSocketTest, EveryViewerSchemeWorksWithEveryOriginScheme) {
  struct Case {
    std::string url;
    WsOrigin* origin;
    std::string seen_path;
  };
  const std::vector<Case> cases = {{ws_url(*edge_, "/mix1/ws/echo"), plain_, "/mix1/ws/echo"},
                                   {ws_url(*edge_, "/secure/mix2/ws/echo"), tls_, "/secure/mix2/ws/echo"},
                                   {wss_url(*edge_, "/mix3/ws/echo"), plain_, "/mix3/ws/echo"},
                                   {wss_url(*edge_, "/secure/mix4/ws/echo"), tls_, "/secure/mix4/ws/echo"}};
  for (const auto& c : cases) {
    auto result = ws_client(c.url, {"--send", "one", "--send", "two", "--send-binary-size", "70000"});
    ASSERT_EQ(result.exit_code, 0) << c.url << ": " << result.describe();
    ASSERT_EQ(result.out["received"].size(), 3u) << c.url << ": " << result.describe();
    EXPECT_EQ(result.out["received"][0], "one") << c.url;
    EXPECT_EQ(result.out["received"][1], "two") << c.url;
    EXPECT_EQ(result.out["received"][2],
              (json{{"binary", 70000}, {"sha256", result.out["sent_binary_sha256"]}}))
        << c.url;
    EXPECT_EQ(result.out["close_code"], 1000) << c.url;
    EXPECT_TRUE(c.origin->wait_stdout("closed " + c.seen_path + " 1000", 5s)) << c.url;
  }
}

TEST_F(WebSocketTest, WhatTheOriginSendsRightAfterThe101IsNotLost) {
  for (const auto& url : {ws_url(*edge_, "/ws/hello"), wss_url(*edge_, "/secure/ws/hello")}) {
    auto result = ws_client(url, {"--expect", "1"});
    ASSERT_EQ(result.exit_code, 0) << url << ": " << result.describe();
    EXPECT_EQ(result.out["received"], json::array({"hello from origin"})) << url;
    EXPECT_EQ(result.out["close_code"], 1000) << url;
  }
}

TEST_F(WebSocketTest, RawHandshakeGets101SwitchingProtocolsAndTheFirstFrameIntact) {
  // No extension offered: the origin's first frame is a plain unmasked text frame.
  const std::string frame = std::string("\x81\x11", 2) + "hello from origin";
  const std::string response = raw_upgrade(edge_->port(), upgrade_request("/raw/ws/hello"), frame.size());
  ASSERT_EQ(response.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u) << response;
  const auto head_end = response.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << response;
  const std::string head = response.substr(0, head_end + 2);
  EXPECT_NE(head.find(std::string("\r\nSec-WebSocket-Accept: ") + kAccept + "\r\n"), std::string::npos)
      << head;
  EXPECT_NE(head.find("\r\nUpgrade: websocket\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nConnection: Upgrade\r\n"), std::string::npos) << head;
  EXPECT_EQ(response.substr(head_end + 4), frame);
}

// A viewer that sends its close frame and then half-closes (FIN) is still owed
// the origin's close frame (RFC 6455 5.5.1): the relay passes the FIN on and
// keeps the other direction open until the origin closes. Ending the relay at
// the viewer's FIN lost that answer almost every time.
TEST_F(WebSocketTest, AViewerHalfCloseStillGetsTheOriginsCloseFrame) {
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE(round);
    const auto deadline = support::Deadline::after(10s);
    auto fd = support::connect_loopback(edge_->port(), deadline);
    ASSERT_TRUE(fd) << fd.error();
    ASSERT_TRUE(support::send_all(fd->get(), upgrade_request("/half/ws/echo"), deadline));
    std::string received;
    std::array<std::uint8_t, 16384> buffer{};
    while (received.find("\r\n\r\n") == std::string::npos) {
      auto got = support::recv_some(fd->get(), buffer, deadline);
      ASSERT_TRUE(got && *got > 0) << received;
      received.append(reinterpret_cast<const char*>(buffer.data()), *got);
    }
    ASSERT_EQ(received.rfind("HTTP/1.1 101 ", 0), 0U) << received;
    received.erase(0, received.find("\r\n\r\n") + 4);
    // A masked close frame (1000), then FIN.
    const std::string frames = std::string("\x88\x82", 2) + std::string(4, '\0') + std::string("\x03\xe8", 2);
    ASSERT_TRUE(support::send_all(fd->get(), frames, deadline));
    ASSERT_EQ(::shutdown(fd->get(), SHUT_WR), 0);
    while (true) {
      auto got = support::recv_some(fd->get(), buffer, deadline);
      if (!got || *got == 0) break;
      received.append(reinterpret_cast<const char*>(buffer.data()), *got);
    }
    // The origin's close frame echoing 1000 (unmasked), then the end.
    EXPECT_EQ(received, std::string("\x88\x02\x03\xe8", 4));
  }
}

TEST_F(WebSocketTest, UpgradeAndConnectionTokensMatchCaseInsensitivelyInLists) {
  const std::string response = raw_upgrade(
      edge_->port(), upgrade_request("/tokens/ws/hello", "foo/1, WebSocket", "keep-alive, UPGRADE"), 19);
  ASSERT_EQ(response.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u) << response;
  EXPECT_NE(response.find(std::string("\r\nSec-WebSocket-Accept: ") + kAccept + "\r\n"), std::string::npos)
      << response;
}

TEST_F(WebSocketTest, TheOriginGetsTheUpgradeAndTheUsualCdnRequestFields) {
  auto result =
      ws_client(ws_url(*edge_, "/custom/ws/headers"), {"--expect", "1", "--origin", "https://viewer.test"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  ASSERT_EQ(result.out["received"].size(), 1u) << result.describe();
  json seen = json::parse(result.out["received"][0].get<std::string>(), nullptr, false);
  ASSERT_TRUE(seen.is_object()) << result.describe();
  json& sent = result.out["request_headers"];
  json& headers = seen["headers"];
  EXPECT_EQ(seen["path"], "/base/custom/ws/headers");
  EXPECT_EQ(headers["upgrade"], "websocket");
  EXPECT_EQ(headers["connection"], "Upgrade");
  EXPECT_EQ(headers["sec-websocket-key"], sent["sec-websocket-key"]);
  EXPECT_EQ(headers["sec-websocket-key"].get<std::string>().size(), 24u);
  EXPECT_EQ(headers["sec-websocket-version"], "13");
  EXPECT_EQ(headers["sec-websocket-extensions"], "permessage-deflate; client_max_window_bits");
  EXPECT_EQ(headers["origin"], "https://viewer.test");
  EXPECT_EQ(headers["x-forwarded-for"], "127.0.0.1");
  EXPECT_EQ(headers["x-origin-secret"], "s3cr3t");
  EXPECT_EQ(headers["host"], "origin.test");
  EXPECT_EQ(headers["user-agent"], "Amazon CloudFront");
  EXPECT_EQ(headers.value("x-amz-cf-id", ""), result.out["response_headers"].value("x-amz-cf-id", "-"));
  EXPECT_EQ(headers.value("x-amz-cf-id", "").size(), 56u);
  EXPECT_NE(headers.value("via", "").find(".cloudfront.net (CloudFront)"), std::string::npos)
      << headers.dump();
  EXPECT_EQ(headers.count("keep-alive"), 0u) << headers.dump();
  EXPECT_EQ(result.out["close_code"], 1000);
}

TEST_F(WebSocketTest, ASubprotocolIsNegotiatedEndToEnd) {
  auto chat = ws_client(ws_url(*edge_, "/ws/protocol"), {"--subprotocol", "chat", "--send", "hi"});
  ASSERT_EQ(chat.exit_code, 0) << chat.describe();
  EXPECT_EQ(chat.out["subprotocol"], "chat");
  EXPECT_EQ(chat.out["response_headers"]["sec-websocket-protocol"], "chat");
  EXPECT_EQ(chat.out["received"], json::array({"hi"}));

  auto other = ws_client(ws_url(*edge_, "/ws/protocol"), {"--subprotocol", "other", "--send", "hi"});
  ASSERT_EQ(other.exit_code, 0) << other.describe();
  EXPECT_TRUE(other.out["subprotocol"].is_null()) << other.describe();
  EXPECT_EQ(other.out["received"], json::array({"hi"}));
}

TEST_F(WebSocketTest, TheOriginsCloseCodeAndReasonReachTheViewer) {
  auto result = ws_client(ws_url(*edge_, "/ws/close"), {"--expect", "0", "--then", "wait"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out["status"], "open");
  EXPECT_EQ(result.out["received"], json::array());
  EXPECT_EQ(result.out["close_code"], 4001);
  EXPECT_EQ(result.out["close_reason"], "bye");
}

TEST_F(WebSocketTest, AnOriginRefusingTheUpgradeIsRelayedAsAnOrdinaryResponse) {
  auto rejected = ws_client(ws_url(*edge_, "/ws/reject"));
  ASSERT_EQ(rejected.exit_code, 0) << rejected.describe();
  EXPECT_EQ(rejected.out["status"], "rejected");
  EXPECT_EQ(rejected.out["http_status"], 403);

  const auto result = curl(edge_->url("/ws/reject"), upgrade_headers(), 10s);
  EXPECT_EQ(result.status, 403) << result.err;
  EXPECT_EQ(result.body, "rejected by origin\n");
  EXPECT_EQ(result.header("upgrade"), "");
  EXPECT_EQ(result.header("x-amz-cf-id").size(), 56u);
}

TEST_F(WebSocketTest, AnUnreachableOriginIs502ConnectionRefused) {
  const auto result = curl(edge_->url("/down/ws/echo"), upgrade_headers(), 10s);
  EXPECT_EQ(result.status, 502) << result.err << result.body;
  EXPECT_EQ(result.header("x-edgefetch-origin-error"), "connection_refused");
  EXPECT_EQ(result.header("x-cache"), "Error from cloudfront");

  auto client = ws_client(ws_url(*edge_, "/down/ws/echo"));
  ASSERT_EQ(client.exit_code, 0) << client.describe();
  EXPECT_EQ(client.out["status"], "rejected");
  EXPECT_EQ(client.out["http_status"], 502);
  EXPECT_EQ(client.out["response_headers"]["x-edgefetch-origin-error"], "connection_refused");
}

TEST_F(WebSocketTest, OtherUpgradesHttp10AndNonGetRequestsAreForwardedAsPlainRequests) {
  struct Case {
    std::string name;
    std::vector<std::string> args;
    std::string method;
  };
  auto websocket_with = [](std::vector<std::string> extra) {
    auto args = upgrade_headers();
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const std::vector<Case> cases = {
      {"h2c",
       {"-H", "Upgrade: h2c", "-H", "Connection: Upgrade, HTTP2-Settings", "-H",
        "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA"},
       "GET"},
      {"http/1.0", websocket_with({"--http1.0"}), "GET"},
      {"post", websocket_with({"-d", "x=1"}), "POST"},
  };
  for (const auto& c : cases) {
    const auto result = curl(edge_->url("/http/echo/" + c.name), c.args, 10s);
    ASSERT_EQ(result.status, 200) << c.name << ": " << result.err << result.body;
    const json echo = result.json();
    EXPECT_EQ(echo["method"], c.method) << c.name;
    EXPECT_EQ(echo["target"], "/http/echo/" + c.name) << c.name;
    EXPECT_EQ(echo_header_count(echo, "Upgrade"), 0u) << c.name << ": " << echo.dump();
    EXPECT_EQ(echo_header_count(echo, "HTTP2-Settings"), 0u) << c.name << ": " << echo.dump();
    EXPECT_EQ(echo_header_count(echo, "Connection"), 1u) << c.name << ": " << echo.dump();
    EXPECT_EQ(echo_header(echo, "Connection"), "Keep-Alive") << c.name;
    EXPECT_EQ(result.header("upgrade"), "") << c.name;
  }
}

TEST_F(WebSocketTest, TheAccessLogHasOneLineWithStatus101WhenTheTunnelEnds) {
  auto result = ws_client(ws_url(*edge_, "/logged/ws/echo"), {"--send", "log me"});
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  ASSERT_EQ(result.out["received"], json::array({"log me"}));
  const std::string log = edge_->wait_access_log("/logged/ws/echo", 10s);
  std::vector<json> entries;
  for (const auto& line : cli_test::lines_of(log)) {
    auto entry = json::parse(line, nullptr, false);
    if (!entry.is_discarded() && entry.value("cs-uri-stem", "") == "/logged/ws/echo") {
      entries.push_back(entry);
    }
  }
  ASSERT_EQ(entries.size(), 1u) << log;
  EXPECT_EQ(entries[0]["sc-status"], 101);
  EXPECT_EQ(entries[0]["cs-method"], "GET");
  EXPECT_EQ(entries[0]["x-edge-request-id"], result.out["response_headers"]["x-amz-cf-id"]);
  EXPECT_EQ(entries[0]["x-edgefetch-origin-id"], "ws");
}

TEST_F(WebSocketTest, AnIdleTunnelIsClosedAfterTheIdleTimeoutAndTrafficKeepsItOpen) {
  auto edge = own_edge({"--websocket-idle-timeout", "1"}, false);
  ASSERT_NE(edge, nullptr);
  // Silent both ways: the edge closes both connections (no close frame: 1006).
  auto idle = ws_client(ws_url(*edge, "/idle/ws/silent"), {"--expect", "0", "--then", "wait"});
  ASSERT_EQ(idle.exit_code, 0) << idle.describe();
  EXPECT_EQ(idle.out["status"], "open");
  EXPECT_EQ(idle.out["close_code"], 1006);
  const double elapsed = idle.out.value("elapsed", -1.0);
  EXPECT_GE(elapsed, 0.8) << idle.describe();
  EXPECT_LT(elapsed, 5.0) << idle.describe();
  EXPECT_TRUE(plain_->wait_stdout("closed /idle/ws/silent 1006", 5s)) << plain_->stdout_text();

  // A message every 0.3 s for 2.4 s keeps the same timeout from firing.
  std::vector<std::string> args = {"--pause", "0.3"};
  for (int i = 0; i < 9; ++i) args.insert(args.end(), {"--send", "m" + std::to_string(i)});
  auto busy = ws_client(ws_url(*edge, "/busy/ws/echo"), args);
  ASSERT_EQ(busy.exit_code, 0) << busy.describe();
  EXPECT_EQ(busy.out["received"], json::array({"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"}));
  EXPECT_EQ(busy.out["close_code"], 1000);
}

TEST_F(WebSocketTest, MetricsCountTunnels) {
  auto edge = own_edge({"--websocket-idle-timeout", "3"}, true);
  ASSERT_NE(edge, nullptr);
  // One tunnel held open (silent) until the idle timeout ends it.
  auto held = std::async(std::launch::async, [&] {
    return ws_client(ws_url(*edge, "/metrics/ws/silent"), {"--expect", "0", "--then", "wait"}, 15s);
  });
  const std::string during = wait_metrics(*edge, {"\nedgefetch_websocket_tunnels_active 1\n"}, 10s);
  EXPECT_NE(during.find("\nedgefetch_websocket_tunnels_active 1\n"), std::string::npos) << during;
  auto result = held.get();
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out["close_code"], 1006);
  const std::string after = wait_metrics(
      *edge, {"\nedgefetch_websocket_tunnels_active 0\n", "\nedgefetch_websocket_tunnels_total 1\n"}, 10s);
  EXPECT_NE(after.find("\nedgefetch_websocket_tunnels_active 0\n"), std::string::npos) << after;
  EXPECT_NE(after.find("\nedgefetch_websocket_tunnels_total 1\n"), std::string::npos) << after;
}

// A WebSocket is a busy connection: SIGTERM waits for it up to the drain
// timeout, then closes it (both sides) and exits; it never holds the process.
TEST_F(WebSocketTest, TheDrainTimeoutClosesAnOpenTunnel) {
  auto edge = own_edge({"--drain-timeout", "1"}, true);
  ASSERT_NE(edge, nullptr);
  auto held = std::async(std::launch::async, [&] {
    return ws_client(ws_url(*edge, "/drain/ws/silent"), {"--expect", "0", "--then", "wait"}, 20s);
  });
  const std::string open = wait_metrics(*edge, {"\nedgefetch_websocket_tunnels_active 1\n"}, 10s);
  ASSERT_NE(open.find("\nedgefetch_websocket_tunnels_active 1\n"), std::string::npos) << open;
  const auto signalled = std::chrono::steady_clock::now();
  edge->signal(SIGTERM);
  EXPECT_EQ(edge->wait_exit(10s), 0) << edge->stderr_text();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 6s);
  auto result = held.get();
  ASSERT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_EQ(result.out["close_code"], 1006);
  EXPECT_TRUE(plain_->wait_stdout("closed /drain/ws/silent 1006", 5s)) << plain_->stdout_text();
}

// After a viewer's FIN there is nothing left to read from it, but a reset
// must still end the relay (it waited for the idle timeout, 600 s by default,
// holding both connections, when the origin did not close on its own).
TEST_F(WebSocketTest, AHalfClosedViewerThatResetsEndsTheTunnel) {
  auto edge = own_edge({}, true, /*tls_origin=*/true);
  ASSERT_NE(edge, nullptr);
  support::UniqueFd viewer = open_raw_tunnel(edge->port(), "/reset/ws/silent");
  ASSERT_TRUE(viewer.valid());
  const std::string open = wait_metrics(*edge, {"\nedgefetch_websocket_tunnels_active 1\n"}, 10s);
  ASSERT_NE(open.find("\nedgefetch_websocket_tunnels_active 1\n"), std::string::npos) << open;
  ASSERT_EQ(::shutdown(viewer.get(), SHUT_WR), 0);
  std::this_thread::sleep_for(300ms);
  const ::linger reset{1, 0};
  ASSERT_EQ(::setsockopt(viewer.get(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset), 0);
  viewer.reset();  // close with a reset
  const std::string after = wait_metrics(*edge, {"\nedgefetch_websocket_tunnels_active 0\n"}, 5s);
  EXPECT_NE(after.find("\nedgefetch_websocket_tunnels_active 0\n"), std::string::npos) << after;
  EXPECT_TRUE(tls_->wait_stdout("closed /reset/ws/silent", 5s)) << tls_->stdout_text();
}

// The drain closes a half-closed viewer's connection too: the relay ends
// there and then, and its log line is written (it was abandoned unlogged).
TEST_F(WebSocketTest, TheDrainEndsAHalfClosedTunnelAndLogsIt) {
  auto edge = own_edge({"--drain-timeout", "1"}, true, /*tls_origin=*/true, "access.log");
  ASSERT_NE(edge, nullptr);
  support::UniqueFd viewer = open_raw_tunnel(edge->port(), "/drain-half/ws/silent");
  ASSERT_TRUE(viewer.valid());
  ASSERT_EQ(::shutdown(viewer.get(), SHUT_WR), 0);
  const std::string open = wait_metrics(*edge, {"\nedgefetch_websocket_tunnels_active 1\n"}, 10s);
  ASSERT_NE(open.find("\nedgefetch_websocket_tunnels_active 1\n"), std::string::npos) << open;
  edge->signal(SIGTERM);
  EXPECT_EQ(edge->wait_exit(10s), 0) << edge->stderr_text();
  EXPECT_EQ(edge->stderr_text().find("abandoning"), std::string::npos) << edge->stderr_text();
  const std::string log = edge->wait_access_log("/drain-half/ws/silent", 1s);
  EXPECT_NE(log.find("\t/drain-half/ws/silent\t101\t"), std::string::npos) << log;
}

TEST(WebSocketServeValidation, ABadWebsocketIdleTimeoutExits2BeforeListening) {
  ConfigBuilder config;
  config.origin("plain", 80, 443, "http-only").default_behavior("plain");
  auto dir = support::ScratchDir::create("e2e-ws-validate");
  const auto path = dir / "config.json";
  {
    std::ofstream out(path);
    out << config.text();
  }
  cli_test::RunOptions options;
  options.timeout = 10s;
  for (const char* value : {"0", "abc", "1.5", "-1", ""}) {
    const auto result = cli_test::run_edgefetch(
        {"serve", "--config", path.string(), "--listen", "127.0.0.1:0", "--websocket-idle-timeout", value},
        options);
    EXPECT_EQ(result.exit_code, 2) << "'" << value << "': " << result.out << result.err;
    EXPECT_NE(result.err.find("--websocket-idle-timeout"), std::string::npos)
        << "'" << value << "': " << result.err;
    EXPECT_EQ(result.out.find("listening"), std::string::npos) << "'" << value << "': " << result.out;
  }
}

}  // namespace
}  // namespace edgefetch::e2e
