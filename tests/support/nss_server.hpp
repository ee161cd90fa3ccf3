#pragma once
// NSS `selfserv` (Debian libnss3-tools), pinned to one cell: version range
// (-V), one suite (-c :XXXX) and the enabled groups (-I). Its identity lives in
// an NSS database built from the test PKI with certutil and pk12util (one
// database per certificate: NSS gives certificates with one subject one
// nickname, and the test leaves share their subject). selfserv has no
// listen-address option and binds every interface; tests only connect to
// 127.0.0.1.
//
// selfserv's HTTP page only echoes the request: what the server negotiated
// comes from its verbose log (-v), one pair of lines per connection:
//   selfserv: SSL version 3.0 using 128-bit RC4 with 128-bit MD5 MAC
//   selfserv: Server Auth: 2048-bit RSA, Key Exchange: 2048-bit RSA
// (version 3.1 is TLS 1.0; the ECDHE key size names the group: 256 P-256,
// 384 P-384, 255 X25519).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "support/peer_server.hpp"
#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::support {

struct NssServerOptions {
  Leaf leaf = Leaf::rsa2048;  // RSA leaves go to -n, EC leaves to -e
  policy::ProtocolVersion min_version = policy::ProtocolVersion::tls1_2;
  policy::ProtocolVersion max_version = policy::ProtocolVersion::tls1_2;
  std::vector<std::uint16_t> suites;  // IANA code points (-c :XXXX...)
  std::string groups;                 // -I list ("P256", "x25519,P256"); empty: NSS default

  /// The options pinning selfserv to `cell`; fails for what NSS cannot serve
  /// (see nss_can_serve).
  static base::Expected<NssServerOptions, std::string> for_cell(const Cell& cell);
};

/// Why selfserv cannot serve the cell; empty when it can.
///  - ECDHE suites in SSLv3: NSS follows RFC 4492 and refuses them (handshake_failure).
///  - The seed's ECDHE groups are fine otherwise; an ECDSA certificate is used only
///    when its curve is an enabled group, so X25519 cells with the P-256 leaf enable
///    P-256 as well and rely on NSS preferring the first group of -I (the group
///    actually negotiated is checked on both sides).
std::string nss_limitation(const Cell& cell);
inline bool nss_can_serve(const Cell& cell) {
  return nss_limitation(cell).empty();
}

class NssServer {
 public:
  static base::Expected<NssServer, std::string> start(const NssServerOptions& options);

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] bool running() { return child_.running(); }
  [[nodiscard]] std::string logs() const;

  /// What selfserv reported for the last connection it completed (from its
  /// log; `page` is only its echo of the request and is not used). Waits a
  /// bounded time for the log lines, which selfserv writes around its response.
  [[nodiscard]] ServerView parse_page(std::string_view page) const;

  /// Parses selfserv's verbose log (exposed for the parser test).
  static ServerView parse_log(std::string_view log);

 private:
  NssServer(ScratchDir dir, ChildProcess child, std::uint16_t port)
      : dir_(std::move(dir)), child_(std::move(child)), port_(port) {}
  ScratchDir dir_;
  ChildProcess child_;
  std::uint16_t port_;
};

/// An NSS database (sql:) holding `leaf` with its chain, built once per process.
base::Expected<std::filesystem::path, std::string> nss_database_for(Leaf leaf);

}  // namespace edgefetch::support
