// The client's checks of what a server chooses, driven by hand-made server
// messages (no real server would send most of these): each illegal choice gives
// its specific error code and the client's fatal alert.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/client.hpp"
#include "support/pki.hpp"
#include "test_bytes.hpp"

namespace edgefetch::tls {
namespace {

using policy::ProtocolVersion;
using test::Bytes;
using test::concat;
using test::hex;

Bytes u16(std::size_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}
Bytes u24(std::size_t v) {
  return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
          static_cast<std::uint8_t>(v)};
}
Bytes record(std::uint8_t type, const Bytes& body, std::uint16_t version = 0x0303) {
  return concat({{type}, u16(version), u16(body.size()), body});
}
Bytes handshake(std::uint8_t type, const Bytes& body) {
  return concat({{type}, u24(body.size()), body});
}

struct ServerHelloSpec {
  std::uint16_t version = 0x0303;
  Bytes random = Bytes(32, 0x5E);
  Bytes session_id = Bytes(32, 0x33);
  std::uint16_t suite = 0xC02F;
  std::uint8_t compression = 0;
  Bytes extensions = hex("ff01 0001 00 0017 0000");
};

Bytes server_hello(const ServerHelloSpec& s) {
  return handshake(2, concat({u16(s.version),
                              s.random,
                              {static_cast<std::uint8_t>(s.session_id.size())},
                              s.session_id,
                              u16(s.suite),
                              {s.compression},
                              u16(s.extensions.size()),
                              s.extensions}));
}

Bytes leaf_der(support::Leaf leaf) {
  auto certs = crypto::Certificate::from_pem([&] {
    std::ifstream in(support::TestPki::get().leaf(leaf).cert);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }());
  if (!certs) throw std::runtime_error("cannot read test certificate");
  return certs->front().der();
}

Bytes certificate_message(support::Leaf leaf) {
  const Bytes der = leaf_der(leaf);
  return handshake(11, concat({u24(der.size() + 3), u24(der.size()), der}));
}

ClientConfig make_config(std::vector<ProtocolVersion> allowed = {ProtocolVersion::tls1_2}) {
  ClientConfig config;
  config.offer = policy::narrow(policy::default_profile(), allowed);
  config.server_name = "origin.test";
  config.verify_name = "origin.test";
  config.verify_certificates = false;  // these tests are about the handshake checks
  return config;
}

struct Session {
  Client client;
  explicit Session(ClientConfig config = make_config()) : client(std::move(config)) {
    client.start();
    client.consume_output(client.pending_output().size());
  }
  base::Expected<void, Error> feed(const Bytes& bytes) { return client.feed(bytes); }
};

void expect_failure(Session& run, const Bytes& input, ErrorCode code, std::optional<std::uint8_t> alert,
                    AlertSender sender = AlertSender::client) {
  auto fed = run.feed(input);
  ASSERT_FALSE(fed) << "accepted";
  EXPECT_EQ(fed.error().code, code) << error_code_name(fed.error().code) << ": " << fed.error().message;
  EXPECT_EQ(fed.error().alert, alert) << fed.error().message;
  EXPECT_EQ(fed.error().alert_sender, sender);
  EXPECT_EQ(run.client.state(), State::failed);
  if (sender == AlertSender::client && alert) {
    // Our fatal alert is the last record queued (plaintext before the key exchange).
    const auto out = run.client.pending_output();
    ASSERT_GE(out.size(), 7u);
    EXPECT_EQ(out[out.size() - 7], 21);
    EXPECT_EQ(out[out.size() - 2], 2);  // fatal
    EXPECT_EQ(out[out.size() - 1], *alert);
  }
}

// ---- ServerHello ------------------------------------------------------------------

TEST(ClientChecks, AlertBytesForVersionNotAllowed) {
  Session run;
  ServerHelloSpec s;
  s.version = 0x0302;
  ASSERT_FALSE(run.feed(record(22, server_hello(s), 0x0302)));
  EXPECT_EQ(run.client.error().code, ErrorCode::version_not_allowed);
  // Record version 0x0301 (the ClientHello's), fatal protocol_version.
  EXPECT_EQ(Bytes(run.client.pending_output().begin(), run.client.pending_output().end()),
            hex("15 0301 0002 02 46"));
}

TEST(ClientChecks, VersionAboveWhatWeOffered) {
  Session run;
  ServerHelloSpec s;
  s.version = 0x0304;
  expect_failure(run, record(22, server_hello(s)), ErrorCode::version_not_allowed, 70);
}

TEST(ClientChecks, VersionBelowTheFloorNamesTheFloor) {
  Session run(make_config({ProtocolVersion::tls1_1, ProtocolVersion::tls1_2}));
  ServerHelloSpec s;
  s.version = 0x0301;
  s.suite = 0xC013;
  auto fed = run.feed(record(22, server_hello(s)));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::version_not_allowed);
  EXPECT_NE(fed.error().message.find("TLS 1.0"), std::string::npos) << fed.error().message;
  EXPECT_NE(fed.error().message.find("floor"), std::string::npos) << fed.error().message;
}

