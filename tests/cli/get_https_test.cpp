// `edgefetch get` with https:// URLs against `openssl s_server -www` on
// 127.0.0.1, using the test PKI (a private root, an intermediate, leaves for
// origin.test). Each test pins the server to the parameters it asserts.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/get_servers.hpp"
#include "support/openssl_server.hpp"
#include "support/openssl_www_origin.hpp"
#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitTlsFailure = 1;

class GetHttpsTest : public ::testing::Test {
 protected:
  // Starts s_server; the test fails (not skips) when it cannot.
  bool start(support::OpenSslServerOptions options) {
    auto server = support::OpenSslServer::start(std::move(options));
    EXPECT_TRUE(server) << (server ? "" : server.error());
    if (!server) return false;
    server_.emplace(std::move(*server));
    return true;
  }

  static support::OpenSslServerOptions pinned(std::string cipher, std::string group = "",
                                              support::Leaf leaf = support::Leaf::rsa2048) {
    support::OpenSslServerOptions options;
    options.version_flag = "-tls1_2";
    options.ciphers = std::move(cipher);
    options.groups = std::move(group);
    options.identity = support::TestPki::get().leaf(leaf);
    return options;
  }

  [[nodiscard]] std::string port() const { return std::to_string(server_->port()); }
  [[nodiscard]] std::string url() const { return "https://origin.test:" + port() + "/"; }
  [[nodiscard]] std::string resolve() const { return "origin.test:" + port() + ":127.0.0.1"; }
  static std::string ca_file() { return support::TestPki::get().ca_file().string(); }

  // get URL --resolve ... --ca-file ... plus `extra`.
  [[nodiscard]] std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> all = {"get", url(), "--resolve", resolve(), "--ca-file", ca_file()};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }

  std::string logs() { return server_ ? server_->logs() : ""; }

  std::optional<support::OpenSslServer> server_;
};

TEST_F(GetHttpsTest, JsonReportsTheNegotiatedParametersExactly) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256", "X25519")));
  const auto dir = support::ScratchDir::create("get-https");
  const auto page_path = dir / "page.html";
  const auto result = run_expecting(args({"--json", "-o", page_path.string()}), kExitOk);
  const json doc = json_output(result);
  ASSERT_FALSE(doc.contains("error")) << doc.dump(2) << "\n" << logs();
  EXPECT_EQ(doc["url"], url());
  EXPECT_EQ(doc["status"], 200);
  EXPECT_GT(doc["body_bytes"].get<int>(), 0);
  const json& tls = doc["tls"];
  EXPECT_EQ(tls["version"], json({{"name", "TLSv1.2"}, {"code", "0x0303"}}));
  EXPECT_EQ(tls["cipher"], json({{"openssl", "ECDHE-RSA-AES128-GCM-SHA256"},
                                 {"rfc", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
                                 {"code", "0xC02F"}}));
  EXPECT_EQ(tls["group"], json({{"name", "X25519"}, {"code", "0x001D"}}));
  ASSERT_TRUE(tls.contains("signature_scheme"));
  EXPECT_TRUE(tls["signature_scheme"]["code"].get<std::string>().starts_with("0x0")) << tls.dump();
  const json& cert = tls["certificate"];
  EXPECT_TRUE(contains(cert["subject"].get<std::string>(), "CN=origin.test")) << cert.dump();
  EXPECT_TRUE(contains(cert["issuer"].get<std::string>(), "intermediate")) << cert.dump();
  EXPECT_EQ(cert["key"], "RSA 2048");
  EXPECT_EQ(cert["signature_algorithm"], "sha256WithRSAEncryption");  // the test intermediate's RSA key
  EXPECT_NE(std::find(cert["san"].begin(), cert["san"].end(), "DNS:origin.test"), cert["san"].end())
      << cert.dump();
  EXPECT_TRUE(cert["not_before"].is_string() && cert["not_after"].is_string());
  EXPECT_EQ(tls["server_name"], "origin.test");
  EXPECT_EQ(tls["sni"], "origin.test");
  EXPECT_EQ(tls["extended_master_secret"], true);
  EXPECT_EQ(tls["secure_renegotiation"], true);
  EXPECT_FALSE(tls.contains("hello_retry_request")) << "TLS 1.3 only: " << tls.dump();
  for (const char* phase : {"dns", "connect", "tls", "first_byte", "total"}) {
    EXPECT_TRUE(doc["timings_ms"].contains(phase)) << phase;
  }
  EXPECT_EQ(doc["warnings"], json::array());
  // The server saw the same: its -www page (the body, written with -o) names the session.
  const auto seen = support::OpenSslServer::parse_page(support::read_file(page_path));
  ASSERT_NE(seen.cipher_suite, nullptr) << seen.describe();
  EXPECT_EQ(seen.cipher_suite->code, 0xC02F) << seen.describe();
  EXPECT_EQ(seen.version, policy::ProtocolVersion::tls1_2) << seen.describe();
  ASSERT_NE(seen.group, nullptr) << seen.describe();
  EXPECT_EQ(seen.group->code, policy::kGroupX25519) << seen.describe();
  EXPECT_EQ(doc["body_bytes"].get<std::uint64_t>(), std::filesystem::file_size(page_path));
}

