#include "memory_server13.hpp"

#include <openssl/err.h>

#include <array>
#include <stdexcept>

namespace edgefetch::tls::tls13::test {
namespace {

std::string drain_errors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    if (!out.empty()) out += "; ";
    out += text.data();
  }
  return out;
}

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + drain_errors());
}

}  // namespace

MemoryServer13::MemoryServer13(const MemoryServer13Options& options)
    : ctx_(SSL_CTX_new(TLS_server_method())) {
  require(ctx_ != nullptr, "SSL_CTX_new");
  SSL_CTX* ctx = ctx_.get();
  require(SSL_CTX_set_min_proto_version(ctx, options.min_version) == 1, "min version");
  require(SSL_CTX_set_max_proto_version(ctx, options.max_version) == 1, "max version");
  require(SSL_CTX_set_ciphersuites(ctx, options.ciphersuites.c_str()) == 1, "ciphersuites");
  require(SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0") == 1, "cipher list");
  if (!options.groups.empty()) require(SSL_CTX_set1_groups_list(ctx, options.groups.c_str()) == 1, "groups");
  if (!options.sigalgs.empty())
    require(SSL_CTX_set1_sigalgs_list(ctx, options.sigalgs.c_str()) == 1, "sigalgs");
  std::filesystem::path chain = options.cert_chain;
  std::filesystem::path key = options.key;
  if (chain.empty()) {
    const auto files = support::TestPki::get().leaf(options.leaf);
    chain = files.chain;
    key = files.key;
  }
  require(SSL_CTX_use_certificate_chain_file(ctx, chain.c_str()) == 1, "certificate chain");
  require(SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) == 1, "private key");
  if (options.request_client_certificate) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    require(SSL_CTX_load_verify_locations(ctx, support::TestPki::get().ca_file().c_str(), nullptr) == 1,
            "CA");
  }
  ssl_.reset(SSL_new(ctx));
  require(ssl_ != nullptr, "SSL_new");
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  require(in_ != nullptr && out_ != nullptr, "BIO_new");
  SSL_set_bio(ssl_.get(), in_, out_);
  SSL_set_accept_state(ssl_.get());
}

void MemoryServer13::receive(std::span<const std::uint8_t> bytes) {
  if (!bytes.empty()) BIO_write(in_, bytes.data(), static_cast<int>(bytes.size()));
}

std::vector<std::uint8_t> MemoryServer13::take_output() {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(BIO_ctrl_pending(out_)));
  if (!out.empty()) {
    const int n = BIO_read(out_, out.data(), static_cast<int>(out.size()));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  return out;
}

bool MemoryServer13::step() {
  if (failed_) return false;
  ERR_clear_error();
  SSL* ssl = ssl_.get();
  if (!SSL_is_init_finished(ssl)) {
    const int r = SSL_do_handshake(ssl);
    if (r == 1) return true;
    const int err = SSL_get_error(ssl, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
    failed_ = true;
    last_error_ = drain_errors();
    return false;
  }
  std::array<char, 4096> buffer{};
  while (true) {
    const int n = SSL_read(ssl, buffer.data(), static_cast<int>(buffer.size()));
    if (n > 0) {
      received_.append(buffer.data(), static_cast<std::size_t>(n));
      continue;
    }
    const int err = SSL_get_error(ssl, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
    if (err == SSL_ERROR_ZERO_RETURN) {
      saw_close_notify_ = true;
      return true;
    }
    failed_ = true;
    last_error_ = drain_errors();
    return false;
  }
}

bool MemoryServer13::handshake_done() const {
  return SSL_is_init_finished(ssl_.get()) == 1;
}

void MemoryServer13::write(std::string_view data) {
  require(SSL_write(ssl_.get(), data.data(), static_cast<int>(data.size())) == static_cast<int>(data.size()),
          "SSL_write");
}

bool MemoryServer13::key_update(bool request) {
  if (SSL_key_update(ssl_.get(), request ? SSL_KEY_UPDATE_REQUESTED : SSL_KEY_UPDATE_NOT_REQUESTED) != 1) {
    return false;
  }
  return SSL_do_handshake(ssl_.get()) == 1;
}

void MemoryServer13::send_close_notify() {
  SSL_shutdown(ssl_.get());
}

std::uint16_t MemoryServer13::cipher_code() const {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get());
  return cipher == nullptr ? 0 : SSL_CIPHER_get_protocol_id(cipher);
}

int MemoryServer13::version() const {
  return SSL_version(ssl_.get());
}

}  // namespace edgefetch::tls::tls13::test
