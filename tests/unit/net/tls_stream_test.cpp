// TlsStream: error mapping into Asio, and real handshakes through Beast.
// The handshake tests need the TLS engine; until it lands they fail with the
// placeholder's internal_error, which the assertions name.

#include "edgefetch/net/tls_stream.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/connect.hpp"
#include "edgefetch/net/error.hpp"
#include "edgefetch/policy/profile.hpp"
#include "run_awaitable.hpp"
#include "support/loopback_server.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/tcp.hpp"

namespace edgefetch::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;

TEST(TlsErrorCodeTest, CarriesTheTlsErrorCode) {
  const auto ec = make_error_code(tls::ErrorCode::cert_name_mismatch);
  EXPECT_EQ(ec.category(), tls_category());
  EXPECT_STREQ(ec.category().name(), "edgefetch.tls");
  EXPECT_EQ(ec.message(), tls::error_code_name(tls::ErrorCode::cert_name_mismatch));
  ASSERT_TRUE(tls_error_code(ec).has_value());
  EXPECT_EQ(*tls_error_code(ec), tls::ErrorCode::cert_name_mismatch);
  EXPECT_TRUE(ec);
}

TEST(TlsErrorCodeTest, OtherCategoriesAreNotTlsErrors) {
  EXPECT_FALSE(tls_error_code(asio::error::eof).has_value());
  EXPECT_FALSE(tls_error_code(make_error_code(Errc::not_connected)).has_value());
  EXPECT_FALSE(tls_error_code({}).has_value());
  EXPECT_STREQ(make_error_code(Errc::not_connected).category().name(), "edgefetch.net");
  EXPECT_FALSE(make_error_code(Errc::no_addresses).message().empty());
}

asio::ip::tcp::endpoint loopback(std::uint16_t port) {
  return {asio::ip::make_address("127.0.0.1"), port};
}

tls::ClientConfig client_config(std::string name, bool verify = true) {
  tls::ClientConfig config;
  const std::vector<policy::ProtocolVersion> versions = {policy::ProtocolVersion::tls1_2};
  config.offer = policy::narrow(policy::default_profile(), versions);
  config.server_name = name;
  config.verify_name = name;
  config.verify_certificates = verify;
  if (verify) {
    auto store = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
    EXPECT_TRUE(store) << (store ? "" : store.error().message);
    if (store) config.trust_store = *store;
  }
  return config;
}

struct HandshakeOutcome {
  boost::system::error_code ec;
  tls::Error error;
};

asio::awaitable<HandshakeOutcome> handshake_with(std::uint16_t port, tls::ClientConfig config) {
  // (GCC 12 cannot keep an initializer_list alive across co_await: build the vector first.)
  std::vector<asio::ip::tcp::endpoint> endpoints{loopback(port)};
  auto connected = co_await connect(std::move(endpoints), ConnectOptions{2s, 1});
  if (!connected.connected()) co_return HandshakeOutcome{connected.attempts.back().error, {}};
  TlsStream stream(TcpTransport(std::move(*connected.stream)), std::move(config));
  stream.next_layer().set_deadline(std::chrono::steady_clock::now() + 5s);
  HandshakeOutcome outcome;
  co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, outcome.ec));
  outcome.error = stream.tls_error();
  co_return outcome;
}

TEST(TlsStreamTest, PlainHttpServerIsNotTls) {
  auto server = support::LoopbackServer::start(support::plain_http_handler());
  ASSERT_TRUE(server) << server.error();
  const auto outcome = test::run_awaitable(handshake_with((*server)->port(), client_config("origin.test")));
  ASSERT_TRUE(outcome.ec);
  ASSERT_EQ(outcome.ec.category(), tls_category()) << outcome.ec.message();
  // The error_code and the retained tls::Error agree.
  EXPECT_EQ(*tls_error_code(outcome.ec), outcome.error.code);
  EXPECT_EQ(outcome.error.code, tls::ErrorCode::not_tls) << outcome.error.message;
}