TEST_F(GetHttpsTest, AnIpAddressIsTheVerifiedNameButNeverTheSni) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  const auto result =
      run_expecting({"get", "https://127.0.0.1:" + port() + "/", "--ca-file", ca_file(), "--json"}, kExitOk);
  const json doc = json_output(result);
  ASSERT_FALSE(doc.contains("error")) << doc.dump(2);
  EXPECT_EQ(doc["tls"]["server_name"], "127.0.0.1") << "checked against the certificate's IP SAN";
  EXPECT_TRUE(doc["tls"]["sni"].is_null()) << doc["tls"].dump();
}

TEST_F(GetHttpsTest, RsaKeyExchangeHasNoGroupAndNoSignatureScheme) {
  ASSERT_TRUE(start(pinned("AES128-SHA")));
  const auto result = run_expecting(args({"--json"}), kExitOk);
  const json doc = json_output(result);
  ASSERT_FALSE(doc.contains("error")) << doc.dump(2) << "\n" << logs();
  EXPECT_EQ(doc["tls"]["cipher"]["code"], "0x002F");
  EXPECT_FALSE(doc["tls"].contains("group")) << doc["tls"].dump();
  EXPECT_FALSE(doc["tls"].contains("signature_scheme")) << doc["tls"].dump();
}

TEST_F(GetHttpsTest, ProfileDecidesTheOffer) {
  // AES128-GCM-SHA256 is offered by CloudFront-Upstream, not by the documented table.
  ASSERT_TRUE(start(pinned("AES128-GCM-SHA256")));
  const auto refused = run_expecting(args({"--json"}), kExitTlsFailure);
  EXPECT_EQ(json_output(refused)["error"]["code"], "no_shared_cipher") << refused.out;
  EXPECT_TRUE(contains(refused.err, "edgefetch ciphers")) << refused.err;
  // The server's handshake_failure does not say what it lacked: check finds out.
  EXPECT_TRUE(contains(refused.err, "'edgefetch check origin.test:" + port() + "' finds which"))
      << refused.err;
  const auto accepted = run_expecting(args({"--profile", "CloudFront-Upstream", "--json"}), kExitOk);
  EXPECT_EQ(json_output(accepted)["tls"]["cipher"]["code"], "0x009C") << accepted.out;
}

TEST_F(GetHttpsTest, BodyGoesToStdout) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES256-GCM-SHA384", "P-384")));
  const auto result = run_expecting(args({}), kExitOk);
  // s_server -www describes the session it served.
  EXPECT_TRUE(contains(result.out, "ECDHE-RSA-AES256-GCM-SHA384")) << result.out << "\n" << logs();
}

