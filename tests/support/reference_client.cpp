#include "support/reference_client.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <poll.h>

#include <memory>

#include "support/deadline.hpp"
#include "support/peer_names.hpp"
#include "support/pki.hpp"
#include "support/tcp.hpp"

namespace edgefetch::support {
namespace {

struct SslCtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

std::string drain_errors(std::string prefix) {
  std::string out = std::move(prefix);
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += "; ";
    out += buf;
  }
  return out;
}

int openssl_version(policy::ProtocolVersion v) {
  return static_cast<int>(policy::wire(v));
}

std::string append_list(std::string list, std::string_view item) {
  if (item.empty()) return list;
  if (!list.empty()) list += ':';
  list += item;
  return list;
}

std::uint16_t group_code(SSL* ssl) {
  EVP_PKEY* raw = nullptr;
  if (SSL_get_peer_tmp_key(ssl, &raw) != 1 || raw == nullptr) return 0;
  const std::unique_ptr<EVP_PKEY, PkeyFree> key(raw);
  switch (EVP_PKEY_get_id(key.get())) {
    case EVP_PKEY_X25519:
      return 29;
    case EVP_PKEY_X448:
      return 30;
    case EVP_PKEY_EC: {
      char name[64] = {};
      size_t len = 0;
      if (EVP_PKEY_get_group_name(key.get(), name, sizeof name, &len) != 1) return 0;
      const std::string_view group(name, len);
      if (group == "prime256v1" || group == "P-256") return 23;
      if (group == "secp384r1" || group == "P-384") return 24;
      if (group == "secp521r1" || group == "P-521") return 25;
      return 0;
    }
    default:
      return 0;
  }
}

// libssl reports the peer's signature as (key type, hash); TLS 1.2 code points are hash<<8 | signature.
std::uint16_t scheme_code(SSL* ssl) {
  int type = NID_undef;
  int hash = NID_undef;
  if (SSL_get_peer_signature_type_nid(ssl, &type) != 1 || SSL_get_peer_signature_nid(ssl, &hash) != 1)
    return 0;
  std::uint16_t hash_byte = 0;
  switch (hash) {
    case NID_md5_sha1:
      return 0;  // TLS 1.0/1.1 RSA signature: no scheme
    case NID_sha1:
      hash_byte = 2;
      break;
    case NID_sha224:
      hash_byte = 3;
      break;
    case NID_sha256:
      hash_byte = 4;
      break;
    case NID_sha384:
      hash_byte = 5;
      break;
    case NID_sha512:
      hash_byte = 6;
      break;
    default:
      return 0;
  }
  switch (type) {
    case NID_rsaEncryption:
      return static_cast<std::uint16_t>(hash_byte << 8 | 0x01);
    case NID_X9_62_id_ecPublicKey:
      return static_cast<std::uint16_t>(hash_byte << 8 | 0x03);
    case NID_rsassaPss:
      return static_cast<std::uint16_t>(0x0800 | hash_byte);  // rsa_pss_rsae_*
    default:
      return 0;
  }
}

// Waits for the socket as libssl asked. False on timeout or poll failure.
bool wait_ssl(SSL* ssl, int rc, int fd, Deadline deadline, std::string& error) {
  const int reason = SSL_get_error(ssl, rc);
  short events = 0;
  if (reason == SSL_ERROR_WANT_READ) events = POLLIN;
  if (reason == SSL_ERROR_WANT_WRITE) events = POLLOUT;
  if (events == 0) return false;
  pollfd p{fd, events, 0};
  const int ready = ::poll(&p, 1, deadline.poll_timeout_ms());
  if (ready <= 0) {
    error = ready == 0 ? std::string(kTimeoutError) : std::string("poll failed");
    return false;
  }
  return true;
}

// SSL_set_tlsext_host_name is a macro with a C cast; this is the same call.
long set_server_name(SSL* ssl, const std::string& name) {
  return SSL_ctrl(
      ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
      const_cast<char*>(name.c_str()));  // NOLINT(cppcoreguidelines-pro-type-const-cast): libssl copies it
}

}  // namespace

ReferenceClientOptions ReferenceClientOptions::from_offer(const policy::Offer& offer) {
  ReferenceClientOptions options;
  options.min_version = std::max(offer.min_version, policy::ProtocolVersion::tls1_0);
  options.max_version = offer.max_version;
  options.ciphers.clear();
  for (const policy::CipherSuite* suite : offer.cipher_suites) {
    const PeerSuiteNames* names = peer_suite(suite->code);
    if (names != nullptr) options.ciphers = append_list(options.ciphers, names->openssl);
  }
  for (const policy::NamedGroup* group : offer.groups) {
    const PeerGroupNames* names = peer_group(group->code);
    if (names != nullptr) options.groups = append_list(options.groups, names->openssl);
  }
  for (const policy::SignatureScheme* scheme : offer.signature_schemes) {
    const PeerSchemeNames* names = peer_scheme(scheme->code);
    if (names != nullptr) options.sigalgs = append_list(options.sigalgs, names->openssl);
  }
  return options;
}

