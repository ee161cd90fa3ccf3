#pragma once
// Everything in the client handshake that differs between SSLv3, TLS 1.0,
// TLS 1.1 and TLS 1.2, in one place. The state machine asks these questions
// instead of comparing versions itself, so adding or adjusting a version
// touches this file only.

#include <cstddef>
#include <cstdint>

#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::tls::handshake {

class VersionRules {
 public:
  explicit VersionRules(policy::ProtocolVersion version) : version_(version) {}

  [[nodiscard]] policy::ProtocolVersion version() const { return version_; }
  [[nodiscard]] std::uint16_t wire() const { return policy::wire(version_); }

  /// TLS 1.2 signatures name their scheme (RFC 5246 §4.7); earlier ones are
  /// MD5+SHA-1 (RSA) or SHA-1 (ECDSA) with no scheme field.
  [[nodiscard]] bool signatures_name_scheme() const { return version_ >= policy::ProtocolVersion::tls1_2; }
  /// CertificateRequest carries supported_signature_algorithms from TLS 1.2 on.
  [[nodiscard]] bool certificate_request_has_schemes() const { return signatures_name_scheme(); }
  /// SSLv3 sends the RSA-encrypted premaster without the u16 length (RFC 6101 §5.6.7.1).
  [[nodiscard]] bool rsa_premaster_length_prefixed() const {
    return version_ != policy::ProtocolVersion::ssl3;
  }
  /// verify_data length: 12 (TLS), 36 (SSLv3).
  [[nodiscard]] std::size_t verify_data_length() const;
  /// RFC 7627 is defined for TLS only; an SSLv3 session never uses EMS.
  [[nodiscard]] bool supports_extended_master_secret() const {
    return version_ != policy::ProtocolVersion::ssl3;
  }
  /// An SSLv3 client without a certificate answers a CertificateRequest with a
  /// no_certificate warning alert (RFC 6101 §5.6.6, §5.4.2); TLS sends an
  /// empty Certificate message (RFC 5246 §7.4.6).
  [[nodiscard]] bool answers_certificate_request_with_alert() const {
    return version_ == policy::ProtocolVersion::ssl3;
  }
  /// The alert description to send for `description` in this version: SSLv3's
  /// alert set (RFC 6101 §5.4.2) lacks the TLS additions, which map to the
  /// nearest SSLv3 alert.
  [[nodiscard]] std::uint8_t alert_to_send(std::uint8_t description) const;

 private:
  policy::ProtocolVersion version_;
};

/// The record-layer version of the ClientHello's record: 0x0301 (what s2n and
/// most clients send, Appendix B), or 0x0300 when SSLv3 is the highest version
/// offered, so SSLv3-only servers see nothing newer than they know.
std::uint16_t client_hello_record_version(std::uint16_t client_hello_version);

}  // namespace edgefetch::tls::handshake