TEST_F(GetHttpsTest, VerboseShowsParametersCertificateAndTimings) {
  ASSERT_TRUE(start(pinned("ECDHE-ECDSA-AES128-GCM-SHA256", "P-256", support::Leaf::ecdsa_p256)));
  const auto result = run_expecting(args({"-v", "-o", "/dev/null"}), kExitOk);
  const std::string& err = result.err;
  EXPECT_TRUE(contains(err, "Connection attempt 1 of 3 to 127.0.0.1:" + port() + ": connected")) << err;
  EXPECT_TRUE(contains(err, "TLSv1.2 (0x0303)")) << err;
  EXPECT_TRUE(
      contains(err, "ECDHE-ECDSA-AES128-GCM-SHA256 / TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xC02B)"))
      << err;
  EXPECT_TRUE(contains(err, "P-256 (0x0017)")) << err;
  EXPECT_TRUE(contains(err, "ecdsa_secp256r1_sha256 (0x0403)")) << err;
  EXPECT_TRUE(contains(err, "Extended MS")) << err;
  EXPECT_TRUE(contains(err, "Secure reneg.")) << err;
  EXPECT_TRUE(contains(err, "days left")) << err;
  EXPECT_TRUE(contains(err, "EC P-256")) << err;
  EXPECT_TRUE(contains(err, "Signed with    sha256WithRSAEncryption")) << err;
  EXPECT_TRUE(contains(err, "tls ")) << err;
  EXPECT_TRUE(contains(err, "first byte ")) << err;
}

TEST_F(GetHttpsTest, VerboseSaysWhatTheFailedHandshakeDidNotReach) {
  // The certificate check fails before the ECDHE key exchange: its group and
  // signature are not known, which is not "RSA key exchange".
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  const auto result = run_expecting(args({"-v", "--host-header", "wrong.test"}), kExitTlsFailure);
  EXPECT_TRUE(contains(result.err, "TLS handshake failed: cert_name_mismatch")) << result.err;
  EXPECT_TRUE(contains(result.err, "not known (the handshake stopped before the key exchange)"))
      << result.err;
  EXPECT_FALSE(contains(result.err, "RSA key exchange")) << result.err;
  // The fix states the wildcard rule the check applies (*.test covers nothing).
  EXPECT_TRUE(contains(result.err, "needs two more after it: *.example.com, not *.com")) << result.err;
}

TEST_F(GetHttpsTest, VerboseNamesTheLegacySignatureOfTls10) {
  auto options = pinned("ECDHE-RSA-AES128-SHA");
  options.version_flag = "-tls1";
  ASSERT_TRUE(start(options));
  const auto result =
      run_expecting(args({"-v", "-o", "/dev/null", "--origin-ssl-protocols", "TLSv1"}), kExitOk);
  EXPECT_TRUE(contains(result.err, "TLSv1 (0x0301)")) << result.err;
  EXPECT_TRUE(contains(result.err, "RSA with MD5+SHA-1 (no signature schemes before TLS 1.2)")) << result.err;
  // The hello offers the profile's versions; OriginSslProtocols sets the floor of the server's choice.
  EXPECT_TRUE(contains(result.err,
                       "TLS offer: profile cloudfront, versions SSLv3-TLSv1.2 (the server's choice must be "
                       "TLSv1-TLSv1.2),"))
      << result.err;
}

TEST_F(GetHttpsTest, WrongNameIsCertNameMismatchWithTheNames) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  const auto result = run_expecting(args({"--host-header", "wrong.test", "--json"}), kExitTlsFailure);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "cert_name_mismatch") << doc.dump(2);
  EXPECT_EQ(doc["error"]["cdn_status"], 502);
  EXPECT_FALSE(doc.contains("status"));
  // Partial TLS information survives the failure.
  EXPECT_EQ(doc["tls"]["server_name"], "wrong.test");
  EXPECT_EQ(doc["tls"]["cipher"]["code"], "0xC02F");
  // stderr: the names in the certificate, the name checked, and --host-header.
  EXPECT_TRUE(contains(result.err, "cert_name_mismatch")) << result.err;
  EXPECT_TRUE(contains(result.err, "wrong.test")) << result.err;
  EXPECT_TRUE(contains(result.err, "DNS:origin.test")) << result.err;
  EXPECT_TRUE(contains(result.err, "--host-header")) << result.err;
}

