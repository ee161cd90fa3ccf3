// The named profiles. Each is an ordered offer, as s2n's security policies are:
// reference/cloudfront-origin-facts.md Appendix A.1 (suites), A.3 (curves),
// A.4 (signature schemes) and Appendix B (the ClientHello actually sent).
// The 2025 policies (s2n PR #5460: TLS 1.3 first, AES-128 before AES-256,
// RSA-PSS) follow facts §3.2 and Appendix A.2 / A.3 / A.4.

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "edgefetch/policy/profile.hpp"
#include "policy/text.hpp"

namespace edgefetch::policy {
namespace {

// s2n's cipher_suites_cloudfront_upstream (Appendix A.1), the order all four
// legacy CloudFront-Upstream policies share.
constexpr auto kCloudFrontUpstreamSuites = std::to_array<std::uint16_t>({
    0xC02C, 0xC030, 0xC02B, 0xC02F, 0xC024, 0xC028, 0xC00A, 0xC014, 0xC023, 0xC027,
    0xC009, 0xC013, 0x009D, 0x009C, 0x0035, 0x003C, 0x002F, 0x000A, 0x0004,
});

// The seed's 16 documented suites in the CDN client's order (Appendix B): the
// list above without 0x009D, 0x009C and 0x003C.
constexpr auto kDocumentedSuites = std::to_array<std::uint16_t>({
    0xC02C,
    0xC030,
    0xC02B,
    0xC02F,
    0xC024,
    0xC028,
    0xC00A,
    0xC014,
    0xC023,
    0xC027,
    0xC009,
    0xC013,
    0x0035,
    0x002F,
    0x000A,
    0x0004,
});

// s2n_ecc_preferences_20230623 (Appendix A.3): P-256, X25519, P-384.
constexpr auto kUpstreamGroups =
    std::to_array<std::uint16_t>({kGroupSecp256r1, kGroupX25519, kGroupSecp384r1});

// s2n_signature_preferences_20140601 (Appendix A.4) = the seed's list, same order.
constexpr auto kSeedSignatureSchemes = std::to_array<std::uint16_t>({
    0x0401,
    0x0501,
    0x0601,
    0x0301,
    0x0403,
    0x0503,
    0x0603,
    0x0303,
    0x0201,
    0x0203,
});

// cipher_suites_cloudfront_upstream_2025_08_08 (Appendix A.2): the three TLS 1.3
// suites, then the legacy 19 reordered.
constexpr auto kUpstream2025Suites = std::to_array<std::uint16_t>({
    0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xC023, 0xC027, 0xC024, 0xC028,
    0xC009, 0xC013, 0xC00A, 0xC014, 0x009C, 0x009D, 0x003C, 0x002F, 0x0035, 0x000A, 0x0004,
});

// cipher_suites_cloudfront_upstream_2025_08_08_tls13: -TLS-1-3-2025 offers only these.
constexpr auto kUpstream2025Tls13Suites = std::to_array<std::uint16_t>({0x1301, 0x1302, 0x1303});

// s2n_signature_preferences_20250820 (Appendix A.4): ECDSA first, then RSA-PSS
// (pss before rsae), then PKCS#1, then the SHA-1 schemes.
constexpr auto kSignatureSchemes20250820 = std::to_array<std::uint16_t>({
    0x0403,
    0x0503,
    0x0603,
    0x0303,
    0x0809,
    0x080A,
    0x080B,
    0x0804,
    0x0805,
    0x0806,
    0x0401,
    0x0501,
    0x0601,
    0x0301,
    0x0201,
    0x0203,
});

template <class T, std::size_t N>
std::vector<const T*> resolve(const std::array<std::uint16_t, N>& codes, const T* (*by_code)(std::uint16_t)) {
  std::vector<const T*> out;
  out.reserve(N);
  for (const std::uint16_t code : codes) {
    const T* entry = by_code(code);
    assert(entry != nullptr && "profile lists a code point the catalogue lacks");
    if (entry != nullptr) {
      out.push_back(entry);
    }
  }
  return out;
}

Profile upstream_profile(std::string_view name, std::string_view description, ProtocolVersion min_version) {
  return Profile{
      .name = name,
      .description = description,
      .min_version = min_version,
      .max_version = ProtocolVersion::tls1_2,
      .cipher_suites = resolve(kCloudFrontUpstreamSuites, &cipher_suite_by_code),
      .groups = resolve(kUpstreamGroups, &named_group_by_code),
      .signature_schemes = resolve(kSeedSignatureSchemes, &signature_scheme_by_code),
      .aliases = {},
  };
}

template <std::size_t N>
Profile upstream_2025_profile(std::string_view name, std::string_view description,
                              ProtocolVersion min_version, const std::array<std::uint16_t, N>& suites) {
  return Profile{
      .name = name,
      .description = description,
      .min_version = min_version,
      .max_version = ProtocolVersion::tls1_3,
      .cipher_suites = resolve(suites, &cipher_suite_by_code),
      .groups = resolve(kUpstreamGroups, &named_group_by_code),
      .signature_schemes = resolve(kSignatureSchemes20250820, &signature_scheme_by_code),
      .aliases = {},
  };
}

std::vector<Profile> build_profiles() {
  std::vector<Profile> profiles;
  profiles.push_back(Profile{
      .name = kDefaultProfileName,
      .description =
          "The documented policy: the 16 suites of the published tables, in the CDN client's order",
      .min_version = ProtocolVersion::ssl3,
      .max_version = ProtocolVersion::tls1_2,
      .cipher_suites = resolve(kDocumentedSuites, &cipher_suite_by_code),
      .groups = resolve(kUpstreamGroups, &named_group_by_code),
      .signature_schemes = resolve(kSeedSignatureSchemes, &signature_scheme_by_code),
      .aliases = {"default", "documented"},
  });
  // The four legacy s2n policies share one offer; only the minimum version,
  // enforced when the ServerHello arrives, differs (Appendix B).
  profiles.push_back(upstream_profile("CloudFront-Upstream",
                                      "s2n's policy: the documented 16 plus 0x009D, 0x009C, 0x003C",
                                      ProtocolVersion::ssl3));
  profiles.push_back(upstream_profile("CloudFront-Upstream-TLS-1-0",
                                      "s2n's policy: same offer, refuses SSLv3", ProtocolVersion::tls1_0));
  profiles.push_back(upstream_profile("CloudFront-Upstream-TLS-1-1",
                                      "s2n's policy: same offer, refuses versions below TLSv1.1",
                                      ProtocolVersion::tls1_1));
  profiles.push_back(upstream_profile("CloudFront-Upstream-TLS-1-2",
                                      "s2n's policy: same offer, refuses versions below TLSv1.2",
                                      ProtocolVersion::tls1_2));
  // The 2025 policies: one offer (TLS 1.3 to SSLv3) for the first four, the
  // minimum enforced on the ServerHello; -TLS-1-3-2025 offers TLS 1.3 only.
  profiles.push_back(upstream_2025_profile(
      "CloudFront-Upstream-2025", "s2n's 2025 policy: TLS 1.3 first, the 19 reordered, RSA-PSS signatures",
      ProtocolVersion::ssl3, kUpstream2025Suites));
  profiles.back().aliases = {"cloudfront-2025"};
  profiles.push_back(upstream_2025_profile("CloudFront-Upstream-TLS-1-0-2025",
                                           "s2n's 2025 policy: same offer, refuses SSLv3",
                                           ProtocolVersion::tls1_0, kUpstream2025Suites));
  profiles.push_back(upstream_2025_profile("CloudFront-Upstream-TLS-1-1-2025",
                                           "s2n's 2025 policy: same offer, refuses versions below TLSv1.1",
                                           ProtocolVersion::tls1_1, kUpstream2025Suites));
  profiles.push_back(upstream_2025_profile("CloudFront-Upstream-TLS-1-2-2025",
                                           "s2n's 2025 policy: same offer, refuses versions below TLSv1.2",
                                           ProtocolVersion::tls1_2, kUpstream2025Suites));
  profiles.push_back(upstream_2025_profile("CloudFront-Upstream-TLS-1-3-2025",
                                           "s2n's 2025 policy: TLS 1.3 only, its three suites",
                                           ProtocolVersion::tls1_3, kUpstream2025Tls13Suites));
  return profiles;
}

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> table = build_profiles();
  return table;
}

}  // namespace

std::vector<ProtocolVersion> Profile::versions() const {
  std::vector<ProtocolVersion> out;
  for (const VersionInfo& v : all_versions()) {
    if (min_version <= v.version && v.version <= max_version) {
      out.push_back(v.version);
    }
  }
  return out;
}

std::span<const Profile> all_profiles() {
  return profiles();
}

const Profile* profile_by_name(std::string_view name) {
  name = detail::trim_whitespace(name);
  for (const Profile& p : profiles()) {
    if (detail::iequals(p.name, name) ||
        std::any_of(p.aliases.begin(), p.aliases.end(),
                    [name](std::string_view alias) { return detail::iequals(alias, name); })) {
      return &p;
    }
  }
  return nullptr;
}

const Profile& default_profile() {
  const Profile* p = profile_by_name(kDefaultProfileName);
  assert(p != nullptr);
  return *p;
}

}  // namespace edgefetch::policy
