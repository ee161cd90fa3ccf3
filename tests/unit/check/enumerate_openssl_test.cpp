// Enumeration against openssl s_server: versions, suites in the server's order
// (or the client's), server preference detection, groups, TLS 1.2 signature
// schemes, TLS 1.3, suites outside the policy, and SNI-dependent certificates.

#include <gtest/gtest.h>

#include <algorithm>

#include "edgefetch/check/enumerate.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "probe_test_servers.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;
using support::Leaf;
using support::OpenSslServer;
using support::OpenSslServerOptions;
using support::TestPki;
using testing::describe;
using testing::enumerate_loopback;
using testing::suite_codes;
using testing::suites_of;

ProbeOffer detail_free_tls13_offer() {
  ProbeOffer offer;
  offer.client_version = 0x0303;
  offer.supported_versions = {0x0304};
  offer.cipher_suites = {0x1301, 0x1302, 0x1303};
  offer.renegotiation_scsv = false;
  offer.groups = {policy::kGroupX25519, policy::kGroupSecp256r1, policy::kGroupSecp384r1};
  offer.key_share_groups = {policy::kGroupX25519};
  offer.signature_schemes = {0x0804, 0x0403, 0x0401};
  return offer;
}

// TLS 1.2 and 1.3 only, four TLS 1.2 suites in an order unlike the catalogue's,
// two TLS 1.3 suites.
OpenSslServerOptions modern_rsa_server(bool server_preference) {
  OpenSslServerOptions options;
  options.version_flag = "";
  options.ciphers =
      "ECDHE-RSA-CHACHA20-POLY1305:AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";
  options.groups = "X25519:P-256";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  options.extra_args = {"-no_ssl3", "-no_tls1", "-no_tls1_1", "-ciphersuites",
                        "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"};
  if (server_preference) options.extra_args.push_back("-serverpref");
  return options;
}

TEST(EnumerateOpenSsl, ServerPreferenceOrderAndVersions) {
  auto server = OpenSslServer::start(modern_rsa_server(true));
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.accepted_versions(),
            (std::vector<ProtocolVersion>{ProtocolVersion::tls1_2, ProtocolVersion::tls1_3}));
  for (ProtocolVersion v : {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1}) {
    const VersionSupport* support = summary.find(v);
    ASSERT_NE(support, nullptr);
    EXPECT_FALSE(support->accepted);
    EXPECT_EQ(support->refusal, Refusal::alert) << support->detail;
  }
  EXPECT_EQ(suites_of(summary, ProtocolVersion::tls1_2),
            suite_codes({"ECDHE-RSA-CHACHA20-POLY1305", "AES128-SHA", "ECDHE-RSA-AES128-GCM-SHA256",
                         "ECDHE-RSA-AES256-GCM-SHA384"}));
  EXPECT_EQ(summary.find(ProtocolVersion::tls1_2)->server_preference, Tristate::yes);
  EXPECT_TRUE(summary.find(ProtocolVersion::tls1_2)->complete);
  EXPECT_EQ(suites_of(summary, ProtocolVersion::tls1_3), (std::vector<std::uint16_t>{0x1303, 0x1301}));
  EXPECT_EQ(summary.find(ProtocolVersion::tls1_3)->server_preference, Tristate::yes);

  EXPECT_EQ(summary.groups, (std::vector<std::uint16_t>{policy::kGroupX25519, policy::kGroupSecp256r1}));
  EXPECT_EQ(summary.groups_server_preference, Tristate::yes);
  EXPECT_EQ(summary.tls13_groups.size(), 2u);
  EXPECT_TRUE(summary.signature_schemes_ecdsa.empty());
  EXPECT_FALSE(summary.signature_schemes_rsa.empty());
  EXPECT_EQ(summary.sni_changes_certificate, Tristate::no);
  EXPECT_EQ(summary.secure_renegotiation, Tristate::yes);
  EXPECT_EQ(summary.extended_master_secret, Tristate::yes);
  EXPECT_TRUE(summary.notes.empty());
  EXPECT_GT(summary.probes, 5);
}

