// `edgefetch check` against real local origins, one per reason code: openssl
// s_server (pinned with -tls1*, -cipher, -groups, -sigalgs and the test PKI's
// leaves) and in-process loopback servers for what no TLS server does on
// purpose (plain HTTP, hanging up, silence). Each test asserts the verdict, the
// reason codes, the supported lists that explain them, and the exit code.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "cli/check_support.hpp"
#include "cli/get_servers.hpp"
#include "support/loopback_server.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using support::Leaf;

class CheckReasonsTest : public ::testing::Test {
 protected:
  // Starts s_server; the test fails (not skips) when it cannot.
  std::uint16_t serve(std::string version_flag, std::string ciphers, Leaf leaf = Leaf::rsa2048,
                      std::vector<std::string> extra = {}, std::string groups = "",
                      std::string sigalgs = "") {
    support::OpenSslServerOptions options;
    options.version_flag = std::move(version_flag);
    options.ciphers = std::move(ciphers);
    options.identity = support::TestPki::get().leaf(leaf);
    options.extra_args = std::move(extra);
    options.groups = std::move(groups);
    options.sigalgs = std::move(sigalgs);
    return origins_.serve(std::move(options));
  }

  LocalOrigins origins_;
};

TEST_F(CheckReasonsTest, CompatibleOriginReportsTheNegotiationAndWhatItSupports) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA", Leaf::rsa2048, {}, "X25519");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitCompatible);
  const json& doc = result.doc;
  EXPECT_EQ(doc["verdict"], "compatible");
  EXPECT_EQ(doc["reasons"], json::array());
  EXPECT_EQ(doc["negotiated"]["version"]["name"], "TLSv1.2");
  EXPECT_EQ(doc["negotiated"]["cipher"]["openssl"], "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(doc["negotiated"]["cipher"]["rfc"], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(doc["negotiated"]["group"]["name"], "X25519");
  EXPECT_TRUE(doc["negotiated"]["signature_scheme"].is_object()) << doc["negotiated"].dump();
  EXPECT_EQ(doc["certificate"]["source"], "handshake");
  EXPECT_TRUE(contains_text(doc["certificate"]["subject"].get<std::string>(), "origin.test"));
  EXPECT_GT(doc["certificate"]["days_to_expiry"].get<int>(), 300);
  EXPECT_EQ(doc["certificate"]["problems"], json::array());
  EXPECT_EQ(accepted_versions(doc), std::vector<std::string>({"TLSv1.2"}));
  const auto suites = suites_of(doc, "TLSv1.2");
  EXPECT_EQ(suites.size(), 2U) << doc["supported"].dump();
  EXPECT_TRUE(contains(suites, "ECDHE-RSA-AES128-GCM-SHA256"));
  EXPECT_TRUE(contains(suites, "AES128-SHA"));
  EXPECT_EQ(group_names(doc), std::vector<std::string>({"X25519"}));
  ASSERT_EQ(doc["edge_by_setting"].size(), 4U);
  for (const auto& row : doc["edge_by_setting"]) {
    EXPECT_EQ(row["result"], "compatible") << row.dump();
    EXPECT_EQ(row["selected"], row["origin_ssl_protocols"] == "TLSv1.2") << row.dump();
  }
  EXPECT_GT(doc["probes"].get<int>(), 1);
  EXPECT_TRUE(doc["elapsed_ms"].is_number_integer());
  for (const char* key : {"target", "settings", "supported", "warnings", "notes", "attempts"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
}

TEST_F(CheckReasonsTest, Tls10OnlyOriginIsIncompatibleUnderTheDefaultAndCompatibleUnderTlsV1) {
  const auto port = serve("-tls1", "ECDHE-RSA-AES128-SHA:AES256-SHA");
  ASSERT_NE(port, 0);
  const auto strict = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(strict.doc["verdict"], "incompatible");
  EXPECT_EQ(reason_codes(strict.doc), std::vector<std::string>({"no_shared_version"}));
  EXPECT_EQ(accepted_versions(strict.doc), std::vector<std::string>({"TLSv1"}));
  const json why = reason(strict.doc, "no_shared_version");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "TLSv1")) << why.dump();
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "set OriginSslProtocols to TLSv1")) << why.dump();
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "ssl_protocols TLSv1.2")) << why.dump();
  for (const auto& row : strict.doc["edge_by_setting"]) {
    const bool low_floor = row["origin_ssl_protocols"] == "SSLv3" || row["origin_ssl_protocols"] == "TLSv1";
    EXPECT_EQ(row["result"], low_floor ? "compatible" : "incompatible") << row.dump();
  }

  const auto legacy = run_check(port, {"--origin-ssl-protocols", "TLSv1"}, kExitCompatible);
  EXPECT_EQ(legacy.doc["verdict"], "compatible");
  EXPECT_EQ(legacy.doc["negotiated"]["version"]["name"], "TLSv1");
  EXPECT_EQ(legacy.doc["negotiated"]["cipher"]["openssl"], "ECDHE-RSA-AES128-SHA");
  // TLS 1.0 signs the ECDHE parameters with MD5+SHA-1.
  EXPECT_TRUE(contains(warning_codes(legacy.doc), "legacy_signature")) << legacy.doc["warnings"].dump();
}

