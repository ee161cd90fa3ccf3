// Enumeration against independent implementations: gnutls-serv (a P-384-only
// server with an ECDSA P-384 certificate) and Java JSSE (an SSLv3-only server,
// the only peer here that still speaks SSL 3.0).

#include <gtest/gtest.h>

#include <algorithm>

#include "edgefetch/check/enumerate.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "probe_test_servers.hpp"
#include "support/gnutls_server.hpp"
#include "support/jsse_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;
using support::Leaf;
using support::TestPki;
using testing::describe;
using testing::enumerate_loopback;
using testing::suite_codes;
using testing::suites_of;

std::vector<std::uint16_t> sorted(std::vector<std::uint16_t> values) {
  std::sort(values.begin(), values.end());
  return values;
}

TEST(EnumerateGnuTls, P384OnlyWithEcdsaP384Certificate) {
  support::GnuTlsServerOptions options;
  options.priority =
      "NONE:+VERS-TLS1.2:+ECDHE-ECDSA:+AES-128-GCM:+AES-256-GCM:+AEAD:+SIGN-ALL:+GROUP-SECP384R1:+COMP-NULL:"
      "+CTYPE-X509";
  options.identity = TestPki::get().leaf(Leaf::ecdsa_p384);
  auto server = support::GnuTlsServer::start(options);
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.accepted_versions(), std::vector<ProtocolVersion>{ProtocolVersion::tls1_2});
  EXPECT_EQ(sorted(suites_of(summary, ProtocolVersion::tls1_2)),
            sorted(suite_codes({"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"})));
  EXPECT_EQ(summary.groups, std::vector<std::uint16_t>{policy::kGroupSecp384r1});
  // Without P-384 in the offer the certificate is unusable, and with it the
  // server picks P-384: in TLS 1.2 nothing the server sends can show whether
  // it would take another group it ranks lower. The summary says so.
  EXPECT_FALSE(summary.groups_complete);
  ASSERT_FALSE(summary.notes.empty());
  EXPECT_NE(summary.notes.back().find("certificate's curve"), std::string::npos) << summary.notes.back();
  EXPECT_EQ(summary.ecdsa_certificate_curve, policy::kGroupSecp384r1);
  EXPECT_TRUE(summary.signature_schemes_rsa.empty());
  EXPECT_FALSE(summary.signature_schemes_ecdsa.empty());
  for (std::uint16_t scheme : summary.signature_schemes_ecdsa) {
    EXPECT_EQ(scheme & 0xFF, 0x03) << signature_scheme_name_or_code(scheme) << " is not an ECDSA scheme";
  }
  EXPECT_TRUE(summary.signature_schemes_complete);
}

TEST(EnumerateJsse, Ssl3OnlyServer) {
  support::JsseServerOptions options;
  options.identities = {TestPki::get().leaf(Leaf::rsa2048)};
  options.listeners = {support::JsseListener{
      {"SSLv3"},
      {"TLS_RSA_WITH_AES_128_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "SSL_RSA_WITH_RC4_128_MD5"}}};
  auto server = support::JsseServer::start(options);
  ASSERT_TRUE(server) << server.error();
  const SupportedSummary summary = enumerate_loopback(server->port());
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.accepted_versions(), std::vector<ProtocolVersion>{ProtocolVersion::ssl3});
  const VersionSupport* tls12 = summary.find(ProtocolVersion::tls1_2);
  ASSERT_NE(tls12, nullptr);
  EXPECT_FALSE(tls12->accepted);
  // JSSE servers follow their own order (the listener's suite list).
  EXPECT_EQ(suites_of(summary, ProtocolVersion::ssl3),
            suite_codes({"AES128-SHA", "DES-CBC3-SHA", "RC4-MD5"}));
  EXPECT_EQ(summary.find(ProtocolVersion::ssl3)->server_preference, Tristate::yes);
  EXPECT_EQ(tls12->refusal, Refusal::lower_version);
  EXPECT_EQ(tls12->answered_version, 0x0300);
  EXPECT_TRUE(summary.find(ProtocolVersion::ssl3)->complete);
  // RSA key exchange only: no groups, no ServerKeyExchange signatures.
  EXPECT_TRUE(summary.groups.empty());
  EXPECT_TRUE(summary.signature_schemes().empty());
  ASSERT_FALSE(summary.certificates.empty());
  EXPECT_EQ(summary.certificates.front().version, ProtocolVersion::ssl3);
}

}  // namespace
}  // namespace edgefetch::check
