// End-to-end handshakes of tls::Client against libssl in memory: negotiated
// parameters for several suites, groups and schemes (checked against what the
// server saw), application data both ways, close_notify both ways, and the
// failures a real server produces.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "client_config.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/client.hpp"
#include "memory_pump.hpp"
#include "memory_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::tls {
namespace {

using policy::ProtocolVersion;
using support::Leaf;
using test::client_to_server;
using test::MemoryServer;
using test::MemoryServerOptions;
using test::pump;
using test::test_client_config;

struct Connection {
  Client client;
  MemoryServer server;
  Connection(ClientConfig config, const MemoryServerOptions& options)
      : client(std::move(config)), server(options) {
    client.start();
    pump(client, server);
  }
};

std::string readable_text(Client& client) {
  std::string text;
  for (auto data = client.readable(); !data.empty(); data = client.readable()) {
    text.append(data.begin(), data.end());
    client.consume_readable(data.size());
  }
  return text;
}

// ---- Successful handshakes ---------------------------------------------------

struct Cell {
  std::string name;
  std::string profile;
  Leaf leaf;
  std::string ciphers;
  std::string groups;
  std::string sigalgs;
  std::uint16_t suite;
  std::uint16_t group;   // 0: none (RSA key exchange)
  std::uint16_t scheme;  // 0: none
  std::string key;
};

class Handshake : public ::testing::TestWithParam<Cell> {};

TEST_P(Handshake, NegotiatesExactlyWhatTheServerChose) {
  const Cell& cell = GetParam();
  MemoryServerOptions options;
  options.leaf = cell.leaf;
  options.ciphers = cell.ciphers + ":@SECLEVEL=0";
  options.groups = cell.groups;
  options.sigalgs = cell.sigalgs;
  Connection c(test_client_config({ProtocolVersion::tls1_2}, cell.profile), options);
  ASSERT_EQ(c.client.state(), State::connected)
      << c.client.error().message << " / server: " << c.server.last_error();
  ASSERT_TRUE(c.server.handshake_done());

  const Negotiated& n = c.client.negotiated();
  EXPECT_EQ(n.version, ProtocolVersion::tls1_2);
  ASSERT_NE(n.cipher_suite, nullptr);
  EXPECT_EQ(n.cipher_suite->code, cell.suite);
  EXPECT_EQ(c.server.cipher_code(), cell.suite);
  EXPECT_EQ(c.server.version(), TLS1_2_VERSION);
  if (cell.group == 0) {
    EXPECT_EQ(n.group, nullptr);
  } else {
    ASSERT_NE(n.group, nullptr);
    EXPECT_EQ(n.group->code, cell.group);
  }
  if (cell.scheme == 0) {
    EXPECT_EQ(n.signature_scheme, nullptr);
  } else {
    ASSERT_NE(n.signature_scheme, nullptr);
    EXPECT_EQ(n.signature_scheme->code, cell.scheme);
  }
  EXPECT_EQ(n.certificate_chain.size(), 2u);  // leaf + intermediate, as sent
  ASSERT_TRUE(n.certificate.has_value());
  EXPECT_EQ(n.certificate->key, cell.key);
  EXPECT_NE(std::find(n.certificate->san.begin(), n.certificate->san.end(), "DNS:origin.test"),
            n.certificate->san.end());
  EXPECT_TRUE(n.extended_master_secret);
  EXPECT_EQ(SSL_get_extms_support(c.server.ssl()), 1);
  EXPECT_TRUE(n.secure_renegotiation);
  EXPECT_TRUE(n.session_ticket_received);
  EXPECT_FALSE(n.resumed);
  // With a ticket on offer OpenSSL sends an empty session_id; the value is the server's either way.
  EXPECT_LE(n.session_id.size(), 32u);
  EXPECT_TRUE(n.alpn.empty());

  // Application data both ways.
  const std::string request = "GET / HTTP/1.1\r\nHost: origin.test\r\n\r\n";
  ASSERT_TRUE(c.client.write({reinterpret_cast<const std::uint8_t*>(request.data()), request.size()}));
  pump(c.client, c.server);
  EXPECT_EQ(c.server.received(), request);
  const std::string response(40000, 'x');  // several records
  c.server.write(response);
  pump(c.client, c.server);
  EXPECT_EQ(readable_text(c.client), response);

  // close_notify both ways.
  c.client.close();
  EXPECT_EQ(c.client.state(), State::closed);
  pump(c.client, c.server);
  EXPECT_TRUE(c.server.saw_close_notify());
  c.server.send_close_notify();
  pump(c.client, c.server);
  EXPECT_TRUE(c.client.peer_closed());
  EXPECT_FALSE(c.client.error());
}

INSTANTIATE_TEST_SUITE_P(
    Tls12, Handshake,
    ::testing::Values(
        Cell{"ecdhe_rsa_aes128_gcm_p256", "cloudfront", Leaf::rsa2048, "ECDHE-RSA-AES128-GCM-SHA256", "P-256",
             "RSA+SHA256", 0xC02F, 23, 0x0401, "RSA 2048"},
        Cell{"ecdhe_rsa_aes256_gcm_x25519", "cloudfront", Leaf::rsa2048, "ECDHE-RSA-AES256-GCM-SHA384",
             "X25519", "RSA+SHA384", 0xC030, 29, 0x0501, "RSA 2048"},
        Cell{"ecdhe_rsa_aes128_sha_p384", "cloudfront", Leaf::rsa2048, "ECDHE-RSA-AES128-SHA", "P-384",
             "RSA+SHA512", 0xC013, 24, 0x0601, "RSA 2048"},
        Cell{"ecdhe_rsa_aes256_sha384_sha1", "cloudfront", Leaf::rsa2048, "ECDHE-RSA-AES256-SHA384", "X25519",
             "RSA+SHA1", 0xC028, 29, 0x0201, "RSA 2048"},
        Cell{"ecdhe_rsa_aes256_sha_sha224", "cloudfront", Leaf::rsa2048, "ECDHE-RSA-AES256-SHA", "P-256",
             "RSA+SHA224", 0xC014, 23, 0x0301, "RSA 2048"},
        Cell{"ecdhe_ecdsa_aes128_gcm_p256", "cloudfront", Leaf::ecdsa_p256, "ECDHE-ECDSA-AES128-GCM-SHA256",
             "P-256", "ECDSA+SHA256", 0xC02B, 23, 0x0403, "EC P-256"},
        Cell{"ecdhe_ecdsa_aes256_gcm_p384cert", "cloudfront", Leaf::ecdsa_p384,
             "ECDHE-ECDSA-AES256-GCM-SHA384", "X25519", "ECDSA+SHA384", 0xC02C, 29, 0x0503, "EC P-384"},
        Cell{"ecdhe_ecdsa_aes128_sha256_sha224", "cloudfront", Leaf::ecdsa_p256, "ECDHE-ECDSA-AES128-SHA256",
             "P-384", "ECDSA+SHA224", 0xC023, 24, 0x0303, "EC P-256"},
        Cell{"ecdhe_ecdsa_aes256_sha_sha1", "cloudfront", Leaf::ecdsa_p256, "ECDHE-ECDSA-AES256-SHA", "P-256",
             "ECDSA+SHA1", 0xC00A, 23, 0x0203, "EC P-256"},
        Cell{"ecdhe_ecdsa_aes256_sha384_sha512", "cloudfront", Leaf::ecdsa_p384, "ECDHE-ECDSA-AES256-SHA384",
             "P-256", "ECDSA+SHA512", 0xC024, 23, 0x0603, "EC P-384"},
        Cell{"rsa_aes128_sha", "cloudfront", Leaf::rsa2048, "AES128-SHA", "", "", 0x002F, 0, 0, "RSA 2048"},
        Cell{"rsa_aes256_sha", "cloudfront", Leaf::rsa2048, "AES256-SHA", "", "", 0x0035, 0, 0, "RSA 2048"},
        Cell{"rsa_aes256_gcm", "CloudFront-Upstream", Leaf::rsa2048, "AES256-GCM-SHA384", "", "", 0x009D, 0,
             0, "RSA 2048"},
        Cell{"rsa_aes128_gcm", "CloudFront-Upstream", Leaf::rsa2048, "AES128-GCM-SHA256", "", "", 0x009C, 0,
             0, "RSA 2048"},
        Cell{"rsa_aes128_sha256", "CloudFront-Upstream", Leaf::rsa2048, "AES128-SHA256", "", "", 0x003C, 0, 0,
             "RSA 2048"}),
    [](const ::testing::TestParamInfo<Cell>& param_info) { return param_info.param.name; });

// ---- Older versions (the version-dependent paths) ----------------------------

struct LegacyCell {
  std::string name;
  int server_version;
  ProtocolVersion expected;
  Leaf leaf;
  std::string ciphers;
  std::uint16_t suite;
};

class LegacyHandshake : public ::testing::TestWithParam<LegacyCell> {};

TEST_P(LegacyHandshake, NegotiatesWithoutSignatureSchemes) {
  const LegacyCell& cell = GetParam();
  MemoryServerOptions options;
  options.leaf = cell.leaf;
  options.min_version = cell.server_version;
  options.max_version = cell.server_version;
  options.ciphers = cell.ciphers + ":@SECLEVEL=0";
  options.groups = "P-256";
  Connection c(test_client_config({ProtocolVersion::tls1_0}), options);
  ASSERT_EQ(c.client.state(), State::connected)
      << c.client.error().message << " / server: " << c.server.last_error();
  const Negotiated& n = c.client.negotiated();
  EXPECT_EQ(n.version, cell.expected);
  EXPECT_EQ(c.server.version(), cell.server_version);
  ASSERT_NE(n.cipher_suite, nullptr);
  EXPECT_EQ(n.cipher_suite->code, cell.suite);
  EXPECT_EQ(n.signature_scheme, nullptr);
  EXPECT_TRUE(n.extended_master_secret);

  const std::string request = "ping over an old version";
  ASSERT_TRUE(c.client.write({reinterpret_cast<const std::uint8_t*>(request.data()), request.size()}));
  pump(c.client, c.server);
  EXPECT_EQ(c.server.received(), request);
  c.server.write("pong");
  pump(c.client, c.server);
  EXPECT_EQ(readable_text(c.client), "pong");
}

INSTANTIATE_TEST_SUITE_P(
    Tls10And11, LegacyHandshake,
    ::testing::Values(
        LegacyCell{"tls11_ecdhe_rsa", TLS1_1_VERSION, ProtocolVersion::tls1_1, Leaf::rsa2048,
                   "ECDHE-RSA-AES128-SHA", 0xC013},
        LegacyCell{"tls10_ecdhe_rsa", TLS1_VERSION, ProtocolVersion::tls1_0, Leaf::rsa2048,
                   "ECDHE-RSA-AES256-SHA", 0xC014},
        LegacyCell{"tls10_ecdhe_ecdsa", TLS1_VERSION, ProtocolVersion::tls1_0, Leaf::ecdsa_p256,
                   "ECDHE-ECDSA-AES128-SHA", 0xC009},
        LegacyCell{"tls11_rsa", TLS1_1_VERSION, ProtocolVersion::tls1_1, Leaf::rsa2048, "AES256-SHA", 0x0035},
        LegacyCell{"tls10_rsa", TLS1_VERSION, ProtocolVersion::tls1_0, Leaf::rsa2048, "AES128-SHA", 0x002F}),
    [](const ::testing::TestParamInfo<LegacyCell>& param_info) { return param_info.param.name; });

// ---- Handshake variations -----------------------------------------------------

MemoryServerOptions default_server() {
  MemoryServerOptions options;
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
  return options;
}

TEST(ClientHandshake, ReassemblesSmallServerRecords) {
  MemoryServerOptions options = default_server();
  options.max_send_fragment = 512;  // the certificate chain spans several records
  Connection c(test_client_config(), options);
  EXPECT_EQ(c.client.state(), State::connected) << c.client.error().message;
}

// Runs the handshake by hand, handing each flight of the server's bytes to
// `deliver` (which chooses how they reach the client).
template <class Deliver>
void handshake_by_hand(Client& client, MemoryServer& server, Deliver deliver) {
  client.start();
  for (int round = 0; round < 16 && client.state() == State::handshaking; ++round) {
    client_to_server(client, server);
    server.step();
    deliver(server.take_output());
  }
  client_to_server(client, server);
  server.step();
}

TEST(ClientHandshake, SurvivesByteByByteDelivery) {
  Client client(test_client_config());
  MemoryServer server(default_server());
  handshake_by_hand(client, server, [&](const std::vector<std::uint8_t>& flight) {
    for (std::uint8_t byte : flight) {
      ASSERT_TRUE(client.feed(std::span<const std::uint8_t>(&byte, 1))) << client.error().message;
    }
  });
  EXPECT_EQ(client.state(), State::connected);
  EXPECT_TRUE(server.handshake_done());
}

// The socket's path: reads land in the engine's own buffer (input_space /
// commit_input). Every chunking gives the same handshake and the same bytes,
// also when a read arrives while a record's plaintext is only partly consumed
// (the engine keeps those bytes before its buffer may move).
class InPlaceDelivery : public ::testing::TestWithParam<std::size_t> {};

TEST_P(InPlaceDelivery, HandshakeAndLargeResponseArriveIntact) {
  const std::size_t chunk = GetParam();
  Client client(test_client_config());
  MemoryServer server(default_server());
  handshake_by_hand(client, server, [&](const std::vector<std::uint8_t>& flight) {
    ASSERT_TRUE(test::deliver_in_place(client, flight, chunk)) << client.error().message;
  });
  ASSERT_EQ(client.state(), State::connected) << client.error().message;

  std::string response(100 * 1024 + 3, '\0');
  for (std::size_t i = 0; i < response.size(); ++i) response[i] = static_cast<char>('a' + i * 7 % 26);
  server.write(response);
  const auto sent = server.take_output();
  std::span<const std::uint8_t> rest(sent);
  std::string text;
  bool leave_some = false;
  while (!rest.empty()) {
    const std::size_t n = std::min(chunk, rest.size());
    ASSERT_TRUE(test::deliver_in_place(client, rest.first(n), chunk)) << client.error().message;
    rest = rest.subspan(n);
    // Alternately drain, and take a single byte so that the next read comes
    // while the rest of the record's plaintext is still unconsumed.
    if (leave_some && !client.readable().empty()) {
      text.push_back(static_cast<char>(client.readable()[0]));
      client.consume_readable(1);
    } else {
      text += readable_text(client);
    }
    leave_some = !leave_some;
  }
  text += readable_text(client);
  EXPECT_EQ(text.size(), response.size());
  EXPECT_TRUE(text == response) << "the plaintext differs from what the server sent";
}

INSTANTIATE_TEST_SUITE_P(Chunks, InPlaceDelivery,
                         ::testing::Values(std::size_t{1}, std::size_t{7}, std::size_t{1000},
                                           std::size_t{16 * 1024 + 29}, std::size_t{40 * 1024}));

TEST(ClientHandshake, InPlaceInputAfterFailureIsRefused) {
  Client client(test_client_config());
  MemoryServer server(default_server());
  client.start();
  const std::uint8_t garbage[] = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' ', '4', '0', '0'};
  EXPECT_FALSE(test::deliver_in_place(client, garbage, sizeof garbage));
  ASSERT_EQ(client.state(), State::failed);
  EXPECT_EQ(client.error().code, ErrorCode::not_tls);
  const auto space = client.input_space(5);
  ASSERT_GE(space.size(), 5u);
  std::copy_n(garbage, 5, space.begin());
  const auto again = client.commit_input(5);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_tls);
}

