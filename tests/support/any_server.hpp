#pragma once
// Any of the peer servers, started for one cell, behind one interface; and the
// comparison of a client's and the server's view with the cell.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/bcjsse_server.hpp"
#include "support/gnutls_server.hpp"
#include "support/jsse_server.hpp"
#include "support/negotiated_summary.hpp"
#include "support/nss_server.hpp"
#include "support/openssl_server.hpp"
#include "support/peer_server.hpp"

namespace edgefetch::support {

class AnyServer {
 public:
  /// Starts `peer` pinned to `cell` (one JVM for a JSSE or BCJSSE cell: use
  /// JsseServer / BcJsseServer directly to serve many cells from one JVM).
  static base::Expected<AnyServer, std::string> start(PeerKind peer, const Cell& cell);

  explicit AnyServer(OpenSslServer server) : server_(std::move(server)) {}
  explicit AnyServer(GnuTlsServer server) : server_(std::move(server)) {}
  explicit AnyServer(JsseServer server) : server_(std::move(server)) {}
  explicit AnyServer(NssServer server) : server_(std::move(server)) {}
  explicit AnyServer(BcJsseServer server) : server_(std::move(server)) {}

  [[nodiscard]] PeerKind kind() const;
  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::string logs() const;
  /// What the server says it negotiated, from its HTTP response body.
  [[nodiscard]] ServerView parse_page(std::string_view page) const;

 private:
  std::variant<OpenSslServer, GnuTlsServer, JsseServer, NssServer, BcJsseServer> server_;
};

/// Differences between the cell and what a client negotiated (empty: none).
std::vector<std::string> client_mismatches(const Cell& cell, const NegotiatedSummary& client);
/// Differences between the cell and what the server reported (fields the
/// server does not report are not compared; version and suite must be reported).
std::vector<std::string> server_mismatches(const Cell& cell, const ServerView& server);
/// "a; b; c"
std::string join_lines(const std::vector<std::string>& lines);

}  // namespace edgefetch::support