// An address is matched against the certificate's IP entries, never a DNS
// name, and the CDN takes no address as the origin: the hint says both.
TEST_F(GetHttpsTest, AnIpAddressTheCertificateDoesNotListGetsTheHintForAnAddress) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256", "", support::Leaf::wrong_name)));
  const auto result =
      run_expecting({"get", "https://127.0.0.1:" + port() + "/", "--ca-file", ca_file()}, kExitTlsFailure);
  EXPECT_TRUE(contains(result.err, "cert_name_mismatch")) << result.err;
  EXPECT_TRUE(contains(result.err, "IP address entries of the certificate's SAN")) << result.err;
  EXPECT_TRUE(contains(result.err, "requires a DNS name as the origin domain")) << result.err;
  EXPECT_TRUE(contains(result.err, "--resolve NAME:" + port() + ":127.0.0.1")) << result.err;
  EXPECT_FALSE(contains(result.err, "a DNS name in its SAN")) << result.err;
}

TEST_F(GetHttpsTest, WildcardNameMatchesThroughHostHeader) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  const auto result = run_expecting(args({"--host-header", "a.wild.test", "--json"}), kExitOk);
  EXPECT_EQ(json_output(result)["tls"]["server_name"], "a.wild.test");
}

// OpenSSL alone reads a leading dot as "any name under this domain": a Host of
// ".wild.test" or ".test" must not pass for a certificate that names
// *.wild.test and origin.test (explore18 F1).
TEST_F(GetHttpsTest, AHostWithALeadingDotIsNoNameTheCertificateHas) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  for (const char* host : {".wild.test", ".test"}) {
    const auto result = run_expecting(args({"--host-header", host, "--json"}), kExitTlsFailure);
    EXPECT_EQ(json_output(result)["error"]["code"], "cert_name_mismatch") << host << "\n" << result.out;
  }
}

TEST_F(GetHttpsTest, PrivateCaWithoutCaFileIsUntrusted) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  const auto result = run_expecting({"get", url(), "--resolve", resolve(), "--json"}, kExitTlsFailure);
  EXPECT_EQ(json_output(result)["error"]["code"], "cert_untrusted");
  EXPECT_TRUE(contains(result.err, "--ca-file")) << result.err;
}

TEST_F(GetHttpsTest, InsecureSkipsVerificationAndSaysSo) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  const auto result = run_expecting(
      {"get", url(), "--resolve", resolve(), "--host-header", "wrong.test", "--insecure", "--json"}, kExitOk);
  const json doc = json_output(result);
  EXPECT_EQ(doc["status"], 200);
  EXPECT_TRUE(contains(result.err, "WARNING: --insecure")) << result.err;
  EXPECT_TRUE(contains(doc["warnings"].dump(), "NOT verified")) << doc["warnings"].dump();
  // What verification would have refused: the name, and (no --ca-file) the private root.
  EXPECT_TRUE(contains(result.err,
                       "--insecure: with verification on, as at the edge, this origin would be "
                       "refused (502): "))
      << result.err;
  EXPECT_TRUE(contains(result.err, "cert_name_mismatch (")) << result.err;
  EXPECT_TRUE(contains(result.err, "cert_untrusted (")) << result.err;
  EXPECT_TRUE(contains(doc["warnings"].dump(), "cert_name_mismatch")) << doc["warnings"].dump();
}

TEST_F(GetHttpsTest, InsecureSaysWhenVerificationWouldHavePassed) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  const auto result = run_expecting(args({"--insecure", "-o", "/dev/null"}), kExitOk);
  EXPECT_TRUE(contains(result.err,
                       "--insecure: with verification on, as at the edge, this certificate chain "
                       "would be accepted for origin.test"))
      << result.err;
}

TEST_F(GetHttpsTest, ServerForcedToTls11WhileOnlyTls12IsAllowed) {
  auto options = pinned("ECDHE-RSA-AES128-SHA");
  options.version_flag = "-tls1_1";
  ASSERT_TRUE(start(options));
  const auto result = run_expecting(args({"--json"}), kExitTlsFailure);
  EXPECT_EQ(json_output(result)["error"]["code"], "version_not_allowed") << result.out;
}