TEST(ClientHandshake, InPlaceInputBeforeStartIsAnError) {
  Client client(test_client_config());
  (void)client.input_space(1);
  const auto result = client.commit_input(0);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::internal_error);
}

TEST(ClientHandshake, NoTicketWhenServerIssuesNone) {
  MemoryServerOptions options = default_server();
  options.tickets = false;
  Connection c(test_client_config(), options);
  ASSERT_EQ(c.client.state(), State::connected) << c.client.error().message;
  EXPECT_FALSE(c.client.negotiated().session_ticket_received);
  EXPECT_EQ(c.client.negotiated().session_id.size(), 32u);  // stateful session id instead
}

TEST(ClientHandshake, HelloOptionsSwitchOffExtensionsForProbing) {
  ClientConfig config = test_client_config();
  config.hello.extended_master_secret = false;
  config.hello.renegotiation_scsv = false;
  config.hello.session_ticket = false;
  config.hello.random_session_id = false;
  Connection c(config, default_server());
  ASSERT_EQ(c.client.state(), State::connected) << c.client.error().message;
  const Negotiated& n = c.client.negotiated();
  EXPECT_FALSE(n.extended_master_secret);
  EXPECT_EQ(SSL_get_extms_support(c.server.ssl()), 0);
  EXPECT_FALSE(n.secure_renegotiation);
  EXPECT_FALSE(n.session_ticket_received);
}

