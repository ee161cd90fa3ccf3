#include "tls/messages/certificate_request.hpp"

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

base::Expected<CertificateRequest, Error> decode_certificate_request(std::span<const std::uint8_t> body,
                                                                     bool with_signature_schemes) {
  codec::ByteReader r(body);
  CertificateRequest out;
  std::span<const std::uint8_t> types;
  if (!r.read_u8_prefixed_bytes(types) || types.empty()) {
    return base::unexpected(malformed("CertificateRequest certificate_types is empty or truncated"));
  }
  out.certificate_types.assign(types.begin(), types.end());

  if (with_signature_schemes) {
    codec::ByteReader schemes;
    if (!r.read_u16_prefixed(schemes) || schemes.empty() || schemes.remaining() % 2 != 0) {
      return base::unexpected(malformed("CertificateRequest supported_signature_algorithms is malformed"));
    }
    while (!schemes.empty()) {
      std::uint16_t scheme = 0;
      if (!schemes.read_u16(scheme)) {
        return base::unexpected(malformed("CertificateRequest scheme truncated"));
      }
      out.signature_schemes.push_back(scheme);
    }
  }

  codec::ByteReader authorities;
  if (!r.read_u16_prefixed(authorities) || !r.empty()) {
    return base::unexpected(malformed("CertificateRequest certificate_authorities is malformed"));
  }
  while (!authorities.empty()) {
    std::span<const std::uint8_t> name;
    if (!authorities.read_u16_prefixed_bytes(name) || name.empty()) {
      return base::unexpected(malformed("CertificateRequest holds a truncated or empty DistinguishedName"));
    }
    out.authorities.emplace_back(name.begin(), name.end());
  }
  return out;
}

}  // namespace edgefetch::tls::messages
