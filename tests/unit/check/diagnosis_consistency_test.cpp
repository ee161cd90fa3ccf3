// diagnose() keeps its reasons and its "what the edge would negotiate" rows
// consistent with the verdict handshake: every OriginSslProtocols floor sends
// the same ClientHello, a refusal that enumeration's common model cannot
// explain is tried against OpenSSL's stricter rule, a certificate the edge
// cannot use explains a refusal alone, and the client-certificate and reset
// outcomes of the handshake have reasons of their own.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "diagnosis_fixtures.hpp"
#include "edgefetch/check/diagnosis.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "support/pki.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;
using support::Leaf;
using test_fixtures::chain_of;
using test_fixtures::tls12_summary;

OriginTarget test_target() {
  OriginTarget t;
  t.host = "origin.test";
  t.port = 8443;
  t.trust_store = test_fixtures::test_store();
  t.trust_description = "--ca-file ca.pem";
  return t;
}

std::vector<ReasonCode> codes(const std::vector<Reason>& reasons) {
  std::vector<ReasonCode> out;
  for (const auto& r : reasons) out.push_back(r.code);
  return out;
}

// The origin refused the ClientHello with handshake_failure.
VerdictHandshake refused() {
  VerdictHandshake h;
  h.verdict = Verdict::incompatible;
  h.handshake_started = true;
  h.error.code = tls::ErrorCode::no_shared_cipher;
  h.error.alert = 40;
  h.error.alert_sender = tls::AlertSender::server;
  h.error.message = "server found nothing acceptable in our offer: it sent handshake_failure";
  return h;
}

TEST(DiagnosisConsistency, PssOnlyOriginRefusingRsaKeyExchangeIsNoSharedSignatureScheme) {
  // ECDHE-RSA-AES128-GCM-SHA256 and AES256-SHA; the origin signs only with rsa_pss_rsae_sha256.
  auto s = tls12_summary({0xC02F, 0x0035});
  s.signature_schemes_rsa = {0x0804};
  const auto d = diagnose(test_target(), EdgeSettings{}, refused(), &s, std::time(nullptr));
  EXPECT_EQ(codes(d.reasons), std::vector<ReasonCode>({ReasonCode::no_shared_signature_scheme}));
  ASSERT_EQ(d.settings.size(), 4U);
  for (const auto& row : d.settings) {
    EXPECT_FALSE(row.prediction.compatible) << row.prediction.detail;
    EXPECT_TRUE(row.prediction.fails_with(ReasonCode::no_shared_signature_scheme)) << row.prediction.detail;
  }
  // The common model alone still predicts RSA key exchange (other stacks allow it).
  EXPECT_TRUE(predict_negotiation(s, EdgeSettings{}.offer()).compatible);
}

TEST(DiagnosisConsistency, RowsFollowACompatibleHandshake) {
  auto s = tls12_summary({0x0035, 0xC02F});  // enumeration alone would not know the origin's order
  VerdictHandshake h;
  h.verdict = Verdict::compatible;
  h.handshake_started = true;
  h.negotiated.version = ProtocolVersion::tls1_2;
  h.negotiated.cipher_suite = policy::cipher_suite_by_code(0xC02F);
  h.negotiated.group = policy::named_group_by_code(policy::kGroupSecp256r1);
  const auto d = diagnose(test_target(), EdgeSettings{}, h, &s, std::time(nullptr));
  ASSERT_EQ(d.settings.size(), 4U);
  for (const auto& row : d.settings) {
    EXPECT_TRUE(row.prediction.compatible) << row.prediction.detail;
    EXPECT_EQ(row.prediction.cipher_suite, std::optional<std::uint16_t>(0xC02F));
    EXPECT_TRUE(row.prediction.certain);
  }
}

