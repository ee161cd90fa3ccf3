#pragma once
// Named origin profiles (ordered offers, as s2n's security policies) and the
// narrowing by an OriginSslProtocols selection into the exact ClientHello offer.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::policy {

struct Profile {
  std::string_view name;  // "cloudfront", "CloudFront-Upstream"
  std::string_view description;
  ProtocolVersion min_version;
  ProtocolVersion max_version;
  std::vector<const CipherSuite*> cipher_suites;  // client preference order
  std::vector<const NamedGroup*> groups;          // client preference order
  std::vector<const SignatureScheme*> signature_schemes;
  /// Other names profile_by_name() accepts (e.g. "default").
  std::vector<std::string_view> aliases = {};

  /// Every version from min_version to max_version, lowest first.
  [[nodiscard]] std::vector<ProtocolVersion> versions() const;
};

/// The default profile: the seed's 16 suites in the CDN client's order.
inline constexpr std::string_view kDefaultProfileName = "cloudfront";

std::span<const Profile> all_profiles();
/// Case-insensitive; aliases allowed.
const Profile* profile_by_name(std::string_view name);
const Profile& default_profile();

/// The exact offer a ClientHello carries: the profile narrowed by an
/// OriginSslProtocols selection.
///  - floor (min_version): the lowest selected version, but never below the
///    profile's own minimum (a selection wholly below it gives the profile's
///    minimum) and never above its maximum. An empty selection leaves the
///    profile's minimum. The floor is enforced on the ServerHello only: as in
///    s2n, the ClientHello does not change with it.
///  - ceiling (max_version): always the profile's maximum (the CDN always offers
///    the newest version its client supports).
///  - a selection with gaps (SSLv3 + TLSv1.2) is treated as its floor, i.e. as
///    if every version between floor and ceiling was selected;
///    selection_had_gaps records that it happened.
///  - suites whose lowest version is above the ceiling are dropped; groups and
///    signature schemes are offered as the profile lists them.
struct Offer {
  const Profile* profile = nullptr;
  ProtocolVersion min_version = ProtocolVersion::tls1_2;
  ProtocolVersion max_version = ProtocolVersion::tls1_2;
  std::vector<const CipherSuite*> cipher_suites;
  std::vector<const NamedGroup*> groups;
  std::vector<const SignatureScheme*> signature_schemes;
  /// Set when the selection had gaps (e.g. SSLv3 + TLSv1.2): it is treated as its floor.
  bool selection_had_gaps = false;

  [[nodiscard]] bool allows(ProtocolVersion v) const { return min_version <= v && v <= max_version; }
  [[nodiscard]] bool offers_suite(std::uint16_t code) const;
  [[nodiscard]] bool offers_group(std::uint16_t code) const;
  [[nodiscard]] bool offers_signature_scheme(std::uint16_t code) const;
  /// Whether TLS_EMPTY_RENEGOTIATION_INFO_SCSV follows the suites: only when a
  /// suite below TLS 1.3 is offered, as s2n does (a TLS 1.3-only hello has none).
  [[nodiscard]] bool sends_renegotiation_scsv() const;
};

/// Parses "TLSv1.2,TLSv1.1" (comma or space separated, case-insensitive).
/// Error: a message naming the bad item and the valid values.
base::Expected<std::vector<ProtocolVersion>, std::string> parse_origin_ssl_protocols(std::string_view text);

Offer narrow(const Profile& profile, std::span<const ProtocolVersion> origin_ssl_protocols);

}  // namespace edgefetch::policy
