// Decoding of the server's handshake messages after ServerHello, encoding of
// the client's, alerts and ChangeCipherSpec.

#include <gtest/gtest.h>

#include "test_bytes.hpp"
#include "tls/messages/alert.hpp"
#include "tls/messages/certificate.hpp"
#include "tls/messages/certificate_request.hpp"
#include "tls/messages/change_cipher_spec.hpp"
#include "tls/messages/client_key_exchange.hpp"
#include "tls/messages/finished.hpp"
#include "tls/messages/hello_request.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/new_session_ticket.hpp"
#include "tls/messages/server_hello_done.hpp"
#include "tls/messages/server_key_exchange.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::messages {
namespace {

using test::Bytes;
using test::concat;
using test::hex;

// Every strict prefix of a valid encoding must be rejected by `decode`.
template <class Decode>
void expect_every_truncation_rejected(const Bytes& valid, Decode decode) {
  ASSERT_TRUE(decode(valid)) << "the full encoding must decode";
  for (std::size_t n = 0; n < valid.size(); ++n) {
    const Bytes truncated(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(decode(truncated)) << "accepted a truncation to " << n << " bytes";
  }
}

// ---- Certificate -------------------------------------------------------------

TEST(CertificateMessage, DecodesChainInOrder) {
  const Bytes body = hex("00000b 000003 aabbcc 000002 dddd");
  auto decoded = decode_certificate(body);
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->chain.size(), 2u);
  EXPECT_EQ(decoded->chain[0], hex("aabbcc"));
  EXPECT_EQ(decoded->chain[1], hex("dddd"));
  expect_every_truncation_rejected(body, [](const Bytes& b) { return bool(decode_certificate(b)); });
}

TEST(CertificateMessage, EmptyListDecodes) {
  auto decoded = decode_certificate(hex("000000"));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->chain.empty());
}

TEST(CertificateMessage, RejectsEmptyCertificateAndTrailingBytes) {
  EXPECT_FALSE(decode_certificate(hex("000003 000000")));
  EXPECT_FALSE(decode_certificate(hex("000004 000001 aa 00")));
  EXPECT_FALSE(decode_certificate(hex("000004 000001 aa ff")));
  EXPECT_FALSE(decode_certificate(hex("000005 000001 aa")));
}

TEST(CertificateMessage, RejectsOverlongChain) {
  Bytes list;
  for (int i = 0; i < 17; ++i) list = concat({list, hex("000001 aa")});
  const Bytes body = concat({hex("000044"), list});  // 17 x 4 bytes
  auto decoded = decode_certificate(body);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, ErrorCode::cert_invalid);
}

TEST(CertificateMessage, EmptyClientCertificate) {
  EXPECT_EQ(encode_empty_certificate(), hex("0b 000003 000000"));
}

// ---- ServerKeyExchange ---------------------------------------------------------

const Bytes kPoint = hex("04 0102030405");

TEST(ServerKeyExchange, Tls12FormKeepsSignedParams) {
  const Bytes params = concat({hex("03 0017 06"), kPoint});
  const Bytes body = concat({params, hex("0403 0003 302a2b")});
  auto decoded = decode_ecdhe_server_key_exchange(body, true);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->named_group, 23);
  EXPECT_EQ(decoded->public_point, kPoint);
  EXPECT_EQ(decoded->signed_params, params);
  EXPECT_EQ(decoded->signature_scheme, std::optional<std::uint16_t>(0x0403));
  EXPECT_EQ(decoded->signature, hex("302a2b"));
  expect_every_truncation_rejected(
      body, [](const Bytes& b) { return bool(decode_ecdhe_server_key_exchange(b, true)); });
}

