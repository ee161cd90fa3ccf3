#pragma once
// ServerKeyExchange for ECDHE (RFC 8422 §5.4): ServerECDHParams (curve_type
// named_curve, group, point) and its signature, which in TLS 1.2 is preceded by
// the SignatureAndHashAlgorithm (RFC 5246 §7.4.1.4.1) and before TLS 1.2 is not.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

struct EcdheServerKeyExchange {
  std::uint16_t named_group = 0;
  std::vector<std::uint8_t> public_point;         // as sent (uncompressed point or X25519 u-coordinate)
  std::vector<std::uint8_t> signed_params;        // the ServerECDHParams bytes, input to the signature
  std::optional<std::uint16_t> signature_scheme;  // TLS 1.2 only
  std::vector<std::uint8_t> signature;
};

/// `with_signature_scheme`: true for TLS 1.2 (the signature starts with the scheme).
base::Expected<EcdheServerKeyExchange, Error> decode_ecdhe_server_key_exchange(
    std::span<const std::uint8_t> body, bool with_signature_scheme);

}  // namespace edgefetch::tls::messages
