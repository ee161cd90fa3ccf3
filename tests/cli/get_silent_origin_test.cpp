// `edgefetch get` against origins that never answer: a GET is sent again on a
// new connection up to --connection-attempts times, as the CDN does, and the
// message says how many times it waited. Over TLS 1.3 the server's session
// tickets, which arrive right after the handshake, are no answer.

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "cli/get_servers.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

constexpr int kExitConnection = 3;

TEST(GetSilentOrigin, TheMessageCountsTheTriesOfASilentOrigin) {
  auto server = start_server(stay_silent());
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", "http://127.0.0.1:" + std::to_string(server->port()) + "/",
                                     "--read-timeout", "1", "--connection-attempts", "2", "--json"},
                                    kExitConnection);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "read_timeout");
  EXPECT_NE(doc["error"]["message"].get<std::string>().find("on each of 2 tries"), std::string::npos)
      << doc["error"]["message"];
  EXPECT_EQ(doc["attempts"].size(), 2u) << "one connection per try";
}

TEST(GetSilentOrigin, VerboseSaysWhichTryTheConnectionAttemptsBelongTo) {
  auto server = start_server(stay_silent());
  ASSERT_TRUE(server);
  const std::string address = "127.0.0.1:" + std::to_string(server->port());
  const auto result = run_expecting(
      {"get", "http://" + address + "/", "--read-timeout", "1", "--connection-attempts", "2", "-v"},
      kExitConnection);
  const auto first = result.err.find("Connection attempt 1 of 2 to " + address + ": connected");
  const auto retry = result.err.find("sends GET/HEAD again: request try 2 of 2");
  const auto second =
      result.err.find("Connection attempt 1 of 2 (request try 2) to " + address + ": connected");
  ASSERT_NE(first, std::string::npos) << result.err;
  ASSERT_NE(retry, std::string::npos) << result.err;
  ASSERT_NE(second, std::string::npos) << result.err;
  EXPECT_LT(first, retry) << result.err;
  EXPECT_LT(retry, second) << result.err;
}

TEST(GetSilentOrigin, ALaterTryThatFailsOtherwiseKeepsTheHistory) {
  // Silent on the first connection; every later one is closed at once.
  auto connections = std::make_shared<std::atomic<int>>(0);
  auto silent_then_closing = [connections, silent = stay_silent()](support::UniqueFd connection,
                                                                   int stop_fd) {
    if (connections->fetch_add(1) == 0) silent(std::move(connection), stop_fd);
  };
  auto server = start_server(silent_then_closing);
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", "http://127.0.0.1:" + std::to_string(server->port()) + "/",
                                     "--read-timeout", "1", "--connection-attempts", "2", "--json"},
                                    kExitConnection);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "connection_closed") << doc.dump(2);
  const std::string message = doc["error"]["message"];
  EXPECT_NE(message.find("(on try 2: the first try before it got no response within the read timeout"),
            std::string::npos)
      << message;
}

TEST(GetSilentOrigin, AnOriginThatStopsReadingTheBodyIsARequestBodyTimeout) {
  // Reads the head and stops reading; 32 MiB outgrow the socket buffers.
  auto server = start_server([](support::UniqueFd connection, int stop_fd) {
    if (!read_request_head(connection.get(), stop_fd)) return;
    // Until the test ends, reading nothing more (wait_for_close() would drain the body).
    pollfd stop{stop_fd, POLLIN, 0};
    (void)::poll(&stop, 1, 20000);
  });
  ASSERT_TRUE(server);
  const auto dir = support::ScratchDir::create("get-body-timeout");
  const auto body = dir / "body.bin";
  std::ofstream(body, std::ios::binary) << std::string(std::size_t{32} << 20, 'x');
  const auto result = run_expecting({"get", "http://127.0.0.1:" + std::to_string(server->port()) + "/", "-d",
                                     "@" + body.string(), "--read-timeout", "1", "--json"},
                                    kExitConnection);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "request_body_timeout") << doc.dump(2);
  EXPECT_EQ(doc["error"]["cdn_status"], 504) << doc.dump(2);
  EXPECT_NE(result.err.find("client_max_body_size"), std::string::npos) << result.err;
}

TEST(GetSilentOrigin, ATls13OriginThatSendsOnlyItsTicketsIsSilent) {
  // libssl sends its two NewSessionTickets as the handshake ends; the
  // request is read and never answered.
  auto context = tls_server_context(TLS1_3_VERSION, TLS1_3_VERSION);
  ASSERT_TRUE(context);
  auto server = start_server(tls_connection(context, [](SSL* ssl, int fd, int stop_fd) {
    std::array<char, 4096> request{};
    if (SSL_read(ssl, request.data(), static_cast<int>(request.size())) > 0) wait_for_close(fd, stop_fd);
  }));
  ASSERT_TRUE(server);
  const std::string port = std::to_string(server->port());
  const auto result = run_expecting(
      {"get", "https://origin.test:" + port + "/", "--resolve", "origin.test:" + port + ":127.0.0.1",
       "--ca-file", support::TestPki::get().ca_file().string(), "--profile", "cloudfront-2025",
       "--read-timeout", "1", "--connection-attempts", "2", "--json"},
      kExitConnection);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "read_timeout");
  const std::string message = doc["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("sent no response"), std::string::npos) << message;
  EXPECT_NE(message.find("on each of 2 tries"), std::string::npos) << message;
  EXPECT_EQ(doc["attempts"].size(), 2u) << "a second connection, as for any silent origin";
}

}  // namespace
}  // namespace edgefetch::cli_test