TEST(ClientHandshake, WithoutSupportedGroupsTheServerFallsBackToRsa) {
  ClientConfig config = test_client_config();
  config.hello.supported_groups = false;
  config.hello.ec_point_formats = false;
  MemoryServerOptions options;
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA";
  Connection c(config, options);
  // Without supported_groups OpenSSL does not pick ECDHE (RFC 8422 §4 lets it
  // assume P-256; it does not) and falls back to RSA key exchange.
  ASSERT_EQ(c.client.state(), State::connected) << c.client.error().message;
  EXPECT_EQ(c.client.negotiated().cipher_suite->code, 0x002F);
  EXPECT_EQ(c.client.negotiated().group, nullptr);
}

TEST(ClientHandshake, AlpnWhenAsked) {
  MemoryServerOptions options = default_server();
  options.alpn = {"http/1.1"};
  ClientConfig config = test_client_config();
  config.alpn = {"h2", "http/1.1"};
  Connection c(config, options);
  ASSERT_EQ(c.client.state(), State::connected) << c.client.error().message;
  EXPECT_EQ(c.client.negotiated().alpn, "http/1.1");
}

TEST(ClientHandshake, AnswersOptionalCertificateRequestWithEmptyCertificate) {
  MemoryServerOptions options = default_server();
  options.request_client_certificate = true;
  Connection c(test_client_config(), options);
  EXPECT_EQ(c.client.state(), State::connected) << c.client.error().message;
  EXPECT_EQ(SSL_get0_peer_certificate(c.server.ssl()), nullptr);
}

