// `edgefetch check` on origins whose behaviour is the point rather than a
// failure: server preference on and off, a certificate chosen by SNI, and every
// warning (expiring certificate, small RSA key, SHA-1 signatures, 3DES, SSLv3),
// served by openssl s_server and, for what Debian's OpenSSL cannot serve, the
// Java JSSE server.

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cli/check_support.hpp"
#include "support/jsse_server.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using support::Leaf;

std::optional<support::OpenSslServer> serve(std::string ciphers, support::LeafFiles identity,
                                            std::vector<std::string> extra = {}, std::string sigalgs = "") {
  support::OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.ciphers = std::move(ciphers);
  options.identity = std::move(identity);
  options.extra_args = std::move(extra);
  options.sigalgs = std::move(sigalgs);
  auto server = support::OpenSslServer::start(std::move(options));
  EXPECT_TRUE(server) << (server ? "" : server.error());
  if (!server) return std::nullopt;
  return std::move(*server);
}

// The edge prefers AES-256-GCM (0xC030) to AES-128-GCM (0xC02F); the server lists AES-128 first.
constexpr const char* kTwoSuites = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";

TEST(CheckOriginsTest, ServerPreferenceOnIsReportedAndDecidesTheSuite) {
  auto server = serve(kTwoSuites, support::TestPki::get().leaf(Leaf::rsa2048), {"-serverpref"});
  ASSERT_TRUE(server);
  const auto result = run_check(server->port(), {}, kExitCompatible);
  EXPECT_EQ(result.doc["supported"]["server_preference"]["TLSv1.2"], "yes") << result.doc["supported"].dump();
  EXPECT_EQ(suites_of(result.doc, "TLSv1.2"),
            std::vector<std::string>({"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"}));
  EXPECT_EQ(result.doc["negotiated"]["cipher"]["openssl"], "ECDHE-RSA-AES128-GCM-SHA256");
  // The prediction for the checked setting agrees with the handshake.
  for (const auto& row : result.doc["edge_by_setting"]) {
    if (row["selected"] == true) {
      EXPECT_EQ(row["cipher"]["openssl"], "ECDHE-RSA-AES128-GCM-SHA256") << row.dump();
    }
  }
}

TEST(CheckOriginsTest, ServerPreferenceOffFollowsTheEdgesOrder) {
  auto server = serve(kTwoSuites, support::TestPki::get().leaf(Leaf::rsa2048));
  ASSERT_TRUE(server);
  const auto result = run_check(server->port(), {}, kExitCompatible);
  EXPECT_EQ(result.doc["supported"]["server_preference"]["TLSv1.2"], "no") << result.doc["supported"].dump();
  const auto suites = suites_of(result.doc, "TLSv1.2");
  EXPECT_EQ(suites.size(), 2U);
  EXPECT_EQ(result.doc["negotiated"]["cipher"]["openssl"], "ECDHE-RSA-AES256-GCM-SHA384");
  for (const auto& row : result.doc["edge_by_setting"]) {
    if (row["selected"] == true) {
      EXPECT_EQ(row["cipher"]["openssl"], "ECDHE-RSA-AES256-GCM-SHA384") << row.dump();
    }
  }
}

TEST(CheckOriginsTest, SniDependentCertificateIsNoticedAndOnlyTheSniOneCounts) {
  const auto dir = support::ScratchDir::create("check-sni");
  // With SNI origin.test the server answers with a valid leaf; without SNI with one for other.test.
  const MadeLeaf sni_leaf = make_leaf(dir, "sni", "origin.test", 60, Signer::root);
  ASSERT_TRUE(sni_leaf.error.empty()) << sni_leaf.error;
  auto server = serve("ECDHE-RSA-AES128-GCM-SHA256", support::TestPki::get().leaf(Leaf::wrong_name),
                      {"-servername", "origin.test", "-cert2", sni_leaf.files.cert.string(), "-key2",
                       sni_leaf.files.key.string()});
  ASSERT_TRUE(server);
  const auto result = run_check(server->port(), {}, kExitCompatible);
  EXPECT_EQ(result.doc["verdict"], "compatible") << result.doc["reasons"].dump();
  EXPECT_EQ(result.doc["supported"]["sni"]["changes_certificate"], "yes") << result.doc["supported"].dump();
  bool noted = false;
  for (const auto& note : result.doc["notes"]) noted = noted || contains_text(note.get<std::string>(), "SNI");
  EXPECT_TRUE(noted) << result.doc["notes"].dump();
}

