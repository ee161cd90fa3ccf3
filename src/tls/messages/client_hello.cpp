#include "tls/messages/client_hello.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "tls/messages/handshake_header.hpp"
#include "tls/tls13/engine_bridge.hpp"

namespace edgefetch::tls::messages {

namespace {

void write_u16_list(codec::ByteWriter& w, std::span<const std::uint16_t> values) {
  auto list = w.u16_prefixed();
  for (std::uint16_t v : values) w.u16(v);
}

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};  // NOLINT: bytes of a string
}

// Each extension: type, then its body under a u16 length.
template <class Body>
void write_extension(codec::ByteWriter& w, std::uint16_t type, Body&& body) {
  w.u16(type);
  auto ext = w.u16_prefixed();
  body();
}

}  // namespace

bool ClientHello::offers_extension(std::uint16_t type) const {
  if (!send_extensions) return false;
  switch (type) {
    case extension::kSupportedVersions:
      return !supported_versions.empty();
    case extension::kKeyShare:
      return key_shares.has_value();
    case extension::kSupportedGroups:
      return supported_groups.has_value();
    case extension::kSignatureAlgorithms:
      return signature_algorithms.has_value();
    case extension::kServerName:
      return !server_name.empty();
    case extension::kAlpn:
      return !alpn.empty();
    case extension::kSessionTicket:
      return session_ticket;
    case extension::kEcPointFormats:
      return ec_point_formats.has_value();
    case extension::kRenegotiationInfo:
      return renegotiation_info.has_value();
    case extension::kExtendedMasterSecret:
      return extended_master_secret;
    default:
      break;
  }
  return std::any_of(extra_extensions.begin(), extra_extensions.end(),
                     [type](const RawExtension& e) { return e.type == type; });
}

bool ClientHello::offers_cipher_suite(std::uint16_t code) const {
  return std::find(cipher_suites.begin(), cipher_suites.end(), code) != cipher_suites.end();
}

void encode_client_hello(const ClientHello& hello, codec::ByteWriter& w) {
  auto message = begin_handshake(w, HandshakeType::client_hello);
  w.u16(hello.legacy_version);
  w.bytes(hello.random);
  w.u8_prefixed_bytes(hello.session_id);
  write_u16_list(w, hello.cipher_suites);
  w.u8_prefixed_bytes(hello.compression_methods);
  if (!hello.send_extensions) return;

  auto extensions = w.u16_prefixed();
  if (!hello.supported_versions.empty()) {
    write_extension(w, extension::kSupportedVersions, [&] {
      auto list = w.u8_prefixed();
      for (const std::uint16_t version : hello.supported_versions) w.u16(version);
    });
  }
  if (hello.supported_groups) {
    write_extension(w, extension::kSupportedGroups, [&] { write_u16_list(w, *hello.supported_groups); });
  }
  if (hello.key_shares) {
    write_extension(w, extension::kKeyShare, [&] {
      auto list = w.u16_prefixed();
      for (const KeyShareOffer& share : *hello.key_shares) {
        w.u16(share.group);
        w.u16_prefixed_bytes(share.key_exchange);
      }
    });
  }
  if (hello.signature_algorithms) {
    write_extension(w, extension::kSignatureAlgorithms,
                    [&] { write_u16_list(w, *hello.signature_algorithms); });
  }
  if (!hello.server_name.empty()) {
    write_extension(w, extension::kServerName, [&] {
      auto list = w.u16_prefixed();
      w.u8(0);  // NameType host_name
      w.u16_prefixed_bytes(as_bytes(hello.server_name));
    });
  }
  if (!hello.alpn.empty()) {
    write_extension(w, extension::kAlpn, [&] {
      auto list = w.u16_prefixed();
      for (const std::string& protocol : hello.alpn) w.u8_prefixed_bytes(as_bytes(protocol));
    });
  }
  if (hello.session_ticket) {
    write_extension(w, extension::kSessionTicket, [&] { w.bytes(hello.session_ticket_data); });
  }
  if (hello.ec_point_formats) {
    write_extension(w, extension::kEcPointFormats, [&] { w.u8_prefixed_bytes(*hello.ec_point_formats); });
  }
  if (hello.renegotiation_info) {
    write_extension(w, extension::kRenegotiationInfo,
                    [&] { w.u8_prefixed_bytes(*hello.renegotiation_info); });
  }
  if (hello.extended_master_secret) write_extension(w, extension::kExtendedMasterSecret, [] {});
  for (const RawExtension& e : hello.extra_extensions) {
    write_extension(w, e.type, [&] { w.bytes(e.data); });
  }
}

std::optional<std::vector<std::uint8_t>> encode_client_hello(const ClientHello& hello) {
  codec::ByteWriter w;
  encode_client_hello(hello, w);
  if (!w.ok()) return std::nullopt;
  return w.take();
}

bool is_ip_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host.size() > 64) return false;
  const std::string text(host);
  std::array<std::uint8_t, 16> address{};
  return inet_pton(AF_INET, text.c_str(), address.data()) == 1 ||
         inet_pton(AF_INET6, text.c_str(), address.data()) == 1;
}

ClientHello build_client_hello(const policy::Offer& offer, const ClientHelloInputs& inputs) {
  using policy::ProtocolVersion;
  ClientHello hello;
  const ProtocolVersion hello_version = std::min(offer.max_version, ProtocolVersion::tls1_2);
  hello.legacy_version = policy::wire(hello_version);
  hello.random = inputs.random;
  hello.session_id = inputs.session_id;

  bool any_ecdhe = false;
  for (const policy::CipherSuite* suite : offer.cipher_suites) {
    hello.cipher_suites.push_back(suite->code);
    any_ecdhe = any_ecdhe || suite->key_exchange == policy::KeyExchange::ecdhe;
  }
  // The rule lives with the offer, so that `edgefetch ciphers` says what is sent.
  if (offer.sends_renegotiation_scsv()) hello.cipher_suites.push_back(policy::kEmptyRenegotiationInfoScsv);

  const bool tls13 = tls13::offers_tls13(offer);
  if (tls13) hello.supported_versions = tls13::supported_versions_for(offer);
  if ((any_ecdhe || tls13) && !offer.groups.empty()) {
    std::vector<std::uint16_t> groups;
    for (const policy::NamedGroup* group : offer.groups) groups.push_back(group->code);
    hello.supported_groups = std::move(groups);
    hello.ec_point_formats = std::vector<std::uint8_t>{kEcPointFormatUncompressed};
  }
  if (hello_version >= ProtocolVersion::tls1_2 && !offer.signature_schemes.empty()) {
    std::vector<std::uint16_t> schemes;
    for (const policy::SignatureScheme* scheme : offer.signature_schemes) schemes.push_back(scheme->code);
    hello.signature_algorithms = std::move(schemes);
  }

  std::string_view name = inputs.server_name;
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (!is_ip_literal(name)) hello.server_name = std::string(name);
  hello.alpn = inputs.alpn;
  hello.session_ticket = true;
  hello.extended_master_secret = true;
  return hello;
}

}  // namespace edgefetch::tls::messages
