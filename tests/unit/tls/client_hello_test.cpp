// The ClientHello matches the CDN client's (facts file, Appendix B) byte for
// byte, and the explicit ClientHello description encodes every variation the
// `check` command needs.

#include "tls/messages/client_hello.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "test_bytes.hpp"
#include "tls/codec/byte_reader.hpp"

namespace edgefetch::tls::messages {
namespace {

using policy::ProtocolVersion;
using test::Bytes;
using test::hex;

// CloudFront-Upstream without RC4 (Appendix A.1 / B), P-256 X25519 P-384, the seed's 10 schemes.
constexpr std::uint16_t kUpstreamSuites[] = {0xC02C, 0xC030, 0xC02B, 0xC02F, 0xC024, 0xC028,
                                             0xC00A, 0xC014, 0xC023, 0xC027, 0xC009, 0xC013,
                                             0x009D, 0x009C, 0x0035, 0x003C, 0x002F, 0x000A};
constexpr std::uint16_t kGroups[] = {23, 29, 24};
constexpr std::uint16_t kSchemes[] = {0x0401, 0x0501, 0x0601, 0x0301, 0x0403,
                                      0x0503, 0x0603, 0x0303, 0x0201, 0x0203};

policy::Offer make_offer(std::span<const std::uint16_t> suites, ProtocolVersion min, ProtocolVersion max) {
  policy::Offer offer;
  offer.min_version = min;
  offer.max_version = max;
  for (std::uint16_t code : suites) {
    const policy::CipherSuite* suite = policy::cipher_suite_by_code(code);
    EXPECT_NE(suite, nullptr) << std::hex << code;
    if (suite != nullptr) offer.cipher_suites.push_back(suite);
  }
  for (std::uint16_t code : kGroups) offer.groups.push_back(policy::named_group_by_code(code));
  for (std::uint16_t code : kSchemes)
    offer.signature_schemes.push_back(policy::signature_scheme_by_code(code));
  return offer;
}

ClientHelloInputs make_inputs(std::string server_name) {
  ClientHelloInputs in;
  in.server_name = std::move(server_name);
  std::iota(in.random.begin(), in.random.end(), std::uint8_t{0});
  in.session_id.resize(32);
  std::iota(in.session_id.begin(), in.session_id.end(), std::uint8_t{0xA0});
  return in;
}

Bytes encode(const ClientHello& hello) {
  auto bytes = encode_client_hello(hello);
  EXPECT_TRUE(bytes.has_value());
  return bytes.value_or(Bytes{});
}

// Extension types of an encoded ClientHello, in order.
std::vector<std::uint16_t> extension_types(const Bytes& message) {
  codec::ByteReader r(message);
  std::uint8_t type = 0;
  codec::ByteReader body, session_id, suites, compression, extensions;
  std::uint16_t version = 0;
  EXPECT_TRUE(r.read_u8(type) && r.read_u24_prefixed(body));
  EXPECT_TRUE(body.read_u16(version) && body.skip(32) && body.read_u8_prefixed(session_id) &&
              body.read_u16_prefixed(suites) && body.read_u8_prefixed(compression));
  std::vector<std::uint16_t> types;
  if (body.empty()) return types;
  EXPECT_TRUE(body.read_u16_prefixed(extensions) && body.empty());
  while (!extensions.empty()) {
    std::uint16_t ext = 0;
    codec::ByteReader ext_body;
    EXPECT_TRUE(extensions.read_u16(ext) && extensions.read_u16_prefixed(ext_body));
    types.push_back(ext);
  }
  return types;
}

TEST(ClientHello, CloudFrontUpstreamBytesExactlyAsAppendixB) {
  const policy::Offer offer = make_offer(kUpstreamSuites, ProtocolVersion::ssl3, ProtocolVersion::tls1_2);
  const Bytes actual = encode(build_client_hello(offer, make_inputs("origin.test")));

  const Bytes expected = test::concat({
      hex("01 0000b7"),  // ClientHello, 183 bytes
      hex("0303"),       // legacy_version = min(TLS 1.2, max)
      hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
      hex("20 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"),
      hex("0026 c02c c030 c02b c02f c024 c028 c00a c014 c023 c027 c009 c013 009d 009c 0035 003c 002f 000a "
          "00ff"),
      hex("01 00"),                                                             // null compression only
      hex("0048"),                                                              // 72 bytes of extensions
      hex("000a 0008 0006 0017 001d 0018"),                                     // supported_groups
      hex("000d 0016 0014 0401 0501 0601 0301 0403 0503 0603 0303 0201 0203"),  // signature_algorithms
      hex("0000 0010 000e 00 000b 6f726967696e2e74657374"),                     // server_name origin.test
      hex("0023 0000"),                                                         // session_ticket (empty)
      hex("000b 0002 01 00"),  // ec_point_formats: uncompressed
      hex("0017 0000"),        // extended_master_secret
  });
  EXPECT_EQ(test::to_hex(actual), test::to_hex(expected));
}

TEST(ClientHello, ScsvIsLastAndSuitesKeepOfferOrder) {
  const std::uint16_t suites[] = {0x002F, 0xC02F, 0x0035};
  const ClientHello hello = build_client_hello(
      make_offer(suites, ProtocolVersion::tls1_2, ProtocolVersion::tls1_2), make_inputs("a.example"));
  EXPECT_EQ(hello.cipher_suites, (std::vector<std::uint16_t>{0x002F, 0xC02F, 0x0035, 0x00FF}));
  EXPECT_FALSE(hello.renegotiation_info.has_value());  // secure renegotiation via SCSV only
}

TEST(ClientHello, NoAlpnUnlessAsked) {
  const policy::Offer offer = make_offer(kUpstreamSuites, ProtocolVersion::tls1_2, ProtocolVersion::tls1_2);
  ClientHelloInputs in = make_inputs("origin.test");
  const ClientHello plain = build_client_hello(offer, in);
  EXPECT_FALSE(plain.offers_extension(extension::kAlpn));
  const auto plain_types = extension_types(encode(plain));
  EXPECT_EQ(std::count(plain_types.begin(), plain_types.end(), extension::kAlpn), 0);

  in.alpn = {"h2", "http/1.1"};
  const Bytes with_alpn = encode(build_client_hello(offer, in));
  // s2n's order puts ALPN right after server_name.
  EXPECT_EQ(extension_types(with_alpn),
            (std::vector<std::uint16_t>{extension::kSupportedGroups, extension::kSignatureAlgorithms,
                                        extension::kServerName, extension::kAlpn, extension::kSessionTicket,
                                        extension::kEcPointFormats, extension::kExtendedMasterSecret}));
  const Bytes alpn_ext = hex("0010 000e 000c 02 6832 08 687474702f312e31");
  EXPECT_NE(std::search(with_alpn.begin(), with_alpn.end(), alpn_ext.begin(), alpn_ext.end()),
            with_alpn.end());
}

TEST(ClientHello, NoServerNameForIpLiteralsOrEmpty) {
  const policy::Offer offer = make_offer(kUpstreamSuites, ProtocolVersion::tls1_2, ProtocolVersion::tls1_2);
  for (const char* name : {"127.0.0.1", "::1", "[::1]", "2001:db8::7", ""}) {
    const ClientHello hello = build_client_hello(offer, make_inputs(name));
    EXPECT_FALSE(hello.offers_extension(extension::kServerName)) << name;
    const auto types = extension_types(encode(hello));
    EXPECT_EQ(std::count(types.begin(), types.end(), extension::kServerName), 0) << name;
  }
  EXPECT_TRUE(
      build_client_hello(offer, make_inputs("127.0.0.1.example")).offers_extension(extension::kServerName));
}

TEST(ClientHello, TrailingDotDroppedFromServerName) {
  const policy::Offer offer = make_offer(kUpstreamSuites, ProtocolVersion::tls1_2, ProtocolVersion::tls1_2);
  EXPECT_EQ(build_client_hello(offer, make_inputs("origin.test.")).server_name, "origin.test");
}

TEST(ClientHello, IpLiteralDetection) {
  EXPECT_TRUE(is_ip_literal("10.0.0.1"));
  EXPECT_TRUE(is_ip_literal("fe80::1"));
  EXPECT_TRUE(is_ip_literal("[::ffff:1.2.3.4]"));
  EXPECT_FALSE(is_ip_literal("example.com"));
  EXPECT_FALSE(is_ip_literal("1.2.3"));
  EXPECT_FALSE(is_ip_literal("256.1.1.1"));
  EXPECT_FALSE(is_ip_literal(""));
}

TEST(ClientHello, Tls10CeilingHasNoSignatureAlgorithms) {
  const std::uint16_t suites[] = {0xC013, 0x002F};
  const ClientHello hello = build_client_hello(
      make_offer(suites, ProtocolVersion::tls1_0, ProtocolVersion::tls1_0), make_inputs("origin.test"));
  EXPECT_EQ(hello.legacy_version, 0x0301);
  EXPECT_FALSE(hello.signature_algorithms.has_value());
  EXPECT_TRUE(hello.supported_groups.has_value());
}

TEST(ClientHello, RsaOnlyOfferHasNoEccExtensions) {
  const std::uint16_t suites[] = {0x002F, 0x0035};
  const ClientHello hello = build_client_hello(
      make_offer(suites, ProtocolVersion::tls1_2, ProtocolVersion::tls1_2), make_inputs("origin.test"));
  EXPECT_FALSE(hello.offers_extension(extension::kSupportedGroups));
  EXPECT_FALSE(hello.offers_extension(extension::kEcPointFormats));
  EXPECT_TRUE(hello.offers_extension(extension::kSignatureAlgorithms));
}

TEST(ClientHello, Ssl3CeilingStillSendsExtensions) {
  const std::uint16_t suites[] = {0x002F, 0x000A};
  const ClientHello hello = build_client_hello(
      make_offer(suites, ProtocolVersion::ssl3, ProtocolVersion::ssl3), make_inputs("origin.test"));
  EXPECT_EQ(hello.legacy_version, 0x0300);
  const auto types = extension_types(encode(hello));
  EXPECT_EQ(types, (std::vector<std::uint16_t>{extension::kServerName, extension::kSessionTicket,
                                               extension::kExtendedMasterSecret}));
}

TEST(ClientHello, ExplicitVariationsForProbing) {
  ClientHello hello;
  hello.legacy_version = 0x0302;
  hello.cipher_suites = {0x1301, 0x000A};  // no SCSV, a suite we never support: sent as told
  hello.session_ticket = false;
  hello.extended_master_secret = false;
  hello.renegotiation_info = Bytes{};
  hello.extra_extensions = {RawExtension{0x1234, Bytes{0xAB}}};
  const Bytes bytes = encode(hello);
  EXPECT_EQ(extension_types(bytes), (std::vector<std::uint16_t>{extension::kRenegotiationInfo, 0x1234}));
  EXPECT_TRUE(hello.offers_extension(0x1234));
  EXPECT_FALSE(hello.offers_cipher_suite(0x00FF));
  const Bytes tail = hex("ff01 0001 00 1234 0001 ab");
  EXPECT_TRUE(std::equal(tail.rbegin(), tail.rend(), bytes.rbegin()));

  hello.send_extensions = false;
  EXPECT_TRUE(extension_types(encode(hello)).empty());
  EXPECT_FALSE(hello.offers_extension(extension::kRenegotiationInfo));
}

TEST(ClientHello, OverlongListIsReportedNotTruncated) {
  ClientHello hello;
  hello.cipher_suites.assign(40000, 0x002F);  // 80000 bytes: does not fit a u16 length
  EXPECT_FALSE(encode_client_hello(hello).has_value());
  ClientHello long_id;
  long_id.session_id.assign(300, 0);
  EXPECT_FALSE(encode_client_hello(long_id).has_value());
}

}  // namespace
}  // namespace edgefetch::tls::messages
