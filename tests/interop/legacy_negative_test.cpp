// Issue 4's negative cases for the legacy versions and suites, against real
// servers where a real server can make the mistake (JSSE pinned to SSLv3 or
// TLS 1.0, gnutls-serv for TLS 1.0/1.1 CBC, 3DES and RC4) and against the forged
// server where only a broken server would (a TLS 1.2-only suite in TLS 1.0).
// Record corruption goes through the tampering proxy: bad CBC padding (a bit
// flipped in the padding length byte through the previous block), bad MAC, a
// truncated record, and tampered RC4 records; each must be bad_record_mac, sent
// by the client as a bad_record_mac alert.
//
// Also the positive side of the ECDHE-in-SSLv3 decision (see
// legacy_matrix_test.cpp and tls/handshake/server_hello_checks.cpp).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/forged_server.hpp"
#include "support/gnutls_server.hpp"
#include "support/jsse_server.hpp"
#include "support/loopback_server.hpp"
#include "support/peer_names.hpp"
#include "support/tls_pump.hpp"

namespace edgefetch::support {
namespace {

using policy::ProtocolVersion;
using tls::AlertSender;
using tls::ErrorCode;

constexpr std::uint8_t kBadRecordMac = 20;

std::string code_name(ErrorCode code) {
  return std::string(tls::error_code_name(code));
}

TlsFetchResult fetch(std::uint16_t port, const EdgefetchClientOptions& options) {
  auto config = make_client_config(options);
  if (!config) {
    TlsFetchResult failed;
    failed.transport_error = "config: " + config.error();
    return failed;
  }
  return fetch_with_edgefetch(std::move(*config), port);
}

EdgefetchClientOptions allowing(std::vector<ProtocolVersion> versions,
                                std::string profile = "CloudFront-Upstream") {
  EdgefetchClientOptions options;
  options.profile = std::move(profile);
  options.origin_ssl_protocols = std::move(versions);
  return options;
}

// A JSSE server with one listener per (version, suite), RSA certificate.
base::Expected<JsseServer, std::string> jsse(
    const std::vector<std::pair<ProtocolVersion, std::uint16_t>>& listeners, std::string groups = "") {
  JsseServerOptions options;
  options.identities = {TestPki::get().leaf(Leaf::rsa2048)};
  options.named_groups = std::move(groups);
  for (const auto& [version, suite] : listeners) {
    options.listeners.push_back(
        JsseListener{{std::string(jsse_version(version))}, {std::string(peer_suite(suite)->jsse)}});
  }
  return JsseServer::start(std::move(options));
}

// --- versions ----------------------------------------------------------------

TEST(LegacyVersions, RealSsl3ServerIsRefusedWhenOnlyTls12IsAllowed) {
  // SSLv3 with ECDHE: JSSE 17 cannot take an SSLv3 RSA ClientKeyExchange (legacy_matrix_test.cpp).
  auto server = jsse({{ProtocolVersion::ssl3, 0xC013}, {ProtocolVersion::tls1_0, 0x002F}});
  ASSERT_TRUE(server) << server.error();

  const TlsFetchResult refused = fetch(server->port(0), allowing({ProtocolVersion::tls1_2}));
  EXPECT_FALSE(refused.handshake_complete) << refused.describe();
  EXPECT_EQ(code_name(refused.error.code), code_name(ErrorCode::version_not_allowed)) << refused.describe();
  EXPECT_EQ(refused.error.alert_sender, AlertSender::client) << refused.describe();
  EXPECT_NE(refused.error.message.find("SSL"), std::string::npos) << refused.error.message;

  // The floor TLSv1.1 (CloudFront-Upstream-TLS-1-1's rule) refuses a TLS 1.0 server too.
  const TlsFetchResult tls10 = fetch(server->port(1), allowing({ProtocolVersion::tls1_1}));
  EXPECT_EQ(code_name(tls10.error.code), code_name(ErrorCode::version_not_allowed)) << tls10.describe();

  // Control: the same servers are reachable once their version is allowed; a
  // selection with gaps (SSLv3 + TLSv1.2) counts as its floor, SSLv3.
  const TlsFetchResult gaps =
      fetch(server->port(0), allowing({ProtocolVersion::ssl3, ProtocolVersion::tls1_2}));
  EXPECT_TRUE(gaps.ok()) << gaps.describe() << "\n" << server->logs();
  EXPECT_EQ(gaps.summary.version, std::optional(ProtocolVersion::ssl3)) << gaps.describe();
  const TlsFetchResult tls10_allowed = fetch(server->port(1), allowing({ProtocolVersion::tls1_0}));
  EXPECT_TRUE(tls10_allowed.ok()) << tls10_allowed.describe();
}

TEST(LegacyVersions, ForgedSsl3ServerHelloIsRefusedWhenOnlyTls12IsAllowed) {
  auto server = ForgedServer::start(ForgedFlight{.version = 0x0300, .suite = 0x002F, .group = 0});
  ASSERT_TRUE(server) << server.error();
  const TlsFetchResult result = fetch((*server)->port(), allowing({ProtocolVersion::tls1_2}));
  EXPECT_EQ(code_name(result.error.code), code_name(ErrorCode::version_not_allowed)) << result.describe();
  EXPECT_EQ(result.error.alert_sender, AlertSender::client) << result.describe();
  const ClientReaction reaction = (*server)->reaction();
  EXPECT_TRUE(reaction.alert_description.has_value()) << "the client should tell the server why it aborts";
}

struct VersionOnlySuite {
  std::string name;
  std::uint16_t wire_version;
  std::uint16_t suite;
  ProtocolVersion allowed;
};

class Tls12OnlySuiteInOlderVersion : public ::testing::TestWithParam<VersionOnlySuite> {};

TEST_P(Tls12OnlySuiteInOlderVersion, IsAProtocolViolation) {
  const VersionOnlySuite& param = GetParam();
  auto server =
      ForgedServer::start(ForgedFlight{.version = param.wire_version, .suite = param.suite, .group = 0});
  ASSERT_TRUE(server) << server.error();
  const TlsFetchResult result = fetch((*server)->port(), allowing({param.allowed}));
  EXPECT_FALSE(result.handshake_complete) << result.describe();
  EXPECT_EQ(code_name(result.error.code), code_name(ErrorCode::protocol_violation)) << result.describe();
  EXPECT_EQ(result.error.alert_sender, AlertSender::client) << result.describe();
  EXPECT_NE(result.error.message.find("defined only for"), std::string::npos) << result.error.message;
}

INSTANTIATE_TEST_SUITE_P(
    Issue4, Tls12OnlySuiteInOlderVersion,
    ::testing::Values(VersionOnlySuite{"gcm_in_tls10", 0x0301, 0xC02F, ProtocolVersion::tls1_0},
                      VersionOnlySuite{"sha256_cbc_in_tls11", 0x0302, 0x003C, ProtocolVersion::tls1_0},
                      VersionOnlySuite{"sha384_cbc_in_ssl3", 0x0300, 0xC028, ProtocolVersion::ssl3},
                      VersionOnlySuite{"rsa_gcm_in_tls10", 0x0301, 0x009C, ProtocolVersion::tls1_0}),
    [](const ::testing::TestParamInfo<VersionOnlySuite>& param_info) { return param_info.param.name; });

// --- ECDHE in SSLv3: accepted, as by the CDN's client library ----------------

TEST(Ssl3Ecdhe, IsAcceptedAsTheCdnClientAcceptsIt) {
  for (const std::uint16_t code : std::initializer_list<std::uint16_t>{0xC009, 0xC00A, 0xC013, 0xC014}) {
    const policy::CipherSuite* suite = policy::cipher_suite_by_code(code);
    ASSERT_NE(suite, nullptr);
    EXPECT_TRUE(suite->valid_in(ProtocolVersion::ssl3)) << suite->openssl_name;
  }
  auto server = jsse({{ProtocolVersion::ssl3, 0xC013}, {ProtocolVersion::ssl3, 0xC014}}, "x25519");
  ASSERT_TRUE(server) << server.error();
  for (std::size_t i = 0; i < 2; ++i) {
    const TlsFetchResult result = fetch(server->port(i), allowing({ProtocolVersion::ssl3}, "cloudfront"));
    ASSERT_TRUE(result.ok()) << result.describe() << "\n" << server->logs();
    EXPECT_EQ(result.summary.version, std::optional(ProtocolVersion::ssl3));
    EXPECT_EQ(result.summary.suite, i == 0 ? 0xC013U : 0xC014U);
    EXPECT_EQ(result.summary.group, policy::kGroupX25519);
    EXPECT_EQ(result.negotiated.signature_scheme, nullptr) << "SSLv3 signatures name no scheme";
    EXPECT_FALSE(result.negotiated.extended_master_secret) << "RFC 7627 is TLS-only";
    const ServerView view = JsseServer::parse_page(result.body());
    EXPECT_EQ(view.version, std::optional(ProtocolVersion::ssl3)) << view.describe();
  }
}

// --- record corruption -------------------------------------------------------

struct TamperCase {
  std::string name;
  ProtocolVersion version;
  std::uint16_t suite;
  TamperRule rule;
};

void expect_bad_record_mac(const TlsFetchResult& result, bool tampered, const std::string& logs) {
  EXPECT_TRUE(tampered) << "the proxy never saw the record it was to corrupt\n" << logs;
  EXPECT_EQ(code_name(result.error.code), code_name(ErrorCode::bad_record_mac)) << result.describe() << "\n"
                                                                                << logs;
  EXPECT_EQ(result.error.alert_sender, AlertSender::client) << result.describe();
  EXPECT_EQ(result.error.alert, std::optional<std::uint8_t>(kBadRecordMac)) << result.describe();
}

constexpr std::size_t kAesBlock = 16;
constexpr std::size_t kDesBlock = 8;

TamperRule padding_length_byte(std::size_t block) {
  return TamperRule{.flip_offset_from_end = block};
}
TamperRule first_byte() {
  return TamperRule{.flip_last_byte = false};
}
TamperRule truncated(std::size_t by) {
  return TamperRule{.truncate_by = by};
}
TamperRule finished_last_byte() {
  return TamperRule{.content_type = 22, .after_change_cipher_spec = true};
}

class LegacyTamperedRecordGnuTls : public ::testing::TestWithParam<TamperCase> {};

TEST_P(LegacyTamperedRecordGnuTls, IsBadRecordMac) {
  const TamperCase& param = GetParam();
  auto options = GnuTlsServerOptions::for_cell(Cell{param.version, param.suite, 0, 0, Leaf::rsa2048});
  ASSERT_TRUE(options) << options.error();
  auto server = GnuTlsServer::start(*options);
  ASSERT_TRUE(server) << server.error();
  auto proxy = TamperingProxy::start(server->port(), param.rule);
  ASSERT_TRUE(proxy) << proxy.error();
  const TlsFetchResult result = fetch((*proxy)->port(), allowing({param.version}));
  expect_bad_record_mac(result, (*proxy)->tampered(), server->logs());
}

INSTANTIATE_TEST_SUITE_P(
    Issue4, LegacyTamperedRecordGnuTls,
    ::testing::Values(
        TamperCase{"tls10_aes_bad_padding", ProtocolVersion::tls1_0, 0x002F, padding_length_byte(kAesBlock)},
        TamperCase{"tls10_aes_bad_mac", ProtocolVersion::tls1_0, 0x002F, TamperRule{}},
        TamperCase{"tls10_aes_first_block", ProtocolVersion::tls1_0, 0x002F, first_byte()},
        TamperCase{"tls10_aes_truncated_block", ProtocolVersion::tls1_0, 0x002F, truncated(kAesBlock)},
        TamperCase{"tls10_aes_truncated_byte", ProtocolVersion::tls1_0, 0x002F, truncated(1)},
        TamperCase{"tls10_aes_finished", ProtocolVersion::tls1_0, 0x002F, finished_last_byte()},
        TamperCase{"tls11_aes_bad_padding", ProtocolVersion::tls1_1, 0x0035, padding_length_byte(kAesBlock)},
        TamperCase{"tls11_aes_explicit_iv", ProtocolVersion::tls1_1, 0x0035, first_byte()},
        TamperCase{"tls11_aes_truncated_block", ProtocolVersion::tls1_1, 0x0035, truncated(kAesBlock)},
        TamperCase{"tls10_3des_bad_padding", ProtocolVersion::tls1_0, 0x000A, padding_length_byte(kDesBlock)},
        TamperCase{"tls12_3des_bad_mac", ProtocolVersion::tls1_2, 0x000A, TamperRule{}},
        TamperCase{"tls10_3des_truncated_block", ProtocolVersion::tls1_0, 0x000A, truncated(kDesBlock)},
        TamperCase{"tls10_rc4_mac_byte", ProtocolVersion::tls1_0, 0x0004, TamperRule{}},
        TamperCase{"tls10_rc4_plaintext_byte", ProtocolVersion::tls1_0, 0x0004, first_byte()},
        TamperCase{"tls10_rc4_truncated", ProtocolVersion::tls1_0, 0x0004, truncated(1)},
        TamperCase{"tls12_rc4_plaintext_byte", ProtocolVersion::tls1_2, 0x0004, first_byte()},
        TamperCase{"tls12_rc4_finished", ProtocolVersion::tls1_2, 0x0004, finished_last_byte()}),
    [](const ::testing::TestParamInfo<TamperCase>& param_info) { return param_info.param.name; });

// SSLv3 only JSSE speaks, and only with ECDHE (legacy_matrix_test.cpp): one
// JVM, every corruption of an SSLv3 AES-CBC record in turn. SSLv3 RC4 and 3DES
// cannot be served (JSSE 17 and SSLv3 RSA key exchange); their record layer is
// the same as in TLS 1.0 apart from the MAC, covered above and in unit tests.
TEST(LegacyTamperedRecordSsl3, IsBadRecordMac) {
  const std::vector<TamperCase> cases = {
      {"ssl3_aes_bad_padding", ProtocolVersion::ssl3, 0xC013, padding_length_byte(kAesBlock)},
      {"ssl3_aes_bad_mac", ProtocolVersion::ssl3, 0xC013, TamperRule{}},
      {"ssl3_aes_first_block", ProtocolVersion::ssl3, 0xC013, first_byte()},
      {"ssl3_aes_truncated_block", ProtocolVersion::ssl3, 0xC013, truncated(kAesBlock)},
      {"ssl3_aes_truncated_byte", ProtocolVersion::ssl3, 0xC013, truncated(1)},
      {"ssl3_aes_finished", ProtocolVersion::ssl3, 0xC013, finished_last_byte()},
  };
  auto server = jsse({{ProtocolVersion::ssl3, 0xC013}});
  ASSERT_TRUE(server) << server.error();
  const TlsFetchResult clean = fetch(server->port(), allowing({ProtocolVersion::ssl3}));
  ASSERT_TRUE(clean.ok()) << clean.describe() << "\n" << server->logs();
  for (const TamperCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto proxy = TamperingProxy::start(server->port(), c.rule);
    ASSERT_TRUE(proxy) << proxy.error();
    const TlsFetchResult result = fetch((*proxy)->port(), allowing({ProtocolVersion::ssl3}));
    expect_bad_record_mac(result, (*proxy)->tampered(), "");
  }
}

}  // namespace
}  // namespace edgefetch::support
