// The peer servers, checked with the libssl reference client: each kind starts,
// is pinned to exactly its cell (a client wanting anything else fails), and
// reports what it negotiated. This validates the harness without edgefetch's
// engine.

#include <gtest/gtest.h>

#include <string>

#include "support/any_server.hpp"
#include "support/bcjsse_server.hpp"
#include "support/cli_clients.hpp"
#include "support/jsse_client.hpp"
#include "support/jsse_server.hpp"
#include "support/nss_server.hpp"
#include "support/peer_names.hpp"
#include "support/reference_client.hpp"

namespace edgefetch::support {
namespace {

using policy::ProtocolVersion;
using support::Deadline;
using namespace std::chrono_literals;

struct HarnessCase {
  PeerKind peer;
  Cell cell;
};

void PrintTo(const HarnessCase& c, std::ostream* out) {
  *out << name(c.peer) << " " << c.cell.label();
}

std::string case_name(const ::testing::TestParamInfo<HarnessCase>& info) {
  return std::string(name(info.param.peer)) + "_" + info.param.cell.identifier();
}

class ReferenceClientAgainstPeer : public ::testing::TestWithParam<HarnessCase> {};

// The reference client offers what edgefetch offers (the CloudFront-Upstream
// profile); the pinned server picks the cell; client and server must agree.
TEST_P(ReferenceClientAgainstPeer, NegotiatesExactlyTheCell) {
  const auto& [peer, cell] = GetParam();
  auto server = AnyServer::start(peer, cell);
  ASSERT_TRUE(server) << server.error();
  const policy::Profile* profile = policy::profile_by_name("CloudFront-Upstream");
  ASSERT_NE(profile, nullptr);
  const std::vector<ProtocolVersion> versions = {cell.version};
  auto options = ReferenceClientOptions::from_offer(policy::narrow(*profile, versions));
  options.min_version = cell.version;
  const ReferenceFetchResult result = fetch_with_libssl(server->port(), options);
  ASSERT_TRUE(result.ok()) << result.describe() << "\n" << server->logs();
  EXPECT_EQ(join_lines(client_mismatches(cell, result.summary)), "");
  const ServerView view = server->parse_page(result.body());
  EXPECT_EQ(join_lines(server_mismatches(cell, view)), "") << view.describe() << "\n" << result.body();
}

// The server's pin holds: a client that only wants a different suite is refused.
TEST_P(ReferenceClientAgainstPeer, RefusesAClientWithoutTheCellsSuite) {
  const auto& [peer, cell] = GetParam();
  auto server = AnyServer::start(peer, cell);
  ASSERT_TRUE(server) << server.error();
  const std::uint16_t other = cell.suite == 0xC02F ? 0xC030 : 0xC02F;
  auto options = ReferenceClientOptions::pinned(cell.version, other);
  const ReferenceFetchResult result = fetch_with_libssl(server->port(), options);
  EXPECT_FALSE(result.handshake_complete) << result.describe();
}

const Cell kRsaGcm{ProtocolVersion::tls1_2, 0xC02F, 29, 0x0401, Leaf::rsa2048};
const Cell kRsaCbcSha384{ProtocolVersion::tls1_2, 0xC028, 24, 0x0601, Leaf::rsa2048};
const Cell kEcdsaGcm{ProtocolVersion::tls1_2, 0xC02B, 23, 0x0403, Leaf::ecdsa_p256};
const Cell kEcdsaP384Sha1{ProtocolVersion::tls1_2, 0xC00A, 24, 0x0203, Leaf::ecdsa_p384};
const Cell kStaticRsa{ProtocolVersion::tls1_2, 0x009C, 0, 0, Leaf::rsa2048};
const Cell kRsaSha224{ProtocolVersion::tls1_2, 0xC013, 23, 0x0301, Leaf::rsa2048};
const Cell kTls10{ProtocolVersion::tls1_0, 0xC014, 23, 0, Leaf::rsa2048};

INSTANTIATE_TEST_SUITE_P(OpenSsl, ReferenceClientAgainstPeer,
                         ::testing::Values(HarnessCase{PeerKind::openssl, kRsaGcm},
                                           HarnessCase{PeerKind::openssl, kRsaCbcSha384},
                                           HarnessCase{PeerKind::openssl, kEcdsaGcm},
                                           HarnessCase{PeerKind::openssl, kEcdsaP384Sha1},
                                           HarnessCase{PeerKind::openssl, kStaticRsa},
                                           HarnessCase{PeerKind::openssl, kRsaSha224},
                                           HarnessCase{PeerKind::openssl, kTls10}),
                         case_name);
INSTANTIATE_TEST_SUITE_P(
    GnuTls, ReferenceClientAgainstPeer,
    ::testing::Values(HarnessCase{PeerKind::gnutls, kRsaGcm}, HarnessCase{PeerKind::gnutls, kRsaCbcSha384},
                      HarnessCase{PeerKind::gnutls, kEcdsaGcm}, HarnessCase{PeerKind::gnutls, kEcdsaP384Sha1},
                      HarnessCase{PeerKind::gnutls, kStaticRsa}, HarnessCase{PeerKind::gnutls, kTls10}),
    case_name);
INSTANTIATE_TEST_SUITE_P(Jsse, ReferenceClientAgainstPeer,
                         ::testing::Values(HarnessCase{PeerKind::jsse, kRsaGcm},
                                           HarnessCase{PeerKind::jsse, kStaticRsa}),
                         case_name);

INSTANTIATE_TEST_SUITE_P(Nss, ReferenceClientAgainstPeer,
                         ::testing::Values(HarnessCase{PeerKind::nss, kStaticRsa},
                                           HarnessCase{PeerKind::nss, kTls10}),
                         case_name);
INSTANTIATE_TEST_SUITE_P(BcJsse, ReferenceClientAgainstPeer,
                         ::testing::Values(HarnessCase{PeerKind::bcjsse, kStaticRsa},
                                           HarnessCase{PeerKind::bcjsse, kTls10}),
                         case_name);

// One JVM, several listeners with different pins (how the legacy matrix keeps
// JVM start-ups few).
TEST(JsseServer, ServesSeveralPinsFromOneJvm) {
  const std::vector<Cell> cells = {
      Cell{ProtocolVersion::tls1_2, 0xC02F, 23, 0x0401, Leaf::rsa2048},
      Cell{ProtocolVersion::tls1_2, 0xC013, 23, 0x0401, Leaf::rsa2048},
      Cell{ProtocolVersion::tls1_1, 0xC014, 23, 0x0401, Leaf::rsa2048},
  };
  auto options = JsseServerOptions::for_cells(cells);
  ASSERT_TRUE(options) << options.error();
  auto server = JsseServer::start(std::move(*options));
  ASSERT_TRUE(server) << server.error();
  ASSERT_EQ(server->listener_count(), cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    SCOPED_TRACE(cells[i].label());
    auto client = ReferenceClientOptions::pinned(cells[i].version, cells[i].suite);
    client.min_version = ProtocolVersion::tls1_0;
    client.max_version = ProtocolVersion::tls1_2;
    const ReferenceFetchResult result = fetch_with_libssl(server->port(i), client);
    ASSERT_TRUE(result.ok()) << result.describe() << "\n" << server->logs();
    EXPECT_EQ(result.summary.version, cells[i].version);
    EXPECT_EQ(result.summary.suite, cells[i].suite);
    const ServerView view = JsseServer::parse_page(result.body());
    EXPECT_EQ(view.version, cells[i].version) << view.describe();
    ASSERT_NE(view.cipher_suite, nullptr) << view.describe();
    EXPECT_EQ(view.cipher_suite->code, cells[i].suite);
  }
}

// The legacy cells JSSE exists for (SSLv3, 3DES, RC4), checked with clients
// that can still speak them: NSS tstclnt (SSLv3) and gnutls-cli (TLS).
TEST(JsseServer, ServesTheLegacyCellsToIndependentClients) {
  const std::vector<Cell> cells = {
      Cell{ProtocolVersion::ssl3, 0x0004, 0, 0, Leaf::rsa2048},    // RC4-MD5
      Cell{ProtocolVersion::ssl3, 0x000A, 0, 0, Leaf::rsa2048},    // DES-CBC3-SHA
      Cell{ProtocolVersion::ssl3, 0x002F, 0, 0, Leaf::rsa2048},    // AES128-SHA
      Cell{ProtocolVersion::tls1_0, 0x000A, 0, 0, Leaf::rsa2048},  // DES-CBC3-SHA
      Cell{ProtocolVersion::tls1_2, 0x0004, 0, 0, Leaf::rsa2048},  // RC4-MD5
  };
  auto options = JsseServerOptions::for_cells(cells);
  ASSERT_TRUE(options) << options.error();
  auto server = JsseServer::start(std::move(*options));
  ASSERT_TRUE(server) << server.error();
  for (std::size_t i = 0; i < cells.size(); ++i) {
    SCOPED_TRACE(cells[i].label());
    const CliClientResult result = cells[i].version == ProtocolVersion::ssl3
                                       ? fetch_with_tstclnt(server->port(i), cells[i])
                                       : fetch_with_gnutls_cli(server->port(i), cells[i]);
    ASSERT_TRUE(result.finished) << result.output;
    const ServerView view = JsseServer::parse_page(result.body());
    EXPECT_EQ(join_lines(server_mismatches(cells[i], view)), "") << result.output << "\n" << server->logs();
  }
}

// The SSLv3 RSA key exchange cells, each server checked with NSS tstclnt, an
// independent client that sends the ClientKeyExchange as RFC 6101 has it (no
// length prefix). tstclnt offers SSLv3 up to TLS 1.2, as edgefetch does: the
// server's choice of SSLv3 must not change how it reads the message.
const std::vector<Cell>& ssl3_rsa_cells() {
  static const std::vector<Cell> cells = {
      Cell{ProtocolVersion::ssl3, 0x0004, 0, 0, Leaf::rsa2048},  // RC4-MD5
      Cell{ProtocolVersion::ssl3, 0x000A, 0, 0, Leaf::rsa2048},  // DES-CBC3-SHA
      Cell{ProtocolVersion::ssl3, 0x002F, 0, 0, Leaf::rsa2048},  // AES128-SHA
      Cell{ProtocolVersion::ssl3, 0x0035, 0, 0, Leaf::rsa2048},  // AES256-SHA
  };
  return cells;
}

// SunJSSE 17 chooses the SSLv3 ClientKeyExchange format by the ClientHello's
// version: a client that offers only SSLv3 gets through, the same client
// offering up to TLS 1.2 is refused with the length-prefix error. This is why
// the legacy matrix does not use SunJSSE for those cells, and why it is not
// edgefetch's fault.
TEST(JsseServer, ReadsTheSslv3RsaKeyExchangeByTheClientHelloVersion) {
  const Cell cell = ssl3_rsa_cells().front();
  auto options = JsseServerOptions::for_cells({cell});
  ASSERT_TRUE(options) << options.error();
  auto server = JsseServer::start(std::move(*options));
  ASSERT_TRUE(server) << server.error();

  const CliClientResult ssl3_only = fetch_with_tstclnt(server->port(), cell);
  ASSERT_TRUE(ssl3_only.finished) << ssl3_only.output;
  EXPECT_EQ(join_lines(server_mismatches(cell, JsseServer::parse_page(ssl3_only.body()))), "")
      << ssl3_only.output << "\n"
      << server->logs();

  const CliClientResult offering_tls =
      fetch_with_tstclnt_offering(server->port(), cell, ProtocolVersion::tls1_2);
  ASSERT_TRUE(offering_tls.finished) << offering_tls.output;
  EXPECT_EQ(offering_tls.body(), "") << offering_tls.output;
  // The JVM logs the failed handshake after tstclnt has seen it end.
  const std::string logs = server->wait_for_log("Insufficient space in the buffer", Deadline::after(10s));
  EXPECT_NE(logs.find("Insufficient space in the buffer"), std::string::npos) << logs;
}

TEST(NssServer, ServesTheSslv3RsaKeyExchangeCellsToTstclntOfferingTls) {
  for (const Cell& cell : ssl3_rsa_cells()) {
    SCOPED_TRACE(cell.label());
    auto options = NssServerOptions::for_cell(cell);
    ASSERT_TRUE(options) << options.error();
    auto server = NssServer::start(*options);
    ASSERT_TRUE(server) << server.error();
    const CliClientResult result = fetch_with_tstclnt_offering(server->port(), cell, ProtocolVersion::tls1_2);
    ASSERT_TRUE(result.finished) << result.output;
    // selfserv echoes the request; what it negotiated is in its log.
    EXPECT_NE(result.body().find("GET / HTTP/1.0"), std::string::npos) << result.output;
    const ServerView view = server->parse_page(result.body());
    EXPECT_EQ(join_lines(server_mismatches(cell, view)), "") << view.describe() << "\n" << server->logs();
  }
}

// The pin holds: a client that only wants another suite or version is refused.
TEST(NssServer, RefusesAClientOutsideThePin) {
  const Cell cell = ssl3_rsa_cells()[2];
  auto options = NssServerOptions::for_cell(cell);
  ASSERT_TRUE(options) << options.error();
  auto server = NssServer::start(*options);
  ASSERT_TRUE(server) << server.error();
  Cell other_suite = cell;
  other_suite.suite = 0x0035;
  EXPECT_EQ(fetch_with_tstclnt(server->port(), other_suite).body(), "");
  Cell other_version = cell;
  other_version.version = ProtocolVersion::tls1_0;
  EXPECT_EQ(fetch_with_tstclnt(server->port(), other_version).body(), "");
}

// The other side of the SSLv3 RSA key exchange check: SunJSSE 17 as a client
// offering TLS and accepting SSLv3 sends the length-prefixed form. SunJSSE
// servers accept it (both ends share the mistake); NSS and BCJSSE refuse it
// while serving the same client offering SSLv3 only. So these two servers read
// the message as RFC 6101 has it, and the legacy matrix would catch an
// edgefetch that sent the prefix.
TEST(Sslv3RsaKeyExchange, NssAndBcJsseRefuseTheLengthPrefixedForm) {
  const Cell cell{ProtocolVersion::ssl3, 0x000A, 0, 0, Leaf::rsa2048};  // DES-CBC3-SHA
  const std::string suite(peer_suite(cell.suite)->jsse);
  const std::vector<std::string> ssl3_only = {"SSLv3"};
  const std::vector<std::string> offering_tls = {"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"};

  auto options = NssServerOptions::for_cell(cell);
  ASSERT_TRUE(options) << options.error();
  auto nss = NssServer::start(*options);
  ASSERT_TRUE(nss) << nss.error();
  auto bc_options = BcJsseServerOptions::for_cells({cell});
  ASSERT_TRUE(bc_options) << bc_options.error();
  auto bcjsse = BcJsseServer::start(*bc_options);
  ASSERT_TRUE(bcjsse) << bcjsse.error();
  auto jsse_options = JsseServerOptions::for_cells({cell});
  ASSERT_TRUE(jsse_options) << jsse_options.error();
  auto jsse = JsseServer::start(std::move(*jsse_options));
  ASSERT_TRUE(jsse) << jsse.error();

  const struct {
    std::string_view peer;
    std::uint16_t port;
    bool accepts_prefix;
  } servers[] = {
      {"nss", nss->port(), false}, {"bcjsse", bcjsse->port(), false}, {"jsse", jsse->port(), true}};
  for (const auto& server : servers) {
    SCOPED_TRACE(server.peer);
    const CliClientResult plain = fetch_with_jsse_client(server.port, ssl3_only, suite);
    ASSERT_TRUE(plain.finished) << plain.output;
    EXPECT_EQ(plain.exit_code, 0) << plain.output;
    EXPECT_NE(plain.output.find("HANDSHAKE OK SSLv3"), std::string::npos) << plain.output;

    const CliClientResult prefixed = fetch_with_jsse_client(server.port, offering_tls, suite);
    ASSERT_TRUE(prefixed.finished) << prefixed.output;
    if (server.accepts_prefix) {
      EXPECT_NE(prefixed.output.find("HANDSHAKE OK SSLv3"), std::string::npos) << prefixed.output;
    } else {
      // The decrypted pre-master secret is garbage, so the Finished MAC fails.
      EXPECT_NE(prefixed.output.find("HANDSHAKE FAILED"), std::string::npos) << prefixed.output;
      EXPECT_EQ(prefixed.exit_code, 1) << prefixed.output;
    }
  }
}

TEST(NssServer, KnowsWhatNssCannotServe) {
  EXPECT_FALSE(nss_can_serve(Cell{ProtocolVersion::ssl3, 0xC013, 23, 0, Leaf::rsa2048}));
  EXPECT_FALSE(nss_can_serve(Cell{ProtocolVersion::ssl3, 0xC009, 29, 0, Leaf::ecdsa_p256}));
  EXPECT_TRUE(nss_can_serve(Cell{ProtocolVersion::ssl3, 0x0004, 0, 0, Leaf::rsa2048}));
  EXPECT_TRUE(nss_can_serve(Cell{ProtocolVersion::tls1_0, 0xC009, 29, 0, Leaf::ecdsa_p256}));
}

// BCJSSE: the provider really is BouncyCastle (SunJSSE would fail the SSLv3
// cells below), SSLv3 RSA key exchange and 3DES to tstclnt offering TLS, and
// 3DES in TLS 1.0 to gnutls-cli, all from one JVM.
TEST(BcJsseServer, ServesSslv3And3desToIndependentClients) {
  std::vector<Cell> cells;
  for (const Cell& cell : ssl3_rsa_cells()) {
    if (bcjsse_can_serve(cell)) cells.push_back(cell);
  }
  ASSERT_EQ(cells.size(), 3U);  // all but RC4-MD5
  cells.push_back(Cell{ProtocolVersion::tls1_0, 0x000A, 0, 0, Leaf::rsa2048});
  auto options = BcJsseServerOptions::for_cells(cells);
  ASSERT_TRUE(options) << options.error();
  auto server = BcJsseServer::start(*options);
  ASSERT_TRUE(server) << server.error();
  EXPECT_TRUE(server->provider().starts_with("BCJSSE")) << server->provider();
  ASSERT_EQ(server->listener_count(), cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    SCOPED_TRACE(cells[i].label());
    const CliClientResult result =
        cells[i].version == ProtocolVersion::ssl3
            ? fetch_with_tstclnt_offering(server->port(i), cells[i], ProtocolVersion::tls1_2)
            : fetch_with_gnutls_cli(server->port(i), cells[i]);
    ASSERT_TRUE(result.finished) << result.output;
    const ServerView view = BcJsseServer::parse_page(result.body());
    EXPECT_EQ(join_lines(server_mismatches(cells[i], view)), "") << result.output << "\n" << server->logs();
  }
}

TEST(BcJsseServer, KnowsWhatBcJsseCannotServe) {
  EXPECT_FALSE(bcjsse_can_serve(Cell{ProtocolVersion::ssl3, 0x0004, 0, 0, Leaf::rsa2048}));
  EXPECT_FALSE(bcjsse_can_serve(Cell{ProtocolVersion::tls1_2, 0x0004, 0, 0, Leaf::rsa2048}));
  EXPECT_TRUE(bcjsse_can_serve(Cell{ProtocolVersion::ssl3, 0xC009, 29, 0, Leaf::ecdsa_p256}));
  EXPECT_EQ(bcjsse_suite_name(0x000A), "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
  EXPECT_EQ(bcjsse_suite_name(0x002F), "TLS_RSA_WITH_AES_128_CBC_SHA");
  const std::vector<Cell> two_groups = {Cell{ProtocolVersion::ssl3, 0xC013, 23, 0, Leaf::rsa2048},
                                        Cell{ProtocolVersion::ssl3, 0xC013, 29, 0, Leaf::rsa2048}};
  EXPECT_FALSE(BcJsseServerOptions::for_cells(two_groups));
}

TEST(JsseServer, RejectsCellsThatDisagreeOnJvmWideSettings) {
  const std::vector<Cell> cells = {Cell{ProtocolVersion::tls1_2, 0xC02F, 23, 0x0401, Leaf::rsa2048},
                                   Cell{ProtocolVersion::tls1_2, 0xC02F, 24, 0x0401, Leaf::rsa2048}};
  EXPECT_FALSE(JsseServerOptions::for_cells(cells));
}

TEST(GnuTlsServer, RejectsAnInvalidPriorityBeforeStarting) {
  GnuTlsServerOptions options;
  options.priority = "NONE:+VERS-TLS1.2:+RSA:+AES-128-CBC:+SHA1";  // no signature algorithm: unusable
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  auto server = GnuTlsServer::start(options);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().find("priority"), std::string::npos) << server.error();
}

TEST(GnuTlsServer, HasNoSha224Schemes) {
  EXPECT_FALSE(gnutls_can_serve(Cell{ProtocolVersion::tls1_2, 0xC02F, 23, 0x0301, Leaf::rsa2048}));
  EXPECT_FALSE(gnutls_can_serve(Cell{ProtocolVersion::ssl3, 0x002F, 0, 0, Leaf::rsa2048}));
}

TEST(OpenSslServer, ReportsStartFailureWithItsStderr) {
  OpenSslServerOptions options;
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
  options.groups = "no-such-group";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  auto server = OpenSslServer::start(options);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().find("s_server"), std::string::npos) << server.error();
}

// The page parsers, on the servers' real output formats.
TEST(ServerPages, OpenSslPage) {
  const ServerView view = OpenSslServer::parse_page(
      "Shared Signature Algorithms: RSA+SHA256\nShared groups: x25519\n---\nNew, TLSv1.2, Cipher is "
      "ECDHE-RSA-AES128-GCM-SHA256\nSSL-Session:\n    Protocol  : TLSv1.2\n    Cipher    : "
      "ECDHE-RSA-AES128-GCM-SHA256\n");
  EXPECT_EQ(view.version, ProtocolVersion::tls1_2);
  ASSERT_NE(view.cipher_suite, nullptr);
  EXPECT_EQ(view.cipher_suite->code, 0xC02F);
  ASSERT_NE(view.group, nullptr);
  EXPECT_EQ(view.group->code, 29);
  ASSERT_NE(view.signature_scheme, nullptr);
  EXPECT_EQ(view.signature_scheme->code, 0x0401);
}

TEST(ServerPages, OpenSslPageWithSeveralSharedValuesReportsNone) {
  const ServerView view = OpenSslServer::parse_page(
      "Shared Signature Algorithms: RSA+SHA256:RSA+SHA384\nShared groups: x25519:secp256r1\n    Protocol  : "
      "TLSv1.2\n    Cipher    : AES128-SHA\n");
  EXPECT_EQ(view.group, nullptr);
  EXPECT_TRUE(view.group_text.empty());
  EXPECT_EQ(view.signature_scheme, nullptr);
  ASSERT_NE(view.cipher_suite, nullptr);
  EXPECT_EQ(view.cipher_suite->code, 0x002F);
}

TEST(ServerPages, GnuTlsPage) {
  const ServerView view = GnuTlsServer::parse_page(
      "<TABLE border=1><TR><TD>Protocol version:</TD><TD>TLS1.2</TD></TR>\n"
      "<TR><TD>Description:</TD><TD>(TLS1.2-X.509)-(ECDHE-SECP384R1)-(ECDSA-SHA512)-(AES-256-GCM)</TD></TR>\n"
      "<TR><TD>Ciphersuite</TD><TD>ECDHE_ECDSA_AES_256_GCM_SHA384</TD></TR>\n");
  EXPECT_EQ(view.version, ProtocolVersion::tls1_2);
  ASSERT_NE(view.cipher_suite, nullptr) << view.describe();
  EXPECT_EQ(view.cipher_suite->code, 0xC02C);
  ASSERT_NE(view.group, nullptr) << view.describe();
  EXPECT_EQ(view.group->code, 24);
  ASSERT_NE(view.signature_scheme, nullptr) << view.describe();
  EXPECT_EQ(view.signature_scheme->code, 0x0603);
}

TEST(ServerPages, GnuTlsPageForRsaKeyExchange) {
  const ServerView view = GnuTlsServer::parse_page(
      "<TR><TD>Protocol version:</TD><TD>TLS1.2</TD></TR>\n"
      "<TR><TD>Description:</TD><TD>(TLS1.2-X.509)-(RSA)-(3DES-CBC)-(SHA1)</TD></TR>\n"
      "<TR><TD>Ciphersuite</TD><TD>RSA_3DES_EDE_CBC_SHA1</TD></TR>\n");
  ASSERT_NE(view.cipher_suite, nullptr) << view.describe();
  EXPECT_EQ(view.cipher_suite->code, 0x000A);
  EXPECT_EQ(view.group, nullptr);
  EXPECT_TRUE(view.scheme_text.empty());
}

TEST(ServerPages, NssLogRsaKeyExchange) {
  const ServerView view = NssServer::parse_log(
      "selfserv: About to call accept.\n"
      "selfserv: SSL version 3.0 using 128-bit RC4 with 128-bit MD5 MAC\n"
      "selfserv: Server Auth: 2048-bit RSA, Key Exchange: 2048-bit RSA\n"
      "          Compression: NULL, Extended Master Secret: No\n");
  EXPECT_EQ(view.version, ProtocolVersion::ssl3);
  ASSERT_NE(view.cipher_suite, nullptr) << view.describe();
  EXPECT_EQ(view.cipher_suite->code, 0x0004);
  EXPECT_EQ(view.group, nullptr);
  EXPECT_TRUE(view.group_text.empty());
}

TEST(ServerPages, NssLogEcdheTakesTheLastConnection) {
  const ServerView view = NssServer::parse_log(
      "selfserv: SSL version 3.3 using 112-bit 3DES with 160-bit SHA1 MAC\n"
      "selfserv: Server Auth: 2048-bit RSA, Key Exchange: 2048-bit RSA\n"
      "selfserv: SSL version 3.1 using 128-bit AES with 160-bit SHA1 MAC\n"
      "selfserv: Server Auth: 256-bit ECDSA, Key Exchange: 255-bit ECDHE\n");
  EXPECT_EQ(view.version, ProtocolVersion::tls1_0);
  ASSERT_NE(view.cipher_suite, nullptr) << view.describe();
  EXPECT_EQ(view.cipher_suite->code, 0xC009);
  ASSERT_NE(view.group, nullptr) << view.describe();
  EXPECT_EQ(view.group->code, policy::kGroupX25519);
}

TEST(ServerPages, NssLogWithoutAConnectionReportsNothing) {
  const ServerView view = NssServer::parse_log("selfserv: About to call accept.\n");
  EXPECT_FALSE(view.version);
  EXPECT_EQ(view.cipher_suite, nullptr);
}

TEST(ServerPages, JssePage) {
  const ServerView view = JsseServer::parse_page("protocol=SSLv3\ncipher=SSL_RSA_WITH_RC4_128_MD5\n");
  EXPECT_EQ(view.version, ProtocolVersion::ssl3);
  ASSERT_NE(view.cipher_suite, nullptr) << view.describe();
  EXPECT_EQ(view.cipher_suite->code, 0x0004);
}

}  // namespace
}  // namespace edgefetch::support
