// diagnose() and the certificate audit on hand-made handshake outcomes and the
// test PKI's certificates: every certificate problem is listed (not only the
// first), handshake_failure is refined by what enumeration found, unreachable
// origins get the connect reason, and warnings come from the chain and the
// negotiated parameters.

#include "edgefetch/check/diagnosis.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "diagnosis_fixtures.hpp"
#include "edgefetch/check/certificate_audit.hpp"
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
using test_fixtures::test_store;
using test_fixtures::tls12_summary;

std::vector<ReasonCode> codes(const Diagnosis& d) {
  std::vector<ReasonCode> out;
  for (const auto& r : d.reasons) out.push_back(r.code);
  return out;
}

std::vector<ReasonCode> finding_codes(const CertificateAudit& audit) {
  std::vector<ReasonCode> out;
  for (const auto& f : audit.findings) out.push_back(f.code);
  return out;
}

OriginTarget target(std::shared_ptr<const crypto::TrustStore> store, std::string host = "origin.test") {
  OriginTarget t;
  t.host = std::move(host);
  t.port = 8443;
  t.trust_store = std::move(store);
  t.trust_description = "--ca-file ca.pem";
  return t;
}

TEST(DiagnosisCertificateAudit, ValidChainHasNoFindingsAndAVerifiedPath) {
  const auto store = test_store();
  const auto audit = audit_certificate_chain(chain_of(support::TestPki::get().leaf(Leaf::rsa2048).chain),
                                             *store, "origin.test", std::time(nullptr));
  EXPECT_TRUE(audit.acceptable()) << (audit.findings.empty() ? "" : audit.findings.front().message);
  EXPECT_EQ(audit.verified_path.size(), 3U);
  ASSERT_TRUE(audit.days_to_expiry);
  EXPECT_GT(*audit.days_to_expiry, 300);
  // Wildcard and IP SANs, by the engine's rules.
  EXPECT_TRUE(audit_certificate_chain(chain_of(support::TestPki::get().leaf(Leaf::rsa2048).chain), *store,
                                      "a.wild.test", std::time(nullptr))
                  .acceptable());
  EXPECT_FALSE(audit_certificate_chain(chain_of(support::TestPki::get().leaf(Leaf::rsa2048).chain), *store,
                                       "a.b.wild.test", std::time(nullptr))
                   .acceptable());
  EXPECT_TRUE(audit_certificate_chain(chain_of(support::TestPki::get().leaf(Leaf::rsa2048).chain), *store,
                                      "127.0.0.1", std::time(nullptr))
                  .acceptable());
}

TEST(DiagnosisCertificateAudit, ExpiredAndWrongNameAreBothFound) {
  const auto store = test_store();
  const auto audit = audit_certificate_chain(chain_of(support::TestPki::get().leaf(Leaf::expired).chain),
                                             *store, "www.example.test", std::time(nullptr));
  EXPECT_EQ(finding_codes(audit),
            std::vector<ReasonCode>({ReasonCode::cert_expired, ReasonCode::cert_name_mismatch}));
  const auto& mismatch = audit.findings.back();
  EXPECT_EQ(mismatch.checked_name, "www.example.test");
  EXPECT_NE(std::find(mismatch.names.begin(), mismatch.names.end(), "DNS:origin.test"), mismatch.names.end());
  EXPECT_LT(audit.findings.front().days, 0);
}

