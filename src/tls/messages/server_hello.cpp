#include "tls/messages/server_hello.hpp"

#include <algorithm>

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/extension_block.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

namespace {

using codec::ByteReader;

base::Expected<void, Error> parse_extension(std::uint16_t type, ByteReader body, ServerHello& out) {
  const std::string name = extension_name(type);
  switch (type) {
    case extension::kRenegotiationInfo: {
      std::span<const std::uint8_t> value;
      if (!body.read_u8_prefixed_bytes(value) || !body.empty()) {
        return base::unexpected(malformed("ServerHello renegotiation_info extension is malformed"));
      }
      out.renegotiation_info.emplace(value.begin(), value.end());
      return {};
    }
    case extension::kExtendedMasterSecret:
    case extension::kSessionTicket:
    case extension::kServerName:
      if (!body.empty()) {
        return base::unexpected(malformed("ServerHello " + name + " extension must be empty"));
      }
      if (type == extension::kExtendedMasterSecret) out.extended_master_secret = true;
      if (type == extension::kSessionTicket) out.session_ticket = true;
      if (type == extension::kServerName) out.server_name_ack = true;
      return {};
    case extension::kEcPointFormats: {
      std::span<const std::uint8_t> formats;
      if (!body.read_u8_prefixed_bytes(formats) || formats.empty() || !body.empty()) {
        return base::unexpected(malformed("ServerHello ec_point_formats extension is malformed"));
      }
      out.ec_point_formats.emplace(formats.begin(), formats.end());
      return {};
    }
    case extension::kAlpn: {
      ByteReader list;
      std::span<const std::uint8_t> protocol;
      if (!body.read_u16_prefixed(list) || !body.empty() || !list.read_u8_prefixed_bytes(protocol) ||
          protocol.empty() || !list.empty()) {
        return base::unexpected(malformed("ServerHello ALPN extension must name exactly one protocol"));
      }
      out.alpn.emplace(protocol.begin(), protocol.end());
      return {};
    }
    default:
      // Kept by type only: check_server_hello_extensions rejects anything we did not offer.
      return {};
  }
}

}  // namespace

bool ServerHello::has_extension(std::uint16_t type) const {
  return std::find(extensions.begin(), extensions.end(), type) != extensions.end();
}

base::Expected<ServerHello, Error> decode_server_hello(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  ServerHello hello;
  std::span<const std::uint8_t> session_id;
  if (!r.read_u16(hello.version) || !r.read_into(hello.random) || !r.read_u8_prefixed_bytes(session_id) ||
      !r.read_u16(hello.cipher_suite) || !r.read_u8(hello.compression_method)) {
    return base::unexpected(malformed("ServerHello is truncated"));
  }
  if (session_id.size() > kMaxSessionIdLength) {
    return base::unexpected(malformed("ServerHello session_id is longer than 32 bytes"));
  }
  hello.session_id.assign(session_id.begin(), session_id.end());
  if (r.empty()) return hello;  // no extensions block (SSLv3 and old servers)

  ByteReader extensions;
  if (!r.read_u16_prefixed(extensions) || !r.empty()) {
    return base::unexpected(malformed("ServerHello extensions block is malformed"));
  }
  auto read = read_extension_block(
      extensions, "ServerHello", hello.extensions,
      [&](std::uint16_t type, ByteReader ext_body) { return parse_extension(type, ext_body, hello); });
  if (!read) return base::unexpected(read.error());
  return hello;
}

base::Expected<void, Error> check_server_hello_extensions(const ServerHello& server_hello,
                                                          const ClientHello& client_hello) {
  for (std::uint16_t type : server_hello.extensions) {
    bool solicited = client_hello.offers_extension(type);
    if (type == extension::kRenegotiationInfo) {
      solicited = solicited || client_hello.offers_cipher_suite(policy::kEmptyRenegotiationInfoScsv);
    }
    if (!solicited) {
      return base::unexpected(client_error(
          ErrorCode::protocol_violation, alert_description::kUnsupportedExtension,
          "server sent the " + extension_name(type) + " extension, which the ClientHello did not offer"));
    }
  }
  if (server_hello.ec_point_formats &&
      std::find(server_hello.ec_point_formats->begin(), server_hello.ec_point_formats->end(),
                kEcPointFormatUncompressed) == server_hello.ec_point_formats->end()) {
    return base::unexpected(illegal_parameter("server's ec_point_formats lacks the uncompressed format"));
  }
  if (server_hello.alpn && std::find(client_hello.alpn.begin(), client_hello.alpn.end(),
                                     *server_hello.alpn) == client_hello.alpn.end()) {
    return base::unexpected(illegal_parameter("server selected ALPN protocol '" + *server_hello.alpn +
                                              "', which was not offered"));
  }
  return {};
}

bool has_downgrade_sentinel_tls11(std::span<const std::uint8_t, kRandomLength> server_random) {
  static constexpr std::array<std::uint8_t, 8> kSentinel{0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00};
  return std::equal(kSentinel.begin(), kSentinel.end(), server_random.end() - 8);
}

}  // namespace edgefetch::tls::messages
