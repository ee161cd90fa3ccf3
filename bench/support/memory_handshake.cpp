#include "support/memory_handshake.hpp"

#include <openssl/bio.h>
#include <openssl/objects.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::bench {
namespace {

// A handshake needs four flights; anything beyond this many rounds is a stall.
constexpr int kMaxRounds = 16;

using Bytes = std::vector<std::uint8_t>;

// Everything queued in a memory BIO.
Bytes drain(BIO* bio) {
  Bytes out(static_cast<std::size_t>(BIO_ctrl_pending(bio)));
  if (!out.empty()) {
    const int n = BIO_read(bio, out.data(), static_cast<int>(out.size()));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  return out;
}

void append(BIO* bio, std::span<const std::uint8_t> bytes) {
  if (!bytes.empty()) BIO_write(bio, bytes.data(), static_cast<int>(bytes.size()));
}

// The in-process libssl server end of one connection.
class MemoryServer {
 public:
  static base::Expected<MemoryServer, std::string> accept_on(SSL_CTX* ctx) {
    Ssl ssl(SSL_new(ctx));
    if (!ssl) return base::unexpected("server SSL_new: " + openssl_errors());
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    if (in == nullptr || out == nullptr) {
      BIO_free(in);
      BIO_free(out);
      return base::unexpected("server BIO_new: " + openssl_errors());
    }
    SSL_set_bio(ssl.get(), in, out);  // the SSL owns both from here
    SSL_set_accept_state(ssl.get());
    return MemoryServer(std::move(ssl), in, out);
  }

  void receive(std::span<const std::uint8_t> bytes) { append(in_, bytes); }

  // Advances the handshake; false with error() on a fatal failure.
  bool step() {
    if (SSL_is_init_finished(ssl_.get())) return true;
    const int rc = SSL_do_handshake(ssl_.get());
    if (rc == 1) return true;
    const int why = SSL_get_error(ssl_.get(), rc);
    if (why == SSL_ERROR_WANT_READ) return true;
    error_ = "server: SSL error " + std::to_string(why) + ": " + openssl_errors();
    return false;
  }

  Bytes take_output() { return drain(out_); }
  [[nodiscard]] bool done() const { return SSL_is_init_finished(ssl_.get()) != 0; }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] std::string view() const {
    return std::string(SSL_get_version(ssl_.get())) + " " +
           SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_.get()));
  }

 private:
  MemoryServer(Ssl ssl, BIO* in, BIO* out) : ssl_(std::move(ssl)), in_(in), out_(out) {}
  Ssl ssl_;
  BIO* in_;   // owned by ssl_
  BIO* out_;  // owned by ssl_
  std::string error_;
};

std::string describe(const tls::Negotiated& negotiated) {
  if (negotiated.cipher_suite == nullptr) return "nothing negotiated";
  std::string out = std::string(policy::info(negotiated.version).openssl_name) + " " +
                    std::string(negotiated.cipher_suite->openssl_name);
  if (negotiated.group != nullptr) out += " " + std::string(negotiated.group->name);
  if (negotiated.hello_retry_request) out += " after a HelloRetryRequest";
  return out;
}

std::string describe(SSL* ssl) {
  std::string out =
      std::string(SSL_get_version(ssl)) + " " + SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
  const int group = static_cast<int>(SSL_get_negotiated_group(ssl));
  if (group != 0) {
    // OpenSSL 3.0 reports the group as a NID.
    const char* name = OBJ_nid2sn(group);
    out += " " + std::string(name != nullptr ? name : "?");
  }
  return out;
}

}  // namespace

