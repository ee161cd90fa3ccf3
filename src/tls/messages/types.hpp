#pragma once
// Wire code points of the handshake protocol (RFC 5246, RFC 6101) and the
// extension types edgefetch sends or understands. Record content types are in
// tls/record/record.hpp.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace edgefetch::tls::messages {

enum class HandshakeType : std::uint8_t {
  hello_request = 0,
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  certificate = 11,
  server_key_exchange = 12,
  certificate_request = 13,
  server_hello_done = 14,
  certificate_verify = 15,
  client_key_exchange = 16,
  finished = 20,
};

/// "ServerHello", ...; "handshake(NN)" style names are built by the caller for unknown values.
std::string_view handshake_type_name(std::uint8_t type);

namespace extension {
inline constexpr std::uint16_t kServerName = 0;
inline constexpr std::uint16_t kStatusRequest = 5;
inline constexpr std::uint16_t kSupportedGroups = 10;
inline constexpr std::uint16_t kEcPointFormats = 11;
inline constexpr std::uint16_t kSignatureAlgorithms = 13;
inline constexpr std::uint16_t kAlpn = 16;
inline constexpr std::uint16_t kEncryptThenMac = 22;
inline constexpr std::uint16_t kExtendedMasterSecret = 23;
inline constexpr std::uint16_t kSessionTicket = 35;
inline constexpr std::uint16_t kSupportedVersions = 43;
inline constexpr std::uint16_t kKeyShare = 51;
inline constexpr std::uint16_t kRenegotiationInfo = 0xFF01;
}  // namespace extension

/// "server_name", "extended_master_secret", ...; "extension(0xNNNN)" for others.
std::string extension_name(std::uint16_t type);

inline constexpr std::uint8_t kEcPointFormatUncompressed = 0;
inline constexpr std::uint8_t kCompressionNull = 0;
inline constexpr std::uint8_t kCurveTypeNamedCurve = 3;

/// Lengths of the random values and of the Finished verify_data.
inline constexpr std::size_t kRandomLength = 32;
inline constexpr std::size_t kMaxSessionIdLength = 32;
inline constexpr std::size_t kTlsVerifyDataLength = 12;
inline constexpr std::size_t kSsl3VerifyDataLength = 36;  // MD5 (16) + SHA-1 (20)

}  // namespace edgefetch::tls::messages