TEST_F(CheckReasonsTest, Tls13OnlyOrigin) {
  const auto port = serve("-tls1_3", "");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"tls13_only"}));
  EXPECT_EQ(accepted_versions(result.doc), std::vector<std::string>({"TLSv1.3"}));
  EXPECT_FALSE(result.doc["supported"]["tls13_groups"].empty()) << result.doc["supported"].dump();
  const std::string fix = reason(result.doc, "tls13_only")["fix"];
  EXPECT_TRUE(contains_text(fix, "TLSv1.2")) << fix;
  EXPECT_FALSE(contains_text(fix, "one of the edge's curves")) << "its groups are the edge's: " << fix;
}

TEST_F(CheckReasonsTest, ChaChaOnlyOriginNamesTheSuiteItSpeaksAndTheConfigLines) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-CHACHA20-POLY1305");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"no_shared_cipher"}));
  EXPECT_EQ(suites_of(result.doc, "TLSv1.2"), std::vector<std::string>({"ECDHE-RSA-CHACHA20-POLY1305"}));
  EXPECT_EQ(result.doc["supported"]["suites_by_version"]["TLSv1.2"][0]["in_policy"], false);
  const json why = reason(result.doc, "no_shared_cipher");
  const std::string message = why["message"];
  const std::string fix = why["fix"];
  EXPECT_TRUE(contains_text(message, "ECDHE-RSA-CHACHA20-POLY1305")) << message;
  for (const char* line : {"ssl_ciphers ", "SSLCipherSuite ", "ssl-default-bind-ciphers "}) {
    EXPECT_TRUE(contains_text(fix, line)) << line << " missing in: " << fix;
  }
  // The fix adds an RSA suite the edge offers (the certificate is RSA) and keeps CHACHA20.
  EXPECT_TRUE(contains_text(fix, "ECDHE-RSA-AES128-GCM-SHA256")) << fix;
  EXPECT_TRUE(contains_text(fix, "ECDHE-RSA-CHACHA20-POLY1305")) << fix;
  EXPECT_FALSE(contains_text(fix, "ECDHE-ECDSA")) << fix;
}

TEST_F(CheckReasonsTest, DheOnlyOriginIsNoSharedCipher) {
  const auto port = serve("-tls1_2", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-SHA");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"no_shared_cipher"}));
  const auto suites = suites_of(result.doc, "TLSv1.2");
  EXPECT_TRUE(contains(suites, "DHE-RSA-AES128-GCM-SHA256")) << result.doc["supported"].dump();
  EXPECT_TRUE(contains(suites, "DHE-RSA-AES256-SHA")) << result.doc["supported"].dump();
  EXPECT_TRUE(contains_text(reason(result.doc, "no_shared_cipher")["message"].get<std::string>(), "DHE"));
}

TEST_F(CheckReasonsTest, P521OnlyOriginIsNoSharedGroup) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::rsa2048, {}, "P-521");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"no_shared_group"}));
  EXPECT_EQ(group_names(result.doc), std::vector<std::string>({"P-521"}));
  const json why = reason(result.doc, "no_shared_group");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "P-521")) << why.dump();
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "ssl_ecdh_curve")) << why.dump();
}

