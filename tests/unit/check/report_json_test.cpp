// The --json schema of `edgefetch check` (report.hpp): every documented field
// is present with its type, for a compatible report with enumeration, an
// unreachable one without, and a distribution with checked and skipped origins.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "edgefetch/check/report.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::check {
namespace {

using nlohmann::ordered_json;
using policy::ProtocolVersion;

CheckReport compatible_report() {
  CheckReport r;
  r.target.host = "origin.test";
  r.target.port = 8443;
  r.target.trust_description = "--ca-file ca.pem";
  r.handshake.verdict = Verdict::compatible;
  r.handshake.resolve_source = net::ResolveSource::override;
  const boost::asio::ip::tcp::endpoint endpoint{boost::asio::ip::make_address("127.0.0.1"), 8443};
  r.handshake.addresses = {endpoint};
  r.handshake.remote = endpoint;
  net::ConnectAttempt attempt;
  attempt.number = 1;
  attempt.endpoint = endpoint;
  attempt.outcome = net::ConnectOutcome::connected;
  r.handshake.connect_attempts = {attempt};
  r.handshake.negotiated.version = ProtocolVersion::tls1_2;
  r.handshake.negotiated.cipher_suite = policy::cipher_suite_by_code(0xC02F);
  r.handshake.negotiated.group = policy::named_group_by_code(policy::kGroupX25519);
  r.handshake.negotiated.signature_scheme = policy::signature_scheme_by_code(0x0401);

  SupportedSummary s;
  for (ProtocolVersion v : {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1,
                            ProtocolVersion::tls1_2, ProtocolVersion::tls1_3}) {
    VersionSupport support;
    support.version = v;
    support.accepted = v == ProtocolVersion::tls1_2;
    support.refusal = support.accepted ? Refusal::none : Refusal::alert;
    if (!support.accepted) support.alert_description = 70;
    if (support.accepted) {
      support.cipher_suites = {0xC02F, 0xCCA8};
      support.server_preference = Tristate::yes;
    }
    s.versions.push_back(support);
  }
  s.groups = {policy::kGroupX25519, policy::kGroupSecp521r1};
  s.signature_schemes_rsa = {0x0401, 0x0804};
  s.probes = 12;
  r.supported = s;
  r.diagnosis.verdict = Verdict::compatible;
  r.diagnosis.prediction = predict_negotiation(s, r.settings.offer());
  r.diagnosis.settings = predict_each_setting(s, policy::default_profile(), ProtocolVersion::tls1_2);
  r.diagnosis.warnings.push_back({WarningCode::legacy_signature, "sha1"});
  r.probes = 13;
  r.elapsed_ms = 42;
  return r;
}

TEST(ReportJson, SingleOriginHasEveryDocumentedField) {
  const ordered_json doc = report_json(compatible_report());
  EXPECT_EQ(doc["verdict"], "compatible");
  for (const char* key :
       {"host", "port", "server_name", "host_header", "addresses", "resolved_by", "connected_to"}) {
    EXPECT_TRUE(doc["target"].contains(key)) << key;
  }
  EXPECT_EQ(doc["target"]["resolved_by"], "--resolve");
  EXPECT_EQ(doc["target"]["connected_to"], "127.0.0.1:8443");
  EXPECT_EQ(doc["settings"]["origin_ssl_protocols"], ordered_json::array({"TLSv1.2"}));
  EXPECT_EQ(doc["settings"]["profile"], "cloudfront");
  EXPECT_EQ(doc["settings"]["trust_store"], "--ca-file ca.pem");
  EXPECT_TRUE(doc["reasons"].is_array());
  EXPECT_EQ(doc["negotiated"]["version"], ordered_json({{"name", "TLSv1.2"}, {"code", "0x0303"}}));
  EXPECT_EQ(doc["negotiated"]["cipher"]["openssl"], "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(doc["negotiated"]["cipher"]["rfc"], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(doc["negotiated"]["cipher"]["code"], "0xC02F");
  EXPECT_EQ(doc["negotiated"]["group"]["name"], "X25519");
  EXPECT_EQ(doc["negotiated"]["signature_scheme"]["name"], "rsa_pkcs1_sha256");
  EXPECT_TRUE(doc["certificate"].is_null());

  const auto& s = doc["supported"];
  ASSERT_EQ(s["versions"].size(), 5U);
  EXPECT_EQ(s["versions"][0]["name"], "SSLv3");
  EXPECT_EQ(s["versions"][0]["alert"], "protocol_version");
  EXPECT_EQ(s["versions"][3]["accepted"], true);
  EXPECT_EQ(s["suites_by_version"]["TLSv1.2"][1]["openssl"], "ECDHE-RSA-CHACHA20-POLY1305");
  EXPECT_EQ(s["suites_by_version"]["TLSv1.2"][1]["in_policy"], false);
  EXPECT_EQ(s["suites_by_version"]["TLSv1.2"][0]["in_policy"], true);
  EXPECT_FALSE(s["suites_by_version"].contains("TLSv1"));
  EXPECT_EQ(s["server_preference"]["TLSv1.2"], "yes");
  EXPECT_EQ(s["groups"][1]["name"], "P-521");
  EXPECT_EQ(s["groups"][1]["in_policy"], false);
  EXPECT_EQ(s["signature_schemes"].size(), 2U);
  EXPECT_EQ(s["signature_schemes"][1]["in_policy"], false);
  EXPECT_EQ(s["signature_schemes_by_key"]["rsa"].size(), 2U);
  EXPECT_TRUE(s["ecdsa_certificate_curve"].is_null());
  EXPECT_EQ(s["sni"]["changes_certificate"], "unknown");
  EXPECT_EQ(s["complete"], true);

  ASSERT_EQ(doc["edge_by_setting"].size(), 4U);
  const auto& row = doc["edge_by_setting"][3];
  EXPECT_EQ(row["origin_ssl_protocols"], "TLSv1.2");
  EXPECT_EQ(row["selected"], true);
  EXPECT_EQ(row["result"], "compatible");
  EXPECT_EQ(row["cipher"]["openssl"], "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_EQ(row["reasons"], ordered_json::array());
  EXPECT_EQ(doc["warnings"][0], ordered_json({{"code", "legacy_signature"}, {"message", "sha1"}}));
  EXPECT_TRUE(doc["notes"].is_array());
  EXPECT_EQ(doc["attempts"][0]["outcome"], "connected");
  EXPECT_EQ(doc["probes"], 13);
  EXPECT_EQ(doc["elapsed_ms"], 42);
}

std::vector<std::string> names_in(const ordered_json& offered_by) {
  std::vector<std::string> out;
  for (const auto& name : offered_by) out.push_back(name.get<std::string>());
  return out;
}

bool has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// in_policy keeps its per-kind meaning (and values); offered_by names the
// profiles that offer the item, so that a consumer can tell what the text's
// "<profile> offers" column says: here the primary's "no (CloudFront-Upstream-2025 does)".
TEST(ReportJson, SuitesGroupsAndSchemesNameTheProfilesThatOfferThem) {
  CheckReport r = compatible_report();
  r.supported->versions[3].cipher_suites = {0xC02F, 0x009C, 0xCCA8};
  r.supported->groups = {policy::kGroupSecp256r1, policy::kGroupSecp521r1};
  const ordered_json doc = report_json(r);
  const auto& s = doc["supported"];
  const auto& suites = s["suites_by_version"]["TLSv1.2"];

  // ECDHE-RSA-AES128-GCM-SHA256: every profile.
  const auto c02f = names_in(suites[0]["offered_by"]);
  EXPECT_TRUE(has(c02f, "cloudfront"));
  EXPECT_TRUE(has(c02f, "CloudFront-Upstream"));
  EXPECT_TRUE(has(c02f, "CloudFront-Upstream-2025"));
  // AES128-GCM-SHA256: in the policy's catalogue, not offered by cloudfront, offered by the 2025 profile.
  EXPECT_EQ(suites[1]["openssl"], "AES128-GCM-SHA256");
  EXPECT_EQ(suites[1]["in_policy"], true);
  const auto c09c = names_in(suites[1]["offered_by"]);
  EXPECT_FALSE(has(c09c, "cloudfront"));
  EXPECT_TRUE(has(c09c, "CloudFront-Upstream-2025"));
  // ECDHE-RSA-CHACHA20-POLY1305: no profile.
  EXPECT_EQ(suites[2]["in_policy"], false);
  EXPECT_EQ(suites[2]["offered_by"], ordered_json::array());

  EXPECT_TRUE(has(names_in(s["groups"][0]["offered_by"]), "cloudfront"));
  EXPECT_EQ(s["groups"][1]["offered_by"], ordered_json::array());

  // rsa_pss_rsae_sha256: not in the documented table (in_policy false, as
  // before), yet the 2025 profiles offer it.
  const auto& pss = s["signature_schemes"][1];
  EXPECT_EQ(pss["name"], "rsa_pss_rsae_sha256");
  EXPECT_EQ(pss["in_policy"], false);
  EXPECT_FALSE(has(names_in(pss["offered_by"]), "cloudfront"));
  EXPECT_TRUE(has(names_in(pss["offered_by"]), "CloudFront-Upstream-2025"));
  EXPECT_EQ(s["signature_schemes_by_key"]["rsa"][1]["offered_by"], pss["offered_by"]);
}

// offered_by is exactly the profiles whose offer (narrowed by the report's
// OriginSslProtocols, as the text report's column uses it) has the item.
TEST(ReportJson, OfferedByAgreesWithEveryProfilesOffer) {
  CheckReport r = compatible_report();
  r.settings.origin_ssl_protocols = {ProtocolVersion::tls1_0, ProtocolVersion::tls1_2};
  r.supported->versions[3].cipher_suites = {0xC02F, 0x009C, 0xC013, 0x000A, 0xCCA8, 0x003C};
  r.supported->versions[4].accepted = true;
  r.supported->versions[4].refusal = Refusal::none;
  r.supported->versions[4].cipher_suites = {0x1301, 0x1302, 0x1303, 0x1304};
  r.supported->groups = {policy::kGroupSecp256r1, policy::kGroupX25519, policy::kGroupSecp384r1,
                         policy::kGroupSecp521r1};
  r.supported->tls13_groups = r.supported->groups;
  r.supported->signature_schemes_rsa = {0x0401, 0x0501, 0x0201, 0x0804, 0x0809};
  r.supported->signature_schemes_ecdsa = {0x0403, 0x0503, 0x0603};
  const ordered_json doc = report_json(r);
  const auto& s = doc["supported"];
  const auto check = [&r](const ordered_json& items, bool (policy::Offer::*offers)(std::uint16_t) const) {
    ASSERT_FALSE(items.empty());
    for (const auto& item : items) {
      const auto code = static_cast<std::uint16_t>(std::stoul(item["code"].get<std::string>(), nullptr, 16));
      const auto offered_by = names_in(item["offered_by"]);
      for (const policy::Profile& profile : policy::all_profiles()) {
        const policy::Offer offer = policy::narrow(profile, r.settings.origin_ssl_protocols);
        EXPECT_EQ(has(offered_by, profile.name), (offer.*offers)(code)) << item.dump() << " " << profile.name;
      }
    }
  };
  check(s["suites_by_version"]["TLSv1.2"], &policy::Offer::offers_suite);
  check(s["suites_by_version"]["TLSv1.3"], &policy::Offer::offers_suite);
  check(s["groups"], &policy::Offer::offers_group);
  check(s["tls13_groups"], &policy::Offer::offers_group);
  check(s["signature_schemes"], &policy::Offer::offers_signature_scheme);
  check(s["signature_schemes_by_key"]["ecdsa"], &policy::Offer::offers_signature_scheme);
}

TEST(ReportJson, UnreachableReportHasNullsWhereNothingWasLearnt) {
  CheckReport r;
  r.target.host = "origin.test";
  r.handshake.verdict = Verdict::unreachable;
  r.enumeration_skipped = "the origin could not be reached";
  r.diagnosis.verdict = Verdict::unreachable;
  r.diagnosis.reasons.push_back({ReasonCode::connection_refused, "refused", "listen"});
  const ordered_json doc = report_json(r);
  EXPECT_EQ(doc["verdict"], "unreachable");
  EXPECT_EQ(doc["reasons"][0],
            ordered_json({{"code", "connection_refused"}, {"message", "refused"}, {"fix", "listen"}}));
  EXPECT_TRUE(doc["negotiated"].is_null());
  EXPECT_TRUE(doc["supported"].is_null());
  EXPECT_TRUE(doc["target"]["connected_to"].is_null());
  EXPECT_EQ(doc["edge_by_setting"], ordered_json::array());
  EXPECT_EQ(doc["enumeration_skipped"], "the origin could not be reached");
}

TEST(ReportJson, DistributionCountsAndTheWorstVerdict) {
  DistributionReport d;
  d.file = "dist.json";
  d.format = "get-distribution-config";
  OriginCheck ok;
  ok.id = "web";
  ok.domain_name = "origin.test";
  ok.notes = {"match-viewer"};
  ok.report = compatible_report();
  ok.report->diagnosis.notes = {"from the check"};
  OriginCheck skipped;
  skipped.id = "bucket";
  skipped.skipped = true;
  skipped.skip_reason = "S3 origin";
  d.origins = {ok, skipped};
  d.verdict = Verdict::compatible;
  d.probes = 13;
  const ordered_json doc = distribution_json(d);
  EXPECT_EQ(doc["verdict"], "compatible");
  EXPECT_EQ(doc["source"], ordered_json({{"file", "dist.json"}, {"format", "get-distribution-config"}}));
  EXPECT_EQ(doc["counts"]["checked"], 1);
  EXPECT_EQ(doc["counts"]["skipped"], 1);
  EXPECT_EQ(doc["counts"]["compatible"], 1);
  EXPECT_EQ(doc["origins"][0]["status"], "checked");
  EXPECT_EQ(doc["origins"][0]["verdict"], "compatible");
  EXPECT_EQ(doc["origins"][0]["notes"], ordered_json::array({"match-viewer", "from the check"}));
  EXPECT_EQ(doc["origins"][1]["status"], "skipped");
  EXPECT_EQ(doc["origins"][1]["skip_reason"], "S3 origin");
  EXPECT_FALSE(doc["origins"][1].contains("verdict"));
  EXPECT_TRUE(doc["config_warnings"].is_array());
}

TEST(ReportJson, ReasonAndWarningCodeNamesAreStable) {
  EXPECT_EQ(reason_code_name(ReasonCode::no_shared_version), "no_shared_version");
  EXPECT_EQ(reason_code_name(ReasonCode::tls13_only), "tls13_only");
  EXPECT_EQ(reason_code_name(ReasonCode::cert_incomplete_chain), "cert_incomplete_chain");
  EXPECT_EQ(reason_code_name(ReasonCode::tls_handshake_timeout), "tls_handshake_timeout");
  EXPECT_EQ(warning_code_name(WarningCode::cert_expiring_soon), "cert_expiring_soon");
  EXPECT_EQ(warning_code_name(WarningCode::weak_rsa_key), "weak_rsa_key");
  EXPECT_TRUE(is_unreachable_reason(ReasonCode::dns_failure));
  EXPECT_FALSE(is_unreachable_reason(ReasonCode::not_tls));
  EXPECT_TRUE(is_certificate_reason(ReasonCode::cert_expired));
  EXPECT_FALSE(is_certificate_reason(ReasonCode::no_shared_group));
}

}  // namespace
}  // namespace edgefetch::check