TEST_F(GetHttpsTest, GapsInTheSelectionAreNoted) {
  ASSERT_TRUE(start(pinned("ECDHE-RSA-AES128-GCM-SHA256")));
  const auto result = run_expecting(args({"--origin-ssl-protocols", "TLSv1,TLSv1.2", "--json"}), kExitOk);
  EXPECT_TRUE(contains(result.err, "note: the OriginSslProtocols selection TLSv1,TLSv1.2 has gaps"))
      << result.err;
  EXPECT_TRUE(contains(json_output(result)["warnings"].dump(), "has gaps"));
}

TEST_F(GetHttpsTest, OriginClosingRightAfterTheHandshakeIsConnectionClosed) {
  // s_server without -www and with stdin at end of file sends close_notify in
  // the flight that ends the handshake, or just after: the request cannot be
  // sent, or gets no answer. Either way the origin closed the connection; it
  // is not a handshake still in progress.
  auto options = pinned("ECDHE-RSA-AES128-GCM-SHA256");
  options.www = false;
  ASSERT_TRUE(start(std::move(options)));
  const auto result = run_edgefetch(args({"--json"}));
  EXPECT_EQ(result.exit_code, 3) << result.err << logs();
  const auto report = json_output(result);
  EXPECT_EQ(report["error"]["code"], "connection_closed") << result.out;
  const std::string message = report["error"]["message"].get<std::string>();
  EXPECT_TRUE(message == "the origin closed the connection (TLS close_notify) before the request was sent" ||
              message == "the origin closed the connection without sending a response")
      << result.out;
  EXPECT_FALSE(contains(result.out + result.err, "has not completed")) << result.out << result.err;
}

TEST(GetHttpsPlainTest, VerboseSaysASilentServersHandshakeTimedOut) {
  auto server = start_server(stay_silent());
  ASSERT_TRUE(server);
  const std::string port = std::to_string(server->port());
  const auto result = run_edgefetch({"get", "https://origin.test:" + port + "/", "--resolve",
                                     "origin.test:" + port + ":127.0.0.1", "--connect-timeout", "1", "-v"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_TRUE(contains(result.err, "TLS handshake failed: tls_handshake_timeout")) << result.err;
  EXPECT_FALSE(contains(result.err, "TLS handshake complete")) << result.err;
}

TEST(GetHttpsPlainTest, HttpsToAPlainHttpPortIsNotTls) {
  // Answers 400 as soon as bytes arrive, as a plain HTTP server does to a ClientHello.
  auto server = start_server(support::plain_http_handler());
  ASSERT_TRUE(server);
  const auto result = run_edgefetch(
      {"get", "https://127.0.0.1:" + std::to_string(server->port()) + "/", "--insecure", "--json"});
  EXPECT_EQ(result.exit_code, kExitTlsFailure) << result.err;
  EXPECT_EQ(json_output(result)["error"]["code"], "not_tls") << result.out;
  EXPECT_TRUE(contains(result.err, "http://")) << result.err;
}

TEST(GetHttpsResponse, ABrokenResponseOverTlsIsNotBlamedOnTheScheme) {
  // s_server -HTTP sends a file as the whole response: here, one with two
  // different Content-Lengths. The port speaks TLS; the hint must not ask
  // whether it does.
  support::OpenSslWwwOriginOptions options;
  options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
  options.extra_args = {"-HTTP"};  // after -WWW, which it replaces
  auto launched = support::OpenSslWwwOrigin::start(options);
  ASSERT_TRUE(launched) << (launched ? "" : launched.error());
  {
    std::ofstream out(launched->docroot() / "bad");
    out << "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok";
  }
  const std::string port = std::to_string(launched->port());
  const auto result = run_edgefetch({"get", "https://origin.test:" + port + "/bad", "--resolve",
                                     "origin.test:" + port + ":127.0.0.1", "--ca-file",
                                     support::TestPki::get().ca_file().string()});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_TRUE(contains(result.err, "invalid_response")) << result.err;
  EXPECT_TRUE(contains(result.err, "The origin's HTTP/1.1 response breaks the protocol")) << result.err;
  EXPECT_FALSE(contains(result.err, "is it a TLS port")) << result.err;
}

}  // namespace
}  // namespace edgefetch::cli_test
