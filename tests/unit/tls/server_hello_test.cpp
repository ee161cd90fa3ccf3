// ServerHello decoding and the check of its extensions against our ClientHello.

#include "tls/messages/server_hello.hpp"

#include <gtest/gtest.h>

#include "test_bytes.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {
namespace {

using test::Bytes;
using test::concat;
using test::hex;

const Bytes kRandom = hex("1111111111111111111111111111111111111111111111111111111111111111");

Bytes server_hello_body(const Bytes& extensions_block) {
  return concat({hex("0303"), kRandom, hex("20"), Bytes(32, 0x22), hex("c02f 00"), extensions_block});
}

Bytes with_extensions(const Bytes& extensions) {
  Bytes block{static_cast<std::uint8_t>(extensions.size() >> 8),
              static_cast<std::uint8_t>(extensions.size())};
  block.insert(block.end(), extensions.begin(), extensions.end());
  return server_hello_body(block);
}

ClientHello typical_client_hello() {
  ClientHello hello;
  hello.cipher_suites = {0xC02F, 0x00FF};
  hello.supported_groups = std::vector<std::uint16_t>{23, 29, 24};
  hello.signature_algorithms = std::vector<std::uint16_t>{0x0401};
  hello.server_name = "origin.test";
  hello.ec_point_formats = Bytes{0};
  return hello;
}

TEST(ServerHello, DecodesAllFieldsAndKnownExtensions) {
  const Bytes body = with_extensions(concat({
      hex("ff01 0001 00"),            // renegotiation_info, empty
      hex("0017 0000"),               // extended_master_secret
      hex("000b 0004 03 000102"),     // ec_point_formats
      hex("0023 0000"),               // session_ticket
      hex("0000 0000"),               // server_name ack
      hex("0010 0005 0003 02 6832"),  // ALPN "h2"
  }));
  auto decoded = decode_server_hello(body);
  ASSERT_TRUE(decoded) << decoded.error().message;
  const ServerHello& sh = *decoded;
  EXPECT_EQ(sh.version, 0x0303);
  EXPECT_EQ(Bytes(sh.random.begin(), sh.random.end()), kRandom);
  EXPECT_EQ(sh.session_id, Bytes(32, 0x22));
  EXPECT_EQ(sh.cipher_suite, 0xC02F);
  EXPECT_EQ(sh.compression_method, 0);
  ASSERT_TRUE(sh.renegotiation_info.has_value());
  EXPECT_TRUE(sh.renegotiation_info->empty());
  EXPECT_TRUE(sh.extended_master_secret);
  EXPECT_EQ(sh.ec_point_formats, (Bytes{0, 1, 2}));
  EXPECT_TRUE(sh.session_ticket);
  EXPECT_TRUE(sh.server_name_ack);
  EXPECT_EQ(sh.alpn, std::optional<std::string>("h2"));
  EXPECT_EQ(sh.extensions.size(), 6u);
}

TEST(ServerHello, NoExtensionsBlockIsValid) {
  auto decoded = decode_server_hello(server_hello_body({}));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->extensions.empty());
  EXPECT_FALSE(decoded->extended_master_secret);
  EXPECT_FALSE(decoded->renegotiation_info.has_value());
}

TEST(ServerHello, EveryTruncationIsADecodeError) {
  const Bytes body = with_extensions(concat({hex("ff01 0001 00"), hex("0017 0000"), hex("000b 0002 01 00")}));
  ASSERT_TRUE(decode_server_hello(body));
  const std::size_t fixed_part = 2 + 32 + 1 + 32 + 2 + 1;
  for (std::size_t n = 0; n < body.size(); ++n) {
    if (n == fixed_part) continue;  // exactly the legacy form without extensions
    const Bytes truncated(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
    auto decoded = decode_server_hello(truncated);
    ASSERT_FALSE(decoded) << "accepted " << n << " bytes";
    EXPECT_EQ(decoded.error().code, ErrorCode::decode_error);
    EXPECT_EQ(decoded.error().alert, alert_description::kDecodeError);
  }
}

TEST(ServerHello, RejectsTrailingBytesAfterExtensions) {
  Bytes body = with_extensions(hex("0017 0000"));
  body.push_back(0);
  EXPECT_FALSE(decode_server_hello(body));
}

TEST(ServerHello, RejectsOverlongSessionId) {
  const Bytes body = concat({hex("0303"), kRandom, hex("21"), Bytes(33, 0), hex("c02f 00")});
  auto decoded = decode_server_hello(body);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, ErrorCode::decode_error);
}

