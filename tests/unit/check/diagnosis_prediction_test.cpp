// predict_negotiation / predict_each_setting on hand-made summaries: which
// version the origin picks, which suite (its order or the edge's), and why not
// when nothing fits (version, TLS 1.3 only, suite, group, certificate curve,
// signature scheme).

#include "edgefetch/check/diagnosis_prediction.hpp"

#include <gtest/gtest.h>

#include <array>

#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;

constexpr std::array kAllVersions = {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1,
                                     ProtocolVersion::tls1_2, ProtocolVersion::tls1_3};

// A summary where exactly the versions in `accepted` are accepted, with those suites.
SupportedSummary summary(const std::vector<std::pair<ProtocolVersion, std::vector<std::uint16_t>>>& accepted,
                         Tristate preference = Tristate::no) {
  SupportedSummary s;
  for (ProtocolVersion v : kAllVersions) {
    VersionSupport support;
    support.version = v;
    support.refusal = Refusal::alert;
    support.alert_description = 70;  // protocol_version
    for (const auto& [version, suites] : accepted) {
      if (version != v) continue;
      support.accepted = true;
      support.refusal = Refusal::none;
      support.alert_description.reset();
      support.cipher_suites = suites;
      support.server_preference = preference;
    }
    s.versions.push_back(support);
  }
  s.groups = {policy::kGroupX25519, policy::kGroupSecp256r1};
  s.signature_schemes_rsa = {0x0401, 0x0804};
  s.signature_schemes_ecdsa = {0x0403};
  return s;
}

policy::Offer offer_for(ProtocolVersion floor) {
  const std::array selection = {floor};
  return policy::narrow(policy::default_profile(), selection);
}

TEST(DiagnosisPrediction, ModernOriginPicksTheEdgesFirstSharedSuiteWithoutServerPreference) {
  const auto s = summary({{ProtocolVersion::tls1_2, {0xC02F, 0xC030}}}, Tristate::no);
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  ASSERT_TRUE(p.compatible) << p.detail;
  EXPECT_EQ(p.version, ProtocolVersion::tls1_2);
  EXPECT_EQ(p.cipher_suite, 0xC030);            // the edge lists AES-256-GCM first
  EXPECT_EQ(p.group, policy::kGroupSecp256r1);  // the edge's first group the origin has
  EXPECT_EQ(p.signature_scheme, 0x0401);
  EXPECT_TRUE(p.certain);
}

TEST(DiagnosisPrediction, ServerPreferenceDecidesTheSuiteAndTheGroup) {
  auto s = summary({{ProtocolVersion::tls1_2, {0xC02F, 0xC030}}}, Tristate::yes);
  s.groups_server_preference = Tristate::yes;
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  ASSERT_TRUE(p.compatible);
  EXPECT_EQ(p.cipher_suite, 0xC02F);
  EXPECT_EQ(p.group, policy::kGroupX25519);
}

TEST(DiagnosisPrediction, UnknownPreferenceWithSeveralSharedSuitesIsNotCertain) {
  const auto s = summary({{ProtocolVersion::tls1_2, {0xC02F, 0xC030}}}, Tristate::unknown);
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  EXPECT_TRUE(p.compatible);
  EXPECT_FALSE(p.certain);
}

TEST(DiagnosisPrediction, Tls10OnlyOriginFailsTheTls12FloorAndWorksFromTlsV1) {
  const auto s = summary({{ProtocolVersion::tls1_0, {0xC013, 0x002F}}});
  const auto strict = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  EXPECT_FALSE(strict.compatible);
  EXPECT_EQ(strict.failures, std::vector<ReasonCode>({ReasonCode::no_shared_version}));
  EXPECT_EQ(strict.version, ProtocolVersion::tls1_0);

  const auto rows = predict_each_setting(s, policy::default_profile(), ProtocolVersion::tls1_2);
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_TRUE(rows[0].prediction.compatible);   // SSLv3
  EXPECT_TRUE(rows[1].prediction.compatible);   // TLSv1
  EXPECT_FALSE(rows[2].prediction.compatible);  // TLSv1.1
  EXPECT_FALSE(rows[3].prediction.compatible);  // TLSv1.2
  EXPECT_TRUE(rows[3].selected);
  EXPECT_FALSE(rows[1].selected);
  EXPECT_EQ(rows[1].prediction.cipher_suite, 0xC013);
  // In TLS 1.0 the ECDHE signature is fixed: no scheme is negotiated.
  EXPECT_FALSE(rows[1].prediction.signature_scheme.has_value());
  EXPECT_EQ(best_working_floor(rows), ProtocolVersion::tls1_0);
}

TEST(DiagnosisPrediction, OriginPicksItsHighestVersionUpToTheEdgesMaximum) {
  const auto s = summary({{ProtocolVersion::tls1_0, {0x002F}},
                          {ProtocolVersion::tls1_2, {0xC02F}},
                          {ProtocolVersion::tls1_3, {0x1301}}});
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::ssl3));
  ASSERT_TRUE(p.compatible);
  EXPECT_EQ(p.version, ProtocolVersion::tls1_2);
  EXPECT_EQ(p.cipher_suite, 0xC02F);
}

TEST(DiagnosisPrediction, Tls13OnlyOrigin) {
  const auto s = summary({{ProtocolVersion::tls1_3, {0x1301, 0x1302}}});
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::ssl3));
  EXPECT_FALSE(p.compatible);
  EXPECT_EQ(p.failures, std::vector<ReasonCode>({ReasonCode::tls13_only}));
  EXPECT_FALSE(
      best_working_floor(predict_each_setting(s, policy::default_profile(), ProtocolVersion::tls1_2)));
}

