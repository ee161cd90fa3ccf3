#include "tls/tls13/own_client_hello.hpp"

#include <algorithm>

#include "tls/codec/byte_reader.hpp"
#include "tls/codec/byte_writer.hpp"
#include "tls/messages/handshake_header.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::tls13 {
namespace {

using codec::ByteReader;
namespace ext = messages::extension;

struct HelloParts {
  std::span<const std::uint8_t> fixed;  // legacy_version .. compression_methods
  ByteReader extensions;
};

std::optional<HelloParts> split(std::span<const std::uint8_t> client_hello) {
  ByteReader message(client_hello);
  std::uint8_t type = 0;
  ByteReader body;
  if (!message.read_u8(type) || type != static_cast<std::uint8_t>(messages::HandshakeType::client_hello) ||
      !message.read_u24_prefixed(body) || !message.empty()) {
    return std::nullopt;
  }
  const auto start = body.rest();
  std::span<const std::uint8_t> ignored;
  if (!body.skip(2 + messages::kRandomLength) || !body.read_u8_prefixed_bytes(ignored) ||
      !body.read_u16_prefixed_bytes(ignored) || !body.read_u8_prefixed_bytes(ignored)) {
    return std::nullopt;
  }
  HelloParts parts;
  parts.fixed = start.first(start.size() - body.remaining());
  if (!body.empty() && (!body.read_u16_prefixed(parts.extensions) || !body.empty())) return std::nullopt;
  return parts;
}

bool read_u16_list(ByteReader list, std::vector<std::uint16_t>& out) {
  while (!list.empty()) {
    std::uint16_t value = 0;
    if (!list.read_u16(value)) return false;
    out.push_back(value);
  }
  return true;
}

}  // namespace

bool OwnClientHello::offers_extension(std::uint16_t type) const {
  return std::find(extensions.begin(), extensions.end(), type) != extensions.end();
}

std::optional<OwnClientHello> read_own_client_hello(std::span<const std::uint8_t> client_hello) {
  auto parts = split(client_hello);
  if (!parts) return std::nullopt;
  OwnClientHello out;
  ByteReader fixed(parts->fixed);
  std::span<const std::uint8_t> session_id;
  ByteReader suites;
  if (!fixed.skip(2 + messages::kRandomLength) || !fixed.read_u8_prefixed_bytes(session_id) ||
      !fixed.read_u16_prefixed(suites) || !read_u16_list(suites, out.cipher_suites)) {
    return std::nullopt;
  }
  out.session_id.assign(session_id.begin(), session_id.end());
  while (!parts->extensions.empty()) {
    std::uint16_t type = 0;
    ByteReader body;
    if (!parts->extensions.read_u16(type) || !parts->extensions.read_u16_prefixed(body)) return std::nullopt;
    out.extensions.push_back(type);
    ByteReader list;
    if (type == ext::kSupportedGroups) {
      if (!body.read_u16_prefixed(list) || !read_u16_list(list, out.supported_groups)) return std::nullopt;
    } else if (type == ext::kSignatureAlgorithms) {
      if (!body.read_u16_prefixed(list) || !read_u16_list(list, out.signature_schemes)) return std::nullopt;
    } else if (type == extension13::kKeyShare) {
      if (!body.read_u16_prefixed(list)) return std::nullopt;
      while (!list.empty()) {
        std::uint16_t group = 0;
        std::span<const std::uint8_t> key;
        if (!list.read_u16(group) || !list.read_u16_prefixed_bytes(key)) return std::nullopt;
        out.key_share_groups.push_back(group);
        out.key_shares.push_back(KeyShareEntry{group, std::vector<std::uint8_t>(key.begin(), key.end())});
      }
    } else if (type == ext::kAlpn) {
      if (!body.read_u16_prefixed(list)) return std::nullopt;
      while (!list.empty()) {
        std::span<const std::uint8_t> protocol;
        if (!list.read_u8_prefixed_bytes(protocol)) return std::nullopt;
        out.alpn.emplace_back(protocol.begin(), protocol.end());
      }
    }
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> client_hello_for_retry(std::span<const std::uint8_t> client_hello,
                                                                const KeyShareEntry& share,
                                                                std::span<const std::uint8_t> cookie) {
  auto parts = split(client_hello);
  if (!parts) return std::nullopt;
  codec::ByteWriter w;
  bool cookie_written = cookie.empty();
  const auto write_cookie = [&] {
    w.u16(extension13::kCookie);
    auto body = w.u16_prefixed();
    w.u16_prefixed_bytes(cookie);
    cookie_written = true;
  };
  {
    auto header = messages::begin_handshake(w, messages::HandshakeType::client_hello);
    w.bytes(parts->fixed);
    auto extensions = w.u16_prefixed();
    while (!parts->extensions.empty()) {
      std::uint16_t type = 0;
      std::span<const std::uint8_t> body;
      if (!parts->extensions.read_u16(type) || !parts->extensions.read_u16_prefixed_bytes(body)) {
        return std::nullopt;
      }
      if (type == ext::kExtendedMasterSecret && !cookie_written) write_cookie();
      w.u16(type);
      if (type == extension13::kKeyShare) {
        const std::vector<KeyShareEntry> shares = {share};
        w.u16_prefixed_bytes(encode_client_key_share(shares));
      } else {
        w.u16_prefixed_bytes(body);
      }
    }
    if (!cookie_written) write_cookie();
  }
  if (!w.ok()) return std::nullopt;
  return w.take();
}

}  // namespace edgefetch::tls::tls13