TEST(ClientChecks, UnofferedSuiteIsNoSharedCipher) {
  Session run;
  ServerHelloSpec s;
  s.suite = 0xCCA8;  // ECDHE-RSA-CHACHA20-POLY1305
  expect_failure(run, record(22, server_hello(s)), ErrorCode::no_shared_cipher, 47);
}

TEST(ClientChecks, ScsvIsNotASuite) {
  Session run;
  ServerHelloSpec s;
  s.suite = 0x00FF;
  expect_failure(run, record(22, server_hello(s)), ErrorCode::no_shared_cipher, 47);
}

TEST(ClientChecks, Tls12OnlySuiteInTls11IsAProtocolViolation) {
  Session run(make_config({ProtocolVersion::tls1_0}));
  ServerHelloSpec s;
  s.version = 0x0302;
  s.suite = 0xC02F;  // GCM: TLS 1.2 only
  auto fed = run.feed(record(22, server_hello(s)));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::protocol_violation);
  EXPECT_NE(fed.error().message.find("TLS 1.1"), std::string::npos) << fed.error().message;
}

TEST(ClientChecks, CompressionMustBeNull) {
  Session run;
  ServerHelloSpec s;
  s.compression = 1;
  expect_failure(run, record(22, server_hello(s)), ErrorCode::protocol_violation, 47);
}

TEST(ClientChecks, UnsolicitedExtensionIsUnsupportedExtension) {
  Session run;
  ServerHelloSpec s;
  s.extensions = hex("0016 0000");  // encrypt_then_mac: never offered
  expect_failure(run, record(22, server_hello(s)), ErrorCode::protocol_violation, 110);
}

TEST(ClientChecks, AlpnAnswerWithoutAlpnOffer) {
  Session run;
  ServerHelloSpec s;
  s.extensions = hex("0010 0005 0003 02 6832");
  expect_failure(run, record(22, server_hello(s)), ErrorCode::protocol_violation, 110);
}

TEST(ClientChecks, NonEmptyRenegotiationInfoOnInitialHandshake) {
  Session run;
  ServerHelloSpec s;
  s.extensions = hex("ff01 0002 01 00");
  expect_failure(run, record(22, server_hello(s)), ErrorCode::protocol_violation, 40);
}

TEST(ClientChecks, DuplicateExtensionIsDecodeError) {
  Session run;
  ServerHelloSpec s;
  s.extensions = hex("0017 0000 0017 0000");
  expect_failure(run, record(22, server_hello(s)), ErrorCode::decode_error, 50);
}

TEST(ClientChecks, DowngradeSentinelIsRefused) {
  Session run(make_config({ProtocolVersion::tls1_0}));
  ServerHelloSpec s;
  s.version = 0x0302;
  s.suite = 0xC013;
  s.random = concat({Bytes(24, 0x5E), hex("444f574e47524400")});
  expect_failure(run, record(22, server_hello(s)), ErrorCode::protocol_violation, 47);
}

TEST(ClientChecks, SecureRenegotiationAbsentIsRecordedNotFatal) {
  Session run;
  ServerHelloSpec s;
  s.extensions = {};
  ASSERT_TRUE(run.feed(record(22, server_hello(s))));
  EXPECT_FALSE(run.client.negotiated().secure_renegotiation);
  EXPECT_FALSE(run.client.negotiated().extended_master_secret);
  ASSERT_NE(run.client.negotiated().cipher_suite, nullptr);
  EXPECT_EQ(run.client.negotiated().cipher_suite->code, 0xC02F);
}

