// The bytes a probe sends: record framing, ClientHello fields and extensions
// exactly as the offer lists them, TLS 1.3 extensions, SNI rules.

#include "check/probe_hello.hpp"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "check/enumerate_offers.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "tls/codec/byte_reader.hpp"

namespace edgefetch::check::detail {
namespace {

using Bytes = std::vector<std::uint8_t>;
using tls::codec::ByteReader;

struct ParsedHello {
  std::uint8_t record_type = 0;
  std::uint16_t record_version = 0;
  std::uint16_t client_version = 0;
  std::size_t session_id_length = 0;
  std::vector<std::uint16_t> suites;
  bool has_extensions_block = false;
  std::vector<std::uint16_t> extension_order;
  std::map<std::uint16_t, Bytes> extensions;
};

ParsedHello parse(const Bytes& wire) {
  ParsedHello out;
  ByteReader r(wire);
  std::span<const std::uint8_t> fragment;
  EXPECT_TRUE(r.read_u8(out.record_type) && r.read_u16(out.record_version) &&
              r.read_u16_prefixed_bytes(fragment));
  EXPECT_TRUE(r.empty());
  ByteReader m(fragment);
  std::uint8_t type = 0;
  ByteReader body;
  EXPECT_TRUE(m.read_u8(type) && m.read_u24_prefixed(body) && m.empty());
  EXPECT_EQ(type, 1);
  std::span<const std::uint8_t> session_id;
  ByteReader suites;
  std::span<const std::uint8_t> compression;
  EXPECT_TRUE(body.read_u16(out.client_version) && body.skip(32) && body.read_u8_prefixed_bytes(session_id) &&
              body.read_u16_prefixed(suites) && body.read_u8_prefixed_bytes(compression));
  out.session_id_length = session_id.size();
  while (!suites.empty()) {
    std::uint16_t s = 0;
    EXPECT_TRUE(suites.read_u16(s));
    out.suites.push_back(s);
  }
  if (body.empty()) return out;
  out.has_extensions_block = true;
  ByteReader extensions;
  EXPECT_TRUE(body.read_u16_prefixed(extensions) && body.empty());
  while (!extensions.empty()) {
    std::uint16_t ext = 0;
    std::span<const std::uint8_t> data;
    EXPECT_TRUE(extensions.read_u16(ext) && extensions.read_u16_prefixed_bytes(data));
    out.extension_order.push_back(ext);
    out.extensions[ext] = Bytes(data.begin(), data.end());
  }
  return out;
}

TEST(ProbeHello, Tls12OfferAsListed) {
  ProbeOffer offer =
      offer_for_version(policy::ProtocolVersion::tls1_2, {0xCCA8, 0xC02F}, ReadDepth::server_hello);
  auto wire = build_probe_hello(offer, "origin.test");
  ASSERT_TRUE(wire) << wire.error();
  const ParsedHello hello = parse(*wire);
  EXPECT_EQ(hello.record_type, 22);
  EXPECT_EQ(hello.record_version, 0x0301);
  EXPECT_EQ(hello.client_version, 0x0303);
  EXPECT_EQ(hello.session_id_length, 32u);
  EXPECT_EQ(hello.suites, (std::vector<std::uint16_t>{0xCCA8, 0xC02F, 0x00FF}));
  EXPECT_TRUE(hello.extensions.count(0));    // server_name
  EXPECT_TRUE(hello.extensions.count(10));   // supported_groups
  EXPECT_TRUE(hello.extensions.count(11));   // ec_point_formats
  EXPECT_TRUE(hello.extensions.count(13));   // signature_algorithms
  EXPECT_TRUE(hello.extensions.count(23));   // extended_master_secret
  EXPECT_FALSE(hello.extensions.count(43));  // no supported_versions below TLS 1.3
  EXPECT_FALSE(hello.extensions.count(51));
  // The SNI extension carries the name.
  const Bytes& sni = hello.extensions.at(0);
  const std::string name(sni.begin() + 5, sni.end());
  EXPECT_EQ(name, "origin.test");
}

TEST(ProbeHello, Ssl3OfferUsesSsl3RecordAndNoSignatureAlgorithms) {
  ProbeOffer offer = offer_for_version(policy::ProtocolVersion::ssl3, {0x000A}, ReadDepth::certificate);
  auto wire = build_probe_hello(offer, "origin.test");
  ASSERT_TRUE(wire) << wire.error();
  const ParsedHello hello = parse(*wire);
  EXPECT_EQ(hello.record_version, 0x0300);
  EXPECT_EQ(hello.client_version, 0x0300);
  EXPECT_FALSE(hello.extensions.count(13));
}

TEST(ProbeHello, Tls13OfferCarriesSupportedVersionsAndOneX25519Share) {
  ProbeOffer offer = offer_for_version(policy::ProtocolVersion::tls1_3, {0x1301}, ReadDepth::server_hello);
  auto wire = build_probe_hello(offer, "origin.test");
  ASSERT_TRUE(wire) << wire.error();
  const ParsedHello hello = parse(*wire);
  EXPECT_EQ(hello.client_version, 0x0303);
  EXPECT_EQ(hello.suites, std::vector<std::uint16_t>{0x1301});  // no SCSV in a TLS 1.3-only hello
  ASSERT_TRUE(hello.extensions.count(43));
  EXPECT_EQ(hello.extensions.at(43), (Bytes{0x02, 0x03, 0x04}));
  ASSERT_TRUE(hello.extensions.count(51));
  const Bytes& key_share = hello.extensions.at(51);
  // client_shares length 36 = group(2) + length(2) + 32-byte X25519 key.
  ASSERT_EQ(key_share.size(), 38u);
  EXPECT_EQ(key_share[0], 0x00);
  EXPECT_EQ(key_share[1], 36);
  EXPECT_EQ(key_share[2], 0x00);
  EXPECT_EQ(key_share[3], 0x1D);
  EXPECT_EQ(key_share[5], 32);
}

TEST(ProbeHello, EmptyKeyShareListAsksForHelloRetryRequest) {
  ProbeOffer offer = offer_for_version(policy::ProtocolVersion::tls1_3, {0x1301}, ReadDepth::server_hello);
  offer.key_share_groups.clear();
  auto wire = build_probe_hello(offer, "origin.test");
  ASSERT_TRUE(wire) << wire.error();
  EXPECT_EQ(parse(*wire).extensions.at(51), (Bytes{0x00, 0x00}));
}

TEST(ProbeHello, KeyShareForAGroupLibcryptoCannotMakeIsALocalError) {
  ProbeOffer offer = offer_for_version(policy::ProtocolVersion::tls1_3, {0x1301}, ReadDepth::server_hello);
  offer.key_share_groups = {256};  // ffdhe2048: no KeyShare support
  EXPECT_FALSE(build_probe_hello(offer, "origin.test").has_value());
}

TEST(ProbeHello, NoSniForIpLiteralsOrWhenOff) {
  ProbeOffer offer = offer_for_version(policy::ProtocolVersion::tls1_2, {0xC02F}, ReadDepth::server_hello);
  auto literal = build_probe_hello(offer, "127.0.0.1");
  ASSERT_TRUE(literal);
  EXPECT_FALSE(parse(*literal).extensions.count(0));
  offer.send_sni = false;
  auto off = build_probe_hello(offer, "origin.test");
  ASSERT_TRUE(off);
  EXPECT_FALSE(parse(*off).extensions.count(0));
}

TEST(ProbeHello, BareHelloWithoutExtensions) {
  ProbeOffer offer = offer_for_version(policy::ProtocolVersion::ssl3, {0x0004}, ReadDepth::server_hello);
  offer.send_extensions = false;
  offer.renegotiation_scsv = false;
  auto wire = build_probe_hello(offer, "origin.test");
  ASSERT_TRUE(wire);
  const ParsedHello hello = parse(*wire);
  EXPECT_FALSE(hello.has_extensions_block);
  EXPECT_EQ(hello.suites, std::vector<std::uint16_t>{0x0004});
}

TEST(ProbeHello, FreshRandomAndSessionIdEachTime) {
  ProbeOffer offer = offer_for_version(policy::ProtocolVersion::tls1_2, {0xC02F}, ReadDepth::server_hello);
  auto a = build_probe_hello(offer, "origin.test");
  auto b = build_probe_hello(offer, "origin.test");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace edgefetch::check::detail