TEST(DiagnosisCertificateAudit, EachProblemKind) {
  const auto store = test_store();
  const auto now = std::time(nullptr);
  const auto audit = [&](Leaf leaf) {
    return audit_certificate_chain(chain_of(support::TestPki::get().leaf(leaf).chain), *store, "origin.test",
                                   now);
  };
  EXPECT_EQ(finding_codes(audit(Leaf::not_yet_valid)),
            std::vector<ReasonCode>({ReasonCode::cert_not_yet_valid}));
  EXPECT_EQ(finding_codes(audit(Leaf::wrong_name)),
            std::vector<ReasonCode>({ReasonCode::cert_name_mismatch}));
  const auto self_signed = audit(Leaf::self_signed);
  ASSERT_EQ(finding_codes(self_signed), std::vector<ReasonCode>({ReasonCode::cert_untrusted}));
  EXPECT_TRUE(self_signed.findings.front().self_signed);
  const auto unknown = audit(Leaf::unknown_ca);
  ASSERT_EQ(finding_codes(unknown), std::vector<ReasonCode>({ReasonCode::cert_untrusted}));
  EXPECT_FALSE(unknown.findings.front().self_signed);
  const auto incomplete = audit(Leaf::without_intermediate);
  ASSERT_EQ(finding_codes(incomplete), std::vector<ReasonCode>({ReasonCode::cert_incomplete_chain}));
  EXPECT_NE(incomplete.findings.front().missing_issuer.find("ntermediate"), std::string::npos)
      << incomplete.findings.front().missing_issuer;
  EXPECT_EQ(finding_codes(audit(Leaf::ed25519)), std::vector<ReasonCode>({ReasonCode::cert_key_unsupported}));
  EXPECT_TRUE(audit(Leaf::rsa1024).acceptable());
  EXPECT_TRUE(audit(Leaf::ecdsa_p521).acceptable());  // the curve is a group question, not a certificate one
}

TEST(DiagnosisCertificateAudit, EmptyOrGarbageChainIsInvalid) {
  const auto store = test_store();
  EXPECT_EQ(finding_codes(audit_certificate_chain({}, *store, "origin.test", 0)),
            std::vector<ReasonCode>({ReasonCode::cert_invalid}));
  const std::vector<std::vector<std::uint8_t>> garbage = {{0x30, 0x03, 0x01, 0x02, 0x03}};
  EXPECT_EQ(finding_codes(audit_certificate_chain(garbage, *store, "origin.test", 0)),
            std::vector<ReasonCode>({ReasonCode::cert_invalid}));
}

VerdictHandshake failed_with(tls::ErrorCode code, std::optional<std::uint8_t> alert = std::nullopt) {
  VerdictHandshake h;
  h.verdict = Verdict::incompatible;
  h.handshake_started = true;
  h.error.code = code;
  h.error.alert = alert;
  h.error.alert_sender = alert ? tls::AlertSender::server : tls::AlertSender::none;
  h.error.message = "server sent handshake_failure";
  return h;
}

TEST(Diagnosis, HandshakeFailureIsRefinedByWhatEnumerationFound) {
  const auto store = test_store();
  const auto h = failed_with(tls::ErrorCode::no_shared_cipher, 40);
  auto s = tls12_summary({0xC02F});
  s.groups = {policy::kGroupSecp521r1};
  const auto d = diagnose(target(store), EdgeSettings{}, h, &s, std::time(nullptr));
  EXPECT_EQ(d.verdict, Verdict::incompatible);
  EXPECT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::no_shared_group}));
  ASSERT_EQ(d.reasons.size(), 1U);
  EXPECT_NE(d.reasons.front().message.find("P-521"), std::string::npos) << d.reasons.front().message;
  EXPECT_NE(d.reasons.front().fix.find("ssl_ecdh_curve"), std::string::npos) << d.reasons.front().fix;
  EXPECT_EQ(d.settings.size(), 4U);
}

TEST(Diagnosis, HandshakeFailureWithoutEnumerationStaysNoSharedCipher) {
  const auto store = test_store();
  const auto d = diagnose(target(store), EdgeSettings{}, failed_with(tls::ErrorCode::no_shared_cipher, 40),
                          nullptr, std::time(nullptr));
  EXPECT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::no_shared_cipher}));
  EXPECT_NE(d.reasons.front().fix.find("ssl_ciphers "), std::string::npos);
  EXPECT_NE(d.reasons.front().fix.find("SSLCipherSuite "), std::string::npos);
  EXPECT_NE(d.reasons.front().fix.find("ssl-default-bind-ciphers "), std::string::npos);
  EXPECT_TRUE(d.settings.empty());
}