// ---- Server alerts in answer to the ClientHello ---------------------------------------

struct AlertCase {
  std::uint8_t description;
  ErrorCode expected;
};

class AlertToClientHello : public ::testing::TestWithParam<AlertCase> {};

TEST_P(AlertToClientHello, MapsToItsMeaning) {
  Session run;
  const AlertCase& ac = GetParam();
  auto fed = run.feed(record(21, Bytes{2, ac.description}, 0x0301));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ac.expected);
  EXPECT_EQ(fed.error().alert_sender, AlertSender::server);
  EXPECT_EQ(fed.error().alert, ac.description);
  EXPECT_NE(fed.error().message.find(alert_name(ac.description)), std::string::npos) << fed.error().message;
  EXPECT_TRUE(run.client.pending_output().empty()) << "no alert is sent in answer to a fatal alert";
}

INSTANTIATE_TEST_SUITE_P(ClientChecks, AlertToClientHello,
                         ::testing::Values(AlertCase{70, ErrorCode::no_shared_version},
                                           AlertCase{40, ErrorCode::no_shared_cipher},
                                           AlertCase{71, ErrorCode::no_shared_cipher},
                                           AlertCase{80, ErrorCode::server_alert},
                                           AlertCase{112, ErrorCode::server_alert}));

TEST(ClientChecks, HandshakeFailureLaterIsPlainServerAlert) {
  Session run;
  ASSERT_TRUE(run.feed(record(22, server_hello({}))));
  auto fed = run.feed(record(21, hex("02 28")));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::server_alert);
}

TEST(ClientChecks, WarningsAreToleratedUpToALimit) {
  Session run;
  ASSERT_TRUE(run.feed(record(21, hex("01 70"))));  // unrecognized_name warning
  ASSERT_TRUE(run.feed(record(22, server_hello({}))));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(run.feed(record(21, hex("01 70"))));
  expect_failure(run, record(21, hex("01 70")), ErrorCode::protocol_violation, 10);
}

// Each warning the connection went on after is reported once, in order (s2n
// would have ended the connection: check and get say so).
TEST(ClientChecks, WarningsGoneOnAfterAreReportedOnceEach) {
  Session run;
  ASSERT_TRUE(run.feed(record(21, hex("01 70"))));  // unrecognized_name
  ASSERT_TRUE(run.feed(record(21, hex("01 70"))));
  ASSERT_TRUE(run.feed(record(21, hex("01 5A"))));  // user_canceled
  EXPECT_EQ(run.client.negotiated().warning_alerts, (std::vector<std::uint8_t>{112, 90}));
}

TEST(ClientChecks, CloseNotifyDuringHandshake) {
  Session run;
  auto fed = run.feed(record(21, hex("01 00")));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::server_alert);
  EXPECT_TRUE(run.client.peer_closed());
}

TEST(ClientChecks, MalformedAlertRecord) {
  Session run;
  expect_failure(run, record(21, hex("02 28 00")), ErrorCode::decode_error, 50);
}

// ---- Message order ------------------------------------------------------------------

TEST(ClientChecks, EarlyChangeCipherSpecIsUnexpected) {
  Session run;
  expect_failure(run, record(20, hex("01")), ErrorCode::protocol_violation, 10);
}

TEST(ClientChecks, ChangeCipherSpecAfterServerHelloIsUnexpected) {
  Session run;
  ASSERT_TRUE(run.feed(record(22, server_hello({}))));
  expect_failure(run, record(20, hex("01")), ErrorCode::protocol_violation, 10);
}

TEST(ClientChecks, ApplicationDataBeforeHandshakeIsUnexpected) {
  Session run;
  expect_failure(run, record(23, hex("0102")), ErrorCode::protocol_violation, 10);
}

TEST(ClientChecks, CertificateBeforeServerHelloIsUnexpected) {
  Session run;
  expect_failure(run, record(22, certificate_message(support::Leaf::rsa2048)), ErrorCode::protocol_violation,
                 10);
}

TEST(ClientChecks, HelloRequestDuringHandshakeIsIgnored) {
  Session run;
  ASSERT_TRUE(run.feed(record(22, concat({handshake(0, {}), server_hello({})}))));
  EXPECT_EQ(run.client.state(), State::handshaking);
  EXPECT_NE(run.client.negotiated().cipher_suite, nullptr);
}

