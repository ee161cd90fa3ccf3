// Enumeration against openssl s_server: versions, suites in the server's order
// (or the client's), server preference detection, groups, TLS 1.2 signature
// schemes, TLS 1.3, suites outside the policy, and SNI-dependent certificates.

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace edgefetch::check
