#pragma once
// CertificateRequest (RFC 5246 §7.4.4; before TLS 1.2 without the
// supported_signature_algorithms list). The client answers with an empty
// Certificate, so the content is only decoded for validation and reporting.

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

struct CertificateRequest {
  std::vector<std::uint8_t> certificate_types;
  std::vector<std::uint16_t> signature_schemes;        // TLS 1.2 only
  std::vector<std::vector<std::uint8_t>> authorities;  // DER DistinguishedNames
};

/// `with_signature_schemes`: true for TLS 1.2.
base::Expected<CertificateRequest, Error> decode_certificate_request(std::span<const std::uint8_t> body,
                                                                     bool with_signature_schemes);

}  // namespace edgefetch::tls::messages
