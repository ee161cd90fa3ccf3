#pragma once
// `gnutls-serv --http`, pinned to one cell by a priority string built from
// NONE. gnutls-serv has no listen-address option and binds every interface;
// tests only ever connect to 127.0.0.1. Its page names the negotiated protocol,
// suite, group and server signature: that is what the server saw.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/peer_server.hpp"
#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::support {

struct GnuTlsServerOptions {
  std::string priority;  // complete priority string, e.g. "NONE:+VERS-TLS1.2:+ECDHE-RSA:..."
  LeafFiles identity;    // --x509certfile (the chain file), --x509keyfile
  bool request_client_certificate = false;
  std::vector<std::string> extra_args;

  /// The priority that pins gnutls-serv to `cell`. Fails for what GnuTLS cannot do
  /// (SSLv3, SHA-224 signature schemes).
  static base::Expected<GnuTlsServerOptions, std::string> for_cell(const Cell& cell);
};

class GnuTlsServer {
 public:
  /// Validates the priority string with `gnutls-cli -l` first (gnutls-serv itself
  /// only complains when a client connects), then starts the server.
  static base::Expected<GnuTlsServer, std::string> start(GnuTlsServerOptions options);

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] bool running() { return child_.running(); }
  [[nodiscard]] std::string logs() const;

  static ServerView parse_page(std::string_view page);

 private:
  GnuTlsServer(ScratchDir dir, ChildProcess child, std::uint16_t port)
      : dir_(std::move(dir)), child_(std::move(child)), port_(port) {}
  ScratchDir dir_;
  ChildProcess child_;
  std::uint16_t port_;
};

/// The priority string pinning exactly one suite, group and scheme.
base::Expected<std::string, std::string> gnutls_priority_for(const Cell& cell);

/// True when gnutls-serv can serve the cell (no SSLv3, no SHA-224 schemes).
bool gnutls_can_serve(const Cell& cell);

}  // namespace edgefetch::support
