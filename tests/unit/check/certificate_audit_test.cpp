// The certificate audit's dates against a trust store whose root is younger
// than the leaf it signed: a CA re-made (or a test PKI made) after the
// origin's certificate expired. The audit must report the leaf's expiry and
// nothing about the root, which is valid now.

#include "edgefetch/check/certificate_audit.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>

#include "edgefetch/crypto/x509.hpp"
#include "support/scratch.hpp"

namespace edgefetch::check {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); }
};
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, PkeyFree>;

// A fresh P-256 key: every certificate of these chains has one.
Key p256_key() {
  return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

constexpr long kDay = 86400;

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  ASSERT_TRUE(ext);
  ASSERT_EQ(X509_add_ext(cert, ext.get(), -1), 1);
}

struct Shape {
  bool ca = false;
  const char* san = "DNS:origin.test";  // leaves only; null: no subjectAltName
  const char* eku = nullptr;            // extendedKeyUsage value; null: none
};

// A P-256 certificate for `name`, valid from now+not_before to now+not_after
// (seconds), signed by `issuer` (self-signed when null, and then a CA).
Cert make_certificate(const char* name, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, long not_before,
                      long not_after, std::time_t now, Shape shape = {}) {
  Cert cert(X509_new());
  EXPECT_EQ(X509_set_version(cert.get(), X509_VERSION_3), 1);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(now % 100000) + not_before % 97);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  ASN1_TIME_adj(X509_getm_notBefore(cert.get()), now, 0, not_before);
  ASN1_TIME_adj(X509_getm_notAfter(cert.get()), now, 0, not_after);
  X509_set_pubkey(cert.get(), key);
  const bool ca = issuer == nullptr || shape.ca;
  add_extension(cert.get(), signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(cert.get(), signer, NID_key_usage,
                ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  if (!ca && shape.san != nullptr) add_extension(cert.get(), signer, NID_subject_alt_name, shape.san);
  if (shape.eku != nullptr) add_extension(cert.get(), signer, NID_ext_key_usage, shape.eku);
  EXPECT_GT(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()), 0);
  return cert;
}

std::vector<std::uint8_t> der(X509* cert) {
  unsigned char* bytes = nullptr;
  const int size = i2d_X509(cert, &bytes);
  std::vector<std::uint8_t> out(bytes, bytes + size);
  OPENSSL_free(bytes);
  return out;
}

// Audits `sent` (leaf first) for `name` against a store holding `root` alone.
CertificateAudit audit_chain(X509* root, const std::vector<X509*>& sent, std::string_view name,
                             std::time_t now) {
  const auto dir = support::ScratchDir::create("audit");
  const auto ca_file = dir.path() / "ca.pem";
  {
    std::unique_ptr<FILE, FileClose> out(std::fopen(ca_file.c_str(), "w"));
    EXPECT_TRUE(out && PEM_write_X509(out.get(), root) == 1);
  }
  const auto store = crypto::TrustStore::from_pem_file(ca_file.string());
  EXPECT_TRUE(store);
  if (!store) return {};
  std::vector<std::vector<std::uint8_t>> chain;
  for (X509* cert : sent) chain.push_back(der(cert));
  return audit_certificate_chain(chain, **store, name, now);
}

// Audits the chain [leaf] for origin.test against a store holding `root` alone.
CertificateAudit audit_with_root(X509* root, X509* leaf, std::time_t now) {
  return audit_chain(root, {leaf}, "origin.test", now);
}

