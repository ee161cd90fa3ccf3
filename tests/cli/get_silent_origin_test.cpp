// `edgefetch get` against origins that never answer: a GET is sent again on a
// new connection up to --connection-attempts times, as the CDN does, and the
// message says how many times it waited. Over TLS 1.3 the server's session
// tickets, which arrive right after the handshake, are no answer.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
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

using SslCtx = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using Ssl = std::unique_ptr<SSL, decltype(&SSL_free)>;

// A libssl TLS 1.3 server that completes the handshake (libssl sends its two
// NewSessionTickets as the handshake ends), reads the request and never
// answers, until the client closes.
support::ConnectionHandler tls13_silent(SSL_CTX* context) {
  return [context](support::UniqueFd connection, int stop_fd) {
    // Blocking I/O (the handler owns the connection), bounded by a receive timeout.
    const int flags = ::fcntl(connection.get(), F_GETFL);
    if (flags < 0 || ::fcntl(connection.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) return;
    const timeval limit{10, 0};
    ::setsockopt(connection.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    const Ssl ssl(SSL_new(context), &SSL_free);
    if (!ssl || SSL_set_fd(ssl.get(), connection.get()) != 1 || SSL_accept(ssl.get()) != 1) return;
    std::array<char, 4096> request{};
    if (SSL_read(ssl.get(), request.data(), static_cast<int>(request.size())) <= 0) return;
    std::array<pollfd, 2> waits{{{connection.get(), POLLIN, 0}, {stop_fd, POLLIN, 0}}};
    ::poll(waits.data(), waits.size(), 20'000);
  };
}

TEST(GetSilentOrigin, ATls13OriginThatSendsOnlyItsTicketsIsSilent) {
  const SslCtx context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  ASSERT_TRUE(context);
  SSL_CTX_set_min_proto_version(context.get(), TLS1_3_VERSION);
  const auto files = support::TestPki::get().leaf(support::Leaf::rsa2048);
  ASSERT_EQ(SSL_CTX_use_certificate_chain_file(context.get(), files.chain.c_str()), 1);
  ASSERT_EQ(SSL_CTX_use_PrivateKey_file(context.get(), files.key.c_str(), SSL_FILETYPE_PEM), 1);
  auto server = start_server(tls13_silent(context.get()));
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
