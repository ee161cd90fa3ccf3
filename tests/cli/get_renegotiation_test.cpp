// `edgefetch get` against a TLS 1.2 origin that asks to renegotiate
// (HelloRequest) in the middle of its response: as the CDN's TLS library,
// edgefetch ignores the request and reads on; --json counts the requests and
// a warning says what the CDN does with them.

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <array>
#include <nlohmann/json.hpp>
#include <string>

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

TEST(GetRenegotiation, AHelloRequestInsideTheResponseIsIgnoredAndReported) {
  auto context = tls_server_context(TLS1_2_VERSION, TLS1_2_VERSION);
  ASSERT_TRUE(context);
  auto server = start_server(tls_connection(context, answer_with_a_hello_request_inside));
  ASSERT_TRUE(server);
  const std::string port = std::to_string(server->port());
  const auto result = run_expecting(
      {"get", "https://origin.test:" + port + "/", "--resolve", "origin.test:" + port + ":127.0.0.1",
       "--ca-file", support::TestPki::get().ca_file().string(), "--json"},
      kExitOk);
  const json doc = json_output(result);
  EXPECT_EQ(doc["status"], 200);
  EXPECT_EQ(doc["body_bytes"], 10);
  EXPECT_EQ(doc["tls"]["hello_requests_ignored"], 1);
  ASSERT_EQ(doc["warnings"].size(), 1u) << doc["warnings"];
  EXPECT_NE(doc["warnings"][0].get<std::string>().find("asked to renegotiate (HelloRequest)"),
            std::string::npos)
      << doc["warnings"][0];
}

}  // namespace
}  // namespace edgefetch::cli_test
