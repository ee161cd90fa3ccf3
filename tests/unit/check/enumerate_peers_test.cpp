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

// One JVM, two listeners: SSLv3 only, and TLS 1.0 + TLS 1.2 with legacy suites.
class EnumerateJsse : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    support::JsseServerOptions options;
    options.identities = {TestPki::get().leaf(Leaf::rsa2048)};
    options.listeners = {
        support::JsseListener{
            {"SSLv3"},
            {"SSL_RSA_WITH_RC4_128_MD5", "TLS_RSA_WITH_AES_128_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA"}},
        support::JsseListener{{"TLSv1", "TLSv1.2"},
                              {"SSL_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                               "SSL_RSA_WITH_RC4_128_MD5", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"}}};
    auto server = support::JsseServer::start(options);
    if (!server) {
      start_error_ = new std::string(server.error());  // NOLINT: suite-lifetime state
      return;
    }
    server_ = new support::JsseServer(std::move(*server));  // NOLINT: suite-lifetime state
  }
  static void TearDownTestSuite() {
    delete server_;  // NOLINT
    server_ = nullptr;
    delete start_error_;  // NOLINT
    start_error_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr)
      GTEST_FAIL() << "JSSE server did not start: " << (start_error_ ? *start_error_ : "");
  }
  static support::JsseServer* server_;
  static std::string* start_error_;
};
support::JsseServer* EnumerateJsse::server_ = nullptr;
std::string* EnumerateJsse::start_error_ = nullptr;

TEST_F(EnumerateJsse, Ssl3OnlyServer) {
  const SupportedSummary summary = enumerate_loopback(server_->port(0));
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.accepted_versions(), std::vector<ProtocolVersion>{ProtocolVersion::ssl3});
  const VersionSupport* tls12 = summary.find(ProtocolVersion::tls1_2);
  ASSERT_NE(tls12, nullptr);
  EXPECT_FALSE(tls12->accepted);
  EXPECT_EQ(tls12->refusal, Refusal::lower_version);
  EXPECT_EQ(tls12->answered_version, 0x0300);
  // JSSE servers follow their own order (the listener's suite list), unlike the catalogue's.
  EXPECT_EQ(suites_of(summary, ProtocolVersion::ssl3),
            suite_codes({"RC4-MD5", "AES128-SHA", "DES-CBC3-SHA"}));
  EXPECT_EQ(summary.find(ProtocolVersion::ssl3)->server_preference, Tristate::yes);
  EXPECT_TRUE(summary.find(ProtocolVersion::ssl3)->complete);
  // RSA key exchange only: no groups, no ServerKeyExchange signatures.
  EXPECT_TRUE(summary.groups.empty());
  EXPECT_TRUE(summary.signature_schemes().empty());
  ASSERT_FALSE(summary.certificates.empty());
  EXPECT_EQ(summary.certificates.front().version, ProtocolVersion::ssl3);
}

TEST_F(EnumerateJsse, LegacySuitesInServerOrderAcrossVersions) {
  const SupportedSummary summary = enumerate_loopback(server_->port(1));
  SCOPED_TRACE(describe(summary));

  EXPECT_EQ(summary.accepted_versions(),
            (std::vector<ProtocolVersion>{ProtocolVersion::tls1_0, ProtocolVersion::tls1_2}));
  const VersionSupport* tls11 = summary.find(ProtocolVersion::tls1_1);
  ASSERT_NE(tls11, nullptr);
  EXPECT_EQ(tls11->refusal, Refusal::lower_version);
  EXPECT_EQ(tls11->answered_version, 0x0301);
  const std::vector<std::uint16_t> expected =
      suite_codes({"DES-CBC3-SHA", "ECDHE-RSA-AES128-SHA", "RC4-MD5", "DHE-RSA-AES128-SHA"});
  EXPECT_EQ(suites_of(summary, ProtocolVersion::tls1_2), expected);
  EXPECT_EQ(suites_of(summary, ProtocolVersion::tls1_0), expected);
  EXPECT_EQ(summary.find(ProtocolVersion::tls1_2)->server_preference, Tristate::yes);
  EXPECT_EQ(summary.find(ProtocolVersion::tls1_0)->server_preference, Tristate::yes);
  EXPECT_EQ(summary.groups_version, ProtocolVersion::tls1_2);
  EXPECT_FALSE(summary.groups.empty());
  EXPECT_FALSE(summary.signature_schemes_rsa.empty());
  // JSSE sends its ServerHello before it looks for a signature scheme, then a
  // fatal alert when none of the offered ones fits: that ends the list too.
  EXPECT_TRUE(summary.signature_schemes_complete);
  EXPECT_TRUE(summary.notes.empty());
  ASSERT_TRUE(summary.dhe_prime_bits.has_value());
  EXPECT_GE(*summary.dhe_prime_bits, 1024);
}

}  // namespace
}  // namespace edgefetch::check
