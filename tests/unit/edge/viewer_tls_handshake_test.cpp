// The handshake part of CloudFront-Viewer-TLS as a viewer connection reports
// it: a full handshake, then "connectionReused" for every later request on the
// connection, and "sessionResumed" for a new connection that resumed a session.

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>
#include <vector>

#include "edge/viewer_stream.hpp"
#include "support/pki.hpp"

namespace edgefetch::edge {
namespace {
namespace asio = boost::asio;
using asio::ip::tcp;

struct Kinds {
  std::string first;
  std::string second;
};

// One connection: the viewer's handshake (resuming `resume` when given) and
// what the edge's stream reports for two requests on it. The viewer's
// session is left in `session` (to be freed by the caller).
Kinds connect_once(asio::ssl::context& server_context, asio::ssl::context& client_context,
                   SSL_SESSION* resume, SSL_SESSION** session) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  Kinds kinds;
  auto server = [&]() -> asio::awaitable<void> {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    EXPECT_FALSE(ec) << ec.message();
    auto stream = detail::make_tls_stream(std::move(socket), server_context);
    co_await stream->handshake(ec);
    EXPECT_FALSE(ec) << ec.message();
    kinds.first = std::string(stream->take_tls_handshake_kind());
    kinds.second = std::string(stream->take_tls_handshake_kind());
    // A connection closed without close_notify takes its session out of the cache.
    co_await stream->graceful_close();
  };
  auto client = [&]() -> asio::awaitable<void> {
    asio::ssl::stream<tcp::socket> stream(io, client_context);
    boost::system::error_code ec;
    co_await stream.next_layer().async_connect(acceptor.local_endpoint(),
                                               asio::redirect_error(asio::use_awaitable, ec));
    EXPECT_FALSE(ec) << ec.message();
    if (resume != nullptr) SSL_set_session(stream.native_handle(), resume);
    co_await stream.async_handshake(asio::ssl::stream_base::client,
                                    asio::redirect_error(asio::use_awaitable, ec));
    EXPECT_FALSE(ec) << ec.message();
    *session = SSL_get1_session(stream.native_handle());
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    stream.next_layer().close();
  };
  asio::co_spawn(io, server(), asio::detached);
  asio::co_spawn(io, client(), asio::detached);
  io.run();
  return kinds;
}

TEST(ViewerTlsHandshake, IsFullThenConnectionReusedAndResumedOnANewConnection) {
  const auto leaf = support::TestPki::get().leaf(support::Leaf::rsa2048);
  asio::ssl::context server_context(asio::ssl::context::tls_server);
  server_context.use_certificate_chain_file(leaf.chain.string());
  server_context.use_private_key_file(leaf.key.string(), asio::ssl::context::pem);
  asio::ssl::context client_context(asio::ssl::context::tls_client);
  // TLS 1.2: its session is ready when the handshake ends (no ticket to wait for).
  SSL_CTX_set_max_proto_version(client_context.native_handle(), TLS1_2_VERSION);

  SSL_SESSION* session = nullptr;
  const Kinds first = connect_once(server_context, client_context, nullptr, &session);
  EXPECT_EQ(first.first, "fullHandshake");
  EXPECT_EQ(first.second, "connectionReused");
  ASSERT_NE(session, nullptr);

  SSL_SESSION* second_session = nullptr;
  const Kinds resumed = connect_once(server_context, client_context, session, &second_session);
  EXPECT_EQ(resumed.first, "sessionResumed");
  EXPECT_EQ(resumed.second, "connectionReused");
  SSL_SESSION_free(session);
  SSL_SESSION_free(second_session);
}

TEST(ViewerTlsHandshake, IsEmptyForPlainViewers) {
  asio::io_context io;
  auto stream = detail::make_plain_stream(tcp::socket(io));
  EXPECT_EQ(stream->take_tls_handshake_kind(), "");
  EXPECT_EQ(stream->take_tls_handshake_kind(), "");
}

}  // namespace
}  // namespace edgefetch::edge