TEST(ClientHandshake, ServerRequiringClientCertificateAborts) {
  MemoryServerOptions options = default_server();
  options.require_client_certificate = true;
  Connection c(test_client_config(), options);
  EXPECT_EQ(c.client.state(), State::failed);
  // The CDN sends no client certificate: the refusal has a code of its own.
  EXPECT_EQ(c.client.error().code, ErrorCode::client_certificate_required) << c.client.error().message;
  EXPECT_EQ(c.client.error().alert_sender, AlertSender::server);
  EXPECT_TRUE(c.client.negotiated().client_certificate_requested);
  EXPECT_TRUE(c.server.failed());
}

TEST(ClientHandshake, VerificationOffAcceptsSelfSigned) {
  MemoryServerOptions options = default_server();
  options.leaf = Leaf::self_signed;
  ClientConfig config = test_client_config();
  config.verify_certificates = false;
  config.trust_store = nullptr;
  Connection c(config, options);
  EXPECT_EQ(c.client.state(), State::connected) << c.client.error().message;
  ASSERT_TRUE(c.client.negotiated().certificate.has_value());
  EXPECT_EQ(c.client.negotiated().certificate->key, "RSA 2048");
}

TEST(ClientHandshake, RenegotiationRequestsAreIgnoredAndTheConnectionCarriesOn) {
  // As the CDN's s2n does: nothing is sent back (a no_renegotiation warning
  // makes libssl abort the connection), and data keeps flowing both ways.
  Connection c(test_client_config(), default_server());
  ASSERT_EQ(c.client.state(), State::connected);
  for (int round = 1; round <= 2; ++round) {
    ASSERT_TRUE(c.server.request_renegotiation());
    pump(c.client, c.server);
    EXPECT_EQ(c.client.state(), State::connected) << c.client.error().message;
    EXPECT_TRUE(c.client.pending_output().empty()) << "no alert, no ClientHello";
    EXPECT_EQ(c.client.negotiated().hello_requests_ignored, round);
  }
  const std::string request = "ping";
  ASSERT_TRUE(c.client.write({reinterpret_cast<const std::uint8_t*>(request.data()), request.size()}));
  pump(c.client, c.server);
  EXPECT_EQ(c.server.received(), request);
  c.server.write("pong");
  pump(c.client, c.server);
  EXPECT_EQ(readable_text(c.client), "pong");
  EXPECT_FALSE(c.server.failed()) << c.server.last_error();
}

