#include "tls/tls13/server_hello13.hpp"

#include <algorithm>
#include <string>

#include "tls/codec/byte_reader.hpp"
#include "tls/codec/byte_writer.hpp"
#include "tls/messages/extension_block.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::tls13 {
namespace {

using codec::ByteReader;
using messages::malformed;

base::Expected<void, Error> parse_extension(std::uint16_t type, ByteReader body, ServerHello13& out) {
  switch (type) {
    case extension13::kSupportedVersions: {
      std::uint16_t version = 0;
      if (!body.read_u16(version) || !body.empty()) {
        return base::unexpected(malformed("ServerHello supported_versions must hold exactly one version"));
      }
      out.selected_version = version;
      return {};
    }
    case extension13::kKeyShare: {
      std::uint16_t group = 0;
      if (!body.read_u16(group)) return base::unexpected(malformed("ServerHello key_share is truncated"));
      if (out.hello_retry_request) {
        if (!body.empty()) {
          return base::unexpected(malformed("HelloRetryRequest key_share must name one group"));
        }
        out.selected_group = group;
        return {};
      }
      std::span<const std::uint8_t> key;
      if (!body.read_u16_prefixed_bytes(key) || key.empty() || !body.empty()) {
        return base::unexpected(malformed("ServerHello key_share entry is malformed"));
      }
      out.key_share = KeyShareEntry{group, std::vector<std::uint8_t>(key.begin(), key.end())};
      return {};
    }
    case extension13::kCookie: {
      std::span<const std::uint8_t> cookie;
      if (!body.read_u16_prefixed_bytes(cookie) || cookie.empty() || !body.empty()) {
        return base::unexpected(malformed("HelloRetryRequest cookie is malformed"));
      }
      out.cookie.emplace(cookie.begin(), cookie.end());
      return {};
    }
    default:
      return {};
  }
}

}  // namespace

DowngradeSentinel downgrade_sentinel(std::span<const std::uint8_t, messages::kRandomLength> random) {
  static constexpr std::array<std::uint8_t, 7> kDowngrd{0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44};
  if (!std::equal(kDowngrd.begin(), kDowngrd.end(), random.end() - 8)) return DowngradeSentinel::none;
  if (random[31] == 0x01) return DowngradeSentinel::tls12;
  if (random[31] == 0x00) return DowngradeSentinel::tls11_or_below;
  return DowngradeSentinel::none;
}

bool is_hello_retry_request(std::span<const std::uint8_t, messages::kRandomLength> random) {
  return std::equal(random.begin(), random.end(), kHelloRetryRequestRandom.begin());
}

std::optional<std::uint16_t> peek_selected_version(std::span<const std::uint8_t> server_hello_body) {
  auto decoded = decode_server_hello13(server_hello_body);
  if (!decoded) return std::nullopt;
  return decoded->selected_version;
}

base::Expected<ServerHello13, Error> decode_server_hello13(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  ServerHello13 hello;
  std::span<const std::uint8_t> session_id;
  if (!r.read_u16(hello.legacy_version) || !r.read_into(hello.random) ||
      !r.read_u8_prefixed_bytes(session_id) || !r.read_u16(hello.cipher_suite) ||
      !r.read_u8(hello.legacy_compression_method)) {
    return base::unexpected(malformed("ServerHello is truncated"));
  }
  if (session_id.size() > messages::kMaxSessionIdLength) {
    return base::unexpected(malformed("ServerHello legacy_session_id_echo is longer than 32 bytes"));
  }
  hello.legacy_session_id_echo.assign(session_id.begin(), session_id.end());
  hello.hello_retry_request = is_hello_retry_request(hello.random);
  if (r.empty()) return hello;
  ByteReader extensions;
  if (!r.read_u16_prefixed(extensions) || !r.empty()) {
    return base::unexpected(malformed("ServerHello extensions block is malformed"));
  }
  auto read = messages::read_extension_block(
      extensions, "ServerHello", hello.extensions,
      [&](std::uint16_t type, ByteReader ext_body) { return parse_extension(type, ext_body, hello); });
  if (!read) return base::unexpected(read.error());
  return hello;
}

std::vector<std::uint8_t> encode_client_supported_versions(std::span<const std::uint16_t> versions) {
  codec::ByteWriter w;
  {
    auto list = w.u8_prefixed();
    for (const std::uint16_t v : versions) w.u16(v);
  }
  return w.take();
}

std::vector<std::uint8_t> encode_client_key_share(std::span<const KeyShareEntry> shares) {
  codec::ByteWriter w;
  {
    auto list = w.u16_prefixed();
    for (const auto& share : shares) {
      w.u16(share.group);
      w.u16_prefixed_bytes(share.key_exchange);
    }
  }
  return w.take();
}

}  // namespace edgefetch::tls::tls13
