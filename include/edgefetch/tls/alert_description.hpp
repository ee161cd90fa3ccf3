#pragma once
// TLS AlertDescription values (RFC 5246 §7.2, RFC 8446 §6, RFC 6066 §3) that
// the engine sends or that callers test for in a received alert. One list, so
// no layer writes an alert's number out by hand.

#include <cstdint>

namespace edgefetch::tls::alert_description {

inline constexpr std::uint8_t kCloseNotify = 0;
inline constexpr std::uint8_t kUnexpectedMessage = 10;
inline constexpr std::uint8_t kBadRecordMac = 20;
inline constexpr std::uint8_t kRecordOverflow = 22;
inline constexpr std::uint8_t kHandshakeFailure = 40;
inline constexpr std::uint8_t kNoCertificate = 41;  // SSLv3 only
inline constexpr std::uint8_t kBadCertificate = 42;
inline constexpr std::uint8_t kUnsupportedCertificate = 43;
inline constexpr std::uint8_t kCertificateExpired = 45;
inline constexpr std::uint8_t kCertificateUnknown = 46;
inline constexpr std::uint8_t kIllegalParameter = 47;
inline constexpr std::uint8_t kUnknownCa = 48;
inline constexpr std::uint8_t kAccessDenied = 49;
inline constexpr std::uint8_t kDecodeError = 50;
inline constexpr std::uint8_t kDecryptError = 51;
inline constexpr std::uint8_t kProtocolVersion = 70;
inline constexpr std::uint8_t kInsufficientSecurity = 71;
inline constexpr std::uint8_t kInternalError = 80;
inline constexpr std::uint8_t kUserCanceled = 90;
inline constexpr std::uint8_t kNoRenegotiation = 100;
inline constexpr std::uint8_t kUnsupportedExtension = 110;
inline constexpr std::uint8_t kUnrecognizedName = 112;     // RFC 6066 §3: no server for the SNI name
inline constexpr std::uint8_t kCertificateRequired = 116;  // TLS 1.3
inline constexpr std::uint8_t kNoApplicationProtocol = 120;

}  // namespace edgefetch::tls::alert_description