TEST(DiagnosisConsistency, RequiredClientCertificateHasItsOwnReasonAndFix) {
  VerdictHandshake h;
  h.verdict = Verdict::incompatible;
  h.handshake_started = true;
  h.negotiated.version = ProtocolVersion::tls1_3;
  h.negotiated.cipher_suite = policy::cipher_suite_by_code(0x1301);
  h.negotiated.client_certificate_requested = true;
  h.negotiated.certificate_chain = chain_of(support::TestPki::get().leaf(Leaf::rsa2048).chain);
  h.client_certificate = VerdictHandshake::ClientCertificateAnswer::refused;
  h.error = tls::Error{tls::ErrorCode::client_certificate_required, tls::AlertSender::server, 116,
                       "server asked for a client certificate"};
  const auto d = diagnose(test_target(), EdgeSettings{}, h, nullptr, std::time(nullptr));
  ASSERT_EQ(codes(d.reasons), std::vector<ReasonCode>({ReasonCode::client_certificate_required}));
  EXPECT_EQ(reason_code_name(ReasonCode::client_certificate_required), "client_certificate_required");
  EXPECT_NE(d.reasons.front().message.find("certificate_required"), std::string::npos);
  EXPECT_NE(d.reasons.front().fix.find("OriginMtlsConfig.ClientCertificateArn"), std::string::npos);
  EXPECT_NE(d.reasons.front().fix.find("\n  ssl_verify_client optional;"), std::string::npos);
}

TEST(DiagnosisConsistency, OptionalClientCertificateIsANote) {
  VerdictHandshake h;
  h.verdict = Verdict::compatible;
  h.handshake_started = true;
  h.negotiated.version = ProtocolVersion::tls1_3;
  h.negotiated.cipher_suite = policy::cipher_suite_by_code(0x1301);
  h.negotiated.client_certificate_requested = true;
  h.negotiated.certificate_chain = chain_of(support::TestPki::get().leaf(Leaf::rsa2048).chain);
  h.client_certificate = VerdictHandshake::ClientCertificateAnswer::accepted;
  const auto d = diagnose(test_target(), EdgeSettings{}, h, nullptr, std::time(nullptr));
  EXPECT_TRUE(d.reasons.empty());
  bool noted = false;
  for (const auto& note : d.notes)
    noted = noted || note.find("optional client authentication") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(DiagnosisConsistency, ResetDuringTheHandshakeIsConnectionReset) {
  VerdictHandshake h;
  h.verdict = Verdict::incompatible;
  h.handshake_started = true;
  h.connection_reset = true;
  h.error.code = tls::ErrorCode::unexpected_eof;
  h.error.message = "the origin reset the connection during the TLS handshake: Connection reset by peer";
  const auto d = diagnose(test_target(), EdgeSettings{}, h, nullptr, std::time(nullptr));
  EXPECT_EQ(codes(d.reasons), std::vector<ReasonCode>({ReasonCode::connection_reset}));
}

TEST(DiagnosisConsistency, UnusableKeyFromTheOtherHandshakeExplainsTheRefusalAlone) {
  VerdictHandshake other;
  other.verdict = Verdict::compatible;
  other.negotiated.certificate_chain = chain_of(support::TestPki::get().leaf(Leaf::ed25519).chain);
  const auto d = diagnose(test_target(), EdgeSettings{}, refused(), nullptr, std::time(nullptr), &other);
  EXPECT_EQ(codes(d.reasons), std::vector<ReasonCode>({ReasonCode::cert_key_unsupported}));
  EXPECT_NE(d.reasons.front().message.find("an Ed25519 key"), std::string::npos) << d.reasons.front().message;
}

TEST(DiagnosisConsistency, EcdsaCertificateOnAnUnofferedCurveIsNoSharedGroupWithoutEnumeration) {
  VerdictHandshake other;
  other.verdict = Verdict::compatible;
  other.negotiated.certificate_chain = chain_of(support::TestPki::get().leaf(Leaf::ecdsa_p521).chain);
  const auto d = diagnose(test_target(), EdgeSettings{}, refused(), nullptr, std::time(nullptr), &other);
  ASSERT_EQ(codes(d.reasons), std::vector<ReasonCode>({ReasonCode::no_shared_group}));
  EXPECT_NE(d.reasons.front().message.find("P-521"), std::string::npos) << d.reasons.front().message;
}

TEST(DiagnosisConsistency, RefusalWithoutEvidenceSaysItCannotTellWhich) {
  const auto d = diagnose(test_target(), EdgeSettings{}, refused(), nullptr, std::time(nullptr));
  ASSERT_EQ(codes(d.reasons), std::vector<ReasonCode>({ReasonCode::no_shared_cipher}));
  EXPECT_NE(d.reasons.front().message.find("does not tell which"), std::string::npos);
}

}  // namespace
}  // namespace edgefetch::check