TEST(EnumerateOpenSsl, ClientPreferenceOrder) {
  auto server = OpenSslServer::start(modern_rsa_server(false));
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  // Without -serverpref the server takes the first suite of each offer: the
  // catalogue's order (policy suites first, then the known others).
  EXPECT_EQ(suites_of(summary, ProtocolVersion::tls1_2),
            suite_codes({"ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "AES128-SHA",
                         "ECDHE-RSA-CHACHA20-POLY1305"}));
  EXPECT_EQ(summary.find(ProtocolVersion::tls1_2)->server_preference, Tristate::no);
  EXPECT_EQ(suites_of(summary, ProtocolVersion::tls1_3), (std::vector<std::uint16_t>{0x1301, 0x1303}));
  EXPECT_EQ(summary.find(ProtocolVersion::tls1_3)->server_preference, Tristate::no);
}

TEST(EnumerateOpenSsl, Chacha20OnlyIsNamedOutsideThePolicy) {
  OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.ciphers = "ECDHE-RSA-CHACHA20-POLY1305";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  auto server = OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.accepted_versions(), std::vector<ProtocolVersion>{ProtocolVersion::tls1_2});
  EXPECT_EQ(suites_of(summary, ProtocolVersion::tls1_2), std::vector<std::uint16_t>{0xCCA8});
  EXPECT_EQ(summary.find(ProtocolVersion::tls1_2)->server_preference, Tristate::unknown);
  const auto names = suite_names(0xCCA8);
  ASSERT_TRUE(names);
  EXPECT_FALSE(names->in_policy);
  EXPECT_EQ(names->openssl_name, "ECDHE-RSA-CHACHA20-POLY1305");
  EXPECT_EQ(names->rfc_name, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  // Groups and schemes are still found through the one ECDHE suite.
  EXPECT_FALSE(summary.groups.empty());
  EXPECT_FALSE(summary.signature_schemes_rsa.empty());
}

TEST(EnumerateOpenSsl, Tls13OnlyServer) {
  OpenSslServerOptions options;
  options.version_flag = "-tls1_3";
  options.groups = "P-384:X25519";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  options.extra_args = {"-ciphersuites", "TLS_AES_256_GCM_SHA384"};
  auto server = OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.accepted_versions(), std::vector<ProtocolVersion>{ProtocolVersion::tls1_3});
  EXPECT_EQ(suites_of(summary, ProtocolVersion::tls1_3), std::vector<std::uint16_t>{0x1302});
  const VersionSupport* tls12 = summary.find(ProtocolVersion::tls1_2);
  ASSERT_NE(tls12, nullptr);
  EXPECT_EQ(tls12->refusal, Refusal::alert);
  EXPECT_EQ(tls12->alert_description, 70);  // protocol_version
  std::vector<std::uint16_t> groups = summary.tls13_groups;
  std::sort(groups.begin(), groups.end());
  EXPECT_EQ(groups, (std::vector<std::uint16_t>{policy::kGroupSecp384r1, policy::kGroupX25519}));
  EXPECT_TRUE(summary.tls13_groups_complete);
  // TLS 1.3 encrypts the certificate, and there is no TLS 1.2 to see it in.
  EXPECT_TRUE(summary.groups.empty());
  EXPECT_TRUE(summary.certificates.empty());
  EXPECT_EQ(summary.sni_changes_certificate, Tristate::unknown);
}

TEST(EnumerateOpenSsl, HelloRetryRequestNamesTheServersGroup) {
  // The first TLS 1.3 probe carries an X25519 share; a P-384-only server must
  // answer with a HelloRetryRequest asking for P-384.
  OpenSslServerOptions options;
  options.version_flag = "-tls1_3";
  options.groups = "P-384";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  auto server = OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();
  ProbeOffer offer = detail_free_tls13_offer();
  const ProbeResult result = run_probe_blocking(testing::loopback_target(server->port()), offer);
  ASSERT_EQ(result.outcome, ProbeOutcome::server_hello) << result.detail;
  EXPECT_TRUE(result.hello_retry_request);
  EXPECT_EQ(result.version, 0x0304);
  EXPECT_EQ(result.group, policy::kGroupSecp384r1);
  EXPECT_TRUE(result.cipher_suite.has_value());
  EXPECT_TRUE(result.certificate_chain.empty());
}

