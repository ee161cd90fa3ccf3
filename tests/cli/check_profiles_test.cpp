// `edgefetch check` judges an origin under two profiles side by side: the
// documented policy (TLS 1.2 at most; the verdict and the exit code follow it)
// and the CDN's 2025 policy (cloudfront-2025, TLS 1.3 first), each with its
// own full handshake and the same settings. Real origins: openssl s_server
// pinned to TLS 1.3 only, TLS 1.2 + 1.3, TLS 1.2 only, and a certificate for
// another name. Asserts both verdicts in --json and in the text report, the
// sentence that says when only the 2025 policy connects, and the flags that
// choose the profiles.

#include <gtest/gtest.h>

#include <array>
#include <nlohmann/json.hpp>

#include "cli/check_support.hpp"
#include "cli/get_servers.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using support::Leaf;

class CheckProfilesTest : public ::testing::Test {
 protected:
  // s_server with TLS <= 1.2 `ciphers`, TLS 1.3 `suites13` and `groups`; the
  // test fails (not skips) when it cannot start.
  std::uint16_t serve(std::string version_flag, std::string ciphers, std::string suites13, std::string groups,
                      Leaf leaf = Leaf::rsa2048) {
    support::OpenSslServerOptions options;
    options.version_flag = std::move(version_flag);
    options.ciphers = std::move(ciphers);
    options.groups = std::move(groups);
    options.identity = support::TestPki::get().leaf(leaf);
    if (!suites13.empty()) options.extra_args = {"-ciphersuites", std::move(suites13)};
    auto server = support::OpenSslServer::start(std::move(options));
    EXPECT_TRUE(server) << (server ? "" : server.error());
    if (!server) return 0;
    servers_.push_back(std::move(*server));
    return servers_.back().port();
  }

  static std::vector<std::string> text_args(std::uint16_t port, std::vector<std::string> extra = {},
                                            const std::string& host = "origin.test") {
    const std::string p = std::to_string(port);
    std::vector<std::string> args = {"check",     host + ":" + p,
                                     "--resolve", host + ":" + p + ":127.0.0.1",
                                     "--ca-file", support::TestPki::get().ca_file().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  std::vector<support::OpenSslServer> servers_;
};

const json& verdict_of(const json& doc, std::size_t index) {
  static const json missing = json::object();
  if (!doc.contains("verdicts") || doc["verdicts"].size() <= index) {
    ADD_FAILURE() << "no verdicts[" << index << "] in " << doc.dump();
    return missing;
  }
  return doc["verdicts"][index];
}

std::vector<std::string> codes(const json& verdict) {
  std::vector<std::string> out;
  for (const auto& r : verdict["reasons"]) out.push_back(r.value("code", ""));
  return out;
}

// The report's line that starts with `prefix` after its indentation, or "".
std::string line_starting(const std::string& text, std::string_view prefix) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    const auto first = line.find_first_not_of(' ');
    if (first != std::string_view::npos && line.substr(first).starts_with(prefix)) return std::string(line);
    start = end + 1;
  }
  return "";
}