TEST(ServerHello, RejectsDuplicateExtension) {
  auto decoded = decode_server_hello(with_extensions(hex("0017 0000 0017 0000")));
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("repeats"), std::string::npos);
}

TEST(ServerHello, RejectsMalformedExtensionBodies) {
  for (const char* ext : {"0017 0001 00", "0023 0001 00", "0000 0001 00", "ff01 0000", "ff01 0002 00 00",
                          "ff01 0002 05 00", "000b 0000", "000b 0001 00", "000b 0003 01 00 00", "0010 0000",
                          "0010 0004 0003 01 61", "0010 0003 0001 00", "0010 0007 0005 01 61 01 62"}) {
    auto decoded = decode_server_hello(with_extensions(hex(ext)));
    EXPECT_FALSE(decoded) << ext;
  }
}

TEST(ServerHello, UnsolicitedExtensionIsUnsupportedExtension) {
  ClientHello ch = typical_client_hello();
  ch.session_ticket = false;
  auto decoded = decode_server_hello(with_extensions(hex("0023 0000")));
  ASSERT_TRUE(decoded);
  auto checked = check_server_hello_extensions(*decoded, ch);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::protocol_violation);
  EXPECT_EQ(checked.error().alert, alert_description::kUnsupportedExtension);
  EXPECT_NE(checked.error().message.find("session_ticket"), std::string::npos);
}

TEST(ServerHello, UnknownExtensionIsUnsolicited) {
  auto decoded = decode_server_hello(with_extensions(hex("0016 0000")));  // encrypt_then_mac: never sent
  ASSERT_TRUE(decoded);
  EXPECT_FALSE(check_server_hello_extensions(*decoded, typical_client_hello()));
}

TEST(ServerHello, RenegotiationInfoAnswersTheScsv) {
  auto decoded = decode_server_hello(with_extensions(hex("ff01 0001 00")));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(check_server_hello_extensions(*decoded, typical_client_hello()));
  ClientHello no_scsv = typical_client_hello();
  no_scsv.cipher_suites = {0xC02F};
  EXPECT_FALSE(check_server_hello_extensions(*decoded, no_scsv));
}

TEST(ServerHello, SolicitedExtensionsPass) {
  auto decoded = decode_server_hello(with_extensions(hex("0017 0000 000b 0002 01 00 0023 0000 0000 0000")));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(check_server_hello_extensions(*decoded, typical_client_hello()));
}

TEST(ServerHello, PointFormatsMustIncludeUncompressed) {
  auto decoded = decode_server_hello(with_extensions(hex("000b 0002 01 01")));
  ASSERT_TRUE(decoded);
  auto checked = check_server_hello_extensions(*decoded, typical_client_hello());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().alert, alert_description::kIllegalParameter);
}

TEST(ServerHello, AlpnMustBeOneWeOffered) {
  ClientHello ch = typical_client_hello();
  ch.alpn = {"http/1.1"};
  auto h2 = decode_server_hello(with_extensions(hex("0010 0005 0003 02 6832")));
  ASSERT_TRUE(h2);
  EXPECT_FALSE(check_server_hello_extensions(*h2, ch));
  auto http11 = decode_server_hello(with_extensions(hex("0010 000b 0009 08 687474702f312e31")));
  ASSERT_TRUE(http11);
  EXPECT_TRUE(check_server_hello_extensions(*http11, ch));
}

TEST(ServerHello, DowngradeSentinel) {
  std::array<std::uint8_t, 32> random{};
  EXPECT_FALSE(has_downgrade_sentinel_tls11(random));
  const Bytes sentinel = hex("444f574e47524400");
  std::copy(sentinel.begin(), sentinel.end(), random.end() - 8);
  EXPECT_TRUE(has_downgrade_sentinel_tls11(random));
  random[31] = 1;  // the TLS 1.2 sentinel is not the TLS 1.1 one
  EXPECT_FALSE(has_downgrade_sentinel_tls11(random));
}

}  // namespace
}  // namespace edgefetch::tls::messages
