// `edgefetch get --profile cloudfront-2025` against `openssl s_server -tls1_3`
// on 127.0.0.1 (issue 7): -v and --json show the TLS 1.3 parameters (version,
// suite, group, signature scheme, whether a HelloRetryRequest happened) and
// no TLS 1.2-only facts (extended master secret, secure renegotiation); the
// documented profile against a TLS 1.3-only origin fails with
// no_shared_version, exit code 1 and a pointer to the 2025 profile. Each test
// pins the server to the parameters it asserts.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitTlsFailure = 1;

// One line of the -v handshake block: four spaces, the key padded to the
// widest key of the block ("Secure reneg.", 13 characters) plus two spaces.
std::string tls_line(std::string_view key, std::string_view value) {
  constexpr std::size_t kValueColumn = 13 + 2;
  return "    " + std::string(key) + std::string(kValueColumn - key.size(), ' ') + std::string(value) + "\n";
}

struct Pin {
  std::string suite;    // IANA name, s_server -ciphersuites
  std::string group;    // s_server -groups
  std::string sigalgs;  // s_server -sigalgs
  support::Leaf leaf = support::Leaf::rsa2048;
};

class GetTls13Test : public ::testing::Test {
 protected:
  // s_server speaking TLS 1.3 only, pinned to `pin`; the test fails (not skips) when it cannot start.
  bool start(const Pin& pin) {
    support::OpenSslServerOptions options;
    options.version_flag = "-tls1_3";
    options.groups = pin.group;
    options.sigalgs = pin.sigalgs;
    options.identity = support::TestPki::get().leaf(pin.leaf);
    options.extra_args = {"-ciphersuites", pin.suite};
    auto server = support::OpenSslServer::start(std::move(options));
    EXPECT_TRUE(server) << (server ? "" : server.error());
    if (!server) return false;
    server_.emplace(std::move(*server));
    return true;
  }

  [[nodiscard]] std::string port() const { return std::to_string(server_->port()); }
  [[nodiscard]] std::string url() const { return "https://origin.test:" + port() + "/"; }

  // get URL --resolve ... --ca-file ... plus `extra`.
  [[nodiscard]] std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> all = {"get",       url(),
                                    "--resolve", "origin.test:" + port() + ":127.0.0.1",
                                    "--ca-file", support::TestPki::get().ca_file().string()};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }

  std::string logs() { return server_ ? server_->logs() : ""; }

  std::optional<support::OpenSslServer> server_;
};

TEST_F(GetTls13Test, VerboseShowsTheTls13ParametersAndNoTls12OnlyFacts) {
  ASSERT_TRUE(start({"TLS_AES_256_GCM_SHA384", "P-256", "rsa_pss_rsae_sha256", support::Leaf::rsa2048}));
  const auto result = run_expecting(args({"--profile", "cloudfront-2025", "-v", "-o", "/dev/null"}), kExitOk);
  const std::string& err = result.err;
  EXPECT_TRUE(contains(err, "TLS handshake complete\n")) << err << logs();
  EXPECT_TRUE(contains(err, tls_line("Version", "TLSv1.3 (0x0304)"))) << err;
  // OpenSSL spells the TLS 1.3 suites by their IANA names: one name, not "X / X".
  EXPECT_TRUE(contains(err, tls_line("Cipher", "TLS_AES_256_GCM_SHA384 (0x1302)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Group", "P-256 (0x0017)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Signature", "rsa_pss_rsae_sha256 (0x0804)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Hello retry", "no (the server took the key share sent)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Extended MS", "n/a (TLS 1.3)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Secure reneg.", "n/a (TLS 1.3)"))) << err;
  EXPECT_FALSE(contains(err, "Extended MS    no")) << err;
  EXPECT_FALSE(contains(err, "Secure reneg.  no")) << err;
  EXPECT_TRUE(contains(err, tls_line("Key", "RSA 2048"))) << err;
  EXPECT_TRUE(contains(err,
                       "TLS offer: profile CloudFront-Upstream-2025, versions SSLv3-TLSv1.3 (the server's "
                       "choice must be TLSv1.2-TLSv1.3),"))
      << err;
}

TEST_F(GetTls13Test, VerboseNamesTheHelloRetryRequest) {
  // The 2025 profile sends one key share, for P-256; an X25519-only server asks for another.
  ASSERT_TRUE(
      start({"TLS_CHACHA20_POLY1305_SHA256", "X25519", "ecdsa_secp384r1_sha384", support::Leaf::ecdsa_p384}));
  const auto result = run_expecting(args({"--profile", "cloudfront-2025", "-v", "-o", "/dev/null"}), kExitOk);
  const std::string& err = result.err;
  EXPECT_TRUE(contains(err, tls_line("Version", "TLSv1.3 (0x0304)"))) << err << logs();
  EXPECT_TRUE(contains(err, tls_line("Cipher", "TLS_CHACHA20_POLY1305_SHA256 (0x1303)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Group", "X25519 (0x001D)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Signature", "ecdsa_secp384r1_sha384 (0x0503)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Hello retry",
                                     "yes: the server asked for a share in X25519 instead of P-256 "
                                     "(one more round trip)")))
      << err;
  EXPECT_TRUE(contains(err, tls_line("Extended MS", "n/a (TLS 1.3)"))) << err;
  EXPECT_TRUE(contains(err, tls_line("Key", "EC P-384"))) << err;
}

