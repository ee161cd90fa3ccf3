// How a fetch over TLS treats the end of the connection (TlsStream's EOF
// semantics seen through origin::fetch). The server is Python's ssl module on
// 127.0.0.1: it can close the TCP connection with or without close_notify.

#include <gtest/gtest.h>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/origin/fetch.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"
#include "support/server_launch.hpp"

namespace edgefetch::origin {
namespace {

// argv: port cert key chain mode. Answers each connection per `mode`, then
// closes: "notify" sends close_notify first; the others drop the TCP
// connection under TLS (SSLSocket.shutdown skips close_notify).
constexpr std::string_view kServer = R"PY(
import socket, ssl, sys
port, cert, key, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
responses = {
    "eof-body": b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close",
    "notify": b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close",
    "length-body": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "short-body": b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhello",
    "no-response": b"",
}
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(8)
while True:
    conn, _ = srv.accept()
    conn.settimeout(10)
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
        tls.sendall(responses[mode])
        if mode == "notify":
            tls.unwrap().close()
        else:
            tls.shutdown(socket.SHUT_RDWR)
            tls.close()
    except Exception as error:
        print("server:", error, file=sys.stderr, flush=True)
        conn.close()
)PY";

class TlsTruncationTest : public ::testing::Test {
 protected:
  bool start(const std::string& mode) {
    dir_ = support::ScratchDir::create("tls-truncation");
    const auto leaf = support::TestPki::get().leaf(support::Leaf::rsa2048);
    auto launched = support::launch_on_free_port(dir_, [&](std::uint16_t port) {
      return std::vector<std::string>{
          "python3",         "-c", std::string(kServer), std::to_string(port), leaf.chain.string(),
          leaf.key.string(), mode};
    });
    EXPECT_TRUE(launched) << (launched ? "" : launched.error());
    if (!launched) return false;
    server_.emplace(std::move(*launched));
    return true;
  }

  FetchResult fetch_body(std::string* body) {
    OriginConfig config;
    config.domain_name = std::string(support::kOriginName);
    config.port = server_->port;
    config.read_timeout = std::chrono::seconds(5);
    config.connection_attempts = 1;
    auto entry =
        net::parse_resolve_override(config.domain_name + ":" + std::to_string(config.port) + ":127.0.0.1");
    EXPECT_TRUE(entry);
    config.resolve_overrides.push_back(*entry);
    auto store = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
    EXPECT_TRUE(store);
    config.trust_store = *store;
    return fetch(config, Request{}, [body](std::span<const std::uint8_t> bytes) {
      body->append(reinterpret_cast<const char*>(bytes.data()), bytes.size());  // NOLINT: bytes as chars
      return true;
    });
  }

  std::string logs() const { return server_ ? support::describe_logs(server_->child) : ""; }

  support::ScratchDir dir_;
  std::optional<support::LaunchedServer> server_;
};

TEST_F(TlsTruncationTest, CloseNotifyEndsAnEofDelimitedBodyCleanly) {
  ASSERT_TRUE(start("notify"));
  std::string body;
  const auto result = fetch_body(&body);
  ASSERT_TRUE(result.ok()) << result.error->code() << ": " << result.error->message << "\n" << logs();
  EXPECT_EQ(body, "until close");
  EXPECT_TRUE(result.body_complete);
  EXPECT_TRUE(result.warnings.empty()) << result.warnings.front();
}

TEST_F(TlsTruncationTest, EofWithoutCloseNotifyIsAcceptedForAnEofBodyWithAWarning) {
  ASSERT_TRUE(start("eof-body"));
  std::string body;
  const auto result = fetch_body(&body);
  ASSERT_TRUE(result.ok()) << result.error->code() << ": " << result.error->message << "\n" << logs();
  EXPECT_EQ(body, "until close");
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("without close_notify"), std::string::npos) << result.warnings[0];
}

TEST_F(TlsTruncationTest, FramedBodyNeedsNoCloseNotify) {
  ASSERT_TRUE(start("length-body"));
  std::string body;
  const auto result = fetch_body(&body);
  ASSERT_TRUE(result.ok()) << result.error->code() << ": " << result.error->message << "\n" << logs();
  EXPECT_EQ(body, "hello");
  EXPECT_TRUE(result.warnings.empty());
}

TEST_F(TlsTruncationTest, ShortFramedBodyWithoutCloseNotifyIsAnError) {
  ASSERT_TRUE(start("short-body"));
  std::string body;
  const auto result = fetch_body(&body);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::connection_closed) << result.error->message;
  ASSERT_TRUE(result.error->tls);
  EXPECT_EQ(result.error->tls->code, tls::ErrorCode::unexpected_eof);
  EXPECT_NE(result.error->message.find("5 body bytes"), std::string::npos) << result.error->message;
  EXPECT_EQ(body, "hello");
}

TEST_F(TlsTruncationTest, NoResponseWithoutCloseNotify) {
  ASSERT_TRUE(start("no-response"));
  std::string body;
  const auto result = fetch_body(&body);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, FailureKind::connection_closed) << result.error->message;
  EXPECT_NE(result.error->message.find("before sending a response"), std::string::npos)
      << result.error->message;
  EXPECT_EQ(result.error->cdn_status(), 502);
}

}  // namespace
}  // namespace edgefetch::origin
