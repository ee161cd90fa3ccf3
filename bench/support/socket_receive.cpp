#include "support/socket_receive.hpp"

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/tls/error.hpp"
#include "support/libssl.hpp"
#include "support/tcp.hpp"

namespace edgefetch::bench {
namespace {

constexpr std::string_view kRequest = "GET / HTTP/1.0\r\nHost: origin.test\r\n\r\n";
// One maximal TLS 1.2 record is 16 KiB of plaintext plus at most 2 KiB of expansion.
constexpr std::size_t kReceiveChunk = 17 * 1024;

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): char and uint8_t share representation
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string engine_error(const tls::Client& client) {
  const tls::Error& error = client.error();
  return "edgefetch: " + std::string(tls::error_code_name(error.code)) + ": " + error.message;
}

std::string describe(const tls::Negotiated& negotiated) {
  if (negotiated.cipher_suite == nullptr) return "nothing negotiated";
  std::string out = std::string(policy::info(negotiated.version).openssl_name) + " " +
                    std::string(negotiated.cipher_suite->openssl_name);
  if (negotiated.group != nullptr) out += " " + std::string(negotiated.group->name);
  return out;
}

// Sends what the engine queued.
base::Expected<void, std::string> flush(tls::Client& client, int fd, ClientMeter& meter) {
  std::span<const std::uint8_t> output;
  {
    const ClientMeter::Section section(meter);
    output = client.pending_output();
  }
  if (output.empty()) return {};
  auto sent = send_all(fd, output);
  const ClientMeter::Section section(meter);
  client.consume_output(output.size());
  return sent;
}

}  // namespace

BulkResult edgefetch_bulk_receive(const tls::ClientConfig& config, std::uint16_t port, ClientMeter& handshake,
                                  ClientMeter& receive, const BulkOptions& options) {
  BulkResult result;
  auto socket = connect_loopback(port, options.timeout);
  if (!socket) {
    result.error = socket.error();
    return result;
  }
  const int fd = socket->get();
  std::vector<std::uint8_t> buffer(kReceiveChunk);
  std::optional<tls::Client> client;
  {
    const ClientMeter::Section section(handshake);
    client.emplace(config);
    client->start();
  }
  for (;;) {
    if (auto sent = flush(*client, fd, handshake); !sent) {
      result.error = sent.error();
      return result;
    }
    if (client->handshake_complete()) break;
    if (client->state() == tls::State::failed) {
      result.error = engine_error(*client);
      return result;
    }
    auto n = receive_some(fd, buffer);
    if (!n || *n == 0) {
      result.error = !n ? n.error() : "server closed during the handshake";
      return result;
    }
    const ClientMeter::Section section(handshake);
    (void)client->feed(std::span<const std::uint8_t>(buffer.data(), *n));
  }
  result.negotiated = describe(client->negotiated());
  if (options.after_handshake) options.after_handshake();

  const std::int64_t wall_start = wall_ns();
  const std::int64_t cpu_start = thread_cpu_ns();
  bool failed = false;
  {
    const ClientMeter::Section section(receive);
    failed = !client->write(as_bytes(kRequest));
  }
  if (failed) {
    result.error = engine_error(*client);
    return result;
  }
  if (auto sent = flush(*client, fd, receive); !sent) {
    result.error = sent.error();
    return result;
  }
  for (;;) {
    auto n = receive_some(fd, buffer);
    if (!n) {
      result.error = n.error();
      break;
    }
    bool closed = false;
    {
      const ClientMeter::Section section(receive);
      if (*n == 0) {
        client->feed_eof();
        closed = true;
      } else {
        failed = !client->feed(std::span<const std::uint8_t>(buffer.data(), *n));
        const auto readable = client->readable();
        result.bytes += readable.size();
        client->consume_readable(readable.size());
        closed = client->peer_closed();
      }
    }
    if (failed) {
      result.error = engine_error(*client);
      break;
    }
    if (closed || (options.stop_after != 0 && result.bytes >= options.stop_after)) break;
  }
  result.receive_cpu_ns = thread_cpu_ns() - cpu_start;
  result.receive_wall_ns = wall_ns() - wall_start;
  return result;
}

BulkResult libssl_bulk_receive(SSL_CTX* ctx, std::uint16_t port, ClientMeter& handshake, ClientMeter& receive,
                               const BulkOptions& options) {
  BulkResult result;
  auto socket = connect_loopback(port, options.timeout);
  if (!socket) {
    result.error = socket.error();
    return result;
  }
  Ssl ssl;
  int rc = 0;
  {
    const ClientMeter::Section section(handshake);
    auto made = libssl_client(ctx);
    if (made) {
      ssl = std::move(*made);
      SSL_set_fd(ssl.get(), socket->get());
      rc = SSL_connect(ssl.get());
    } else {
      result.error = made.error();
    }
  }
  if (!ssl) return result;
  if (rc != 1) {
    result.error = "libssl client: SSL_connect failed: " + openssl_errors();
    return result;
  }
  result.negotiated =
      std::string(SSL_get_version(ssl.get())) + " " + SSL_CIPHER_get_name(SSL_get_current_cipher(ssl.get()));
  if (options.after_handshake) options.after_handshake();

  const std::int64_t wall_start = wall_ns();
  const std::int64_t cpu_start = thread_cpu_ns();
  {
    const ClientMeter::Section section(receive);
    rc = SSL_write(ssl.get(), kRequest.data(), static_cast<int>(kRequest.size()));
  }
  if (rc <= 0) {
    result.error = "libssl client: SSL_write failed: " + openssl_errors();
    return result;
  }
  std::array<std::uint8_t, 16 * 1024> plaintext{};
  for (;;) {
    int why = SSL_ERROR_NONE;
    {
      const ClientMeter::Section section(receive);
      rc = SSL_read(ssl.get(), plaintext.data(), static_cast<int>(plaintext.size()));
      if (rc <= 0) why = SSL_get_error(ssl.get(), rc);
    }
    if (rc > 0) {
      result.bytes += static_cast<std::uint64_t>(rc);
      if (options.stop_after != 0 && result.bytes >= options.stop_after) break;
      continue;
    }
    if (why != SSL_ERROR_ZERO_RETURN) result.error = "libssl client: SSL_read error " + std::to_string(why);
    break;
  }
  result.receive_cpu_ns = thread_cpu_ns() - cpu_start;
  result.receive_wall_ns = wall_ns() - wall_start;
  // Quiet close: the benchmark does not measure close_notify.
  SSL_set_shutdown(ssl.get(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  return result;
}

}  // namespace edgefetch::bench