TEST(ClientChecks, EmptyHandshakeRecordIsRefused) {
  Session run;
  expect_failure(run, record(22, {}), ErrorCode::protocol_violation, 10);
}

TEST(ClientChecks, OversizedHandshakeMessageIsRefusedFromItsHeader) {
  Session run;
  // unexpected_message, as the CDN's s2n answers a handshake message over 64 KiB.
  expect_failure(run, record(22, hex("02 100000")), ErrorCode::decode_error, 10);
  // A Certificate message that large is a chain the CDN cannot take.
  Session certificate_run;
  expect_failure(certificate_run, record(22, hex("0b 100000")), ErrorCode::cert_invalid, 10);
}

TEST(ClientChecks, ApplicationDataInsideASplitHandshakeMessageIsUnexpected) {
  // RFC 8446 §5.1: no record of another type between the pieces of a
  // handshake message (the record front applies it to both versions, and to
  // post-handshake messages such as a TLS 1.3 NewSessionTicket).
  Session run;
  const Bytes sh = server_hello({});
  ASSERT_TRUE(run.feed(record(22, Bytes(sh.begin(), sh.begin() + 3))));
  auto fed = run.feed(record(23, hex("0102")));
  ASSERT_FALSE(fed) << "accepted";
  EXPECT_EQ(fed.error().code, ErrorCode::protocol_violation);
  EXPECT_EQ(fed.error().alert, 10);
  EXPECT_NE(fed.error().message.find("in the middle of a handshake message"), std::string::npos)
      << fed.error().message;

  // An alert there too (s2n refuses it as well), rather than taking the alert.
  Session alert_run;
  ASSERT_TRUE(alert_run.feed(record(22, Bytes(sh.begin(), sh.begin() + 3))));
  auto alerted = alert_run.feed(record(21, hex("0228")));
  ASSERT_FALSE(alerted) << "accepted";
  EXPECT_EQ(alerted.error().code, ErrorCode::protocol_violation);
  EXPECT_NE(alerted.error().message.find("alert record in the middle of a handshake message"),
            std::string::npos)
      << alerted.error().message;
}

TEST(ClientChecks, ServerHelloSplitAcrossRecords) {
  Session run;
  const Bytes sh = server_hello({});
  ASSERT_TRUE(run.feed(record(22, Bytes(sh.begin(), sh.begin() + 3))));
  ASSERT_TRUE(run.feed(record(22, Bytes(sh.begin() + 3, sh.end()))));
  EXPECT_NE(run.client.negotiated().cipher_suite, nullptr);
}

// ---- Certificate and ServerKeyExchange ---------------------------------------------------

Bytes ske(std::uint16_t group, std::uint16_t scheme, const Bytes& point, const Bytes& signature) {
  return handshake(12, concat({hex("03"),
                               u16(group),
                               {static_cast<std::uint8_t>(point.size())},
                               point,
                               u16(scheme),
                               u16(signature.size()),
                               signature}));
}

const Bytes kP256Point = concat({hex("04"), Bytes(64, 0x11)});

TEST(ClientChecks, UnofferedGroupIsNoSharedGroup) {
  Session run;
  const Bytes flight =
      concat({server_hello({}), certificate_message(support::Leaf::rsa2048),
              ske(policy::kGroupSecp521r1, 0x0401, concat({hex("04"), Bytes(132, 1)}), Bytes(256, 0))});
  expect_failure(run, record(22, flight), ErrorCode::no_shared_group, 47);
}

TEST(ClientChecks, UnofferedSchemeIsNoSharedSignatureScheme) {
  Session run;
  const Bytes flight =
      concat({server_hello({}), certificate_message(support::Leaf::rsa2048),
              ske(policy::kGroupSecp256r1, 0x0804 /* rsa_pss_rsae_sha256 */, kP256Point, Bytes(256, 0))});
  expect_failure(run, record(22, flight), ErrorCode::no_shared_signature_scheme, 47);
}

TEST(ClientChecks, SchemeThatDoesNotFitTheKey) {
  Session run;
  const Bytes flight =
      concat({server_hello({}), certificate_message(support::Leaf::rsa2048),
              ske(policy::kGroupSecp256r1, 0x0403 /* ecdsa_secp256r1_sha256 */, kP256Point, Bytes(70, 0))});
  expect_failure(run, record(22, flight), ErrorCode::protocol_violation, 47);
}