const CertificateFinding* finding_of(const CertificateAudit& audit, ReasonCode code) {
  const auto it = std::find_if(audit.findings.begin(), audit.findings.end(),
                               [code](const CertificateFinding& f) { return f.code == code; });
  return it == audit.findings.end() ? nullptr : &*it;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// What every test here starts from: a time, a root CA's key and a leaf's key,
// and the root, self-signed from now+root_from to now+root_to (seconds).
// Unpacked in each test as `const auto& [now, root_key, leaf_key, root] = pki;`.
struct AuditPki {
  std::time_t now = std::time(nullptr);
  Key root_key = p256_key();
  Key leaf_key = p256_key();
  Cert root;

  explicit AuditPki(const char* root_name = "Root CA", long root_from = -900 * kDay,
                    long root_to = 3650 * kDay) {
    if (root_key) {
      root = make_certificate(root_name, root_key.get(), nullptr, nullptr, root_from, root_to, now);
    }
  }
  [[nodiscard]] bool ok() const { return root_key && leaf_key && root; }
};

TEST(CertificateAuditDates, ARootYoungerThanTheExpiredLeafIsNotReported) {
  // The root was made an hour ago; the leaf it signed ran from 400 to 30 days ago.
  const AuditPki pki("Young Root CA", -3600, 3650 * kDay);
  ASSERT_TRUE(pki.ok());
  const auto& [now, root_key, leaf_key, root] = pki;
  const Cert leaf = make_certificate("origin.test", leaf_key.get(), root.get(), root_key.get(), -400 * kDay,
                                     -30 * kDay, now);

  const auto audit = audit_with_root(root.get(), leaf.get(), now);
  ASSERT_EQ(audit.findings.size(), 1u);
  EXPECT_EQ(audit.findings.front().code, ReasonCode::cert_expired);
  EXPECT_EQ(audit.findings.front().subject, "CN=origin.test");
  EXPECT_FALSE(audit.has(ReasonCode::cert_not_yet_valid));
}

TEST(CertificateAuditDates, ARootOutsideItsDatesNowIsStillReported) {
  // The root expired ten days ago; the leaf is valid now.
  const AuditPki pki("Old Root CA", -900 * kDay, -10 * kDay);
  ASSERT_TRUE(pki.ok());
  const auto& [now, root_key, leaf_key, root] = pki;
  const Cert leaf = make_certificate("origin.test", leaf_key.get(), root.get(), root_key.get(), -20 * kDay,
                                     300 * kDay, now);

  const auto audit = audit_with_root(root.get(), leaf.get(), now);
  ASSERT_EQ(audit.findings.size(), 1u);
  EXPECT_EQ(audit.findings.front().code, ReasonCode::cert_expired);
  EXPECT_EQ(audit.findings.front().subject, "CN=Old Root CA");
}

// An expired intermediate is not the origin's certificate: the finding says
// which it is, so that the fix is about the chain file, not a renewal.
TEST(CertificateAuditDates, AnExpiredIntermediateIsNamedAsSuch) {
  const AuditPki pki;
  const Key int_key = p256_key();
  ASSERT_TRUE(pki.ok() && int_key);
  const auto& [now, root_key, leaf_key, root] = pki;
  const Cert intermediate = make_certificate("Stale Intermediate", int_key.get(), root.get(), root_key.get(),
                                             -800 * kDay, -5 * kDay, now, {.ca = true});
  const Cert leaf = make_certificate("origin.test", leaf_key.get(), intermediate.get(), int_key.get(),
                                     -30 * kDay, 300 * kDay, now);

  const auto audit = audit_chain(root.get(), {leaf.get(), intermediate.get()}, "origin.test", now);
  ASSERT_EQ(audit.findings.size(), 1u);
  const CertificateFinding& finding = audit.findings.front();
  EXPECT_EQ(finding.code, ReasonCode::cert_expired);
  EXPECT_EQ(finding.subject, "CN=Stale Intermediate");
  EXPECT_FALSE(finding.leaf);
  EXPECT_TRUE(finding.sent);
  EXPECT_TRUE(finding.message.starts_with("intermediate certificate 'CN=Stale Intermediate' expired"))
      << finding.message;
}

TEST(CertificateAuditDates, AnExpiredLeafIsTheLeaf) {
  const AuditPki pki;
  ASSERT_TRUE(pki.ok());
  const auto& [now, root_key, leaf_key, root] = pki;
  const Cert leaf = make_certificate("origin.test", leaf_key.get(), root.get(), root_key.get(), -400 * kDay,
                                     -3 * kDay, now);
  const auto audit = audit_with_root(root.get(), leaf.get(), now);
  const CertificateFinding* finding = finding_of(audit, ReasonCode::cert_expired);
  ASSERT_NE(finding, nullptr);
  EXPECT_TRUE(finding->leaf);
  EXPECT_TRUE(finding->sent);
  EXPECT_TRUE(finding->message.starts_with("certificate 'CN=origin.test' expired")) << finding->message;
}

// RFC 6125: an address matches only the SAN's IP entries, so a CN (or a DNS
// entry) spelling it is no match, and the finding says why.
TEST(CertificateAuditNames, AnAddressInTheCnIsNoMatchAndTheFindingSaysWhy) {
  const AuditPki pki;
  ASSERT_TRUE(pki.ok());
  const auto& [now, root_key, leaf_key, root] = pki;
  const Cert cn_only = make_certificate("127.0.0.1", leaf_key.get(), root.get(), root_key.get(), -kDay,
                                        300 * kDay, now, {.san = nullptr});
  const auto audit = audit_chain(root.get(), {cn_only.get()}, "127.0.0.1", now);
  const CertificateFinding* finding = finding_of(audit, ReasonCode::cert_name_mismatch);
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->names, std::vector<std::string>{"CN=127.0.0.1"});
  EXPECT_TRUE(contains(finding->message, "matched only against the IP address entries")) << finding->message;
  EXPECT_TRUE(contains(finding->message, "it has none")) << finding->message;

  const Cert other_ip = make_certificate("127.0.0.1", leaf_key.get(), root.get(), root_key.get(), -kDay,
                                         300 * kDay, now, {.san = "DNS:127.0.0.1,IP:10.0.0.1"});
  const auto audit2 = audit_chain(root.get(), {other_ip.get()}, "127.0.0.1", now);
  const CertificateFinding* finding2 = finding_of(audit2, ReasonCode::cert_name_mismatch);
  ASSERT_NE(finding2, nullptr);
  EXPECT_TRUE(contains(finding2->message, "none of them is 127.0.0.1")) << finding2->message;

  const Cert ip_san = make_certificate("127.0.0.1", leaf_key.get(), root.get(), root_key.get(), -kDay,
                                       300 * kDay, now, {.san = "IP:127.0.0.1"});
  EXPECT_TRUE(audit_chain(root.get(), {ip_san.get()}, "127.0.0.1", now).acceptable());
}