TEST(TlsStreamTest, ServerClosingMidHandshakeIsUnexpectedEof) {
  auto server = support::LoopbackServer::start(support::close_after_client_hello_handler());
  ASSERT_TRUE(server) << server.error();
  const auto outcome = test::run_awaitable(handshake_with((*server)->port(), client_config("origin.test")));
  ASSERT_EQ(outcome.ec.category(), tls_category()) << outcome.ec.message();
  EXPECT_EQ(outcome.error.code, tls::ErrorCode::unexpected_eof) << outcome.error.message;
}

TEST(TlsStreamTest, SilentServerHitsTheHandshakeDeadline) {
  // Accepts and reads the ClientHello but never answers.
  auto server = support::LoopbackServer::start([](support::UniqueFd connection, int stop_fd) {
    std::array<std::uint8_t, 4096> buffer{};
    (void)support::recv_some(connection.get(), buffer, support::Deadline::after(5s));
    pollfd p{stop_fd, POLLIN, 0};
    (void)::poll(&p, 1, 5000);
  });
  ASSERT_TRUE(server) << server.error();
  const auto port = (*server)->port();
  const auto started = std::chrono::steady_clock::now();
  const auto ec = test::run_awaitable([](std::uint16_t p) -> asio::awaitable<boost::system::error_code> {
    // (GCC 12 cannot keep an initializer_list alive across co_await: build the vector first.)
    std::vector<asio::ip::tcp::endpoint> endpoints{loopback(p)};
    auto connected = co_await connect(std::move(endpoints), ConnectOptions{2s, 1});
    TlsStream stream(TcpTransport(std::move(*connected.stream)), client_config("origin.test"));
    stream.next_layer().set_deadline(std::chrono::steady_clock::now() + 500ms);
    boost::system::error_code result;
    co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, result));
    co_return result;
  }(port));
  EXPECT_EQ(ec, beast::error::timeout) << ec.message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST(TlsStreamTest, BeastHttpOverTlsAgainstOpenSsl) {
  support::OpenSslServerOptions options;
  options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
  auto server = support::OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();
  const auto port = server->port();

  struct Outcome {
    boost::system::error_code handshake, write, read;
    unsigned status = 0;
    std::string body;
    const policy::CipherSuite* suite = nullptr;
    tls::Error error;
  };
  const auto outcome = test::run_awaitable([](std::uint16_t p) -> asio::awaitable<Outcome> {
    Outcome out;
    // (GCC 12 cannot keep an initializer_list alive across co_await: build the vector first.)
    std::vector<asio::ip::tcp::endpoint> endpoints{loopback(p)};
    auto connected = co_await connect(std::move(endpoints), ConnectOptions{2s, 1});
    TlsStream stream(TcpTransport(std::move(*connected.stream)),
                     client_config(std::string(support::kOriginName)));
    stream.next_layer().set_deadline(std::chrono::steady_clock::now() + 10s);
    co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, out.handshake));
    out.error = stream.tls_error();
    if (out.handshake) co_return out;
    out.suite = stream.negotiated().cipher_suite;
    http::request<http::empty_body> request{http::verb::get, "/", 11};
    request.set(http::field::host, std::string(support::kOriginName));
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, out.write));
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    // s_server -www answers HTTP/1.0 without Content-Length: the body ends at
    // its close_notify, which the stream reports as a clean EOF.
    co_await http::async_read(stream, buffer, response, asio::redirect_error(asio::use_awaitable, out.read));
    out.status = response.result_int();
    out.body = response.body();
    out.error = stream.tls_error();
    co_return out;
  }(port));
  ASSERT_FALSE(outcome.handshake) << outcome.handshake.message() << ": " << outcome.error.message << "\n"
                                  << server->logs();
  ASSERT_NE(outcome.suite, nullptr);
  EXPECT_EQ(outcome.suite->code, 0xC02F);
  EXPECT_FALSE(outcome.write) << outcome.write.message();
  EXPECT_FALSE(outcome.read) << outcome.read.message() << ": " << outcome.error.message;
  EXPECT_EQ(outcome.status, 200u);
  EXPECT_NE(outcome.body.find("ECDHE-RSA-AES128-GCM-SHA256"), std::string::npos) << outcome.body;
}

}  // namespace
}  // namespace edgefetch::net