ReferenceClientOptions ReferenceClientOptions::pinned(policy::ProtocolVersion version, std::uint16_t suite,
                                                      std::uint16_t group, std::uint16_t scheme) {
  ReferenceClientOptions options;
  options.min_version = version;
  options.max_version = version;
  if (const PeerSuiteNames* names = peer_suite(suite)) options.ciphers = std::string(names->openssl);
  if (const PeerGroupNames* names = peer_group(group)) options.groups = std::string(names->openssl);
  if (const PeerSchemeNames* names = peer_scheme(scheme)) options.sigalgs = std::string(names->openssl);
  return options;
}

std::string ReferenceFetchResult::body() const {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

std::string ReferenceFetchResult::describe() const {
  std::string out = "libssl: " + summary.describe();
  out += handshake_complete ? ", handshake complete" : ", handshake not complete";
  if (!error.empty()) out += ", error: " + error;
  out += ", " + std::to_string(response.size()) + " response bytes";
  return out;
}

ReferenceFetchResult fetch_with_libssl(std::uint16_t port, const ReferenceClientOptions& options) {
  ReferenceFetchResult result;
  ERR_clear_error();
  const Deadline deadline = Deadline::after(options.timeout);

  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    result.error = drain_errors("SSL_CTX_new");
    return result;
  }
  // Level 0: the policy includes SHA-1 signatures, TLS 1.0/1.1 and RSA-1024 peers.
  SSL_CTX_set_security_level(ctx.get(), 0);
  const std::string ciphers =
      (options.ciphers.empty() ? std::string("ALL") : options.ciphers) + ":@SECLEVEL=0";
  const std::filesystem::path ca = options.ca_file.empty() ? TestPki::get().ca_file() : options.ca_file;
  if (SSL_CTX_set_min_proto_version(ctx.get(), openssl_version(options.min_version)) != 1 ||
      SSL_CTX_set_max_proto_version(ctx.get(), openssl_version(options.max_version)) != 1 ||
      SSL_CTX_set_cipher_list(ctx.get(), ciphers.c_str()) != 1 ||
      (!options.groups.empty() && SSL_CTX_set1_groups_list(ctx.get(), options.groups.c_str()) != 1) ||
      (!options.sigalgs.empty() && SSL_CTX_set1_sigalgs_list(ctx.get(), options.sigalgs.c_str()) != 1) ||
      SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr) != 1) {
    result.error = drain_errors("configuring SSL_CTX (ciphers '" + ciphers + "', groups '" + options.groups +
                                "', sigalgs '" + options.sigalgs + "')");
    return result;
  }
  SSL_CTX_set_verify(ctx.get(), options.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);

  auto socket = connect_loopback(port, deadline);
  if (!socket) {
    result.error = "connect: " + socket.error();
    return result;
  }
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), socket->get()) != 1 ||
      (!options.server_name.empty() && set_server_name(ssl.get(), options.server_name) != 1) ||
      (!options.verify_name.empty() && SSL_set1_host(ssl.get(), options.verify_name.c_str()) != 1)) {
    result.error = drain_errors("configuring SSL");
    return result;
  }

  for (;;) {
    const int rc = SSL_connect(ssl.get());
    if (rc == 1) break;
    std::string wait_error;
    if (!wait_ssl(ssl.get(), rc, socket->get(), deadline, wait_error)) {
      result.verify_result = SSL_get_verify_result(ssl.get());
      result.error = wait_error.empty() ? drain_errors("handshake") : "handshake: " + wait_error;
      if (result.verify_result != X509_V_OK) {
        result.error += std::string("; verify: ") + X509_verify_cert_error_string(result.verify_result);
      }
      return result;
    }
  }
  result.handshake_complete = true;
  result.verify_result = SSL_get_verify_result(ssl.get());
  result.summary.version = policy::version_from_wire(static_cast<std::uint16_t>(SSL_version(ssl.get())));
  result.summary.suite = SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(ssl.get()));
  result.summary.group = group_code(ssl.get());
  result.summary.scheme = scheme_code(ssl.get());

  std::size_t written = 0;
  while (written < options.request.size()) {
    size_t n = 0;
    const int rc =
        SSL_write_ex(ssl.get(), options.request.data() + written, options.request.size() - written, &n);
    if (rc == 1) {
      written += n;
      continue;
    }
    std::string wait_error;
    if (!wait_ssl(ssl.get(), rc, socket->get(), deadline, wait_error)) {
      result.error = wait_error.empty() ? drain_errors("write") : "write: " + wait_error;
      return result;
    }
  }
  char buffer[16384];
  for (;;) {
    size_t n = 0;
    const int rc = SSL_read_ex(ssl.get(), buffer, sizeof buffer, &n);
    if (rc == 1) {
      result.response.append(buffer, n);
      continue;
    }
    const int reason = SSL_get_error(ssl.get(), rc);
    if (reason == SSL_ERROR_ZERO_RETURN) {
      result.peer_close_notify = true;
      SSL_shutdown(ssl.get());
      break;
    }
    if (reason == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) break;  // EOF without close_notify
    std::string wait_error;
    if (!wait_ssl(ssl.get(), rc, socket->get(), deadline, wait_error)) {
      // OpenSSL 3 reports EOF without close_notify as an SSL error ("unexpected eof while reading").
      const unsigned long e = ERR_peek_error();
      if (ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        ERR_clear_error();
        break;
      }
      result.error = wait_error.empty() ? drain_errors("read") : "read: " + wait_error;
      return result;
    }
  }
  return result;
}

}  // namespace edgefetch::support
