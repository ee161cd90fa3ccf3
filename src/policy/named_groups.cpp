// The named-group catalogue (RFC 8422, RFC 7919, RFC 8446 code points). The
// policy's three curves come first; the rest are catalogued so that the
// checker can name what an origin asks for.

#include <algorithm>
#include <array>
#include <string_view>

#include "edgefetch/policy/named_group.hpp"

namespace edgefetch::policy {
namespace {

using namespace std::string_view_literals;

// Aliases: the canonical name, the SEC/IANA name, OpenSSL's and NIST's names,
// GnuTLS's priority-string name (as `gnutls-cli -l` prints it).
constexpr auto kP256Aliases =
    std::to_array({"P-256"sv, "secp256r1"sv, "prime256v1"sv, "NIST P-256"sv, "P256"sv, "GROUP-SECP256R1"sv});
constexpr auto kP384Aliases =
    std::to_array({"P-384"sv, "secp384r1"sv, "NIST P-384"sv, "P384"sv, "GROUP-SECP384R1"sv});
constexpr auto kP521Aliases =
    std::to_array({"P-521"sv, "secp521r1"sv, "NIST P-521"sv, "P521"sv, "GROUP-SECP521R1"sv});
constexpr auto kX25519Aliases = std::to_array({"X25519"sv, "x25519"sv, "curve25519"sv, "GROUP-X25519"sv});
constexpr auto kX448Aliases = std::to_array({"X448"sv, "x448"sv, "curve448"sv, "GROUP-X448"sv});
constexpr auto kFfdhe2048Aliases = std::to_array({"ffdhe2048"sv, "GROUP-FFDHE2048"sv});
constexpr auto kFfdhe3072Aliases = std::to_array({"ffdhe3072"sv, "GROUP-FFDHE3072"sv});
constexpr auto kFfdhe4096Aliases = std::to_array({"ffdhe4096"sv, "GROUP-FFDHE4096"sv});
constexpr auto kFfdhe6144Aliases = std::to_array({"ffdhe6144"sv, "GROUP-FFDHE6144"sv});
constexpr auto kFfdhe8192Aliases = std::to_array({"ffdhe8192"sv, "GROUP-FFDHE8192"sv});

constexpr bool kInPolicy = true;
constexpr bool kDiagnosisOnly = false;
constexpr bool kEcdh = true;
constexpr bool kFfdh = false;

// clang-format off
constexpr auto kNamedGroups = std::to_array<NamedGroup>({
  {kGroupSecp256r1, "P-256",     "secp256r1", kP256Aliases,      kInPolicy,      kEcdh},
  {kGroupX25519,    "X25519",    "x25519",    kX25519Aliases,    kInPolicy,      kEcdh},
  {kGroupSecp384r1, "P-384",     "secp384r1", kP384Aliases,      kInPolicy,      kEcdh},
  {kGroupSecp521r1, "P-521",     "secp521r1", kP521Aliases,      kDiagnosisOnly, kEcdh},
  {kGroupX448,      "X448",      "x448",      kX448Aliases,      kDiagnosisOnly, kEcdh},
  {256,             "ffdhe2048", "ffdhe2048", kFfdhe2048Aliases, kDiagnosisOnly, kFfdh},
  {257,             "ffdhe3072", "ffdhe3072", kFfdhe3072Aliases, kDiagnosisOnly, kFfdh},
  {258,             "ffdhe4096", "ffdhe4096", kFfdhe4096Aliases, kDiagnosisOnly, kFfdh},
  {259,             "ffdhe6144", "ffdhe6144", kFfdhe6144Aliases, kDiagnosisOnly, kFfdh},
  {260,             "ffdhe8192", "ffdhe8192", kFfdhe8192Aliases, kDiagnosisOnly, kFfdh},
});
// clang-format on

}  // namespace

std::span<const NamedGroup> all_named_groups() {
  return kNamedGroups;
}

const NamedGroup* named_group_by_code(std::uint16_t code) {
  const auto it = std::find_if(kNamedGroups.begin(), kNamedGroups.end(),
                               [code](const NamedGroup& g) { return g.code == code; });
  return it != kNamedGroups.end() ? &*it : nullptr;
}

}  // namespace edgefetch::policy