// ---- Failures -------------------------------------------------------------------

struct FailureCase {
  std::string name;
  MemoryServerOptions server;
  ErrorCode expected;
  AlertSender sender;
};

MemoryServerOptions with_leaf(Leaf leaf) {
  MemoryServerOptions options = default_server();
  options.leaf = leaf;
  return options;
}

MemoryServerOptions only_cipher(std::string ciphers) {
  MemoryServerOptions options;
  options.ciphers = std::move(ciphers);
  return options;
}

MemoryServerOptions only_version(int version) {
  MemoryServerOptions options = default_server();
  options.ciphers = "ECDHE-RSA-AES128-SHA:@SECLEVEL=0";
  options.min_version = version;
  options.max_version = version;
  return options;
}

class ClientFailure : public ::testing::TestWithParam<FailureCase> {};

TEST_P(ClientFailure, GivesTheSpecificErrorCode) {
  const FailureCase& fc = GetParam();
  Connection c(test_client_config(), fc.server);
  EXPECT_EQ(c.client.state(), State::failed);
  EXPECT_EQ(c.client.error().code, fc.expected)
      << error_code_name(c.client.error().code) << ": " << c.client.error().message;
  EXPECT_EQ(c.client.error().alert_sender, fc.sender);
  EXPECT_FALSE(c.client.error().message.empty());
  if (fc.sender == AlertSender::client) {
    // The server received our fatal alert.
    EXPECT_TRUE(c.server.failed() || !c.server.handshake_done());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Negative, ClientFailure,
    ::testing::Values(FailureCase{"chacha20_only", only_cipher("ECDHE-RSA-CHACHA20-POLY1305"),
                                  ErrorCode::no_shared_cipher, AlertSender::server},
                      FailureCase{"wrong_name", with_leaf(Leaf::wrong_name), ErrorCode::cert_name_mismatch,
                                  AlertSender::client},
                      FailureCase{"expired", with_leaf(Leaf::expired), ErrorCode::cert_expired,
                                  AlertSender::client},
                      FailureCase{"not_yet_valid", with_leaf(Leaf::not_yet_valid),
                                  ErrorCode::cert_not_yet_valid, AlertSender::client},
                      FailureCase{"self_signed", with_leaf(Leaf::self_signed), ErrorCode::cert_untrusted,
                                  AlertSender::client},
                      FailureCase{"unknown_ca", with_leaf(Leaf::unknown_ca), ErrorCode::cert_untrusted,
                                  AlertSender::client},
                      FailureCase{"missing_intermediate", with_leaf(Leaf::without_intermediate),
                                  ErrorCode::cert_incomplete_chain, AlertSender::client},
                      FailureCase{"tls11_when_only_tls12_allowed", only_version(TLS1_1_VERSION),
                                  ErrorCode::version_not_allowed, AlertSender::client}),
    [](const ::testing::TestParamInfo<FailureCase>& param_info) { return param_info.param.name; });

TEST(ClientFailureDetails, VersionNotAllowedNamesBothVersions) {
  Connection c(test_client_config(), only_version(TLS1_1_VERSION));
  ASSERT_EQ(c.client.error().code, ErrorCode::version_not_allowed);
  EXPECT_NE(c.client.error().message.find("TLS 1.1"), std::string::npos) << c.client.error().message;
  EXPECT_NE(c.client.error().message.find("TLS 1.2"), std::string::npos) << c.client.error().message;
  EXPECT_EQ(c.client.error().alert, 70);  // protocol_version
}

TEST(ClientFailureDetails, ServerAboveOurCeilingRefusesWithProtocolVersion) {
  ClientConfig config = test_client_config();
  config.offer.min_version = ProtocolVersion::tls1_0;
  config.offer.max_version = ProtocolVersion::tls1_1;
  MemoryServerOptions options = default_server();
  options.min_version = TLS1_2_VERSION;
  Connection c(config, options);
  ASSERT_EQ(c.client.state(), State::failed);
  EXPECT_EQ(c.client.error().code, ErrorCode::no_shared_version) << c.client.error().message;
  EXPECT_EQ(c.client.error().alert, 70);
}

TEST(ClientFailureDetails, NoSharedCipherSaysTheServerFoundNothing) {
  Connection c(test_client_config(), only_cipher("ECDHE-RSA-CHACHA20-POLY1305"));
  ASSERT_EQ(c.client.error().code, ErrorCode::no_shared_cipher);
  EXPECT_NE(c.client.error().message.find("nothing acceptable"), std::string::npos);
  EXPECT_EQ(c.client.error().alert, 40);  // handshake_failure
}

TEST(ClientFailureDetails, NameMismatchWithCorrectCertificate) {
  ClientConfig config = test_client_config();
  config.verify_name = "elsewhere.test";
  Connection c(config, default_server());
  EXPECT_EQ(c.client.error().code, ErrorCode::cert_name_mismatch);
}

TEST(ClientFailureDetails, TamperedRecordIsBadRecordMac) {
  Connection c(test_client_config(), default_server());
  ASSERT_EQ(c.client.state(), State::connected);
  c.server.write("secret response");
  auto record = c.server.take_output();
  ASSERT_GT(record.size(), 10u);
  record.back() ^= 0x01;  // flip a bit of the GCM tag
  auto fed = c.client.feed(record);
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::bad_record_mac);
  EXPECT_EQ(c.client.state(), State::failed);
  EXPECT_TRUE(c.client.readable().empty());
  // Our fatal bad_record_mac alert is queued (encrypted, so just check a record is there).
  ASSERT_GE(c.client.pending_output().size(), 5u);
  EXPECT_EQ(c.client.pending_output()[0], 21);  // alert record
}