// The line that follows `line` in `text`, or "".
std::string line_after(const std::string& text, const std::string& line) {
  const auto at = text.find(line + "\n");
  if (line.empty() || at == std::string::npos) return "";
  const auto start = at + line.size() + 1;
  const auto end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The lines of the "Verdict under each profile" table: its header, its rule,
// the rows and their continuation lines (up to the sentence or a blank line).
std::vector<std::string> verdict_table_lines(const std::string& text) {
  std::vector<std::string> table;
  bool inside = false;
  for (const std::string& line : lines_of(text)) {
    if (!inside) {
      inside = line.starts_with("Verdict under each profile");
      continue;
    }
    if (line.empty() || contains_text(line, " can connect with ")) break;
    table.push_back(line);
  }
  return table;
}

// A compatible row's values start under their headers, and a row that did not
// connect keeps its reason codes out of those columns: they go on the line
// under it, labelled, where the values would start.
void expect_values_under_headers_and_reasons_below(const std::string& out, const std::string& failing_profile,
                                                   const std::string& failing_codes,
                                                   const std::string& compatible_profile,
                                                   const std::vector<std::string>& values) {
  const std::string header = line_starting(out, "Profile ");
  ASSERT_FALSE(header.empty()) << out;
  const std::string compatible = line_starting(out, compatible_profile + " ");
  static constexpr std::array<const char*, 4> kHeaders = {"Version", "Cipher", "Group", "Signature"};
  ASSERT_EQ(values.size(), kHeaders.size());
  for (std::size_t i = 0; i < kHeaders.size(); ++i) {
    EXPECT_NE(header.find(kHeaders[i]), std::string::npos) << out;
    EXPECT_EQ(compatible.find(values[i]), header.find(kHeaders[i]))
        << values[i] << " not under " << kHeaders[i] << ":\n"
        << out;
  }
  const std::string failing = line_starting(out, failing_profile + " ");
  EXPECT_TRUE(failing.ends_with("incompatible")) << "nothing in the value columns:\n" << out;
  const std::string why = line_after(out, failing);
  EXPECT_EQ(why, std::string(header.find("Version"), ' ') + "why not: " + failing_codes) << out;
}

TEST_F(CheckProfilesTest, Tls13OnlyOriginFailsTheDocumentedPolicyAndPassesThe2025One) {
  const auto port = serve("-tls1_3", "", "TLS_AES_256_GCM_SHA384", "X25519");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  const json& doc = result.doc;
  // The primary verdict is unchanged: the documented policy cannot connect.
  EXPECT_EQ(doc["verdict"], "incompatible");
  EXPECT_EQ(reason_codes(doc), std::vector<std::string>({"tls13_only"}));
  EXPECT_EQ(doc["settings"]["profile"], "cloudfront");

  ASSERT_EQ(doc["verdicts"].size(), 2U) << doc.dump();
  const json& documented = verdict_of(doc, 0);
  EXPECT_EQ(documented["profile"], "cloudfront");
  EXPECT_EQ(documented["role"], "primary");
  EXPECT_EQ(documented["verdict"], "incompatible");
  EXPECT_EQ(codes(documented), std::vector<std::string>({"tls13_only"}));
  EXPECT_TRUE(documented["negotiated"].is_null());

  const json& today = verdict_of(doc, 1);
  EXPECT_EQ(today["profile"], "CloudFront-Upstream-2025");
  EXPECT_EQ(today["role"], "comparison");
  EXPECT_EQ(today["verdict"], "compatible") << today.dump();
  EXPECT_EQ(today["reasons"], json::array());
  EXPECT_TRUE(today["not_tried"].is_null());
  EXPECT_EQ(today["negotiated"]["version"]["name"], "TLSv1.3");
  EXPECT_EQ(today["negotiated"]["cipher"]["openssl"], "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(today["negotiated"]["cipher"]["code"], "0x1302");
  EXPECT_EQ(today["negotiated"]["group"]["name"], "X25519");
  EXPECT_EQ(today["negotiated"]["signature_scheme"]["name"], "rsa_pss_rsae_sha256");
  // Only the 2025 handshake read the certificate (encrypted in TLS 1.3): it is audited all the same.
  ASSERT_TRUE(doc["certificate"].is_object()) << doc.dump();
  EXPECT_EQ(doc["certificate"]["source"], "comparison");
  EXPECT_EQ(doc["certificate"]["problems"], json::array()) << doc["certificate"].dump();
  EXPECT_EQ(doc["certificate"]["san"][0], "DNS:origin.test") << doc["certificate"].dump();

  const std::string summary = doc["verdicts_summary"].is_string() ? doc["verdicts_summary"] : "";
  EXPECT_TRUE(contains_text(summary, "Today's edge (CloudFront-Upstream-2025) can connect with TLSv1.3"))
      << summary;
  EXPECT_TRUE(contains_text(summary, "the documented policy (cloudfront) cannot")) << summary;
  EXPECT_TRUE(contains_text(summary, "tls13_only")) << summary;
  // One handshake per profile: without enumeration, two connections, and one with --no-compare.
  const auto both = run_check(port, {"--no-enumerate"}, kExitIncompatible);
  EXPECT_EQ(verdict_of(both.doc, 1)["verdict"], "compatible");
  EXPECT_EQ(both.doc["probes"], 2);
  const auto single = run_check(port, {"--no-enumerate", "--no-compare"}, kExitIncompatible);
  EXPECT_EQ(single.doc["verdicts"].size(), 1U);
  EXPECT_EQ(single.doc["probes"], 1);
  const auto text = run_check_args(text_args(port, {"--no-enumerate", "--no-compare"}), kExitIncompatible);
  EXPECT_TRUE(contains_text(text.run.out, "\n1 connection, ")) << text.run.out;
}

TEST_F(CheckProfilesTest, TextReportShowsBothVerdictsNearTheTopAndTheSentence) {
  const auto port = serve("-tls1_3", "", "TLS_AES_256_GCM_SHA384", "X25519");
  ASSERT_NE(port, 0);
  const auto result = run_check_args(text_args(port), kExitIncompatible);
  const std::string& out = result.run.out;
  EXPECT_TRUE(out.starts_with("INCOMPATIBLE  origin.test:")) << out;
  const auto block = out.find("Verdict under each profile");
  ASSERT_NE(block, std::string::npos) << out;
  EXPECT_LT(block, out.find("Why")) << "the verdicts come before the reasons:\n" << out;
  EXPECT_TRUE(contains_text(out, "the exit code follow cloudfront")) << out;
  const std::string documented = line_starting(out, "cloudfront ");
  EXPECT_TRUE(contains_text(documented, "incompatible")) << out;
  EXPECT_TRUE(contains_text(line_after(out, documented), "tls13_only")) << out;
  const std::string today = line_starting(out, "CloudFront-Upstream-2025 ");
  for (const char* value :
       {"compatible", "TLSv1.3", "TLS_AES_256_GCM_SHA384", "X25519", "rsa_pss_rsae_sha256"}) {
    EXPECT_TRUE(contains_text(today, value)) << value << " missing in: " << today << "\n" << out;
  }
  // The two rows are aligned: the verdict column starts at the same place.
  EXPECT_EQ(documented.find("incompatible"), today.find("compatible")) << out;
  // The rule under the header has its own dashes under each negotiated value,
  // not one run of dashes from Version to the end of the line.
  const std::string header = line_starting(out, "Profile ");
  const auto rule_at = out.find('\n', out.find(header)) + 1;
  const std::string rule = out.substr(rule_at, out.find('\n', rule_at) - rule_at);
  const auto cipher_at = header.find("Cipher");
  ASSERT_NE(cipher_at, std::string::npos) << out;
  EXPECT_EQ(rule.find("- ", header.find("Version")), header.find("Cipher") - 3) << out;
  EXPECT_EQ(rule.substr(cipher_at - 2, 3), "  -") << out;
  EXPECT_TRUE(contains_text(out, "Today's edge (CloudFront-Upstream-2025) can connect")) << out;
  EXPECT_TRUE(contains_text(out, "Certificate (from the handshake under CloudFront-Upstream-2025)")) << out;
  EXPECT_EQ(out.find("\x1b["), std::string::npos) << "no colour when stdout is not a terminal";
}

TEST_F(CheckProfilesTest, VerdictTableKeepsReasonsOutOfTheNegotiatedColumns) {
  // The primary profile fails and the comparison connects...
  const auto tls13_only = serve("-tls1_3", "", "TLS_AES_256_GCM_SHA384", "X25519");
  ASSERT_NE(tls13_only, 0);
  const auto primary_fails = run_check_args(text_args(tls13_only), kExitIncompatible);
  expect_values_under_headers_and_reasons_below(
      primary_fails.run.out, "cloudfront", "tls13_only", "CloudFront-Upstream-2025",
      {"TLSv1.3", "TLS_AES_256_GCM_SHA384", "X25519", "rsa_pss_rsae_sha256"});

  // ...and the other way round: the primary connects, the comparison does not.
  const auto tls13_without_shared_suite =
      serve("", "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_CCM_SHA256", "P-256");
  ASSERT_NE(tls13_without_shared_suite, 0);
  const auto comparison_fails = run_check_args(text_args(tls13_without_shared_suite), kExitCompatible);
  expect_values_under_headers_and_reasons_below(
      comparison_fails.run.out, "CloudFront-Upstream-2025", "no_shared_cipher", "cloudfront",
      {"TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "P-256", "rsa_pkcs1_sha256"});
}

TEST_F(CheckProfilesTest, LongReasonListsWrapUnderTheirColumnWithin80Columns) {
  // TLS 1.3 only, an expired certificate, checked for another name: the
  // documented policy gets three codes (wider than 80 columns after the
  // profile and result), the 2025 policy two.
  const auto port = serve("-tls1_3", "", "TLS_AES_128_GCM_SHA256", "", Leaf::expired);
  ASSERT_NE(port, 0);
  const auto result = run_check_args(text_args(port, {"--no-enumerate"}, "other.test"), kExitIncompatible);
  const std::string& out = result.run.out;
  const std::vector<std::string> table = verdict_table_lines(out);
  ASSERT_GE(table.size(), 4U) << out;
  const std::string& header = table.front();
  const auto why_at = header.find("Why not");
  ASSERT_NE(why_at, std::string::npos) << out;
  std::string codes;  // every line's text in the "Why not" column, in order
  for (std::size_t i = 2; i < table.size(); ++i) {
    const std::string& line = table[i];
    EXPECT_LE(line.size(), 80U) << "wider than an 80-column terminal:\n" << out;
    ASSERT_GT(line.size(), why_at) << out;
    const bool continuation = line.find_first_not_of(' ') == why_at;
    const bool row = line.starts_with("  cloudfront ") || line.starts_with("  CloudFront-Upstream-2025 ");
    EXPECT_TRUE(continuation || row) << "a line that is neither a row nor under \"Why not\": " << line << "\n"
                                     << out;
    EXPECT_NE(line[why_at], ' ') << "reasons start under \"Why not\": " << line << "\n" << out;
    codes += (continuation ? " " : "\n") + line.substr(why_at);
  }
  // Without enumeration the refusal of TLS 1.2 is all the documented policy learns: no_shared_version.
  EXPECT_EQ(codes, "\nno_shared_version, cert_expired, cert_name_mismatch\ncert_expired, cert_name_mismatch")
      << out;
  EXPECT_GT(table.size(), 4U) << "the three codes do not fit in 80 columns: they wrap\n" << out;
}

TEST_F(CheckProfilesTest, OriginSpeakingTls12And13IsCompatibleUnderBothWithDifferentVersions) {
  const auto port = serve("", "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256", "X25519");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitCompatible);
  const json& doc = result.doc;
  EXPECT_EQ(doc["verdict"], "compatible");
  ASSERT_EQ(doc["verdicts"].size(), 2U);
  const json& documented = verdict_of(doc, 0);
  EXPECT_EQ(documented["verdict"], "compatible");
  EXPECT_EQ(documented["negotiated"]["version"]["name"], "TLSv1.2");
  EXPECT_EQ(documented["negotiated"]["cipher"]["openssl"], "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(documented["negotiated"], doc["negotiated"]);  // the primary entry repeats the top level
  const json& today = verdict_of(doc, 1);
  EXPECT_EQ(today["verdict"], "compatible");
  EXPECT_EQ(today["negotiated"]["version"]["name"], "TLSv1.3");
  EXPECT_EQ(today["negotiated"]["cipher"]["openssl"], "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(today["negotiated"]["cipher"]["code"], "0x1301");
  EXPECT_EQ(today["negotiated"]["group"]["name"], "X25519");
  EXPECT_TRUE(doc["verdicts_summary"].is_null()) << doc["verdicts_summary"].dump();
}

TEST_F(CheckProfilesTest, Tls12OnlyOriginNegotiatesTls12UnderBoth) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES256-GCM-SHA384", "", "P-256");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitCompatible);
  const json& doc = result.doc;
  ASSERT_EQ(doc["verdicts"].size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    const json& v = verdict_of(doc, i);
    EXPECT_EQ(v["verdict"], "compatible") << v.dump();
    EXPECT_EQ(v["negotiated"]["version"]["name"], "TLSv1.2") << v.dump();
    EXPECT_EQ(v["negotiated"]["cipher"]["openssl"], "ECDHE-RSA-AES256-GCM-SHA384") << v.dump();
    EXPECT_EQ(v["negotiated"]["group"]["name"], "P-256") << v.dump();
  }
  EXPECT_TRUE(doc["verdicts_summary"].is_null());
}

// The report's text with each line's leading blanks and runs of blanks made
// one, and its lines joined: a wrapped value reads as one.
std::string flattened(const std::string& text) {
  std::string out;
  for (const std::string& line : lines_of(text)) {
    for (char ch : line) {
      if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
      out += ch;
    }
    if (!out.empty() && out.back() != ' ') out += ' ';
  }
  return out;
}

// The line of `text` holding `needle`, or "".
std::string line_with(const std::string& text, std::string_view needle) {
  for (const std::string& line : lines_of(text)) {
    if (contains_text(line, needle)) return line;
  }
  return "";
}

// "What the origin supports" compares the origin with named profiles: what
// only the comparison profile offers is said to be so, not "not offered by the
// edge" right under a table in which today's edge negotiated it.
TEST_F(CheckProfilesTest, WhatTheOriginSupportsNamesTheProfileThatOffersIt) {
  // TLS 1.2, RSA key (it signs with RSA-PSS too, which only the 2025 policy offers), a suite of each kind:
  // both profiles', only the 2025 policy's (AES128-GCM-SHA256), no profile's (CHACHA20); and P-521,
  // which no profile offers.
  const auto port =
      serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305", "",
            "P-256:P-521");
  ASSERT_NE(port, 0);
  const auto both = run_check_args(text_args(port), kExitCompatible);
  const std::string& out = both.run.out;
  const std::string flat = flattened(out);
  EXPECT_FALSE(contains_text(flat, "the edge:")) << out;
  EXPECT_TRUE(contains_text(flat, "offered only by CloudFront-Upstream-2025: rsa_pss_rsae_sha256")) << out;
  EXPECT_TRUE(contains_text(flat, "offered by neither cloudfront nor CloudFront-Upstream-2025: P-521"))
      << out;
  EXPECT_TRUE(contains_text(line_starting(out, "#  OpenSSL name"), "cloudfront offers")) << out;
  EXPECT_TRUE(line_with(out, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ").ends_with("  yes")) << out;
  EXPECT_TRUE(
      line_with(out, "TLS_RSA_WITH_AES_128_GCM_SHA256 ").ends_with("  no (CloudFront-Upstream-2025 does)"))
      << out;
  EXPECT_TRUE(
      line_with(out, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 ").ends_with("  no (no profile does)"))
      << out;

  // The documented policy alone: named, and another profile's suite is said to be one.
  const auto alone = run_check_args(text_args(port, {"--no-compare"}), kExitCompatible);
  const std::string alone_flat = flattened(alone.run.out);
  EXPECT_TRUE(contains_text(alone_flat, "not offered by cloudfront: rsa_pss_rsae_sha256")) << alone.run.out;
  EXPECT_TRUE(contains_text(alone_flat, "not offered by cloudfront: P-521")) << alone.run.out;
  EXPECT_TRUE(
      line_with(alone.run.out, "TLS_RSA_WITH_AES_128_GCM_SHA256 ").ends_with("  no (another profile does)"))
      << alone.run.out;
}

TEST_F(CheckProfilesTest, OriginWhoseTls13SuitesTheEdgeLacksFailsOnlyUnderThe2025Policy) {
  // TLS 1.2 with a suite both profiles offer, TLS 1.3 with CCM only (no profile offers it): the
  // origin picks TLS 1.3 for the 2025 hello and then finds no suite; it does not fall back.
  const auto port = serve("", "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_CCM_SHA256", "");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitCompatible);  // the exit code follows the documented policy
  const json& doc = result.doc;
  EXPECT_EQ(doc["verdict"], "compatible");
  ASSERT_EQ(doc["verdicts"].size(), 2U);
  EXPECT_EQ(verdict_of(doc, 0)["negotiated"]["version"]["name"], "TLSv1.2");
  const json& today = verdict_of(doc, 1);
  EXPECT_EQ(today["verdict"], "incompatible") << today.dump();
  EXPECT_EQ(codes(today), std::vector<std::string>({"no_shared_cipher"}));
  const std::string message = today["reasons"][0]["message"];
  const std::string fix = today["reasons"][0]["fix"];
  EXPECT_TRUE(contains_text(message, "In TLSv1.3 the origin accepts only TLS_AES_128_CCM_SHA256")) << message;
  // TLS 1.3 suites are configured apart from the TLS 1.2 list in all three servers.
  for (const char* line : {"ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:", "SSLCipherSuite TLSv1.3 ",
                           "ssl-default-bind-ciphersuites "}) {
    EXPECT_TRUE(contains_text(fix, line)) << line << " missing in: " << fix;
  }
  EXPECT_TRUE(contains_text(fix, "TLS_AES_128_CCM_SHA256")) << "keeps the current suite: " << fix;
  const std::string summary = doc["verdicts_summary"].is_string() ? doc["verdicts_summary"] : "";
  EXPECT_TRUE(contains_text(summary, "The documented policy (cloudfront) can connect with TLSv1.2"))
      << summary;
  EXPECT_TRUE(contains_text(summary, "today's edge (CloudFront-Upstream-2025) cannot: no_shared_cipher"))
      << summary;

  // The text report gives the 2025 policy's reason and fix in full.
  const auto text = run_check_args(text_args(port), kExitCompatible);
  EXPECT_TRUE(text.run.out.starts_with("COMPATIBLE")) << text.run.out;
  EXPECT_TRUE(contains_text(text.run.out, "Why not under CloudFront-Upstream-2025")) << text.run.out;
  EXPECT_TRUE(contains_text(text.run.out, "ssl-default-bind-ciphersuites")) << text.run.out;
}

TEST_F(CheckProfilesTest, CertificateForAnotherNameFailsBothWithoutASentence) {
  const auto port = serve("", "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256", "");
  ASSERT_NE(port, 0);
  // The test PKI's leaf names origin.test; the edge checks other.test.
  const auto result = run_check(port, {}, kExitIncompatible, "other.test");
  const json& doc = result.doc;
  EXPECT_EQ(doc["verdict"], "incompatible");
  ASSERT_EQ(doc["verdicts"].size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    const json& v = verdict_of(doc, i);
    EXPECT_EQ(v["verdict"], "incompatible") << v.dump();
    EXPECT_TRUE(contains(codes(v), "cert_name_mismatch")) << v.dump();
    EXPECT_TRUE(v["negotiated"].is_null());
  }
  const json why = verdict_of(doc, 1)["reasons"][0];
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "other.test")) << why.dump();
  EXPECT_TRUE(doc["verdicts_summary"].is_null()) << doc["verdicts_summary"].dump();
  // The same reasons twice would be noise: the text report lists them once.
  const auto text = run_check_args(text_args(port, {}, "other.test"), kExitIncompatible);
  EXPECT_TRUE(contains_text(text.run.out, "cert_name_mismatch")) << text.run.out;
  EXPECT_FALSE(contains_text(text.run.out, "Why not under")) << text.run.out;
}

TEST_F(CheckProfilesTest, ExplicitProfileIsJudgedAloneUnlessAComparisonIsAsked) {
  const auto port = serve("-tls1_3", "", "TLS_AES_128_GCM_SHA256", "");
  ASSERT_NE(port, 0);
  // --profile cloudfront-2025 alone: one verdict, and the exit code follows it.
  const auto today = run_check(port, {"--profile", "cloudfront-2025"}, kExitCompatible);
  ASSERT_EQ(today.doc["verdicts"].size(), 1U);
  EXPECT_EQ(verdict_of(today.doc, 0)["profile"], "CloudFront-Upstream-2025");
  EXPECT_EQ(verdict_of(today.doc, 0)["role"], "primary");
  EXPECT_EQ(today.doc["negotiated"]["version"]["name"], "TLSv1.3");
  EXPECT_TRUE(today.doc["verdicts_summary"].is_null());
  // TLS 1.3 has neither TLS 1.2 extension (null, not false), and may take a HelloRetryRequest.
  EXPECT_EQ(today.doc["negotiated"]["hello_retry_request"], false) << today.doc["negotiated"].dump();
  EXPECT_TRUE(today.doc["negotiated"]["extended_master_secret"].is_null()) << today.doc["negotiated"].dump();
  EXPECT_TRUE(today.doc["negotiated"]["secure_renegotiation"].is_null()) << today.doc["negotiated"].dump();

  // --profile naming the default explicitly: still the question asked, alone.
  const auto documented = run_check(port, {"--profile", "cloudfront"}, kExitIncompatible);
  EXPECT_EQ(documented.doc["verdicts"].size(), 1U);

  // A comparison can be asked for: the primary stays first and keeps the exit code.
  const auto both =
      run_check(port, {"--profile", "cloudfront-2025", "--compare-profile", "documented"}, kExitCompatible);
  ASSERT_EQ(both.doc["verdicts"].size(), 2U);
  EXPECT_EQ(verdict_of(both.doc, 0)["profile"], "CloudFront-Upstream-2025");
  EXPECT_EQ(verdict_of(both.doc, 0)["verdict"], "compatible");
  EXPECT_EQ(verdict_of(both.doc, 1)["profile"], "cloudfront");
  EXPECT_EQ(verdict_of(both.doc, 1)["role"], "comparison");
  EXPECT_EQ(codes(verdict_of(both.doc, 1)), std::vector<std::string>({"tls13_only"}));
  EXPECT_TRUE(contains_text(both.doc["verdicts_summary"].get<std::string>(), "Today's edge"))
      << both.doc.dump();

  // The text report of a single profile has no verdict table.
  const auto text = run_check_args(text_args(port, {"--profile", "cloudfront-2025"}), kExitCompatible);
  EXPECT_TRUE(text.run.out.starts_with("COMPATIBLE")) << text.run.out;
  EXPECT_FALSE(contains_text(text.run.out, "Verdict under each profile")) << text.run.out;
  EXPECT_TRUE(contains_text(text.run.out, "n/a (TLS 1.3)")) << text.run.out;
  EXPECT_FALSE(contains_text(text.run.out, "extended_master_secret no")) << text.run.out;
}

TEST_F(CheckProfilesTest, AnIpAddressOriginIsSentNoSni) {
  const auto port = serve("-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256", "", "");
  ASSERT_NE(port, 0);
  // The test PKI's leaf names IP:127.0.0.1: the name check passes, and no SNI goes out.
  const auto text = run_check_args(text_args(port, {}, "127.0.0.1"), kExitCompatible);
  std::string flowed;  // the settings line wraps: one space for each run of whitespace
  for (const char c : text.run.out) {
    const bool space = c == ' ' || c == '\n';
    if (!space || flowed.empty() || flowed.back() != ' ') flowed += space ? ' ' : c;
  }
  EXPECT_TRUE(contains_text(flowed, "SNI none (an IP address; the certificate must name 127.0.0.1)"))
      << flowed;
}

TEST_F(CheckProfilesTest, UnreachableOriginIsNotTriedTwice) {
  std::uint16_t port = 0;
  {
    auto server = start_server(support::plain_http_handler());
    ASSERT_NE(server, nullptr);
    port = server->port();
  }
  const auto result = run_check(port, {"--connection-attempts", "2"}, kExitUnreachable);
  const json& doc = result.doc;
  ASSERT_EQ(doc["verdicts"].size(), 2U);
  EXPECT_EQ(verdict_of(doc, 0)["verdict"], "unreachable");
  EXPECT_EQ(codes(verdict_of(doc, 0)), std::vector<std::string>({"connection_refused"}));
  EXPECT_EQ(verdict_of(doc, 1)["verdict"], "unreachable");
  EXPECT_EQ(verdict_of(doc, 1)["not_tried"], "the origin could not be reached");
  EXPECT_TRUE(doc["verdicts_summary"].is_null());
  EXPECT_EQ(doc["probes"], 2);  // the two attempts of the first handshake only
}

TEST_F(CheckProfilesTest, ProfileFlagsAreCheckedBeforeConnecting) {
  const std::string ca = support::TestPki::get().ca_file().string();
  const auto refused = [&ca](std::vector<std::string> flags) {
    std::vector<std::string> args = {"check", "origin.test:8443", "--ca-file", ca};
    args.insert(args.end(), flags.begin(), flags.end());
    const CheckRun run = run_check_args(args, kExitUsage);
    EXPECT_TRUE(run.run.out.empty()) << run.run.out;
    return run.run.err;
  };
  EXPECT_TRUE(contains_text(refused({"--compare-profile", "nope"}), "--compare-profile")) << "unknown";
  EXPECT_TRUE(contains_text(refused({"--compare-profile", "cloudfront"}), "already checked"));
  EXPECT_TRUE(contains_text(
      refused({"--profile", "cloudfront-2025", "--compare-profile", "CloudFront-Upstream-2025"}),
      "already checked"));
  EXPECT_TRUE(contains_text(refused({"--no-compare", "--compare-profile", "cloudfront-2025"}), "compare"));
}

TEST(CheckProfilesHelp, HelpDocumentsTheComparisonAndTheExitCode) {
  const RunResult result = run_edgefetch({"check", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* text : {"--compare-profile", "--no-compare", "cloudfront-2025",
                           "The exit code follows the primary profile"}) {
    EXPECT_TRUE(contains_text(result.out, text)) << text << " missing in:\n" << result.out;
  }
}

}  // namespace
}  // namespace edgefetch::cli_test