TEST_F(CheckReasonsTest, EcdsaCertificateOnACurveTheEdgeDoesNotOfferIsNoSharedGroup) {
  const auto port = serve("-tls1_2", "ECDHE-ECDSA-AES128-GCM-SHA256", Leaf::ecdsa_p521);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_TRUE(contains(reason_codes(result.doc), "no_shared_group")) << result.doc["reasons"].dump();
  EXPECT_EQ(result.doc["supported"]["ecdsa_certificate_curve"]["name"], "P-521")
      << result.doc["supported"].dump();
  const json why = reason(result.doc, "no_shared_group");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "ECDSA certificate is on P-521"))
      << why.dump();
}

TEST_F(CheckReasonsTest, PssOnlySignaturesAreNoSharedSignatureScheme) {
  const auto port =
      serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::rsa2048, {}, "", "rsa_pss_rsae_sha256");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"no_shared_signature_scheme"}));
  std::vector<std::string> schemes;
  for (const auto& s : result.doc["supported"]["signature_schemes"]) schemes.push_back(s["name"]);
  EXPECT_EQ(schemes, std::vector<std::string>({"rsa_pss_rsae_sha256"}));
  EXPECT_TRUE(contains_text(reason(result.doc, "no_shared_signature_scheme")["fix"].get<std::string>(),
                            "SignatureAlgorithms RSA+SHA256"));
}

TEST_F(CheckReasonsTest, SelfSignedCertificateIsUntrusted) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::self_signed);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"cert_untrusted"}));
  EXPECT_TRUE(
      contains_text(reason(result.doc, "cert_untrusted")["message"].get<std::string>(), "self-signed"));
}

TEST_F(CheckReasonsTest, CertificateFromAnUnknownCaIsUntrusted) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::unknown_ca);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"cert_untrusted"}));
  EXPECT_FALSE(
      contains_text(reason(result.doc, "cert_untrusted")["message"].get<std::string>(), "self-signed"));
}

TEST_F(CheckReasonsTest, ExpiredCertificate) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::expired);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"cert_expired"}));
  EXPECT_LT(result.doc["certificate"]["days_to_expiry"].get<int>(), 0);
}

TEST_F(CheckReasonsTest, ExpiredCertificateForAnotherNameReportsBothProblems) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::expired);
  ASSERT_NE(port, 0);
  // The viewer's Host is forwarded: the edge sends it as SNI and checks the certificate against it.
  const auto result = run_check(port, {"--host-header", "www.example.test"}, kExitIncompatible);
  const auto codes = reason_codes(result.doc);
  EXPECT_TRUE(contains(codes, "cert_expired")) << result.doc["reasons"].dump();
  EXPECT_TRUE(contains(codes, "cert_name_mismatch")) << result.doc["reasons"].dump();
  const json why = reason(result.doc, "cert_name_mismatch");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "www.example.test")) << why.dump();
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "DNS:origin.test")) << why.dump();
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "Host header")) << why.dump();
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "Host-header rule")) << why.dump();
  EXPECT_EQ(result.doc["target"]["server_name"], "www.example.test");
}

TEST_F(CheckReasonsTest, NotYetValidCertificate) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::not_yet_valid);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"cert_not_yet_valid"}));
}

TEST_F(CheckReasonsTest, WrongNameCertificate) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::wrong_name);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"cert_name_mismatch"}));
  const std::string message = reason(result.doc, "cert_name_mismatch")["message"];
  EXPECT_TRUE(contains_text(message, "other.test")) << message;
  EXPECT_TRUE(contains_text(message, "'origin.test'")) << message;
}

