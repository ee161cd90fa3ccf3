// `edgefetch get` against origins that send handshake messages in the middle
// of their response. A TLS 1.2 origin that asks to renegotiate
// (HelloRequest): as the CDN's TLS library, edgefetch ignores the request and
// reads on; --json counts the requests and a warning says what the CDN does
// with them. A TLS 1.3 origin that updates its keys (KeyUpdate, asking for
// ours too): edgefetch follows, and --json and -v say it happened.

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <array>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "cli/get_servers.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;

// Half the body, a HelloRequest (as `openssl s_server`'s R command sends
// one: libssl then goes on writing), the other half, close_notify.
void answer_with_a_hello_request_inside(SSL* ssl, int fd, int stop_fd) {
  std::array<char, 4096> request{};
  if (SSL_read(ssl, request.data(), static_cast<int>(request.size())) <= 0) return;
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nfirst";
  if (SSL_write(ssl, head.data(), static_cast<int>(head.size())) <= 0) return;
  if (SSL_renegotiate(ssl) != 1) return;
  (void)SSL_do_handshake(ssl);
  const std::string rest = "-last";
  if (SSL_write(ssl, rest.data(), static_cast<int>(rest.size())) <= 0) return;
  (void)SSL_shutdown(ssl);
  wait_for_close(fd, stop_fd);
}

// An origin of the tests' own (libssl) that answers with `serve` at exactly
// `version`, and `edgefetch get` against it with the flags each test adds.
class MidResponseOrigin : public ::testing::Test {
 protected:
  void start(int version, std::function<void(SSL*, int, int)> serve) {
    auto context = tls_server_context(version, version);
    ASSERT_TRUE(context);
    server_ = start_server(tls_connection(context, std::move(serve)));
    ASSERT_TRUE(server_);
  }

  RunResult get(const std::vector<std::string>& extra) {
    const std::string port = std::to_string(server_->port());
    std::vector<std::string> args = {"get",       "https://origin.test:" + port + "/",
                                     "--resolve", "origin.test:" + port + ":127.0.0.1",
                                     "--ca-file", support::TestPki::get().ca_file().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_expecting(args, kExitOk);
  }

  std::unique_ptr<support::LoopbackServer> server_;
};

class GetRenegotiation : public MidResponseOrigin {
 protected:
  void SetUp() override { start(TLS1_2_VERSION, answer_with_a_hello_request_inside); }
};

TEST_F(GetRenegotiation, AHelloRequestInsideTheResponseIsIgnoredAndReported) {
  const json doc = json_output(get({"--json"}));
  EXPECT_EQ(doc["status"], 200);
  EXPECT_EQ(doc["body_bytes"], 10);
  EXPECT_EQ(doc["tls"]["hello_requests_ignored"], 1);
  ASSERT_EQ(doc["warnings"].size(), 1u) << doc["warnings"];
  EXPECT_NE(doc["warnings"][0].get<std::string>().find("asked to renegotiate (HelloRequest)"),
            std::string::npos)
      << doc["warnings"][0];
}

TEST_F(GetRenegotiation, VerboseSaysTheHelloRequestWasIgnored) {
  const auto result = get({"-v", "-o", "/dev/null"});
  EXPECT_TRUE(contains(result.err,
                       "* After the handshake the origin sent 1 HelloRequest (ignored, as the CDN "
                       "ignores them)\n"))
      << result.err;
}

// Half the body, a KeyUpdate that asks for ours too (as `openssl s_server`'s
// K command sends one), the other half under the new keys, close_notify.
void answer_with_a_key_update_inside(SSL* ssl, int fd, int stop_fd) {
  std::array<char, 4096> request{};
  if (SSL_read(ssl, request.data(), static_cast<int>(request.size())) <= 0) return;
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nfirst";
  if (SSL_write(ssl, head.data(), static_cast<int>(head.size())) <= 0) return;
  if (SSL_key_update(ssl, SSL_KEY_UPDATE_REQUESTED) != 1) return;
  const std::string rest = "-last";
  if (SSL_write(ssl, rest.data(), static_cast<int>(rest.size())) <= 0) return;
  (void)SSL_shutdown(ssl);
  wait_for_close(fd, stop_fd);
}

class GetKeyUpdate : public MidResponseOrigin {
 protected:
  void SetUp() override { start(TLS1_3_VERSION, answer_with_a_key_update_inside); }
};

TEST_F(GetKeyUpdate, JsonCountsTheKeyUpdateAndTheBodyReadUnderTheNewKeysIsWhole) {
  const json doc = json_output(get({"--profile", "cloudfront-2025", "--json"}));
  EXPECT_EQ(doc["status"], 200);
  EXPECT_EQ(doc["body_bytes"], 10);
  EXPECT_EQ(doc["tls"]["version"]["name"], "TLSv1.3");
  EXPECT_EQ(doc["tls"]["key_updates_received"], 1);
  EXPECT_EQ(doc["warnings"], json::array());
}

TEST_F(GetKeyUpdate, VerboseSaysWhatCameAfterTheHandshake) {
  const auto result = get({"--profile", "cloudfront-2025", "-v"});
  EXPECT_EQ(result.out, "first-last");
  // libssl sends its session tickets right after the handshake, then the KeyUpdate inside the body.
  EXPECT_TRUE(contains(result.err,
                       "* After the handshake the origin sent session tickets (checked, not kept: TLS 1.3 "
                       "sessions are not resumed), 1 KeyUpdate (its keys changed; edgefetch followed)\n"))
      << result.err;
}

}  // namespace
}  // namespace edgefetch::cli_test