HandshakeResult edgefetch_memory_handshake(const tls::ClientConfig& config, SSL_CTX* server_ctx,
                                           ClientMeter& meter) {
  HandshakeResult result;
  auto server = MemoryServer::accept_on(server_ctx);
  if (!server) {
    result.error = server.error();
    return result;
  }
  std::optional<tls::Client> client;
  {
    const ClientMeter::Section section(meter);
    client.emplace(config);
    client->start();
  }
  for (int round = 0; round < kMaxRounds; ++round) {
    std::span<const std::uint8_t> output;
    {
      const ClientMeter::Section section(meter);
      output = client->pending_output();
    }
    server->receive(output);
    {
      const ClientMeter::Section section(meter);
      client->consume_output(output.size());
    }
    if (!server->step()) {
      result.error = server->error();
      break;
    }
    const Bytes reply = server->take_output();
    bool complete = false;
    bool failed = false;
    {
      const ClientMeter::Section section(meter);
      if (!reply.empty()) failed = !client->feed(reply);
      // TLS 1.3: the client is done after the server's flight; the server only
      // after the client's Finished, to which it answers nothing (no tickets).
      complete = client->handshake_complete();
    }
    if (failed) {
      const tls::Error& error = client->error();
      result.error = "edgefetch: " + std::string(tls::error_code_name(error.code)) + ": " + error.message;
      break;
    }
    if (complete && server->done()) {
      result.ok = true;
      result.negotiated = describe(client->negotiated());
      result.server_saw = server->view();
      result.resumed = client->negotiated().resumed;
      break;
    }
    if (reply.empty() && client->pending_output().empty()) {
      result.error = "handshake stalled";
      break;
    }
  }
  if (!result.ok && result.error.empty())
    result.error = "handshake did not finish in " + std::to_string(kMaxRounds) + " rounds";
  {
    const ClientMeter::Section section(meter);
    client.reset();
  }
  return result;
}

HandshakeResult libssl_memory_handshake(SSL_CTX* client_ctx, SSL_CTX* server_ctx, ClientMeter& meter,
                                        SSL_SESSION* resume, SslSession* keep) {
  HandshakeResult result;
  auto server = MemoryServer::accept_on(server_ctx);
  if (!server) {
    result.error = server.error();
    return result;
  }
  Ssl ssl;
  BIO* in = nullptr;   // owned by ssl
  BIO* out = nullptr;  // owned by ssl
  {
    const ClientMeter::Section section(meter);
    auto made = libssl_client(client_ctx);
    if (made) {
      ssl = std::move(*made);
      in = BIO_new(BIO_s_mem());
      out = BIO_new(BIO_s_mem());
      SSL_set_bio(ssl.get(), in, out);
      if (resume != nullptr) SSL_set_session(ssl.get(), resume);
    } else {
      result.error = made.error();
    }
  }
  if (!ssl) return result;

  Bytes reply;
  for (int round = 0; round < kMaxRounds; ++round) {
    int rc = 0;
    int why = SSL_ERROR_NONE;
    Bytes output;
    {
      const ClientMeter::Section section(meter);
      append(in, reply);
      rc = SSL_do_handshake(ssl.get());
      if (rc != 1) why = SSL_get_error(ssl.get(), rc);
      output = drain(out);
    }
    if (rc != 1 && why != SSL_ERROR_WANT_READ) {
      result.error = "libssl client: SSL error " + std::to_string(why) + ": " + openssl_errors() +
                     " (verify: " + X509_verify_cert_error_string(SSL_get_verify_result(ssl.get())) + ")";
      break;
    }
    server->receive(output);
    if (!server->step()) {
      result.error = server->error();
      break;
    }
    reply = server->take_output();
    if (rc == 1 && server->done()) {
      result.ok = true;
      result.negotiated = describe(ssl.get());
      result.server_saw = server->view();
      result.resumed = SSL_session_reused(ssl.get()) != 0;
      if (SSL_get_verify_result(ssl.get()) != X509_V_OK) {
        result.ok = false;
        result.error = "libssl client: chain not verified";
      }
      break;
    }
    if (reply.empty() && output.empty()) {
      result.error = "handshake stalled";
      break;
    }
  }
  if (!result.ok && result.error.empty())
    result.error = "handshake did not finish in " + std::to_string(kMaxRounds) + " rounds";
  if (keep != nullptr && result.ok) keep->reset(SSL_get1_session(ssl.get()));
  {
    const ClientMeter::Section section(meter);
    // Without a shutdown, SSL_free() treats the session as bad and marks it not
    // resumable; the benchmark drops connections without close_notify, as it
    // does for edgefetch, so it says the connection ended well.
    if (result.ok) SSL_set_shutdown(ssl.get(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    ssl.reset();
  }
  return result;
}

}  // namespace edgefetch::bench
