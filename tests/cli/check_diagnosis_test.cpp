// `edgefetch check` must name the cause the origin really has, where a
// handshake_failure could mean several (found by exploratory testing, each
// against a real openssl s_server on 127.0.0.1):
//  - TLS 1.3 key-share groups the edge lacks (P-521, X448, ffdhe) under the
//    2025 policy: no_shared_group, not a cipher suite the origin shares;
//  - a cipher list for the other key type than the certificate's (ECDSA
//    suites on an RSA certificate): no_shared_cipher that says so, not a
//    protocol-version problem;
//  - an RSA-PSS key under the documented policy: unusable because that
//    policy offers no rsa_pss_pss_* scheme, while the 2025 policy connects.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/check_support.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using support::Leaf;

constexpr std::size_t kComparison = 1;  // verdicts[1]: CloudFront-Upstream-2025

class CheckDiagnosisTest : public ::testing::Test {
 protected:
  // s_server with `identity`; the test fails (not skips) when it cannot start.
  std::uint16_t serve(std::string version_flag, std::string ciphers, std::string groups,
                      support::LeafFiles identity = support::TestPki::get().leaf(Leaf::rsa2048)) {
    support::OpenSslServerOptions options;
    options.version_flag = std::move(version_flag);
    options.ciphers = std::move(ciphers);
    options.groups = std::move(groups);
    options.identity = std::move(identity);
    return origins_.serve(std::move(options));
  }

  LocalOrigins origins_;
};

std::vector<std::string> codes_of(const json& verdict) {
  std::vector<std::string> out;
  for (const auto& r : verdict["reasons"]) out.push_back(r.value("code", ""));
  return out;
}

const json& comparison_of(const json& doc) {
  static const json missing = json::object();
  if (!doc.contains("verdicts") || doc["verdicts"].size() <= kComparison) {
    ADD_FAILURE() << "no comparison verdict in " << doc.dump();
    return missing;
  }
  return doc["verdicts"][kComparison];
}

// Every row of edge_by_setting is incompatible and lists `code`.
void expect_rows_fail_with(const json& doc, const std::string& code) {
  ASSERT_EQ(doc["edge_by_setting"].size(), 4U) << doc.dump();
  for (const auto& row : doc["edge_by_setting"]) {
    EXPECT_EQ(row["result"], "incompatible") << row.dump();
    EXPECT_TRUE(contains(row["reasons"].get<std::vector<std::string>>(), code)) << row.dump();
  }
}

// The 2025 policy's no_shared_group for TLS 1.3: names the origin's groups
// and the edge's, and the fix enables the edge's curves.
void expect_tls13_group_reason(const json& verdict, const std::string& origin_group) {
  EXPECT_EQ(verdict["verdict"], "incompatible") << verdict.dump();
  ASSERT_EQ(codes_of(verdict), std::vector<std::string>({"no_shared_group"})) << verdict.dump();
  const std::string message = verdict["reasons"][0]["message"];
  const std::string fix = verdict["reasons"][0]["fix"];
  EXPECT_TRUE(contains_text(message, "In TLSv1.3 the origin accepts only the key-exchange groups"))
      << message;
  EXPECT_TRUE(contains_text(message, origin_group)) << message;
  EXPECT_TRUE(contains_text(message, "the edge offers P-256, X25519 and P-384")) << message;
  // Not the edge's own suites as the unshared ones.
  EXPECT_FALSE(contains_text(message, "TLS_AES_128_GCM_SHA256")) << message;
  for (const char* line : {"ssl_ecdh_curve ", "SSLOpenSSLConfCmd Curves ", "ssl-default-bind-curves "}) {
    EXPECT_TRUE(contains_text(fix, line)) << line << " missing in: " << fix;
  }
  for (const char* curve : {"X25519", "P-256", "P-384"}) EXPECT_TRUE(contains_text(fix, curve)) << fix;
}

class Tls13GroupsTest : public CheckDiagnosisTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(Tls13GroupsTest, GroupsTheEdgeLacksAreNoSharedGroupUnderThe2025Policy) {
  // TLS 1.2 and 1.3; the documented policy falls back to RSA key exchange.
  const auto port = serve("", "", GetParam());
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitCompatible);
  const json& doc = result.doc;
  EXPECT_EQ(doc["verdict"], "compatible");
  expect_tls13_group_reason(comparison_of(doc), GetParam());
  const std::string summary = doc["verdicts_summary"].is_string() ? doc["verdicts_summary"] : "";
  EXPECT_TRUE(contains_text(summary, "today's edge (CloudFront-Upstream-2025) cannot: no_shared_group"))
      << summary;
}

// Test names without the dash of "P-521".
std::string group_test_name(const ::testing::TestParamInfo<const char*>& param) {
  std::string name = param.param;
  std::erase(name, '-');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Groups, Tls13GroupsTest, ::testing::Values("P-521", "X448"), group_test_name);

TEST_F(CheckDiagnosisTest, Tls13OnlyFiniteFieldGroupsAreNoSharedGroupUnderThe2025Policy) {
  const auto port = serve("-tls1_3", "", "ffdhe2048:ffdhe3072");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"tls13_only"}));
  // Enabling TLS 1.2 alone would not do: the fix asks for a curve too.
  const std::string fix = reason(result.doc, "tls13_only")["fix"];
  EXPECT_TRUE(contains_text(fix,
                            "and one of the edge's curves (the origin's TLS 1.3 groups, ffdhe2048 and "
                            "ffdhe3072, are none the edge offers)"))
      << fix;
  expect_tls13_group_reason(comparison_of(result.doc), "ffdhe2048 and ffdhe3072");
}