TEST(ServerKeyExchange, PreTls12FormHasNoScheme) {
  const Bytes body = concat({hex("03 001d 06"), kPoint, hex("0002 abcd")});
  auto decoded = decode_ecdhe_server_key_exchange(body, false);
  ASSERT_TRUE(decoded);
  EXPECT_FALSE(decoded->signature_scheme.has_value());
  EXPECT_EQ(decoded->signature, hex("abcd"));
  // The same bytes read as TLS 1.2 misparse and fail.
  EXPECT_FALSE(decode_ecdhe_server_key_exchange(body, true));
  expect_every_truncation_rejected(
      body, [](const Bytes& b) { return bool(decode_ecdhe_server_key_exchange(b, false)); });
}

TEST(ServerKeyExchange, ExplicitCurvesAreNoSharedGroup) {
  auto decoded = decode_ecdhe_server_key_exchange(hex("01 0000"), true);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, ErrorCode::no_shared_group);
  auto other = decode_ecdhe_server_key_exchange(hex("07 0017 01 04 0401 0001 00"), true);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::protocol_violation);
}

TEST(ServerKeyExchange, RejectsEmptyPointEmptySignatureAndTrailingBytes) {
  EXPECT_FALSE(decode_ecdhe_server_key_exchange(hex("03 0017 00 0403 0001 aa"), true));
  EXPECT_FALSE(decode_ecdhe_server_key_exchange(hex("03 0017 01 04 0403 0000"), true));
  EXPECT_FALSE(decode_ecdhe_server_key_exchange(hex("03 0017 01 04 0403 0001 aa 00"), true));
}

// ---- CertificateRequest --------------------------------------------------------

TEST(CertificateRequestMessage, Tls12Form) {
  const Bytes body = hex("02 01 40  0004 0401 0403  0007 0005 3003310101");
  auto decoded = decode_certificate_request(body, true);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->certificate_types, hex("0140"));
  EXPECT_EQ(decoded->signature_schemes, (std::vector<std::uint16_t>{0x0401, 0x0403}));
  ASSERT_EQ(decoded->authorities.size(), 1u);
  EXPECT_EQ(decoded->authorities[0], hex("3003310101"));
  expect_every_truncation_rejected(body,
                                   [](const Bytes& b) { return bool(decode_certificate_request(b, true)); });
}

TEST(CertificateRequestMessage, PreTls12FormAndNoAuthorities) {
  auto decoded = decode_certificate_request(hex("01 01 0000"), false);
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->signature_schemes.empty());
  EXPECT_TRUE(decoded->authorities.empty());
}

TEST(CertificateRequestMessage, RejectsMalformedLists) {
  EXPECT_FALSE(decode_certificate_request(hex("00 0002 0401 0000"), true));          // no certificate types
  EXPECT_FALSE(decode_certificate_request(hex("01 01 0000 0000"), true));            // empty scheme list
  EXPECT_FALSE(decode_certificate_request(hex("01 01 0003 040104 0000"), true));     // odd scheme list
  EXPECT_FALSE(decode_certificate_request(hex("01 01 0002 0401 0002 0000"), true));  // empty DN
  EXPECT_FALSE(decode_certificate_request(hex("01 01 0002 0401 0000 00"), true));    // trailing byte
}

// ---- Empty-bodied messages ------------------------------------------------------

TEST(EmptyMessages, ServerHelloDoneAndHelloRequest) {
  EXPECT_TRUE(decode_server_hello_done({}));
  EXPECT_FALSE(decode_server_hello_done(hex("00")));
  EXPECT_TRUE(decode_hello_request({}));
  auto bad = decode_hello_request(hex("00"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::decode_error);
}

// ---- NewSessionTicket ----------------------------------------------------------

TEST(NewSessionTicketMessage, DecodesHintAndTicket) {
  const Bytes body = hex("00001c20 0003 a1a2a3");
  auto decoded = decode_new_session_ticket(body);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->lifetime_hint_seconds, 7200u);
  EXPECT_EQ(decoded->ticket, hex("a1a2a3"));
  expect_every_truncation_rejected(body, [](const Bytes& b) { return bool(decode_new_session_ticket(b)); });
  EXPECT_FALSE(decode_new_session_ticket(concat({body, hex("00")})));
}

