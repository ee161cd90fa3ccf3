// TlsStream::write_now and async_flush: records sent without an operation,
// and what the socket would not take sent later, in order. The peer is
// Python's ssl module on 127.0.0.1; it reads nothing for a while, so the
// client fills the socket and write_now must leave records for async_flush.
// Then it reads everything and answers with the length and SHA-256 it saw.

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>
#include <vector>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/connect.hpp"
#include "edgefetch/net/tls_stream.hpp"
#include "edgefetch/policy/profile.hpp"
#include "run_awaitable.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"
#include "support/server_launch.hpp"

namespace edgefetch::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// argv: port cert key. One connection: handshake, 1 s without reading, then
// everything up to a '#' (the data is lower-case letters); answers
// "<length> <sha256 hex>\n" for the bytes before it.
constexpr std::string_view kServer = R"PY(
import hashlib, socket, ssl, sys, time
port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(1)
conn, _ = srv.accept()
conn.settimeout(60)
tls = ctx.wrap_socket(conn, server_side=True)
time.sleep(1.0)
digest, total, done = hashlib.sha256(), 0, False
while not done:
    chunk = tls.recv(1 << 16)
    if not chunk:
        break
    if chunk.endswith(b"#"):
        chunk, done = chunk[:-1], True
    digest.update(chunk)
    total += len(chunk)
tls.sendall(f"{total} {digest.hexdigest()}\n".encode())
tls.unwrap().close()
)PY";

std::string sha256_hex(const std::vector<std::uint8_t>& bytes) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  EVP_DigestFinal_ex(ctx.get(), md, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 15];
  }
  return hex;
}

struct Outcome {
  boost::system::error_code handshake, write, flush, marker, read;
  std::size_t now_calls = 0;
  bool flush_was_pending = false;
  bool refused_while_pending = false;
  std::vector<std::uint8_t> sent;
  std::string answer;
};

asio::awaitable<Outcome> write_through(std::uint16_t port) {
  Outcome out;
  tls::ClientConfig config;
  const std::vector<policy::ProtocolVersion> versions = {policy::ProtocolVersion::tls1_2};
  config.offer = policy::narrow(policy::default_profile(), versions);
  config.server_name = std::string(support::kOriginName);
  config.verify_name = config.server_name;
  auto store = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
  if (store) config.trust_store = *store;
  std::vector<asio::ip::tcp::endpoint> endpoints{{asio::ip::make_address("127.0.0.1"), port}};
  auto connected = co_await connect(std::move(endpoints), ConnectOptions{2s, 1});
  if (!connected.connected()) {
    out.handshake = connected.attempts.back().error;
    co_return out;
  }
  TlsStream stream(TcpTransport(std::move(*connected.stream)), std::move(config));
  stream.next_layer().set_deadline(std::chrono::steady_clock::now() + 60s);
  co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, out.handshake));
  if (out.handshake) co_return out;

  // Distinct bytes per chunk, so that a lost, repeated or reordered record changes the digest.
  std::vector<std::uint8_t> chunk(48 * 1024 + 7);
  constexpr std::size_t kLimit = 512u << 20;
  while (!stream.flush_pending() && out.sent.size() < kLimit) {
    for (std::size_t i = 0; i < chunk.size(); ++i)
      chunk[i] = static_cast<std::uint8_t>('a' + (out.now_calls * 7 + i) % 26);
    const std::size_t taken = stream.write_now(asio::buffer(chunk), out.write);
    ++out.now_calls;
    if (out.write || taken == 0) break;
    out.sent.insert(out.sent.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(taken));
  }
  out.flush_was_pending = stream.flush_pending();
  if (out.flush_was_pending) {
    boost::system::error_code ignored;
    out.refused_while_pending = stream.write_now(asio::buffer(chunk), ignored) == 0 && !ignored;
  }
  co_await stream.async_flush(asio::redirect_error(asio::use_awaitable, out.flush));
  // After the flush, ordinary writes continue the same byte stream.
  const std::vector<std::uint8_t> tail(100000, 'z');
  co_await asio::async_write(stream, asio::buffer(tail),
                             asio::redirect_error(asio::use_awaitable, out.write));
  out.sent.insert(out.sent.end(), tail.begin(), tail.end());
  co_await asio::async_write(stream, asio::buffer("#", 1),
                             asio::redirect_error(asio::use_awaitable, out.marker));
  std::array<char, 256> buffer{};
  for (;;) {
    boost::system::error_code ec;
    const std::size_t n =
        co_await stream.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    out.answer.append(buffer.data(), n);
    if (ec) {
      if (ec != asio::error::eof) out.read = ec;
      break;
    }
  }
  co_return out;
}

TEST(TlsWriteNow, RecordsTheSocketRefusedAreFlushedInOrder) {
  auto dir = support::ScratchDir::create("tls-write-now");
  const auto leaf = support::TestPki::get().leaf(support::Leaf::rsa2048);
  auto server = support::launch_on_free_port(dir, [&](std::uint16_t port) {
    return std::vector<std::string>{
        "python3", "-c", std::string(kServer), std::to_string(port), leaf.chain.string(), leaf.key.string()};
  });
  ASSERT_TRUE(server) << server.error();
  const Outcome out = test::run_awaitable(write_through(server->port));
  ASSERT_FALSE(out.handshake) << out.handshake.message();
  EXPECT_FALSE(out.write) << out.write.message();
  EXPECT_TRUE(out.flush_was_pending) << "the socket never filled: " << out.sent.size() << " bytes";
  EXPECT_TRUE(out.refused_while_pending) << "write_now must not write past records waiting to be flushed";
  EXPECT_GT(out.now_calls, 1u);
  EXPECT_FALSE(out.flush) << out.flush.message();
  EXPECT_FALSE(out.marker) << out.marker.message();
  EXPECT_FALSE(out.read) << out.read.message();
  EXPECT_EQ(out.answer, std::to_string(out.sent.size()) + " " + sha256_hex(out.sent) + "\n")
      << support::describe_logs(server->child);
}

}  // namespace
}  // namespace edgefetch::net