TEST(CheckOriginsTest, CertificateExpiringWithin30DaysIsAWarning) {
  const auto dir = support::ScratchDir::create("check-expiring");
  const MadeLeaf leaf = make_leaf(dir, "soon", "origin.test", 10);
  ASSERT_TRUE(leaf.error.empty()) << leaf.error;
  auto server = serve("ECDHE-RSA-AES128-GCM-SHA256", leaf.files);
  ASSERT_TRUE(server);
  const auto result = run_check(server->port(), {"--no-enumerate"}, kExitCompatible);
  EXPECT_EQ(warning_codes(result.doc), std::vector<std::string>({"cert_expiring_soon"}));
  const int days = result.doc["certificate"]["days_to_expiry"];
  EXPECT_GE(days, 9);
  EXPECT_LE(days, 10);
  EXPECT_EQ(result.doc["supported"], nullptr);
  EXPECT_EQ(result.doc["enumeration_skipped"], "--no-enumerate");
  // The verdict handshake under each profile (documented and, by default, cloudfront-2025), no probes.
  EXPECT_EQ(result.doc["verdicts"].size(), 2U);
  EXPECT_EQ(result.doc["probes"], 2);
}

TEST(CheckOriginsTest, ACertificateMessageOverTheCdns64KiBIsCertInvalid) {
  // The CDN's s2n refuses any handshake message over 64 KiB; OpenSSL sends
  // (and would accept) this chain. A private extension makes the leaf large:
  // 70,000 bytes makes the Certificate message about 72 KB, 60,000 about 62 KB.
  const auto dir = support::ScratchDir::create("check-large-certificate");
  const auto padded = [&dir](std::string_view name, std::size_t size) {
    return make_leaf(dir, name, "origin.test", 60, Signer::intermediate, "rsa:2048",
                     "1.3.6.1.4.1.55555.1=ASN1:UTF8String:" + std::string(size, 'x') + "\n");
  };
  const MadeLeaf under = padded("under", 60000);
  ASSERT_TRUE(under.error.empty()) << under.error;
  auto fits = serve("ECDHE-RSA-AES128-GCM-SHA256", under.files);
  ASSERT_TRUE(fits);
  const auto accepted = run_check(fits->port(), {"--no-enumerate", "--no-compare"}, kExitCompatible);
  EXPECT_EQ(accepted.doc["verdict"], "compatible") << accepted.doc["reasons"].dump();

  const MadeLeaf over = padded("over", 70000);
  ASSERT_TRUE(over.error.empty()) << over.error;
  auto too_large = serve("ECDHE-RSA-AES128-GCM-SHA256", over.files);
  ASSERT_TRUE(too_large);
  const auto refused = run_check(too_large->port(), {"--no-enumerate", "--no-compare"}, kExitIncompatible);
  EXPECT_EQ(reason_codes(refused.doc), std::vector<std::string>({"cert_invalid"}));
  const auto why = reason(refused.doc, "cert_invalid");
  ASSERT_FALSE(why.is_null());
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "exceeds the limit of 65536 bytes")) << why;
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "64 KiB")) << why;
}

TEST(CheckOriginsTest, Rsa1024KeyIsAWarning) {
  auto server = serve("ECDHE-RSA-AES128-GCM-SHA256", support::TestPki::get().leaf(Leaf::rsa1024));
  ASSERT_TRUE(server);
  const auto result = run_check(server->port(), {"--no-enumerate"}, kExitCompatible);
  EXPECT_EQ(warning_codes(result.doc), std::vector<std::string>({"weak_rsa_key"}));
}

