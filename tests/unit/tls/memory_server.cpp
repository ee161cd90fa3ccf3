#include "memory_server.hpp"

#include <openssl/err.h>

#include <stdexcept>

namespace edgefetch::tls::test {

namespace {

std::string drain_openssl_errors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out;
}

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + drain_openssl_errors());
}

int select_alpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
                unsigned int in_length, void* arg) {
  auto* server_list = static_cast<std::vector<unsigned char>*>(arg);
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, server_list->data(),
                            static_cast<unsigned int>(server_list->size()), in,
                            in_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

MemoryServer::MemoryServer(const MemoryServerOptions& options) {
  const support::LeafFiles files = support::TestPki::get().leaf(options.leaf);
  ctx_ = SSL_CTX_new(TLS_server_method());
  require(ctx_ != nullptr, "SSL_CTX_new");
  require(SSL_CTX_set_min_proto_version(ctx_, options.min_version) == 1, "min version");
  require(SSL_CTX_set_max_proto_version(ctx_, options.max_version) == 1, "max version");
  require(SSL_CTX_set_cipher_list(ctx_, options.ciphers.c_str()) == 1, "cipher list");
  if (!options.groups.empty()) require(SSL_CTX_set1_groups_list(ctx_, options.groups.c_str()) == 1, "groups");
  if (!options.sigalgs.empty())
    require(SSL_CTX_set1_sigalgs_list(ctx_, options.sigalgs.c_str()) == 1, "sigalgs");
  require(SSL_CTX_use_certificate_chain_file(ctx_, files.chain.c_str()) == 1, "certificate chain");
  require(SSL_CTX_use_PrivateKey_file(ctx_, files.key.c_str(), SSL_FILETYPE_PEM) == 1, "private key");
  if (!options.tickets) SSL_CTX_set_options(ctx_, SSL_OP_NO_TICKET);
  if (options.max_send_fragment != 0)
    SSL_CTX_set_max_send_fragment(ctx_, static_cast<long>(options.max_send_fragment));
  if (options.request_client_certificate || options.require_client_certificate) {
    const int mode =
        SSL_VERIFY_PEER | (options.require_client_certificate ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
    SSL_CTX_set_verify(ctx_, mode, nullptr);
    require(SSL_CTX_load_verify_locations(ctx_, support::TestPki::get().ca_file().c_str(), nullptr) == 1,
            "CA");
  }
  if (!options.alpn.empty()) {
    for (const std::string& protocol : options.alpn) {
      alpn_wire_.push_back(static_cast<unsigned char>(protocol.size()));
      alpn_wire_.insert(alpn_wire_.end(), protocol.begin(), protocol.end());
    }
    SSL_CTX_set_alpn_select_cb(ctx_, select_alpn, &alpn_wire_);
  }
  start_connection();
}

MemoryServer::MemoryServer(SharedContext /*tag*/, SSL_CTX* ctx) : ctx_(ctx) {
  require(SSL_CTX_up_ref(ctx_) == 1, "SSL_CTX_up_ref");
  start_connection();
}

std::unique_ptr<MemoryServer> MemoryServer::next_connection() const {
  return std::make_unique<MemoryServer>(SharedContext{}, ctx_);
}

bool MemoryServer::session_reused() const {
  return SSL_session_reused(ssl_) == 1;
}

void MemoryServer::start_connection() {
  ssl_ = SSL_new(ctx_);
  require(ssl_ != nullptr, "SSL_new");
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  require(in_ != nullptr && out_ != nullptr, "BIO_new");
  SSL_set_bio(ssl_, in_, out_);
  SSL_set_accept_state(ssl_);
}

MemoryServer::~MemoryServer() {
  SSL_free(ssl_);
  SSL_CTX_free(ctx_);
}

void MemoryServer::receive(std::span<const std::uint8_t> bytes) {
  if (!bytes.empty()) BIO_write(in_, bytes.data(), static_cast<int>(bytes.size()));
}

std::vector<std::uint8_t> MemoryServer::take_output() {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(BIO_ctrl_pending(out_)));
  if (!out.empty()) {
    const int n = BIO_read(out_, out.data(), static_cast<int>(out.size()));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  return out;
}

bool MemoryServer::step() {
  if (failed_) return false;
  ERR_clear_error();
  if (!SSL_is_init_finished(ssl_)) {
    const int r = SSL_do_handshake(ssl_);
    if (r == 1) return true;
    const int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
    failed_ = true;
    last_error_ = drain_openssl_errors();
    return false;
  }
  char buffer[4096];
  while (true) {
    const int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n > 0) {
      received_.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    const int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
    if (err == SSL_ERROR_ZERO_RETURN) {
      saw_close_notify_ = true;
      return true;
    }
    failed_ = true;
    last_error_ = drain_openssl_errors();
    return false;
  }
}

bool MemoryServer::handshake_done() const {
  return SSL_is_init_finished(ssl_) == 1;
}

void MemoryServer::write(std::string_view data) {
  require(SSL_write(ssl_, data.data(), static_cast<int>(data.size())) == static_cast<int>(data.size()),
          "SSL_write");
}

void MemoryServer::send_close_notify() {
  SSL_shutdown(ssl_);
}

bool MemoryServer::request_renegotiation() {
  return SSL_renegotiate(ssl_) == 1 && SSL_do_handshake(ssl_) <= 1;
}

std::uint16_t MemoryServer::cipher_code() const {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_);
  return cipher == nullptr ? 0 : SSL_CIPHER_get_protocol_id(cipher);
}

int MemoryServer::version() const {
  return SSL_version(ssl_);
}

}  // namespace edgefetch::tls::test
