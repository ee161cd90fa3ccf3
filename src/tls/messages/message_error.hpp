#pragma once
// Errors raised while decoding or checking a handshake message. Each carries the
// alert the client sends for it (RFC 5246 §7.2.2) so the state machine does not
// have to re-derive it.

#include <cstdint>
#include <string>
#include <utility>

#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

namespace alert_description {
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
inline constexpr std::uint8_t kCertificateRequired = 116;  // TLS 1.3
inline constexpr std::uint8_t kNoApplicationProtocol = 120;
}  // namespace alert_description

/// An error the client answers with `alert`.
inline Error client_error(ErrorCode code, std::uint8_t alert, std::string message) {
  return Error{code, AlertSender::client, alert, std::move(message)};
}

/// Malformed message: decode_error / decode_error alert.
inline Error malformed(std::string message) {
  return client_error(ErrorCode::decode_error, alert_description::kDecodeError, std::move(message));
}

/// Well-formed but illegal value: protocol_violation / illegal_parameter alert.
inline Error illegal_parameter(std::string message) {
  return client_error(ErrorCode::protocol_violation, alert_description::kIllegalParameter,
                      std::move(message));
}

}  // namespace edgefetch::tls::messages
