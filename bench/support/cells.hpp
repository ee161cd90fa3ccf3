#pragma once
// One benchmark cell: a protocol version, one cipher suite, one group (for
// ECDHE) and the server's key. Both clients are pinned to exactly this cell, and
// so is the server (including the one signature scheme it may use), so the two
// clients do the same cryptographic work.

#include <string>
#include <string_view>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/tls/client.hpp"
#include "support/bench_pki.hpp"

namespace edgefetch::bench {

struct Cell {
  std::string_view name;  // short label used on the command line and in tables
  policy::ProtocolVersion version;
  std::string_view suite;  // OpenSSL name, e.g. "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"
  std::string_view group;  // "X25519", "P-256"; empty for RSA key exchange
  LeafKey leaf;
  /// The clients' groups in order when they differ from the server's one group
  /// ("P-256:X25519"); the clients send one key share, for the first. TLS 1.3
  /// with a server pinned to another group: a HelloRetryRequest. Empty: `group`.
  std::string_view client_groups = {};

  /// The one signature scheme the server may use ("RSA+SHA256" in OpenSSL's
  /// spelling; TLS 1.3: "rsa_pss_rsae_sha256" or "ECDSA+SHA256"); empty where the
  /// handshake carries no negotiated scheme.
  [[nodiscard]] std::string_view server_sigalgs() const;
  [[nodiscard]] std::string describe() const;  // "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 X25519 (RSA-2048 leaf)"
};

/// edgefetch's configuration for `cell`: the default profile (TLS 1.3 cells:
/// CloudFront-Upstream-TLS-1-3-2025, TLS 1.3 only) narrowed to the cell's
/// version as the floor, then restricted to the cell's suite and group (so the
/// one key share is the cell's group: no HelloRetryRequest), trusting only
/// `ca_file`, SNI and verified name origin.test.
base::Expected<tls::ClientConfig, std::string> edgefetch_config(const Cell& cell,
                                                                const std::filesystem::path& ca_file);

}  // namespace edgefetch::bench
