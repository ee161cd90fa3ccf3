// The --json schema of `edgefetch check` (report.hpp): every documented field
// is present with its type, for a compatible report with enumeration, an
// unreachable one without, and a distribution with checked and skipped origins.

#include <gtest/gtest.h>

#include "edgefetch/check/report.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
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