// Records are opened one at a time as their data is consumed: the plaintext is
// handed out where it was decrypted, and whatever follows it (more data, a
// close_notify, a bad record) takes effect when its turn comes.
TEST(ClientRecords, DataIsHandedOutOneRecordAtATimeAndTheRestFollowsOnConsumption) {
  Connection c(test_client_config(), default_server());
  ASSERT_EQ(c.client.state(), State::connected);
  c.server.write("one");
  c.server.write("two");
  c.server.write("three");
  c.server.send_close_notify();
  ASSERT_TRUE(c.client.feed(c.server.take_output()));
  for (const std::string_view expected : {"one", "two", "three"}) {
    const auto data = c.client.readable();
    EXPECT_EQ(std::string(data.begin(), data.end()), expected);
    EXPECT_FALSE(c.client.peer_closed()) << "close_notify handled before '" << expected << "' was read";
    c.client.consume_readable(1);  // part of a record: the rest stays readable
    const auto rest = c.client.readable();
    EXPECT_EQ(std::string(rest.begin(), rest.end()), expected.substr(1));
    c.client.consume_readable(rest.size());
  }
  EXPECT_TRUE(c.client.readable().empty());
  EXPECT_TRUE(c.client.peer_closed());
  EXPECT_NE(c.client.state(), State::failed);
}