TEST_F(GetTls13Test, JsonReportsTheTls13ParametersExactly) {
  ASSERT_TRUE(
      start({"TLS_AES_128_GCM_SHA256", "P-256", "ecdsa_secp256r1_sha256", support::Leaf::ecdsa_p256}));
  const auto result = run_expecting(args({"--profile", "cloudfront-2025", "--json"}), kExitOk);
  const json doc = json_output(result);
  ASSERT_FALSE(doc.contains("error")) << doc.dump(2) << "\n" << logs();
  EXPECT_EQ(doc["status"], 200);
  const json& tls = doc["tls"];
  EXPECT_EQ(tls["version"], json({{"name", "TLSv1.3"}, {"code", "0x0304"}}));
  EXPECT_EQ(
      tls["cipher"],
      json({{"openssl", "TLS_AES_128_GCM_SHA256"}, {"rfc", "TLS_AES_128_GCM_SHA256"}, {"code", "0x1301"}}));
  EXPECT_EQ(tls["group"], json({{"name", "P-256"}, {"code", "0x0017"}}));
  EXPECT_EQ(tls["signature_scheme"], json({{"name", "ecdsa_secp256r1_sha256"}, {"code", "0x0403"}}));
  EXPECT_EQ(tls["hello_retry_request"], false);
  EXPECT_EQ(tls["key_updates_received"], 0);
  EXPECT_FALSE(tls.contains("extended_master_secret")) << tls.dump(2);
  EXPECT_FALSE(tls.contains("secure_renegotiation")) << tls.dump(2);
  EXPECT_EQ(tls["certificate"]["key"], "EC P-256");
  EXPECT_EQ(tls["server_name"], "origin.test");
  EXPECT_EQ(doc["warnings"], json::array());
  // What the server saw: s_server's -www page (the body) names the TLS 1.3 session.
  RunResult body = run_expecting(args({"--profile", "cloudfront-2025"}), kExitOk);
  const auto seen = support::OpenSslServer::parse_page(body.out);
  EXPECT_EQ(seen.version, policy::ProtocolVersion::tls1_3) << seen.describe();
  ASSERT_NE(seen.cipher_suite, nullptr) << seen.describe();
  EXPECT_EQ(seen.cipher_suite->code, 0x1301) << seen.describe();
}

TEST_F(GetTls13Test, JsonSaysWhenAHelloRetryRequestHappened) {
  ASSERT_TRUE(start({"TLS_AES_256_GCM_SHA384", "P-384", "rsa_pss_rsae_sha256", support::Leaf::rsa2048}));
  const auto result = run_expecting(args({"--profile", "cloudfront-2025", "--json"}), kExitOk);
  const json doc = json_output(result);
  ASSERT_FALSE(doc.contains("error")) << doc.dump(2) << "\n" << logs();
  const json& tls = doc["tls"];
  EXPECT_EQ(tls["version"]["code"], "0x0304");
  EXPECT_EQ(tls["cipher"]["code"], "0x1302");
  EXPECT_EQ(tls["group"], json({{"name", "P-384"}, {"code", "0x0018"}}));
  EXPECT_EQ(tls["signature_scheme"], json({{"name", "rsa_pss_rsae_sha256"}, {"code", "0x0804"}}));
  EXPECT_EQ(tls["hello_retry_request"], true);
}

TEST_F(GetTls13Test, DocumentedProfileAgainstATls13OnlyOriginFailsClearly) {
  ASSERT_TRUE(start({"TLS_AES_128_GCM_SHA256", "P-256", "rsa_pss_rsae_sha256", support::Leaf::rsa2048}));
  // No --profile: the documented policy, which offers at most TLS 1.2.
  const auto result = run_expecting(args({"--json"}), kExitTlsFailure);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "no_shared_version") << doc.dump(2);
  EXPECT_EQ(doc["error"]["cdn_status"], 502);
  EXPECT_EQ(doc["error"]["alert"], json({{"name", "protocol_version"}, {"code", 70}, {"sent_by", "server"}}))
      << doc.dump(2);
  EXPECT_FALSE(doc.contains("status"));
  EXPECT_FALSE(doc["tls"].contains("version")) << "nothing was negotiated: " << doc["tls"].dump();
  EXPECT_TRUE(contains(result.err, "edgefetch: error: no_shared_version")) << result.err;
  EXPECT_TRUE(contains(result.err,
                       "If the origin speaks only TLS 1.3: the cloudfront policy offers at most "
                       "TLSv1.2; the CDN's 2025 policies offer TLS 1.3 (test with --profile "
                       "cloudfront-2025)."))
      << result.err;
  // The same origin with the 2025 profile works.
  const auto fixed = run_expecting(args({"--profile", "cloudfront-2025", "--json"}), kExitOk);
  EXPECT_EQ(json_output(fixed)["tls"]["version"]["code"], "0x0304") << fixed.out;
}

TEST_F(GetTls13Test, Tls13OnlyProfileAgainstATls12OnlyOriginFails) {
  support::OpenSslServerOptions options;
  options.version_flag = "-tls1_2";
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
  options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
  auto server = support::OpenSslServer::start(std::move(options));
  ASSERT_TRUE(server) << server.error();
  server_.emplace(std::move(*server));
  const auto result =
      run_expecting(args({"--profile", "CloudFront-Upstream-TLS-1-3-2025", "--json"}), kExitTlsFailure);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "no_shared_version") << doc.dump(2);
  // This profile does offer TLS 1.3: no advice to try the 2025 profile.
  EXPECT_FALSE(contains(result.err, "--profile cloudfront-2025")) << result.err;
}

}  // namespace
}  // namespace edgefetch::cli_test