TEST_F(CheckDiagnosisTest, GroupsTheEdgeLacksInBothVersionsAreNoSharedGroupUnderBothPolicies) {
  // ECDHE suites only: the documented policy's TLS 1.2 needs a curve too.
  const auto port = serve("", "ECDHE+AESGCM", "P-521");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"no_shared_group"}));
  expect_tls13_group_reason(comparison_of(result.doc), "P-521");
}

// ECDSA suites on an RSA certificate: OpenSSL speaks TLS 1.2 but can use
// none of its suites, and answers handshake_failure (a version it does not
// speak gets protocol_version).
constexpr const char* kEcdsaSuite = "ECDHE-ECDSA-AES128-GCM-SHA256";

void expect_suites_unfit_reason(const json& reason_json, const std::string& key_text) {
  const std::string message = reason_json["message"];
  const std::string fix = reason_json["fix"];
  EXPECT_TRUE(contains_text(message, "The origin speaks TLSv1.2")) << message;
  EXPECT_TRUE(contains_text(message, "handshake_failure, not protocol_version")) << message;
  EXPECT_TRUE(contains_text(message, key_text)) << message;
  EXPECT_FALSE(contains_text(message, "refused every protocol version")) << message;
  for (const char* line : {"ssl_ciphers ", "SSLCipherSuite ", "ssl-default-bind-ciphers "}) {
    EXPECT_TRUE(contains_text(fix, line)) << line << " missing in: " << fix;
  }
  EXPECT_TRUE(contains_text(fix, "ECDHE-RSA-AES128-GCM-SHA256")) << fix;
  EXPECT_FALSE(contains_text(fix, "Enable TLS 1.2")) << fix;
}

TEST_F(CheckDiagnosisTest, EcdsaSuitesOnAnRsaCertificateInTls12AreNoSharedCipher) {
  const auto port = serve("-tls1_2", kEcdsaSuite, "");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  const json& doc = result.doc;
  EXPECT_EQ(reason_codes(doc), std::vector<std::string>({"no_shared_cipher"}));
  // No handshake shows the certificate: the message says which suites fit which key.
  expect_suites_unfit_reason(reason(doc, "no_shared_cipher"), "do not fit its certificate's key type");
  expect_rows_fail_with(doc, "no_shared_cipher");
  EXPECT_EQ(codes_of(comparison_of(doc)), std::vector<std::string>({"no_shared_cipher"}));
}

TEST_F(CheckDiagnosisTest, EcdsaSuitesOnAnRsaCertificateNextToTls13AreNoSharedCipherNotTls13Only) {
  const auto port = serve("", kEcdsaSuite, "");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  const json& doc = result.doc;
  EXPECT_EQ(reason_codes(doc), std::vector<std::string>({"no_shared_cipher"}));
  // The 2025 handshake (TLS 1.3) read the certificate: the message names its key.
  const json why = reason(doc, "no_shared_cipher");
  expect_suites_unfit_reason(why, "its certificate has an RSA key (RSA 2048)");
  const std::string fix = why["fix"];
  EXPECT_TRUE(contains_text(fix, "ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256;"))
      << fix;
  EXPECT_FALSE(contains_text(fix, "ECDHE-ECDSA-AES")) << fix;
  expect_rows_fail_with(doc, "no_shared_cipher");
  EXPECT_EQ(comparison_of(doc)["verdict"], "compatible") << doc["verdicts"].dump();
}

TEST_F(CheckDiagnosisTest, RsaPssKeyFailsTheDocumentedPolicyForWantOfAnRsaPssPssScheme) {
  const auto dir = support::ScratchDir::create("pss-leaf");
  const MadeLeaf leaf = make_leaf(dir, "pss", support::kOriginName, 30, Signer::intermediate, "rsa-pss");
  ASSERT_TRUE(leaf.error.empty()) << leaf.error;
  const auto port = serve("-tls1_2", "", "", leaf.files);
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  const json& doc = result.doc;
  EXPECT_EQ(reason_codes(doc), std::vector<std::string>({"cert_key_unsupported"}));
  const std::string message = reason(doc, "cert_key_unsupported")["message"];
  EXPECT_TRUE(contains_text(message, "has an RSA-PSS key (RSA-PSS 2048)")) << message;
  EXPECT_TRUE(contains_text(message, "can sign only with the rsa_pss_pss_* signature schemes")) << message;
  EXPECT_TRUE(contains_text(message, "the documented policy (cloudfront) offers none of them")) << message;
  EXPECT_TRUE(contains_text(message, "while today's edge (CloudFront-Upstream-2025) does")) << message;
  EXPECT_FALSE(contains_text(message, "can use only RSA and ECDSA")) << message;
  // The 2025 policy connects over TLS 1.2 with the key.
  const json& today = comparison_of(doc);
  EXPECT_EQ(today["verdict"], "compatible") << today.dump();
  EXPECT_EQ(today["negotiated"]["version"]["name"], "TLSv1.2") << today.dump();
  EXPECT_EQ(today["negotiated"]["signature_scheme"]["name"], "rsa_pss_pss_sha256") << today.dump();

  // Judged under the 2025 policy alone, the key is no problem at all.
  const auto alone = run_check(port, {"--profile", "cloudfront-2025"}, kExitCompatible);
  EXPECT_EQ(alone.doc["certificate"]["problems"], json::array()) << alone.doc["certificate"].dump();
  EXPECT_FALSE(contains_text(alone.doc["notes"].dump(), "RSA-PSS")) << alone.doc["notes"].dump();
}

}  // namespace
}  // namespace edgefetch::cli_test