TEST(ClientRecords, BadRecordBehindGoodDataFailsWhenItsTurnComes) {
  Connection c(test_client_config(), default_server());
  ASSERT_EQ(c.client.state(), State::connected);
  c.server.write("good");
  auto bytes = c.server.take_output();
  c.server.write("forged");
  auto second = c.server.take_output();
  second.back() ^= 0x01;  // the GCM tag
  bytes.insert(bytes.end(), second.begin(), second.end());
  ASSERT_TRUE(c.client.feed(bytes));
  const auto data = c.client.readable();
  EXPECT_EQ(std::string(data.begin(), data.end()), "good");
  EXPECT_EQ(c.client.state(), State::connected);
  c.client.consume_readable(data.size());
  EXPECT_EQ(c.client.state(), State::failed);
  EXPECT_EQ(c.client.error().code, ErrorCode::bad_record_mac);
  EXPECT_TRUE(c.client.readable().empty());  // nothing of the forged record
  ASSERT_GE(c.client.pending_output().size(), 5u);
  EXPECT_EQ(c.client.pending_output()[0], 21);  // our bad_record_mac alert
}

// A feed while data is unread: the record layer's buffer may move, the unread
// data must not.
TEST(ClientRecords, UnreadDataSurvivesTheNextFeed) {
  Connection c(test_client_config(), default_server());
  ASSERT_EQ(c.client.state(), State::connected);
  c.server.write(std::string(20000, 'a'));  // two records
  ASSERT_TRUE(c.client.feed(c.server.take_output()));
  c.client.consume_readable(100);
  c.server.write(std::string(30000, 'b'));
  ASSERT_TRUE(c.client.feed(c.server.take_output()));
  EXPECT_EQ(readable_text(c.client), std::string(19900, 'a') + std::string(30000, 'b'));
}

TEST(ClientRecords, EofHandlesTheCloseNotifyWaitingBehindUnreadData) {
  Connection c(test_client_config(), default_server());
  ASSERT_EQ(c.client.state(), State::connected);
  c.server.write("first");
  c.server.write("second");
  c.server.send_close_notify();
  ASSERT_TRUE(c.client.feed(c.server.take_output()));
  c.client.feed_eof();  // nothing read yet
  EXPECT_NE(c.client.state(), State::failed) << c.client.error().message;
  EXPECT_TRUE(c.client.peer_closed());
  EXPECT_EQ(readable_text(c.client), "firstsecond");
}