TEST(Diagnosis, Tls13SuitesTheEdgeLacksGetTls13ConfigLines) {
  // Under the 2025 policy the origin picks TLS 1.3, where it accepts only CCM.
  const auto store = test_store();
  auto s = tls12_summary({0xC02F});
  s.versions.back().accepted = true;
  s.versions.back().refusal = Refusal::none;
  s.versions.back().cipher_suites = {0x1304};
  EdgeSettings settings;
  settings.profile = policy::profile_by_name("cloudfront-2025");
  const auto d = diagnose(target(store), settings, failed_with(tls::ErrorCode::no_shared_cipher, 40), &s,
                          std::time(nullptr));
  ASSERT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::no_shared_cipher}));
  const Reason& why = d.reasons.front();
  // One suite: "which is not among", not "none of them" (explore18 tls F11).
  EXPECT_NE(why.message.find("In TLSv1.3 the origin accepts only TLS_AES_128_CCM_SHA256 (outside the edge's "
                             "policy), which is not among the "
                             "3 suites the edge offers in TLSv1.3."),
            std::string::npos)
      << why.message;
  EXPECT_NE(why.message.find("does not fall back"), std::string::npos) << why.message;
  // Every TLS 1.3 suite the edge offers, then the origin's own, in the servers' TLS 1.3 syntax.
  const std::string list =
      "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256";
  EXPECT_NE(why.fix.find("ssl_conf_command Ciphersuites " + list + ";"), std::string::npos) << why.fix;
  EXPECT_NE(why.fix.find("SSLCipherSuite TLSv1.3 " + list), std::string::npos) << why.fix;
  EXPECT_NE(why.fix.find("ssl-default-bind-ciphersuites " + list), std::string::npos) << why.fix;
  EXPECT_EQ(why.fix.find("ssl_ciphers "), std::string::npos) << "TLS 1.2 syntax: " << why.fix;
}

TEST(Diagnosis, ProtocolAndCertificateReasonsAreBothListed) {
  const auto store = test_store();
  // CHACHA20 only, and the certificate enumeration read is expired.
  auto s = tls12_summary({0xCCA8});
  CertificateObservation seen;
  seen.with_sni = true;
  seen.server_name = "origin.test";
  seen.cipher_suite = 0xCCA8;
  seen.chain_der = chain_of(support::TestPki::get().leaf(Leaf::expired).chain);
  s.certificates.push_back(seen);
  const auto d = diagnose(target(store), EdgeSettings{}, failed_with(tls::ErrorCode::no_shared_cipher, 40),
                          &s, std::time(nullptr));
  EXPECT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::no_shared_cipher, ReasonCode::cert_expired}));
  EXPECT_EQ(d.certificate_source, "enumeration");
}

TEST(Diagnosis, CertificateErrorFromTheHandshakeListsEveryProblem) {
  const auto store = test_store();
  auto h = failed_with(tls::ErrorCode::cert_expired);
  h.negotiated.certificate_chain = chain_of(support::TestPki::get().leaf(Leaf::expired).chain);
  auto t = target(store);
  t.host_header = "www.example.test";
  const auto d = diagnose(t, EdgeSettings{}, h, nullptr, std::time(nullptr));
  EXPECT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::cert_expired, ReasonCode::cert_name_mismatch}));
  EXPECT_NE(d.reasons.back().message.find("Host header"), std::string::npos) << d.reasons.back().message;
  EXPECT_EQ(d.certificate_source, "handshake");
}

TEST(Diagnosis, UnreachableReasons) {
  const auto store = test_store();
  VerdictHandshake dns;
  dns.resolve_error = "Host not found";
  auto d = diagnose(target(store), EdgeSettings{}, dns, nullptr, 0);
  EXPECT_EQ(d.verdict, Verdict::unreachable);
  EXPECT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::dns_failure}));

  VerdictHandshake refused;
  net::ConnectAttempt attempt;
  attempt.number = 1;
  attempt.endpoint = {boost::asio::ip::make_address("127.0.0.1"), 8443};
  attempt.outcome = net::ConnectOutcome::refused;
  refused.connect_attempts = {attempt, attempt};
  d = diagnose(target(store), EdgeSettings{}, refused, nullptr, 0);
  EXPECT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::connection_refused}));
  EXPECT_NE(d.reasons.front().message.find("2 attempts"), std::string::npos) << d.reasons.front().message;

  VerdictHandshake silent = refused;
  silent.connect_attempts.back().outcome = net::ConnectOutcome::timed_out;
  EdgeSettings settings;
  settings.connection_timeout = std::chrono::seconds(4);
  settings.connection_attempts = 2;
  d = diagnose(target(store), settings, silent, nullptr, 0);
  EXPECT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::connect_timeout}));
  EXPECT_NE(d.reasons.front().message.find("8 seconds in all"), std::string::npos)
      << d.reasons.front().message;

  VerdictHandshake slow;
  slow.handshake_started = true;
  slow.handshake_timed_out = true;
  d = diagnose(target(store), EdgeSettings{}, slow, nullptr, 0);
  EXPECT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::tls_handshake_timeout}));
}