TEST(DiagnosisPrediction, ChaChaOnlyIsNoSharedCipher) {
  const auto s = summary({{ProtocolVersion::tls1_2, {0xCCA8}}});
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  EXPECT_EQ(p.failures, std::vector<ReasonCode>({ReasonCode::no_shared_cipher}));
}

TEST(DiagnosisPrediction, P521OnlyIsNoSharedGroupButRsaKeyExchangeStillWorks) {
  auto s = summary({{ProtocolVersion::tls1_2, {0xC02F}}});
  s.groups = {policy::kGroupSecp521r1};
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  EXPECT_EQ(p.failures, std::vector<ReasonCode>({ReasonCode::no_shared_group}));

  s.versions[3].cipher_suites = {0xC02F, 0x002F};
  const auto with_rsa = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  ASSERT_TRUE(with_rsa.compatible);
  EXPECT_EQ(with_rsa.cipher_suite, 0x002F);
  EXPECT_FALSE(with_rsa.group.has_value());
}

TEST(DiagnosisPrediction, EcdsaCertificateOnP521IsNoSharedGroupEvenWithSharedCurves) {
  auto s = summary({{ProtocolVersion::tls1_2, {0xC02B}}});
  s.ecdsa_certificate_curve = policy::kGroupSecp521r1;
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  EXPECT_EQ(p.failures, std::vector<ReasonCode>({ReasonCode::no_shared_group}));
  EXPECT_NE(p.detail.find("P-521"), std::string::npos) << p.detail;

  s.ecdsa_certificate_curve = policy::kGroupSecp384r1;
  EXPECT_TRUE(predict_negotiation(s, offer_for(ProtocolVersion::tls1_2)).compatible);
}

TEST(DiagnosisPrediction, PssOnlySignaturesAreNoSharedSignatureSchemeInTls12Only) {
  auto s = summary({{ProtocolVersion::tls1_2, {0xC02F}}, {ProtocolVersion::tls1_0, {0xC013}}});
  s.signature_schemes_rsa = {0x0804, 0x0805};
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  EXPECT_EQ(p.failures, std::vector<ReasonCode>({ReasonCode::no_shared_signature_scheme}));
}

policy::Offer offer_2025() {
  return policy::narrow(*policy::profile_by_name("cloudfront-2025"), {});
}

constexpr std::uint8_t kHandshakeFailure = 40;

TEST(DiagnosisPrediction, Tls12RefusedWithHandshakeFailureIsSpokenButWithoutAUsableSuite) {
  // ECDSA suites on an RSA certificate: TLS 1.2 is on, but no suite fits the key.
  auto s = summary({{ProtocolVersion::tls1_3, {0x1301}}});
  s.versions[3].alert_description = kHandshakeFailure;
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  EXPECT_EQ(p.failures, std::vector<ReasonCode>({ReasonCode::no_shared_cipher})) << p.detail;
  EXPECT_EQ(p.version, ProtocolVersion::tls1_2);
  // The 2025 offer reaches TLS 1.3, which the origin accepts first.
  EXPECT_TRUE(predict_negotiation(s, offer_2025()).compatible);
}

TEST(DiagnosisPrediction, Ssl3RefusedWithHandshakeFailureSaysNothingAboutSuites) {
  // OpenSSL without SSLv3 answers an SSLv3 hello with handshake_failure.
  auto s = summary({{ProtocolVersion::tls1_3, {0x1301}}});
  s.versions[0].alert_description = kHandshakeFailure;
  EXPECT_EQ(predict_negotiation(s, offer_for(ProtocolVersion::ssl3)).failures,
            std::vector<ReasonCode>({ReasonCode::tls13_only}));
}

TEST(DiagnosisPrediction, Tls13GroupsTheEdgeLacksAreNoSharedGroupInTls13) {
  auto s = summary({{ProtocolVersion::tls1_2, {0x002F}}, {ProtocolVersion::tls1_3, {0x1301}}});
  s.tls13_groups = {policy::kGroupSecp521r1};
  const auto p = predict_negotiation(s, offer_2025());
  EXPECT_EQ(p.failures, std::vector<ReasonCode>({ReasonCode::no_shared_group})) << p.detail;
  EXPECT_EQ(p.version, ProtocolVersion::tls1_3);
  // TLS 1.2 with RSA key exchange needs no group.
  EXPECT_TRUE(predict_negotiation(s, offer_for(ProtocolVersion::tls1_2)).compatible);
}

TEST(DiagnosisPrediction, NothingAnsweredInTlsIsUnknownNotNoSharedVersion) {
  SupportedSummary s;
  for (ProtocolVersion v : kAllVersions) {
    VersionSupport support;
    support.version = v;
    support.refusal = Refusal::closed;
    s.versions.push_back(support);
  }
  const auto p = predict_negotiation(s, offer_for(ProtocolVersion::tls1_2));
  EXPECT_FALSE(p.compatible);
  EXPECT_TRUE(p.failures.empty());
  EXPECT_FALSE(p.certain);

  for (auto& v : s.versions) v.refusal = Refusal::not_tls;
  EXPECT_EQ(predict_negotiation(s, offer_for(ProtocolVersion::tls1_2)).failures,
            std::vector<ReasonCode>({ReasonCode::not_tls}));
}

}  // namespace
}  // namespace edgefetch::check