TEST(CertificateAuditPurpose, AClientAuthOnlyLeafLacksServerAuth) {
  const AuditPki pki;
  ASSERT_TRUE(pki.ok());
  const auto& [now, root_key, leaf_key, root] = pki;
  const Cert leaf = make_certificate("origin.test", leaf_key.get(), root.get(), root_key.get(), -kDay,
                                     300 * kDay, now, {.eku = "clientAuth"});
  const auto audit = audit_with_root(root.get(), leaf.get(), now);
  ASSERT_EQ(audit.findings.size(), 1u);
  const CertificateFinding& finding = audit.findings.front();
  EXPECT_EQ(finding.code, ReasonCode::cert_invalid);
  EXPECT_TRUE(finding.lacks_server_auth);
  EXPECT_TRUE(finding.leaf);
  EXPECT_EQ(finding.extended_key_usage,
            std::vector<std::string>{"TLS Web Client Authentication (clientAuth)"});
  EXPECT_TRUE(contains(finding.message, "not TLS Web Server Authentication (serverAuth)")) << finding.message;
  EXPECT_FALSE(contains(finding.message, "unsuitable certificate purpose")) << finding.message;

  // With serverAuth among others, the certificate serves TLS.
  const Cert both = make_certificate("origin.test", leaf_key.get(), root.get(), root_key.get(), -kDay,
                                     300 * kDay, now, {.eku = "clientAuth,serverAuth"});
  EXPECT_TRUE(audit_with_root(root.get(), both.get(), now).acceptable());
}

// Also when trust fails first (OpenSSL then never reaches the purpose check).
TEST(CertificateAuditPurpose, TheMissingServerAuthIsReportedBesideAnUntrustedChain) {
  const AuditPki pki;
  const Key other_key = p256_key();
  ASSERT_TRUE(pki.ok() && other_key);
  const auto& [now, root_key, leaf_key, root] = pki;
  const Cert other =
      make_certificate("Private CA", other_key.get(), nullptr, nullptr, -900 * kDay, 3650 * kDay, now);
  const Cert leaf = make_certificate("origin.test", leaf_key.get(), other.get(), other_key.get(), -kDay,
                                     300 * kDay, now, {.eku = "clientAuth"});
  const auto audit = audit_with_root(root.get(), leaf.get(), now);
  EXPECT_FALSE(audit.findings.empty());
  const CertificateFinding* finding = finding_of(audit, ReasonCode::cert_invalid);
  ASSERT_NE(finding, nullptr);
  EXPECT_TRUE(finding->lacks_server_auth);
}

}  // namespace
}  // namespace edgefetch::check