TEST_F(CheckReasonsTest, MissingIntermediateIsNamedBySubjectAndIssuer) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::without_intermediate);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"cert_incomplete_chain"}));
  const std::string message = reason(result.doc, "cert_incomplete_chain")["message"];
  EXPECT_TRUE(contains_text(message, "origin.test")) << message;
  EXPECT_TRUE(contains_text(message, "ntermediate")) << message;  // the missing issuer's name
  EXPECT_TRUE(contains_text(reason(result.doc, "cert_incomplete_chain")["fix"].get<std::string>(), "chain"));
}

TEST_F(CheckReasonsTest, Ed25519CertificateIsAnUnsupportedKey) {
  const auto port = serve("-tls1_2", "ECDHE-ECDSA-AES128-GCM-SHA256", Leaf::ed25519);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_TRUE(contains(reason_codes(result.doc), "cert_key_unsupported")) << result.doc["reasons"].dump();
  EXPECT_TRUE(
      contains_text(reason(result.doc, "cert_key_unsupported")["message"].get<std::string>(), "Ed25519"));
}

TEST_F(CheckReasonsTest, PlainHttpOnTheTlsPortIsNotTls) {
  auto server = start_server(support::plain_http_handler());
  ASSERT_NE(server, nullptr);
  const auto result = run_check(server->port(), {}, kExitIncompatible);
  EXPECT_EQ(result.doc["verdict"], "incompatible");
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"not_tls"}));
  EXPECT_TRUE(contains_text(reason(result.doc, "not_tls")["fix"].get<std::string>(), "http-only"));
  EXPECT_TRUE(contains_text(reason(result.doc, "not_tls")["message"].get<std::string>(), "plain HTTP"))
      << reason(result.doc, "not_tls").dump();
}

TEST_F(CheckReasonsTest, FatalAlertForTheServerNameIsAServerAlert) {
  const auto other = support::TestPki::get().leaf(Leaf::wrong_name);
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", Leaf::rsa2048,
                          {"-servername", "other.test", "-cert2", other.cert.string(), "-key2",
                           other.key.string(), "-servername_fatal"});
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"server_alert"}));
  const json why = reason(result.doc, "server_alert");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "unrecognized_name")) << why.dump();
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "SNI")) << why.dump();
}

TEST_F(CheckReasonsTest, OriginThatHangsUpOnTheClientHelloIsConnectionClosed) {
  auto server = start_server(support::close_after_client_hello_handler());
  ASSERT_NE(server, nullptr);
  const auto result = run_check(server->port(), {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"connection_closed"}));
}

TEST_F(CheckReasonsTest, RefusedPortIsUnreachableAfterEveryAttempt) {
  // A port nothing listens on: bind one, note it, close it.
  std::uint16_t port = 0;
  {
    auto server = start_server(support::plain_http_handler());
    ASSERT_NE(server, nullptr);
    port = server->port();
  }
  const auto result = run_check(port, {"--connection-attempts", "2"}, kExitUnreachable);
  EXPECT_EQ(result.doc["verdict"], "unreachable");
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"connection_refused"}));
  ASSERT_EQ(result.doc["attempts"].size(), 2U);
  EXPECT_EQ(result.doc["attempts"][0]["outcome"], "refused");
  EXPECT_EQ(result.doc["supported"], nullptr);
  EXPECT_EQ(result.doc["probes"], 2);
}

TEST_F(CheckReasonsTest, SilentOriginIsUnreachableWithinTheConnectionTimeout) {
  auto server = start_server(stay_silent());
  ASSERT_NE(server, nullptr);
  const auto started = std::chrono::steady_clock::now();
  const auto result =
      run_check(server->port(), {"--connect-timeout", "1", "--connection-attempts", "1"}, kExitUnreachable);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"tls_handshake_timeout"}));
  EXPECT_GE(result.doc["elapsed_ms"].get<int>(), 900);
  EXPECT_LT(elapsed, std::chrono::seconds(5)) << "the 1 s connection timeout was not respected";
}

}  // namespace
}  // namespace edgefetch::cli_test
