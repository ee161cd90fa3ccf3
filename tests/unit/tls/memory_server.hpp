#pragma once
// A libssl TLS server in memory (two memory BIOs, no sockets) for end-to-end
// handshake tests of the sans-IO client in one thread: the test moves bytes
// between tls::Client and the server by hand, so it can also drop, split or
// tamper with them.

#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "support/pki.hpp"

namespace edgefetch::tls::test {

struct MemoryServerOptions {
  support::Leaf leaf = support::Leaf::rsa2048;
  std::string ciphers = "ALL:@SECLEVEL=0";  // TLS 1.2-and-earlier suite list (OpenSSL names)
  std::string groups;                       // e.g. "P-256"; empty: OpenSSL's default
  std::string sigalgs;                      // e.g. "RSA+SHA256"; empty: default
  int min_version = TLS1_2_VERSION;
  int max_version = TLS1_2_VERSION;
  bool tickets = true;
  bool request_client_certificate = false;
  bool require_client_certificate = false;
  std::size_t max_send_fragment = 0;  // 0: default (16384)
  std::vector<std::string> alpn;      // protocols the server accepts, in its preference order
};

class MemoryServer {
 public:
  explicit MemoryServer(const MemoryServerOptions& options);
  ~MemoryServer();

  /// A new connection to the same server (same SSL_CTX, so the same session
  /// cache and ticket keys): what a returning client resumes against. This
  /// server must outlive the new one.
  [[nodiscard]] std::unique_ptr<MemoryServer> next_connection() const;
  /// Whether libssl resumed a session on this connection (the server's view).
  [[nodiscard]] bool session_reused() const;

 private:
  struct SharedContext {};  // only next_connection() can name it

 public:
  MemoryServer(SharedContext /*tag*/, SSL_CTX* ctx);
  MemoryServer(const MemoryServer&) = delete;
  MemoryServer& operator=(const MemoryServer&) = delete;

  /// Bytes from the client.
  void receive(std::span<const std::uint8_t> bytes);
  /// Bytes the server wants to send.
  std::vector<std::uint8_t> take_output();
  /// Advances the server (handshake, or reading application data). Returns
  /// false once the server has failed.
  bool step();

  [[nodiscard]] bool handshake_done() const;
  [[nodiscard]] bool failed() const { return failed_; }
  /// Application data the server has read.
  [[nodiscard]] const std::string& received() const { return received_; }
  [[nodiscard]] bool saw_close_notify() const { return saw_close_notify_; }

  void write(std::string_view data);
  void send_close_notify();
  /// Asks the client to renegotiate (a HelloRequest).
  bool request_renegotiation();

  [[nodiscard]] SSL* ssl() const { return ssl_; }
  [[nodiscard]] std::uint16_t cipher_code() const;
  [[nodiscard]] int version() const;
  [[nodiscard]] std::string last_error() const { return last_error_; }

 private:
  void start_connection();

  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;   // owned by ssl_
  BIO* out_ = nullptr;  // owned by ssl_
  std::vector<unsigned char> alpn_wire_;
  std::string received_;
  std::string last_error_;
  bool failed_ = false;
  bool saw_close_notify_ = false;
};

}  // namespace edgefetch::tls::test