TEST(ClientChecks, BadSignatureIsBadSignature) {
  Session run;
  const Bytes flight = concat({server_hello({}), certificate_message(support::Leaf::rsa2048),
                               ske(policy::kGroupSecp256r1, 0x0401, kP256Point, Bytes(256, 0x42))});
  expect_failure(run, record(22, flight), ErrorCode::bad_signature, 51);
}

TEST(ClientChecks, EcdsaSuiteWithRsaCertificate) {
  Session run;
  ServerHelloSpec s;
  s.suite = 0xC02B;
  const Bytes flight = concat({server_hello(s), certificate_message(support::Leaf::rsa2048)});
  expect_failure(run, record(22, flight), ErrorCode::cert_key_unsupported, 43);
}

TEST(ClientChecks, EcdsaCertificateOnUnofferedCurve) {
  Session run;
  ServerHelloSpec s;
  s.suite = 0xC02B;
  const Bytes flight = concat({server_hello(s), certificate_message(support::Leaf::ecdsa_p521)});
  expect_failure(run, record(22, flight), ErrorCode::no_shared_group, 40);
}

TEST(ClientChecks, RsaSuiteWithEcCertificate) {
  Session run;
  ServerHelloSpec s;
  s.suite = 0x002F;
  const Bytes flight = concat({server_hello(s), certificate_message(support::Leaf::ecdsa_p256)});
  expect_failure(run, record(22, flight), ErrorCode::cert_key_unsupported, 43);
}

TEST(ClientChecks, ServerKeyExchangeInRsaKeyExchangeIsUnexpected) {
  Session run;
  ServerHelloSpec s;
  s.suite = 0x002F;
  const Bytes flight = concat({server_hello(s), certificate_message(support::Leaf::rsa2048),
                               ske(policy::kGroupSecp256r1, 0x0401, kP256Point, Bytes(256, 0))});
  expect_failure(run, record(22, flight), ErrorCode::protocol_violation, 10);
}

TEST(ClientChecks, MissingServerKeyExchangeIsUnexpected) {
  Session run;
  const Bytes flight =
      concat({server_hello({}), certificate_message(support::Leaf::rsa2048), handshake(14, {})});
  expect_failure(run, record(22, flight), ErrorCode::protocol_violation, 10);
}

TEST(ClientChecks, EmptyCertificateChain) {
  Session run;
  const Bytes flight = concat({server_hello({}), handshake(11, hex("000000"))});
  expect_failure(run, record(22, flight), ErrorCode::cert_invalid, 42);
}

TEST(ClientChecks, GarbageCertificate) {
  Session run;
  const Bytes flight = concat({server_hello({}), handshake(11, hex("000006 000003 300100"))});
  expect_failure(run, record(22, flight), ErrorCode::cert_invalid, 42);
}

TEST(ClientChecks, RsaKeyExchangeSendsItsFlightAfterServerHelloDone) {
  Session run;
  ServerHelloSpec s;
  s.suite = 0x002F;
  s.extensions = hex("ff01 0001 00");  // no EMS
  const Bytes flight =
      concat({server_hello(s), certificate_message(support::Leaf::rsa2048), handshake(14, {})});
  ASSERT_TRUE(run.feed(record(22, flight))) << run.client.error().message;
  // ClientKeyExchange (plaintext handshake record), ChangeCipherSpec, encrypted Finished.
  const auto out = run.client.pending_output();
  ASSERT_GT(out.size(), 5u + 4u + 2u + 256u);
  EXPECT_EQ(out[0], 22);
  EXPECT_EQ(out[5], 16);  // client_key_exchange
  const std::size_t first = 5u + (std::size_t{out[3]} << 8 | out[4]);
  EXPECT_EQ(Bytes(out.begin() + static_cast<std::ptrdiff_t>(first),
                  out.begin() + static_cast<std::ptrdiff_t>(first) + 6),
            hex("14 0303 0001 01"));
  EXPECT_EQ(out[first + 6], 22);  // the Finished record
  EXPECT_EQ(run.client.state(), State::handshaking);
}

}  // namespace
}  // namespace edgefetch::tls
