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

constexpr long kDay = 86400;

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  ASSERT_TRUE(ext);
  ASSERT_EQ(X509_add_ext(cert, ext.get(), -1), 1);
}

// A P-256 certificate for `name`, valid from now+not_before to now+not_after
// (seconds), signed by `issuer` (self-signed when null).
Cert make_certificate(const char* name, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, long not_before,
                      long not_after, std::time_t now) {
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
  const bool ca = issuer == nullptr;
  add_extension(cert.get(), signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(cert.get(), signer, NID_key_usage,
                ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  if (!ca) add_extension(cert.get(), signer, NID_subject_alt_name, "DNS:origin.test");
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

// Audits the chain [leaf] for origin.test against a store holding `root` alone.
CertificateAudit audit_with_root(X509* root, X509* leaf, std::time_t now) {
  const auto dir = support::ScratchDir::create("audit");
  const auto ca_file = dir.path() / "ca.pem";
  {
    std::unique_ptr<FILE, FileClose> out(std::fopen(ca_file.c_str(), "w"));
    EXPECT_TRUE(out && PEM_write_X509(out.get(), root) == 1);
  }
  const auto store = crypto::TrustStore::from_pem_file(ca_file.string());
  EXPECT_TRUE(store);
  if (!store) return {};
  const std::vector<std::vector<std::uint8_t>> chain = {der(leaf)};
  return audit_certificate_chain(chain, **store, "origin.test", now);
}

TEST(CertificateAuditDates, ARootYoungerThanTheExpiredLeafIsNotReported) {
  const std::time_t now = std::time(nullptr);
  Key root_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Key leaf_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  ASSERT_TRUE(root_key && leaf_key);
  // The root was made an hour ago; the leaf it signed ran from 400 to 30 days ago.
  const Cert root =
      make_certificate("Young Root CA", root_key.get(), nullptr, nullptr, -3600, 3650 * kDay, now);
  const Cert leaf = make_certificate("origin.test", leaf_key.get(), root.get(), root_key.get(), -400 * kDay,
                                     -30 * kDay, now);

  const auto audit = audit_with_root(root.get(), leaf.get(), now);
  ASSERT_EQ(audit.findings.size(), 1u);
  EXPECT_EQ(audit.findings.front().code, ReasonCode::cert_expired);
  EXPECT_EQ(audit.findings.front().subject, "CN=origin.test");
  EXPECT_FALSE(audit.has(ReasonCode::cert_not_yet_valid));
}

TEST(CertificateAuditDates, ARootOutsideItsDatesNowIsStillReported) {
  const std::time_t now = std::time(nullptr);
  Key root_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Key leaf_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  ASSERT_TRUE(root_key && leaf_key);
  // The root expired ten days ago; the leaf is valid now.
  const Cert root =
      make_certificate("Old Root CA", root_key.get(), nullptr, nullptr, -900 * kDay, -10 * kDay, now);
  const Cert leaf = make_certificate("origin.test", leaf_key.get(), root.get(), root_key.get(), -20 * kDay,
                                     300 * kDay, now);

  const auto audit = audit_with_root(root.get(), leaf.get(), now);
  ASSERT_EQ(audit.findings.size(), 1u);
  EXPECT_EQ(audit.findings.front().code, ReasonCode::cert_expired);
  EXPECT_EQ(audit.findings.front().subject, "CN=Old Root CA");
}

}  // namespace
}  // namespace edgefetch::check
