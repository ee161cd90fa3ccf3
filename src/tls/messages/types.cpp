#include "tls/messages/types.hpp"

#include <array>
#include <cstdio>
#include <string>

namespace edgefetch::tls::messages {

std::string_view handshake_type_name(std::uint8_t type) {
  switch (static_cast<HandshakeType>(type)) {
    case HandshakeType::hello_request:
      return "HelloRequest";
    case HandshakeType::client_hello:
      return "ClientHello";
    case HandshakeType::server_hello:
      return "ServerHello";
    case HandshakeType::new_session_ticket:
      return "NewSessionTicket";
    case HandshakeType::certificate:
      return "Certificate";
    case HandshakeType::server_key_exchange:
      return "ServerKeyExchange";
    case HandshakeType::certificate_request:
      return "CertificateRequest";
    case HandshakeType::server_hello_done:
      return "ServerHelloDone";
    case HandshakeType::certificate_verify:
      return "CertificateVerify";
    case HandshakeType::client_key_exchange:
      return "ClientKeyExchange";
    case HandshakeType::finished:
      return "Finished";
  }
  return "unknown handshake message";
}

std::string extension_name(std::uint16_t type) {
  switch (type) {
    case extension::kServerName:
      return "server_name";
    case extension::kStatusRequest:
      return "status_request";
    case extension::kSupportedGroups:
      return "supported_groups";
    case extension::kEcPointFormats:
      return "ec_point_formats";
    case extension::kSignatureAlgorithms:
      return "signature_algorithms";
    case extension::kAlpn:
      return "application_layer_protocol_negotiation";
    case extension::kEncryptThenMac:
      return "encrypt_then_mac";
    case extension::kExtendedMasterSecret:
      return "extended_master_secret";
    case extension::kSessionTicket:
      return "session_ticket";
    case extension::kSupportedVersions:
      return "supported_versions";
    case extension::kKeyShare:
      return "key_share";
    case extension::kRenegotiationInfo:
      return "renegotiation_info";
    default:
      break;
  }
  std::array<char, 24> text{};
  const int n = std::snprintf(text.data(), text.size(), "extension(0x%04X)", static_cast<unsigned>(type));
  return {text.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
}

}  // namespace edgefetch::tls::messages
