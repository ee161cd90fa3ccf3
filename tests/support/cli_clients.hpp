#pragma once
// Independent command-line TLS clients (gnutls-cli, NSS tstclnt) for checking
// servers in cells that the libssl reference client cannot speak (SSLv3,
// 3DES, RC4). Each sends kDefaultRequest and returns what it printed.

#include <chrono>
#include <cstdint>
#include <string>

#include "support/peer_server.hpp"

namespace edgefetch::support {

struct CliClientResult {
  bool finished = false;  // exited before the timeout
  int exit_code = -1;
  std::string output;  // stdout, then stderr

  /// The HTTP response body inside the output ("" when there is no response).
  [[nodiscard]] std::string body() const;
};

/// gnutls-cli pinned to `cell` (the same priority string the server side uses).
CliClientResult fetch_with_gnutls_cli(std::uint16_t port, const Cell& cell,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// NSS tstclnt pinned to the cell's version and suite (certificate checks off:
/// this client checks the server's pin, not its certificate).
CliClientResult fetch_with_tstclnt(std::uint16_t port, const Cell& cell,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The same, but offering every version from the cell's up to `highest` (the
/// server pinned to the cell then chooses the cell's version).
CliClientResult fetch_with_tstclnt_offering(std::uint16_t port, const Cell& cell,
                                            policy::ProtocolVersion highest,
                                            std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace edgefetch::support
