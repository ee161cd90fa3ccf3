#pragma once
// The TLS 1.3 view of a ServerHello (RFC 8446 §4.1.3): supported_versions,
// key_share (server form, or the HelloRetryRequest form naming a group),
// cookie; HelloRetryRequest recognised by its special random; and the
// downgrade sentinels a TLS 1.3 server puts into a TLS 1.2-or-lower answer.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::tls13 {

namespace extension13 {
inline constexpr std::uint16_t kPreSharedKey = 41;
inline constexpr std::uint16_t kEarlyData = 42;
inline constexpr std::uint16_t kSupportedVersions = 43;
inline constexpr std::uint16_t kCookie = 44;
inline constexpr std::uint16_t kPskKeyExchangeModes = 45;
inline constexpr std::uint16_t kCertificateAuthorities = 47;
inline constexpr std::uint16_t kKeyShare = 51;
}  // namespace extension13

/// SHA-256("HelloRetryRequest"): the random of every HelloRetryRequest.
inline constexpr std::array<std::uint8_t, messages::kRandomLength> kHelloRetryRequestRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

enum class DowngradeSentinel { none, tls12, tls11_or_below };
/// The last 8 bytes of a ServerHello.random: "DOWNGRD" 01 (TLS 1.2) or 00 (TLS 1.1 and below).
DowngradeSentinel downgrade_sentinel(std::span<const std::uint8_t, messages::kRandomLength> random);

bool is_hello_retry_request(std::span<const std::uint8_t, messages::kRandomLength> random);

struct KeyShareEntry {
  std::uint16_t group = 0;
  std::vector<std::uint8_t> key_exchange;
};

struct ServerHello13 {
  std::uint16_t legacy_version = 0;
  std::array<std::uint8_t, messages::kRandomLength> random{};
  std::vector<std::uint8_t> legacy_session_id_echo;
  std::uint16_t cipher_suite = 0;
  std::uint8_t legacy_compression_method = 0;
  bool hello_retry_request = false;

  std::vector<std::uint16_t> extensions;  // in the order received, each at most once
  std::optional<std::uint16_t> selected_version;
  std::optional<KeyShareEntry> key_share;           // ServerHello
  std::optional<std::uint16_t> selected_group;      // HelloRetryRequest
  std::optional<std::vector<std::uint8_t>> cookie;  // HelloRetryRequest
};

/// The version a ServerHello body selects through supported_versions, or
/// std::nullopt when it has none (a TLS 1.2-or-lower answer). Malformed input
/// gives std::nullopt too: the full decoder reports it.
std::optional<std::uint16_t> peek_selected_version(std::span<const std::uint8_t> server_hello_body);

/// Decodes a ServerHello or HelloRetryRequest body for TLS 1.3: lengths,
/// duplicates, the extension bodies it understands (others are kept by type
/// for the caller's "only what we offered" check). Errors: decode_error.
base::Expected<ServerHello13, Error> decode_server_hello13(std::span<const std::uint8_t> body);

/// Client extension bodies (without type and length).
std::vector<std::uint8_t> encode_client_supported_versions(std::span<const std::uint16_t> versions);
std::vector<std::uint8_t> encode_client_key_share(std::span<const KeyShareEntry> shares);

}  // namespace edgefetch::tls::tls13
