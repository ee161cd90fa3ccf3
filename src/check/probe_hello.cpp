#include "check/probe_hello.hpp"

#include <algorithm>

#include "edgefetch/crypto/key_share.hpp"
#include "edgefetch/crypto/random.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "tls/codec/byte_writer.hpp"
#include "tls/messages/types.hpp"
#include "tls/record/record.hpp"

namespace edgefetch::check::detail {

namespace {

namespace ext = tls::messages::extension;

// supported_versions (RFC 8446 §4.2.1): a u8-prefixed list of versions.
tls::messages::RawExtension supported_versions_extension(const std::vector<std::uint16_t>& versions) {
  tls::codec::ByteWriter w;
  {
    auto list = w.u8_prefixed();
    for (std::uint16_t v : versions) w.u16(v);
  }
  return {ext::kSupportedVersions, w.take()};
}

// key_share (RFC 8446 §4.2.8): client_shares, a u16-prefixed list of (group, u16-prefixed key).
base::Expected<tls::messages::RawExtension, std::string> key_share_extension(
    const std::vector<std::uint16_t>& groups) {
  tls::codec::ByteWriter w;
  {
    auto list = w.u16_prefixed();
    for (std::uint16_t group : groups) {
      auto share = crypto::KeyShare::generate(group);
      if (!share) {
        return base::unexpected("cannot generate a key share for group " + std::to_string(group) + ": " +
                                share.error().message);
      }
      w.u16(group);
      w.u16_prefixed_bytes(share->public_key());
    }
  }
  return tls::messages::RawExtension{ext::kKeyShare, w.take()};
}

}  // namespace

base::Expected<tls::messages::ClientHello, std::string> make_probe_client_hello(
    const ProbeOffer& offer, std::string_view server_name) {
  tls::messages::ClientHello hello;
  hello.legacy_version = offer.client_version;
  if (auto ok = crypto::random_bytes(hello.random); !ok) return base::unexpected(ok.error().message);
  // 32 fresh bytes, as the CDN's client sends (and TLS 1.3 middlebox compatibility expects).
  hello.session_id.resize(tls::messages::kMaxSessionIdLength);
  if (auto ok = crypto::random_bytes(hello.session_id); !ok) return base::unexpected(ok.error().message);

  hello.cipher_suites = offer.cipher_suites;
  if (offer.renegotiation_scsv) hello.cipher_suites.push_back(policy::kEmptyRenegotiationInfoScsv);

  hello.send_extensions = offer.send_extensions;
  if (!offer.groups.empty()) {
    hello.supported_groups = offer.groups;
    hello.ec_point_formats = std::vector<std::uint8_t>{tls::messages::kEcPointFormatUncompressed};
  }
  if (!offer.signature_schemes.empty()) hello.signature_algorithms = offer.signature_schemes;
  if (offer.send_sni) {
    std::string_view name = server_name;
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (!tls::messages::is_ip_literal(name)) hello.server_name = std::string(name);
  }
  hello.session_ticket = offer.session_ticket;
  hello.extended_master_secret = offer.extended_master_secret;
  if (!offer.supported_versions.empty()) {
    hello.extra_extensions.push_back(supported_versions_extension(offer.supported_versions));
    auto key_share = key_share_extension(offer.key_share_groups);
    if (!key_share) return base::unexpected(key_share.error());
    hello.extra_extensions.push_back(std::move(*key_share));
  }
  return hello;
}

base::Expected<std::vector<std::uint8_t>, std::string> frame_client_hello(
    const tls::messages::ClientHello& hello, std::uint16_t record_version) {
  auto message = tls::messages::encode_client_hello(hello);
  if (!message) return base::unexpected(std::string("the ClientHello does not fit its length fields"));
  std::vector<std::uint8_t> out;
  std::span<const std::uint8_t> rest(*message);
  while (!rest.empty()) {
    const std::size_t n = std::min(rest.size(), tls::kMaxPlaintextLength);
    tls::codec::ByteWriter w;
    w.u8(static_cast<std::uint8_t>(tls::ContentType::handshake));
    w.u16(record_version);
    w.u16_prefixed_bytes(rest.first(n));
    if (!w.ok()) return base::unexpected(std::string("the ClientHello record does not fit"));
    const std::vector<std::uint8_t> record = w.take();
    out.insert(out.end(), record.begin(), record.end());
    rest = rest.subspan(n);
  }
  return out;
}

base::Expected<std::vector<std::uint8_t>, std::string> build_probe_hello(const ProbeOffer& offer,
                                                                         std::string_view server_name) {
  auto hello = make_probe_client_hello(offer, server_name);
  if (!hello) return base::unexpected(hello.error());
  return frame_client_hello(*hello, offer.record_version);
}

}  // namespace edgefetch::check::detail
