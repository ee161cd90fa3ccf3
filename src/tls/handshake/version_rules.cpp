#include "tls/handshake/version_rules.hpp"

#include <algorithm>

#include "tls/messages/message_error.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;

std::size_t VersionRules::verify_data_length() const {
  return version_ == policy::ProtocolVersion::ssl3 ? messages::kSsl3VerifyDataLength
                                                   : messages::kTlsVerifyDataLength;
}

std::uint8_t VersionRules::alert_to_send(std::uint8_t description) const {
  if (version_ != policy::ProtocolVersion::ssl3) return description;
  switch (description) {
    case ad::kCloseNotify:
    case ad::kUnexpectedMessage:
    case ad::kBadRecordMac:
    case ad::kHandshakeFailure:
    case ad::kNoCertificate:
    case ad::kBadCertificate:
    case ad::kUnsupportedCertificate:
    case ad::kCertificateExpired:
    case ad::kCertificateUnknown:
    case ad::kIllegalParameter:
    case 30:  // decompression_failure
    case 44:  // certificate_revoked
      return description;
    case ad::kUnknownCa:
      return ad::kBadCertificate;
    case ad::kDecodeError:
    case ad::kRecordOverflow:
      return ad::kIllegalParameter;
    default:
      // decrypt_error, protocol_version, insufficient_security, internal_error,
      // unsupported_extension, ...: the handshake failed.
      return ad::kHandshakeFailure;
  }
}

std::uint16_t client_hello_record_version(std::uint16_t client_hello_version) {
  return std::min<std::uint16_t>(client_hello_version, 0x0301);
}

}  // namespace edgefetch::tls::handshake
