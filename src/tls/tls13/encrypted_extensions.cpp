#include "tls/tls13/encrypted_extensions.hpp"

#include <algorithm>

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/extension_block.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/types.hpp"
#include "tls/tls13/server_hello13.hpp"

namespace edgefetch::tls::tls13 {
namespace {

using codec::ByteReader;
using messages::illegal_parameter;
using messages::malformed;
namespace ext = messages::extension;

base::Expected<void, Error> parse_extension(std::uint16_t type, ByteReader body, EncryptedExtensions& out) {
  switch (type) {
    case ext::kServerName:
      if (!body.empty()) return base::unexpected(malformed("EncryptedExtensions server_name must be empty"));
      out.server_name_ack = true;
      return {};
    case ext::kAlpn: {
      ByteReader list;
      std::span<const std::uint8_t> protocol;
      if (!body.read_u16_prefixed(list) || !body.empty() || !list.read_u8_prefixed_bytes(protocol) ||
          protocol.empty() || !list.empty()) {
        return base::unexpected(malformed("EncryptedExtensions ALPN must name exactly one protocol"));
      }
      out.alpn.emplace(protocol.begin(), protocol.end());
      return {};
    }
    case ext::kSupportedGroups: {
      ByteReader list;
      if (!body.read_u16_prefixed(list) || !body.empty() || list.empty() || list.remaining() % 2 != 0) {
        return base::unexpected(malformed("EncryptedExtensions supported_groups is malformed"));
      }
      std::vector<std::uint16_t> groups;
      while (!list.empty()) {
        std::uint16_t group = 0;
        (void)list.read_u16(group);
        groups.push_back(group);
      }
      out.supported_groups = std::move(groups);
      return {};
    }
    case extension13::kSupportedVersions:
    case extension13::kKeyShare:
    case extension13::kPreSharedKey:
    case extension13::kCookie:
    case extension13::kPskKeyExchangeModes:
    case ext::kExtendedMasterSecret:
    case ext::kEcPointFormats:
    case ext::kRenegotiationInfo:
    case ext::kSessionTicket:
      return base::unexpected(
          illegal_parameter("server sent the " + messages::extension_name(type) +
                            " extension in EncryptedExtensions, where TLS 1.3 forbids it"));
    default:
      return {};
  }
}

}  // namespace

base::Expected<EncryptedExtensions, Error> decode_encrypted_extensions(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  ByteReader extensions;
  if (!r.read_u16_prefixed(extensions) || !r.empty()) {
    return base::unexpected(malformed("EncryptedExtensions is malformed"));
  }
  EncryptedExtensions out;
  auto read = messages::read_extension_block(
      extensions, "EncryptedExtensions", out.extensions,
      [&](std::uint16_t type, ByteReader ext_body) { return parse_extension(type, ext_body, out); });
  if (!read) return base::unexpected(read.error());
  return out;
}

base::Expected<void, Error> check_encrypted_extensions(const EncryptedExtensions& extensions,
                                                       std::span<const std::uint16_t> offered_extensions,
                                                       std::span<const std::string> offered_alpn) {
  for (const std::uint16_t type : extensions.extensions) {
    if (type == ext::kSupportedGroups) continue;
    if (std::find(offered_extensions.begin(), offered_extensions.end(), type) == offered_extensions.end()) {
      return base::unexpected(messages::client_error(ErrorCode::protocol_violation,
                                                     alert_description::kUnsupportedExtension,
                                                     "server sent the " + messages::extension_name(type) +
                                                         " extension, which the ClientHello did not offer"));
    }
  }
  if (extensions.alpn &&
      std::find(offered_alpn.begin(), offered_alpn.end(), *extensions.alpn) == offered_alpn.end()) {
    return base::unexpected(
        illegal_parameter("server selected ALPN protocol '" + *extensions.alpn + "', which was not offered"));
  }
  return {};
}

}  // namespace edgefetch::tls::tls13