TEST(EnumerateOpenSsl, SniDependentCertificate) {
  // With SNI origin.test the server uses -cert2 (ECDSA P-256); without SNI, the RSA default.
  OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  const support::LeafFiles ecdsa = TestPki::get().leaf(Leaf::ecdsa_p256);
  options.extra_args = {"-servername",       "origin.test", "-cert2",
                        ecdsa.cert.string(), "-key2",       ecdsa.key.string()};
  auto server = OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.sni_changes_certificate, Tristate::yes);
  bool saw_without = false;
  for (const CertificateObservation& c : summary.certificates) {
    if (!c.with_sni) {
      saw_without = true;
      EXPECT_TRUE(c.server_name.empty());
    } else {
      EXPECT_EQ(c.server_name, "origin.test");
    }
    EXPECT_FALSE(c.chain_der.empty());
  }
  EXPECT_TRUE(saw_without);
  EXPECT_EQ(summary.ecdsa_certificate_curve, policy::kGroupSecp256r1);
}

OpenSslServerOptions ecdsa_p384_server(const std::string& groups, bool server_preference) {
  OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
  options.groups = groups;
  options.identity = TestPki::get().leaf(Leaf::ecdsa_p384);
  if (server_preference) options.extra_args = {"-serverpref"};
  return options;
}

TEST(EnumerateOpenSsl, EcdsaCertificateCurveStaysOfferedWhileOtherGroupsAreFound) {
  // An ECDSA P-384 certificate: in TLS 1.2 the server can use it only when
  // P-384 is offered (RFC 8422), so once P-384 was found the remaining groups
  // are probed with it kept at the end of the offer.
  auto server = OpenSslServer::start(ecdsa_p384_server("X448:P-384:P-256", false));
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.ecdsa_certificate_curve, policy::kGroupSecp384r1);
  // The client's order (the catalogue's): P-256, X25519, P-384, P-521, X448.
  EXPECT_EQ(summary.groups, (std::vector<std::uint16_t>{policy::kGroupSecp256r1, policy::kGroupSecp384r1,
                                                        policy::kGroupX448}));
  EXPECT_EQ(summary.groups_server_preference, Tristate::no);
  EXPECT_TRUE(summary.groups_complete);
  EXPECT_FALSE(summary.signature_schemes_ecdsa.empty());
  EXPECT_TRUE(summary.signature_schemes_rsa.empty());
}

TEST(EnumerateOpenSsl, EcdsaCertificateCurveFirstInServerOrderHidesTheRest) {
  auto server = OpenSslServer::start(ecdsa_p384_server("P-384:P-256", true));
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  // The server always prefers P-384, and without P-384 it cannot use its
  // certificate: P-256 is never chosen, and the summary must not claim completeness.
  EXPECT_EQ(summary.groups, std::vector<std::uint16_t>{policy::kGroupSecp384r1});
  EXPECT_FALSE(summary.groups_complete);
}

TEST(EnumerateOpenSsl, SignatureSchemesExactly) {
  OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
  options.sigalgs = "RSA+SHA384:rsa_pss_rsae_sha256:RSA+SHA1";
  options.identity = TestPki::get().leaf(Leaf::rsa2048);
  auto server = OpenSslServer::start(options);
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  std::vector<std::uint16_t> schemes = summary.signature_schemes_rsa;
  std::sort(schemes.begin(), schemes.end());
  EXPECT_EQ(schemes, (std::vector<std::uint16_t>{0x0201, 0x0501, 0x0804}));
  EXPECT_TRUE(summary.signature_schemes_complete);
  EXPECT_FALSE(summary.unsolicited_signature_scheme.has_value());
}

}  // namespace
}  // namespace edgefetch::check
