#pragma once
// A libssl TLS 1.3 server in memory (two memory BIOs, no sockets), so the
// TLS 1.3 client can be driven end to end in one thread and its bytes dropped,
// split or tampered with on the way.

#include <openssl/ssl.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "support/pki.hpp"

namespace edgefetch::tls::tls13::test {

struct MemoryServer13Options {
  support::Leaf leaf = support::Leaf::rsa2048;
  std::filesystem::path cert_chain;  // overrides `leaf` when set (with key)
  std::filesystem::path key;
  std::string ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
  std::string groups;   // e.g. "X25519" (no P-256: the client's share does not fit -> HelloRetryRequest)
  std::string sigalgs;  // e.g. "rsa_pss_rsae_sha384"
  int min_version = TLS1_3_VERSION;
  int max_version = TLS1_3_VERSION;
  bool request_client_certificate = false;
};

class MemoryServer13 {
 public:
  explicit MemoryServer13(const MemoryServer13Options& options);

  void receive(std::span<const std::uint8_t> bytes);
  std::vector<std::uint8_t> take_output();
  /// Advances the handshake or reads application data; false once failed.
  bool step();
  [[nodiscard]] bool handshake_done() const;
  [[nodiscard]] bool failed() const { return failed_; }
  [[nodiscard]] const std::string& received() const { return received_; }
  [[nodiscard]] bool saw_close_notify() const { return saw_close_notify_; }
  [[nodiscard]] std::string last_error() const { return last_error_; }

  void write(std::string_view data);
  /// Sends a KeyUpdate (asking the client to update too when `request`).
  bool key_update(bool request);
  void send_close_notify();

  [[nodiscard]] std::uint16_t cipher_code() const;
  [[nodiscard]] int version() const;
  [[nodiscard]] SSL* ssl() const { return ssl_.get(); }

 private:
  struct CtxFree {
    void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
  };
  struct SslFree {
    void operator()(SSL* p) const { SSL_free(p); }
  };
  std::unique_ptr<SSL_CTX, CtxFree> ctx_;
  std::unique_ptr<SSL, SslFree> ssl_;
  BIO* in_ = nullptr;   // owned by ssl_
  BIO* out_ = nullptr;  // owned by ssl_
  std::string received_;
  std::string last_error_;
  bool failed_ = false;
  bool saw_close_notify_ = false;
};

}  // namespace edgefetch::tls::tls13::test
