#include "tls/messages/server_key_exchange.hpp"

#include <string>

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::messages {

base::Expected<EcdheServerKeyExchange, Error> decode_ecdhe_server_key_exchange(
    std::span<const std::uint8_t> body, bool with_signature_scheme) {
  codec::ByteReader r(body);
  EcdheServerKeyExchange out;
  std::uint8_t curve_type = 0;
  if (!r.read_u8(curve_type)) return base::unexpected(malformed("ServerKeyExchange is empty"));
  if (curve_type != kCurveTypeNamedCurve) {
    if (curve_type == 1 || curve_type == 2) {
      // explicit_prime / explicit_char2 curves: a group nobody offered.
      return base::unexpected(client_error(ErrorCode::no_shared_group, alert_description::kIllegalParameter,
                                           "server sent explicit curve parameters (curve_type " +
                                               std::to_string(curve_type) + ") instead of a named group"));
    }
    return base::unexpected(illegal_parameter("ServerKeyExchange curve_type " + std::to_string(curve_type) +
                                              " is not named_curve (3)"));
  }
  std::span<const std::uint8_t> point;
  if (!r.read_u16(out.named_group) || !r.read_u8_prefixed_bytes(point) || point.empty()) {
    return base::unexpected(malformed("ServerKeyExchange ECDH parameters are truncated"));
  }
  out.public_point.assign(point.begin(), point.end());
  const auto params = body.first(body.size() - r.remaining());
  out.signed_params.assign(params.begin(), params.end());

  if (with_signature_scheme) {
    std::uint16_t scheme = 0;
    if (!r.read_u16(scheme)) {
      return base::unexpected(malformed("ServerKeyExchange signature scheme is missing"));
    }
    out.signature_scheme = scheme;
  }
  std::span<const std::uint8_t> signature;
  if (!r.read_u16_prefixed_bytes(signature) || signature.empty() || !r.empty()) {
    return base::unexpected(malformed("ServerKeyExchange signature is malformed"));
  }
  out.signature.assign(signature.begin(), signature.end());
  return out;
}

}  // namespace edgefetch::tls::messages
