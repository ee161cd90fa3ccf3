#pragma once
// The cells of the interop matrices, derived from edgefetch's profiles (and
// cross-checked against the reference tables by the harness tests).

#include <cstdint>
#include <string>
#include <vector>

#include "support/peer_server.hpp"

namespace edgefetch::support {

/// Every TLS 1.2 cell of the `cloudfront` and `CloudFront-Upstream` profiles:
/// each suite valid in TLS 1.2 (profile order), for ECDHE suites x every offered
/// group x every offered signature scheme of the suite's authentication (RSA or
/// ECDSA); RSA key exchange suites once (no group, no scheme).
std::vector<Cell> tls12_matrix_cells();

/// The profile whose offer the client uses for `suite`: "cloudfront" when it
/// offers the suite, else "CloudFront-Upstream".
std::string profile_for_suite(std::uint16_t suite);

/// The certificate a cell's server uses: RSA-2048 for RSA authentication, the
/// ECDSA key on the cell's curve for P-256/P-384 (P-256 for X25519).
Leaf leaf_for(std::uint16_t suite, std::uint16_t group);

/// Whether each peer can serve the cell.
bool peer_can_serve(PeerKind peer, const Cell& cell);

}  // namespace edgefetch::support