TEST(ClientFailureDetails, TamperedHandshakeIsDetected) {
  Client client(test_client_config());
  MemoryServer server(default_server());
  client.start();
  client_to_server(client, server);
  server.step();
  auto flight = server.take_output();
  // Corrupt a byte inside the ServerHello random: the signature over it fails.
  ASSERT_GT(flight.size(), 20u);
  flight[5 + 4 + 2 + 3] ^= 0x40;
  auto fed = client.feed(flight);
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::bad_signature) << fed.error().message;
}

TEST(ClientFailureDetails, PlainHttpIsNotTls) {
  Client client(test_client_config());
  client.start();
  const std::string http = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
  auto fed = client.feed({reinterpret_cast<const std::uint8_t*>(http.data()), http.size()});
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::not_tls);
  EXPECT_EQ(client.state(), State::failed);
}

TEST(ClientFailureDetails, NotTlsNamesTheFirstBytesAndShowsTextAsText) {
  const auto fail_with = [](const std::string& bytes) {
    Client client(test_client_config());
    client.start();
    auto fed = client.feed({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
    EXPECT_FALSE(fed);
    EXPECT_EQ(client.error().code, ErrorCode::not_tls);
    return client.error().message;
  };
  // Python's http.server answers a ClientHello with an HTML error page.
  const std::string html = fail_with("<!DOCTYPE HTML>\n<html>");
  EXPECT_NE(
      html.find("(3C 21 44 4F 43 54 59 50, as text \"<!DOCTYP\": an HTML page, so a plain HTTP server)"),
      std::string::npos)
      << html;
  const std::string ssh = fail_with("SSH-2.0-OpenSSH_9.2\r\n");
  EXPECT_NE(ssh.find("as text \"SSH-2.0-\": another protocol"), std::string::npos) << ssh;
  // Binary bytes stay hex only.
  const std::string binary = fail_with(std::string("\x00\xFF\x01\x02\x03\x04", 6));
  EXPECT_NE(binary.find("(00 FF 01 02 03 04)"), std::string::npos) << binary;
  EXPECT_EQ(binary.find("as text"), std::string::npos) << binary;
}

TEST(ClientFailureDetails, EofMidHandshakeIsUnexpectedEof) {
  Client client(test_client_config());
  MemoryServer server(default_server());
  client.start();
  client_to_server(client, server);
  server.step();
  auto flight = server.take_output();
  flight.resize(flight.size() / 2);
  ASSERT_TRUE(client.feed(flight));
  client.feed_eof();
  EXPECT_EQ(client.state(), State::failed);
  EXPECT_EQ(client.error().code, ErrorCode::unexpected_eof);
}

TEST(ClientFailureDetails, EofAfterHandshakeWithoutCloseNotifyIsUnexpectedEof) {
  Connection c(test_client_config(), default_server());
  ASSERT_EQ(c.client.state(), State::connected);
  c.server.write("partial");
  pump(c.client, c.server);
  c.client.feed_eof();
  EXPECT_EQ(c.client.state(), State::failed);
  EXPECT_EQ(c.client.error().code, ErrorCode::unexpected_eof);
  EXPECT_FALSE(c.client.peer_closed());
  EXPECT_EQ(readable_text(c.client), "partial");   // what arrived stays readable
  EXPECT_TRUE(c.client.pending_output().empty());  // no alert to a closed connection
}

TEST(ClientFailureDetails, EofAfterOurCloseNotifyIsClean) {
  Connection c(test_client_config(), default_server());
  ASSERT_EQ(c.client.state(), State::connected);
  c.client.close();
  c.client.feed_eof();
  EXPECT_EQ(c.client.state(), State::closed);
  EXPECT_FALSE(c.client.error());
}

TEST(ClientFailureDetails, FailedClientStaysFailed) {
  Client client(test_client_config());
  client.start();
  const std::uint8_t junk[] = {'G', 'E', 'T', ' '};
  ASSERT_FALSE(client.feed(junk));
  auto again = client.feed(junk);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_tls);
  EXPECT_FALSE(client.write(junk));
}

}  // namespace
}  // namespace edgefetch::tls