TEST(CheckOriginsTest, Sha1SignatureIsAWarning) {
  auto server =
      serve("ECDHE-RSA-AES128-GCM-SHA256", support::TestPki::get().leaf(Leaf::rsa2048), {}, "RSA+SHA1");
  ASSERT_TRUE(server);
  const auto result = run_check(server->port(), {}, kExitCompatible);
  EXPECT_EQ(result.doc["negotiated"]["signature_scheme"]["name"], "rsa_pkcs1_sha1");
  EXPECT_EQ(warning_codes(result.doc), std::vector<std::string>({"legacy_signature"}));
}

TEST(CheckOriginsTest, CleanOriginHasNoWarnings) {
  auto server = serve("ECDHE-RSA-AES128-GCM-SHA256", support::TestPki::get().leaf(Leaf::rsa2048));
  ASSERT_TRUE(server);
  const auto result = run_check(server->port(), {"--no-enumerate"}, kExitCompatible);
  EXPECT_EQ(result.doc["warnings"], json::array());
}

// SSLv3 and 3DES: only JSSE still serves them. One JVM for the suite, two listeners.
class CheckJsseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    support::JsseServerOptions options;
    options.identities.push_back(support::TestPki::get().leaf(Leaf::rsa2048));
    // ECDHE, not RSA key exchange: OpenJDK 17 reads an SSLv3 RSA ClientKeyExchange with a
    // TLS-style length prefix that RFC 6101 (and the CDN's client) do not send.
    options.listeners.push_back({{"SSLv3"}, {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"}});
    options.listeners.push_back({{"TLSv1.2"}, {"SSL_RSA_WITH_3DES_EDE_CBC_SHA"}});
    auto server = support::JsseServer::start(std::move(options));
    if (server) {
      server_ = std::make_unique<support::JsseServer>(std::move(*server));
    } else {
      start_error_ = server.error();
    }
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override { ASSERT_NE(server_, nullptr) << start_error_; }

  static inline std::unique_ptr<support::JsseServer> server_;
  static inline std::string start_error_;
};

TEST_F(CheckJsseTest, Sslv3OnlyOriginNeedsTheSslv3Setting) {
  const auto strict = run_check(server_->port(0), {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(strict.doc), std::vector<std::string>({"no_shared_version"})) << server_->logs();
  EXPECT_EQ(accepted_versions(strict.doc), std::vector<std::string>({"SSLv3"}));
  EXPECT_EQ(suites_of(strict.doc, "SSLv3"), std::vector<std::string>({"ECDHE-RSA-AES128-SHA"}));
  EXPECT_TRUE(contains_text(reason(strict.doc, "no_shared_version")["fix"].get<std::string>(),
                            "set OriginSslProtocols to SSLv3"));
}

TEST_F(CheckJsseTest, Sslv3IsALegacyVersionWarning) {
  const auto ssl3 =
      run_check(server_->port(0), {"--origin-ssl-protocols", "SSLv3", "--no-enumerate"}, kExitCompatible);
  ASSERT_EQ(ssl3.doc["verdict"], "compatible") << ssl3.doc["reasons"].dump();
  EXPECT_EQ(ssl3.doc["negotiated"]["version"]["name"], "SSLv3");
  // ECDHE in SSLv3 signs its key exchange with MD5+SHA-1: a second legacy warning.
  EXPECT_EQ(warning_codes(ssl3.doc), std::vector<std::string>({"legacy_version", "legacy_signature"}));
}

TEST_F(CheckJsseTest, TripleDesIsALegacyCipherWarning) {
  const auto des = run_check(server_->port(1), {"--no-enumerate"}, kExitCompatible);
  EXPECT_EQ(des.doc["negotiated"]["cipher"]["openssl"], "DES-CBC3-SHA");
  EXPECT_EQ(warning_codes(des.doc), std::vector<std::string>({"legacy_cipher"}));
}

}  // namespace
}  // namespace edgefetch::cli_test
