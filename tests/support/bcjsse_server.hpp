#pragma once
// The Java server of jsse_server.hpp on BouncyCastle's JSSE provider (BCJSSE
// 1.72, Debian libbctls-java + libbcprov-java + libbcutil-java):
// tests/support/java/BcJsseServer.java puts BC ahead of SunJSSE and runs
// JsseServer, so the page format and the listener model are JsseServer's. One
// JVM serves several listeners; the groups are JVM-wide (jdk.tls.namedGroups,
// which BCJSSE honours), so they are per server.
//
// What it adds to the matrix: SSLv3 with RSA key exchange (it reads the SSLv3
// ClientKeyExchange without a length prefix, RFC 6101 §5.6.7, whatever version
// the ClientHello offered; SunJSSE 17 does not), 3DES, and ECDHE suites in
// SSLv3 with every group including X25519 next to an ECDSA P-256 certificate.
// It has no RC4.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/jsse_server.hpp"
#include "support/peer_server.hpp"
#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::support {

struct BcJsseServerOptions {
  std::vector<LeafFiles> identities;    // BCJSSE picks the one that fits the suite (RSA or EC)
  std::vector<JsseListener> listeners;  // suites in BCJSSE spelling (bcjsse_suite_name)
  std::string named_groups;             // jdk.tls.namedGroups; empty: the provider's default

  /// One listener per cell; the cells must agree on the group (JVM-wide). The
  /// identities are the RSA leaf and the ECDSA leaf of the cells' curve.
  static base::Expected<BcJsseServerOptions, std::string> for_cells(const std::vector<Cell>& cells);
};

/// Why BCJSSE cannot serve the cell; empty when it can.
std::string bcjsse_limitation(const Cell& cell);
inline bool bcjsse_can_serve(const Cell& cell) {
  return bcjsse_limitation(cell).empty();
}

/// BCJSSE's name of a suite: the JSSE name with "TLS_" for SunJSSE's "SSL_".
std::string bcjsse_suite_name(std::uint16_t suite);

class BcJsseServer {
 public:
  static base::Expected<BcJsseServer, std::string> start(const BcJsseServerOptions& options);

  [[nodiscard]] std::uint16_t port(std::size_t index = 0) const { return ports_.at(index); }
  [[nodiscard]] std::size_t listener_count() const { return ports_.size(); }
  /// "BCJSSE 1.72": the provider the server's SSLContext came from.
  [[nodiscard]] const std::string& provider() const { return provider_; }
  [[nodiscard]] bool running() { return child_.running(); }
  [[nodiscard]] std::string logs() const;

  static ServerView parse_page(std::string_view page) { return JsseServer::parse_page(page); }

 private:
  BcJsseServer(ScratchDir dir, ChildProcess child, std::vector<std::uint16_t> ports, std::string provider)
      : dir_(std::move(dir)),
        child_(std::move(child)),
        ports_(std::move(ports)),
        provider_(std::move(provider)) {}
  ScratchDir dir_;
  ChildProcess child_;
  std::vector<std::uint16_t> ports_;
  std::string provider_;
};

/// The BouncyCastle jars the server needs, as a class path ("a.jar:b.jar:c.jar").
base::Expected<std::string, std::string> bouncycastle_class_path();

}  // namespace edgefetch::support
