#include "support/libssl.hpp"

#include <openssl/err.h>

namespace edgefetch::bench {
namespace {

int libssl_version(policy::ProtocolVersion version) {
  return static_cast<int>(policy::wire(version));
}

// Pre-1.2 handshakes sign with MD5+SHA-1 / SHA-1, which OpenSSL 3 allows only at
// security level 0; TLS 1.2 cells keep the default level.
std::string cipher_list(const Cell& cell) {
  std::string list(cell.suite);
  if (cell.version < policy::ProtocolVersion::tls1_2) list += ":@SECLEVEL=0";
  return list;
}

base::Expected<void, std::string> pin(SSL_CTX* ctx, const Cell& cell, bool client) {
  const int version = libssl_version(cell.version);
  if (SSL_CTX_set_min_proto_version(ctx, version) != 1 || SSL_CTX_set_max_proto_version(ctx, version) != 1)
    return base::unexpected("cannot pin the version: " + openssl_errors());
  if (cell.version == policy::ProtocolVersion::tls1_3) {
    // TLS 1.3 suites have their own list in libssl; the TLS 1.2 list does not apply.
    if (SSL_CTX_set_ciphersuites(ctx, std::string(cell.suite).c_str()) != 1)
      return base::unexpected("libssl cannot use " + std::string(cell.suite) + ": " + openssl_errors());
  } else if (SSL_CTX_set_cipher_list(ctx, cipher_list(cell).c_str()) != 1) {
    return base::unexpected("libssl cannot use " + std::string(cell.suite) + ": " + openssl_errors());
  }
  const std::string groups(client && !cell.client_groups.empty() ? cell.client_groups : cell.group);
  // libssl's client sends a key share for the first group only (OpenSSL 3.0), as edgefetch does.
  if (!groups.empty() && SSL_CTX_set1_groups_list(ctx, groups.c_str()) != 1)
    return base::unexpected("libssl cannot use groups " + groups + ": " + openssl_errors());
  return {};
}

}  // namespace

std::string openssl_errors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!out.empty()) out += "; ";
    out += buffer;
  }
  return out.empty() ? "no OpenSSL error queued" : out;
}

base::Expected<SslCtx, std::string> libssl_server_context(const Cell& cell, const BenchPki& pki) {
  SslCtx ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return base::unexpected("SSL_CTX_new: " + openssl_errors());
  if (auto pinned = pin(ctx.get(), cell, /*client=*/false); !pinned) return base::unexpected(pinned.error());
  const std::string sigalgs(cell.server_sigalgs());
  if (!sigalgs.empty() && SSL_CTX_set1_sigalgs_list(ctx.get(), sigalgs.c_str()) != 1)
    return base::unexpected("server sigalgs " + sigalgs + ": " + openssl_errors());
  const LeafFiles leaf = pki.leaf(cell.leaf);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), leaf.chain.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx.get(), leaf.key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx.get()) != 1) {
    return base::unexpected("server identity: " + openssl_errors());
  }
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  // TLS 1.3 tickets come after the handshake, and only one of the two clients
  // would read them (libssl reads them in SSL_read, which the benchmark never
  // calls): none, so both clients do the same work.
  if (cell.version == policy::ProtocolVersion::tls1_3 && SSL_CTX_set_num_tickets(ctx.get(), 0) != 1)
    return base::unexpected("SSL_CTX_set_num_tickets: " + openssl_errors());
  return ctx;
}

base::Expected<SslCtx, std::string> libssl_client_context(const Cell& cell,
                                                          const std::filesystem::path& ca_file) {
  SslCtx ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return base::unexpected("SSL_CTX_new: " + openssl_errors());
  if (auto pinned = pin(ctx.get(), cell, /*client=*/true); !pinned) return base::unexpected(pinned.error());
  if (SSL_CTX_load_verify_file(ctx.get(), ca_file.c_str()) != 1)
    return base::unexpected("cannot load " + ca_file.string() + ": " + openssl_errors());
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  return ctx;
}

base::Expected<Ssl, std::string> libssl_client(SSL_CTX* ctx) {
  Ssl ssl(SSL_new(ctx));
  if (!ssl) return base::unexpected("SSL_new: " + openssl_errors());
  // SSL_set_tlsext_host_name() spelled out: the macro's C cast trips -Wold-style-cast.
  char* sni = const_cast<char*>(kOriginName);
  if (SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, sni) != 1 ||
      SSL_set1_host(ssl.get(), kOriginName) != 1)
    return base::unexpected("SNI/host: " + openssl_errors());
  SSL_set_connect_state(ssl.get());
  return ssl;
}

}  // namespace edgefetch::bench
