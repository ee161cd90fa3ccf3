#pragma once
// Protocol versions the origin side can speak, with their wire codes and the
// names the CDN's OriginSslProtocols setting uses.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace edgefetch::policy {

enum class ProtocolVersion : std::uint16_t {
  ssl3 = 0x0300,
  tls1_0 = 0x0301,
  tls1_1 = 0x0302,
  tls1_2 = 0x0303,
  tls1_3 = 0x0304,
};

struct VersionInfo {
  ProtocolVersion version;
  std::string_view name;                 // "TLS 1.2", "SSL 3.0"
  std::string_view openssl_name;         // "TLSv1.2", "SSLv3" (as OpenSSL prints it)
  std::string_view origin_ssl_protocol;  // "TLSv1.2"; empty for TLS 1.3 (the API has no value)
};

/// All known versions, lowest first.
std::span<const VersionInfo> all_versions();
const VersionInfo& info(ProtocolVersion version);
std::optional<ProtocolVersion> version_from_wire(std::uint16_t code);
/// Accepts "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2" (case-insensitive) and the
/// other spellings of all_versions() ("TLS 1.2", "tls1_2", "1.2").
std::optional<ProtocolVersion> parse_version(std::string_view text);

/// "SSLv3-TLSv1.2", or "TLSv1.2" when lowest == highest (OpenSSL spellings).
std::string version_range_name(ProtocolVersion lowest, ProtocolVersion highest);

constexpr std::uint16_t wire(ProtocolVersion v) {
  return static_cast<std::uint16_t>(v);
}
constexpr bool operator<(ProtocolVersion a, ProtocolVersion b) {
  return wire(a) < wire(b);
}
constexpr bool operator<=(ProtocolVersion a, ProtocolVersion b) {
  return wire(a) <= wire(b);
}
constexpr bool operator>(ProtocolVersion a, ProtocolVersion b) {
  return wire(a) > wire(b);
}
constexpr bool operator>=(ProtocolVersion a, ProtocolVersion b) {
  return wire(a) >= wire(b);
}

}  // namespace edgefetch::policy
