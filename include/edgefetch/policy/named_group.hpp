#pragma once
// Named groups (supported_groups code points). The policy offers P-256, X25519
// and P-384; the others are catalogued so the checker can name what an origin uses.

#include <cstdint>
#include <span>
#include <string_view>

namespace edgefetch::policy {

struct NamedGroup {
  std::uint16_t code;                         // 23 = secp256r1
  std::string_view name;                      // canonical: "P-256", "P-384", "X25519"
  std::string_view iana_name;                 // "secp256r1", "x25519"
  std::span<const std::string_view> aliases;  // "prime256v1", "secp256r1", "P-256", ...
  bool in_policy;                             // offered by the CDN (seed's three curves)
  bool is_ecdh;                               // false for FFDHE
};

inline constexpr std::uint16_t kGroupSecp256r1 = 23;
inline constexpr std::uint16_t kGroupSecp384r1 = 24;
inline constexpr std::uint16_t kGroupSecp521r1 = 25;
inline constexpr std::uint16_t kGroupX25519 = 29;
inline constexpr std::uint16_t kGroupX448 = 30;

std::span<const NamedGroup> all_named_groups();
const NamedGroup* named_group_by_code(std::uint16_t code);

}  // namespace edgefetch::policy
