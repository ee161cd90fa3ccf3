#pragma once
// RAII for the libssl objects the benchmarks use, and the reference client and
// in-process server contexts pinned to one Cell.

#include <openssl/ssl.h>

#include <filesystem>
#include <memory>
#include <string>

#include "edgefetch/base/expected.hpp"
#include "support/bench_pki.hpp"
#include "support/cells.hpp"

namespace edgefetch::bench {

struct SslCtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};
struct SslSessionFree {
  void operator()(SSL_SESSION* p) const { SSL_SESSION_free(p); }
};
using SslCtx = std::unique_ptr<SSL_CTX, SslCtxFree>;
using Ssl = std::unique_ptr<SSL, SslFree>;
using SslSession = std::unique_ptr<SSL_SESSION, SslSessionFree>;

/// Drains libssl's error queue into one line.
std::string openssl_errors();

/// A libssl server pinned to the cell (version, suite, group, signature scheme),
/// serving the cell's leaf with its intermediate. No server-side session cache
/// (tickets still let a libssl client resume).
base::Expected<SslCtx, std::string> libssl_server_context(const Cell& cell, const BenchPki& pki);

/// The libssl reference client pinned to the cell, verifying the chain against
/// `ca_file` (SSL_VERIFY_PEER; each SSL also checks the host name origin.test).
base::Expected<SslCtx, std::string> libssl_client_context(const Cell& cell,
                                                          const std::filesystem::path& ca_file);

/// A client SSL for origin.test from `ctx`: SNI and host-name verification set.
base::Expected<Ssl, std::string> libssl_client(SSL_CTX* ctx);

}  // namespace edgefetch::bench