TEST(NewSessionTicketMessage, EmptyTicketMeansNone) {
  auto decoded = decode_new_session_ticket(hex("00000000 0000"));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->ticket.empty());
}

// ---- Finished ---------------------------------------------------------------------

TEST(FinishedMessage, LengthMustMatchVersion) {
  const Bytes tls(12, 0x5A);
  auto ok = decode_finished(tls, kTlsVerifyDataLength);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, tls);
  EXPECT_FALSE(decode_finished(Bytes(11, 0), kTlsVerifyDataLength));
  EXPECT_FALSE(decode_finished(Bytes(13, 0), kTlsVerifyDataLength));
  EXPECT_TRUE(decode_finished(Bytes(36, 0), kSsl3VerifyDataLength));
  EXPECT_FALSE(decode_finished(tls, kSsl3VerifyDataLength));
}

TEST(FinishedMessage, Encodes) {
  EXPECT_EQ(encode_finished(Bytes(12, 0x01)), concat({hex("14 00000c"), Bytes(12, 0x01)}));
}

// ---- ClientKeyExchange -----------------------------------------------------------

TEST(ClientKeyExchangeMessage, EcdhePointIsU8Prefixed) {
  EXPECT_EQ(encode_ecdhe_client_key_exchange(hex("040102")), hex("10 000004 03 040102"));
}

TEST(ClientKeyExchangeMessage, RsaPremasterPrefixDependsOnVersion) {
  EXPECT_EQ(encode_rsa_client_key_exchange(hex("aabbcc"), false), hex("10 000005 0003 aabbcc"));
  EXPECT_EQ(encode_rsa_client_key_exchange(hex("aabbcc"), true), hex("10 000003 aabbcc"));
}

// ---- Alert and ChangeCipherSpec -----------------------------------------------

TEST(AlertMessage, DecodesAndEncodes) {
  auto alert = decode_alert(hex("02 28"));
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->level, AlertLevel::fatal);
  EXPECT_EQ(alert->description, 40);
  auto warning = decode_alert(hex("01 00"));
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->level, AlertLevel::warning);
  EXPECT_EQ(encode_alert(Alert{AlertLevel::warning, alert_description::kNoRenegotiation}),
            (std::array<std::uint8_t, 2>{1, 100}));
}

TEST(AlertMessage, RejectsWrongLengthAndLevel) {
  EXPECT_FALSE(decode_alert({}));
  EXPECT_FALSE(decode_alert(hex("02")));
  EXPECT_FALSE(decode_alert(hex("02 28 02")));
  auto level = decode_alert(hex("03 28"));
  ASSERT_FALSE(level);
  EXPECT_EQ(level.error().alert, alert_description::kIllegalParameter);
}

TEST(AlertMessage, Names) {
  EXPECT_EQ(alert_name(40), "handshake_failure");
  EXPECT_EQ(alert_name(70), "protocol_version");
  EXPECT_EQ(alert_name(0), "close_notify");
  EXPECT_EQ(alert_name(200), "alert(200)");
  EXPECT_EQ(error_code_name(ErrorCode::no_shared_cipher), "no_shared_cipher");
  EXPECT_EQ(error_code_name(ErrorCode::not_tls), "not_tls");
}

TEST(ChangeCipherSpecMessage, OnlyTheByteOne) {
  EXPECT_TRUE(decode_change_cipher_spec(hex("01")));
  EXPECT_FALSE(decode_change_cipher_spec(hex("02")));
  EXPECT_FALSE(decode_change_cipher_spec(hex("0101")));
  EXPECT_FALSE(decode_change_cipher_spec({}));
}

TEST(MessageNames, HandshakeAndExtensionNames) {
  EXPECT_EQ(handshake_type_name(2), "ServerHello");
  EXPECT_EQ(handshake_type_name(99), "unknown handshake message");
  EXPECT_EQ(extension_name(0xFF01), "renegotiation_info");
  EXPECT_EQ(extension_name(0x1234), "extension(0x1234)");
}

}  // namespace
}  // namespace edgefetch::tls::messages
