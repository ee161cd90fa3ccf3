#include "tls/messages/certificate.hpp"

#include <array>

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/handshake_header.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

base::Expected<Certificate, Error> decode_certificate(std::span<const std::uint8_t> body) {
  codec::ByteReader r(body);
  codec::ByteReader list;
  if (!r.read_u24_prefixed(list) || !r.empty()) {
    return base::unexpected(malformed("Certificate message length does not match its certificate list"));
  }
  Certificate out;
  while (!list.empty()) {
    std::span<const std::uint8_t> der;
    if (!list.read_u24_prefixed_bytes(der) || der.empty()) {
      return base::unexpected(malformed("Certificate list holds a truncated or empty certificate"));
    }
    if (out.chain.size() == kMaxCertificateChainLength) {
      return base::unexpected(client_error(ErrorCode::cert_invalid, alert_description::kBadCertificate,
                                           "server sent more than 16 certificates"));
    }
    out.chain.emplace_back(der.begin(), der.end());
  }
  return out;
}

std::vector<std::uint8_t> encode_empty_certificate() {
  static constexpr std::array<std::uint8_t, 3> kEmptyList = {0, 0, 0};
  return frame_handshake(HandshakeType::certificate, kEmptyList);
}

}  // namespace edgefetch::tls::messages
