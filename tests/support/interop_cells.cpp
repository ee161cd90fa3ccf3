#include "support/interop_cells.hpp"

#include <algorithm>

#include "edgefetch/policy/profile.hpp"
#include "support/bcjsse_server.hpp"
#include "support/gnutls_server.hpp"
#include "support/nss_server.hpp"
#include "support/openssl_server.hpp"
#include "support/peer_names.hpp"

namespace edgefetch::support {
namespace {

constexpr const char* kProfiles[] = {"cloudfront", "CloudFront-Upstream"};

bool profile_offers(const char* profile_name, std::uint16_t suite) {
  const policy::Profile* profile = policy::profile_by_name(profile_name);
  if (profile == nullptr) return false;
  return std::any_of(profile->cipher_suites.begin(), profile->cipher_suites.end(),
                     [&](const policy::CipherSuite* s) { return s->code == suite; });
}

}  // namespace

Leaf leaf_for(std::uint16_t suite, std::uint16_t group) {
  const PeerSuiteNames* names = peer_suite(suite);
  if (names == nullptr || !names->ecdsa) return Leaf::rsa2048;
  return group == policy::kGroupSecp384r1 ? Leaf::ecdsa_p384 : Leaf::ecdsa_p256;
}

std::string profile_for_suite(std::uint16_t suite) {
  for (const char* profile : kProfiles) {
    if (profile_offers(profile, suite)) return profile;
  }
  return "CloudFront-Upstream";
}

std::vector<Cell> tls12_matrix_cells() {
  std::vector<Cell> cells;
  std::vector<std::uint16_t> seen_suites;
  for (const char* profile_name : kProfiles) {
    const policy::Profile* profile = policy::profile_by_name(profile_name);
    if (profile == nullptr) continue;
    for (const policy::CipherSuite* suite : profile->cipher_suites) {
      if (!suite->valid_in(policy::ProtocolVersion::tls1_2)) continue;
      if (std::find(seen_suites.begin(), seen_suites.end(), suite->code) != seen_suites.end()) continue;
      seen_suites.push_back(suite->code);
      if (suite->key_exchange != policy::KeyExchange::ecdhe) {
        cells.push_back(Cell{policy::ProtocolVersion::tls1_2, suite->code, 0, 0, leaf_for(suite->code, 0)});
        continue;
      }
      const auto wanted = suite->authentication == policy::Authentication::ecdsa
                              ? policy::SignatureAlgorithm::ecdsa
                              : policy::SignatureAlgorithm::rsa_pkcs1;
      for (const policy::NamedGroup* group : profile->groups) {
        for (const policy::SignatureScheme* scheme : profile->signature_schemes) {
          if (scheme->algorithm != wanted) continue;
          cells.push_back(Cell{policy::ProtocolVersion::tls1_2, suite->code, group->code, scheme->code,
                               leaf_for(suite->code, group->code)});
        }
      }
    }
  }
  return cells;
}

bool peer_can_serve(PeerKind peer, const Cell& cell) {
  switch (peer) {
    case PeerKind::openssl:
      return openssl_can_serve(cell.suite) && !openssl_version_flag(cell.version).empty();
    case PeerKind::gnutls:
      return gnutls_can_serve(cell);
    case PeerKind::jsse: {
      // JSSE has no ecdsa_sha512 with a P-256/P-384 key in TLS 1.2 (tls-peers.md).
      const PeerSuiteNames* suite = peer_suite(cell.suite);
      return suite != nullptr && cell.scheme != 0x0603;
    }
    case PeerKind::nss:
      return nss_can_serve(cell);
    case PeerKind::bcjsse:
      return bcjsse_can_serve(cell);
  }
  return false;
}

}  // namespace edgefetch::support