TEST(Diagnosis, CompatibleHandshakeHasNoReasonsAndWarnsAboutLegacyParameters) {
  const auto store = test_store();
  VerdictHandshake h;
  h.verdict = Verdict::compatible;
  h.negotiated.version = ProtocolVersion::ssl3;
  h.negotiated.cipher_suite = policy::cipher_suite_by_code(0x000A);
  h.negotiated.certificate_chain = chain_of(support::TestPki::get().leaf(Leaf::rsa1024).chain);
  auto d = diagnose(target(store), EdgeSettings{}, h, nullptr, std::time(nullptr));
  EXPECT_TRUE(d.reasons.empty());
  EXPECT_TRUE(d.has_warning(WarningCode::legacy_version));
  EXPECT_TRUE(d.has_warning(WarningCode::legacy_cipher));
  EXPECT_TRUE(d.has_warning(WarningCode::weak_rsa_key));
  EXPECT_FALSE(d.has_warning(WarningCode::cert_expiring_soon));

  h.negotiated.version = ProtocolVersion::tls1_2;
  h.negotiated.cipher_suite = policy::cipher_suite_by_code(0xC02F);
  h.negotiated.signature_scheme = policy::signature_scheme_by_code(0x0201);
  h.negotiated.certificate_chain = chain_of(support::TestPki::get().leaf(Leaf::rsa2048).chain);
  d = diagnose(target(store), EdgeSettings{}, h, nullptr, std::time(nullptr));
  ASSERT_EQ(d.warnings.size(), 1U);
  EXPECT_EQ(d.warnings.front().code, WarningCode::legacy_signature);

  // 20 days before the leaf expires: cert_expiring_soon.
  const auto leaf = crypto::Certificate::from_der(h.negotiated.certificate_chain.front());
  ASSERT_TRUE(leaf);
  d = diagnose(target(store), EdgeSettings{}, h, nullptr, leaf->info().not_after_time - 20 * 86400);
  EXPECT_TRUE(d.has_warning(WarningCode::cert_expiring_soon));
}

TEST(Diagnosis, TlsErrorMapping) {
  tls::Error e;
  e.code = tls::ErrorCode::version_not_allowed;
  EXPECT_EQ(reason_for_tls_error(e), ReasonCode::no_shared_version);
  e.code = tls::ErrorCode::unexpected_eof;
  EXPECT_EQ(reason_for_tls_error(e), ReasonCode::connection_closed);
  e.code = tls::ErrorCode::bad_signature;
  EXPECT_EQ(reason_for_tls_error(e), ReasonCode::protocol_error);
  e.code = tls::ErrorCode::not_tls;
  EXPECT_EQ(reason_for_tls_error(e), ReasonCode::not_tls);
}

TEST(Diagnosis, NotTlsCarriesTheEnginesAccountOfTheFirstBytes) {
  const auto store = test_store();
  auto h = failed_with(tls::ErrorCode::not_tls);
  h.error.message =
      "the server's first bytes are not a TLS record (3C 21 44 4F, as text \"<!DO\": an HTML page)";
  const auto d = diagnose(target(store), EdgeSettings{}, h, nullptr, 0);
  ASSERT_EQ(codes(d), std::vector<ReasonCode>({ReasonCode::not_tls}));
  EXPECT_NE(d.reasons.front().message.find("does not speak TLS: " + h.error.message), std::string::npos)
      << d.reasons.front().message;
  EXPECT_NE(d.reasons.front().fix.find("http-only"), std::string::npos);
}

TEST(Diagnosis, SelectionWithGapsIsNoted) {
  const auto store = test_store();
  EdgeSettings settings;
  settings.origin_ssl_protocols = {ProtocolVersion::ssl3, ProtocolVersion::tls1_2};
  const auto d =
      diagnose(target(store), settings, failed_with(tls::ErrorCode::no_shared_cipher, 40), nullptr, 0);
  ASSERT_FALSE(d.notes.empty());
  EXPECT_NE(d.notes.front().find("gaps"), std::string::npos) << d.notes.front();
}

}  // namespace
}  // namespace edgefetch::check
