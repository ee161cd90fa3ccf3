// The verdict under a second profile, as data: the sentence that compares two
// verdicts (said only when one profile connects and the other does not), how
// profiles are named in it, and the JSON fields it adds (verdicts[],
// verdicts_summary, counts_by_profile) next to the unchanged primary ones.

#include "edgefetch/check/profile_comparison.hpp"

#include <gtest/gtest.h>

#include "edgefetch/check/report.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::check {
namespace {

using nlohmann::ordered_json;
using policy::ProtocolVersion;

const policy::Profile& documented() {
  return policy::default_profile();
}
const policy::Profile& upstream_2025() {
  return *policy::profile_by_name("cloudfront-2025");
}

tls::Negotiated tls13_negotiated() {
  tls::Negotiated n;
  n.version = ProtocolVersion::tls1_3;
  n.cipher_suite = policy::cipher_suite_by_code(0x1301);
  n.group = policy::named_group_by_code(policy::kGroupX25519);
  n.signature_scheme = policy::signature_scheme_by_code(0x0804);
  return n;
}

tls::Negotiated tls12_negotiated() {
  tls::Negotiated n;
  n.version = ProtocolVersion::tls1_2;
  n.cipher_suite = policy::cipher_suite_by_code(0xC02F);
  n.group = policy::named_group_by_code(policy::kGroupX25519);
  n.signature_scheme = policy::signature_scheme_by_code(0x0401);
  return n;
}

std::vector<Reason> reasons_of(std::initializer_list<ReasonCode> codes) {
  std::vector<Reason> out;
  for (ReasonCode code : codes) out.push_back({code, "message", "fix"});
  return out;
}

TEST(ProfileComparison, DefaultComparisonIsTheCdns2025Policy) {
  EXPECT_EQ(default_comparison_profile().name, "CloudFront-Upstream-2025");
  EXPECT_EQ(default_comparison_profile().max_version, ProtocolVersion::tls1_3);
  EXPECT_NE(&default_comparison_profile(), &documented());
}

TEST(ProfileComparison, LabelsNameTheRoleOfWellKnownProfiles) {
  EXPECT_EQ(profile_label(documented()), "the documented policy (cloudfront)");
  EXPECT_EQ(profile_label(upstream_2025()), "today's edge (CloudFront-Upstream-2025)");
  EXPECT_EQ(profile_label(*policy::profile_by_name("CloudFront-Upstream-TLS-1-2-2025")),
            "today's edge (CloudFront-Upstream-TLS-1-2-2025)");
  EXPECT_EQ(profile_label(*policy::profile_by_name("CloudFront-Upstream")), "profile CloudFront-Upstream");
}

TEST(ProfileComparison, Tls13OnlyOriginIsSaidPlainly) {
  const auto why = reasons_of({ReasonCode::tls13_only});
  const auto n = tls13_negotiated();
  const std::string sentence = comparison_sentence({&documented(), Verdict::incompatible, &why, nullptr},
                                                   {&upstream_2025(), Verdict::compatible, nullptr, &n});
  EXPECT_EQ(sentence,
            "Today's edge (CloudFront-Upstream-2025) can connect with TLSv1.3 (TLS_AES_128_GCM_SHA256); the "
            "documented policy (cloudfront) cannot: the origin speaks only TLSv1.3, and that policy offers "
            "at most TLSv1.2 (tls13_only).");
}

TEST(ProfileComparison, TheOrderOfTheSidesDoesNotChangeTheSentence) {
  const auto why = reasons_of({ReasonCode::tls13_only});
  const auto n = tls13_negotiated();
  const VerdictSide bad{&documented(), Verdict::incompatible, &why, nullptr};
  const VerdictSide good{&upstream_2025(), Verdict::compatible, nullptr, &n};
  EXPECT_EQ(comparison_sentence(bad, good), comparison_sentence(good, bad));
}

TEST(ProfileComparison, WithoutEnumerationTheRefusalIsWhatIsSaid) {
  // --no-enumerate: the documented handshake met an alert; the 2025 one got TLS 1.3.
  const auto why = reasons_of({ReasonCode::server_alert});
  const auto n = tls13_negotiated();
  const std::string sentence = comparison_sentence({&documented(), Verdict::incompatible, &why, nullptr},
                                                   {&upstream_2025(), Verdict::compatible, nullptr, &n});
  EXPECT_NE(sentence.find("can connect with TLSv1.3"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find("it offers at most TLSv1.2 and the origin refused that (server_alert)."),
            std::string::npos)
      << sentence;
}

TEST(ProfileComparison, OtherFailuresAreListedByCode) {
  // The documented policy connects; the 2025 policy does not (e.g. a broken TLS 1.3 stack).
  const auto why =
      reasons_of({ReasonCode::protocol_error, ReasonCode::cert_untrusted, ReasonCode::cert_untrusted});
  const auto n = tls12_negotiated();
  const std::string sentence = comparison_sentence({&documented(), Verdict::compatible, nullptr, &n},
                                                   {&upstream_2025(), Verdict::incompatible, &why, nullptr});
  EXPECT_EQ(sentence,
            "The documented policy (cloudfront) can connect with TLSv1.2 (ECDHE-RSA-AES128-GCM-SHA256); "
            "today's edge (CloudFront-Upstream-2025) cannot: protocol_error, cert_untrusted.");
}

TEST(ProfileComparison, AnUnreachableSideIsSaidAsSuch) {
  const auto why = reasons_of({ReasonCode::tls_handshake_timeout});
  const auto n = tls12_negotiated();
  const std::string sentence = comparison_sentence({&documented(), Verdict::compatible, nullptr, &n},
                                                   {&upstream_2025(), Verdict::unreachable, &why, nullptr});
  EXPECT_NE(sentence.find("could not reach the origin: tls_handshake_timeout."), std::string::npos)
      << sentence;
}

TEST(ProfileComparison, NothingIsSaidWhenBothAgreeOrBothFail) {
  const auto n12 = tls12_negotiated();
  const auto n13 = tls13_negotiated();
  const auto mismatch = reasons_of({ReasonCode::cert_name_mismatch});
  const auto version = reasons_of({ReasonCode::no_shared_version});
  const auto refused = reasons_of({ReasonCode::connection_refused});
  // Both connect (with different versions): the table shows it, no sentence.
  EXPECT_EQ(comparison_sentence({&documented(), Verdict::compatible, nullptr, &n12},
                                {&upstream_2025(), Verdict::compatible, nullptr, &n13}),
            "");
  // Both fail for the same or different reasons: no extra noise.
  EXPECT_EQ(comparison_sentence({&documented(), Verdict::incompatible, &mismatch, nullptr},
                                {&upstream_2025(), Verdict::incompatible, &mismatch, nullptr}),
            "");
  EXPECT_EQ(comparison_sentence({&documented(), Verdict::incompatible, &version, nullptr},
                                {&upstream_2025(), Verdict::unreachable, &refused, nullptr}),
            "");
  EXPECT_EQ(comparison_sentence({nullptr, Verdict::incompatible, &version, nullptr},
                                {&upstream_2025(), Verdict::compatible, nullptr, &n13}),
            "");
}

CheckReport tls13_only_report() {
  CheckReport r;
  r.target.host = "origin.test";
  r.target.port = 8443;
  r.handshake.verdict = Verdict::incompatible;
  r.diagnosis.verdict = Verdict::incompatible;
  r.diagnosis.reasons = reasons_of({ReasonCode::tls13_only});
  r.comparison.emplace();
  r.comparison->profile = &upstream_2025();
  r.comparison->handshake.verdict = Verdict::compatible;
  r.comparison->handshake.negotiated = tls13_negotiated();
  r.comparison->verdict = Verdict::compatible;
  r.comparison->summary = "Today's edge can connect.";
  return r;
}

TEST(ProfileComparisonJson, VerdictsListThePrimaryThenTheComparison) {
  const ordered_json doc = report_json(tls13_only_report());
  EXPECT_EQ(doc["verdict"], "incompatible");  // the primary's, as before
  EXPECT_EQ(doc["settings"]["profile"], "cloudfront");
  ASSERT_EQ(doc["verdicts"].size(), 2U);
  const auto& primary = doc["verdicts"][0];
  EXPECT_EQ(primary["profile"], "cloudfront");
  EXPECT_EQ(primary["role"], "primary");
  EXPECT_EQ(primary["verdict"], "incompatible");
  EXPECT_EQ(primary["reasons"][0]["code"], "tls13_only");
  EXPECT_TRUE(primary["negotiated"].is_null());
  EXPECT_TRUE(primary["not_tried"].is_null());
  const auto& other = doc["verdicts"][1];
  EXPECT_EQ(other["profile"], "CloudFront-Upstream-2025");
  EXPECT_EQ(other["role"], "comparison");
  EXPECT_EQ(other["verdict"], "compatible");
  EXPECT_EQ(other["reasons"], ordered_json::array());
  EXPECT_EQ(other["negotiated"]["version"], ordered_json({{"name", "TLSv1.3"}, {"code", "0x0304"}}));
  EXPECT_EQ(other["negotiated"]["cipher"]["openssl"], "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(other["negotiated"]["cipher"]["code"], "0x1301");
  EXPECT_EQ(other["negotiated"]["group"]["name"], "X25519");
  EXPECT_EQ(other["negotiated"]["signature_scheme"]["name"], "rsa_pss_rsae_sha256");
  EXPECT_TRUE(other["not_tried"].is_null());
  EXPECT_EQ(doc["verdicts_summary"], "Today's edge can connect.");
}

TEST(ProfileComparisonJson, OneProfileGivesOneVerdictAndNoSummary) {
  CheckReport r = tls13_only_report();
  r.comparison.reset();
  const ordered_json doc = report_json(r);
  ASSERT_EQ(doc["verdicts"].size(), 1U);
  EXPECT_EQ(doc["verdicts"][0]["role"], "primary");
  EXPECT_TRUE(doc["verdicts_summary"].is_null());
}

TEST(ProfileComparisonJson, NotTriedComparisonSaysWhy) {
  CheckReport r = tls13_only_report();
  r.handshake.verdict = Verdict::unreachable;
  r.diagnosis.verdict = Verdict::unreachable;
  r.comparison->handshake = VerdictHandshake{};
  r.comparison->verdict = Verdict::unreachable;
  r.comparison->not_tried = "the origin could not be reached";
  r.comparison->summary.clear();
  const ordered_json doc = report_json(r);
  EXPECT_EQ(doc["verdicts"][1]["verdict"], "unreachable");
  EXPECT_EQ(doc["verdicts"][1]["not_tried"], "the origin could not be reached");
  EXPECT_TRUE(doc["verdicts"][1]["negotiated"].is_null());
  EXPECT_TRUE(doc["verdicts_summary"].is_null());
}

TEST(ProfileComparisonJson, DistributionCountsEachProfile) {
  DistributionReport d;
  OriginCheck a;
  a.id = "a";
  a.report = tls13_only_report();
  OriginCheck b;
  b.id = "b";
  b.report = tls13_only_report();
  b.report->diagnosis.verdict = Verdict::compatible;
  b.report->diagnosis.reasons.clear();
  OriginCheck skipped;
  skipped.id = "s3";
  skipped.skipped = true;
  d.origins = {a, b, skipped};
  d.verdict = Verdict::incompatible;
  const ordered_json doc = distribution_json(d);
  EXPECT_EQ(doc["counts"]["compatible"], 1);  // primary verdicts, as before
  EXPECT_EQ(doc["counts"]["incompatible"], 1);
  ASSERT_EQ(doc["counts_by_profile"].size(), 2U);
  EXPECT_EQ(doc["counts_by_profile"][0], ordered_json({{"profile", "cloudfront"},
                                                       {"role", "primary"},
                                                       {"compatible", 1},
                                                       {"incompatible", 1},
                                                       {"unreachable", 0}}));
  EXPECT_EQ(doc["counts_by_profile"][1], ordered_json({{"profile", "CloudFront-Upstream-2025"},
                                                       {"role", "comparison"},
                                                       {"compatible", 2},
                                                       {"incompatible", 0},
                                                       {"unreachable", 0}}));
  EXPECT_EQ(doc["origins"][0]["verdicts"].size(), 2U);
  EXPECT_EQ(doc["origins"][1]["verdicts"][1]["verdict"], "compatible");
  EXPECT_FALSE(doc["origins"][2].contains("verdicts"));
}

}  // namespace
}  // namespace edgefetch::check
