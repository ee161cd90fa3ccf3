// The test PKI: every leaf chains (or fails to chain) to the test root exactly
// as its variant says, checked with libcrypto's verifier, independent of edgefetch.

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/pki.hpp"

namespace edgefetch::support {
namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct StoreFree {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using CertPtr = std::unique_ptr<X509, X509Free>;

std::vector<CertPtr> read_certs(const std::filesystem::path& path) {
  std::vector<CertPtr> certs;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) certs.emplace_back(cert);
  return certs;
}

// The X509_V_* result of verifying `leaf` with its chain file's other
// certificates as untrusted intermediates, against `ca_file`, for `host`.
int verify(Leaf leaf, const std::filesystem::path& ca_file, const std::string& host = "origin.test") {
  const LeafFiles files = TestPki::get().leaf(leaf);
  std::vector<CertPtr> chain = read_certs(files.chain);
  std::vector<CertPtr> roots = read_certs(ca_file);
  if (chain.empty() || roots.empty()) return -1;
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  for (const auto& root : roots) X509_STORE_add_cert(store.get(), root.get());
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
  for (std::size_t i = 1; i < chain.size(); ++i) {
    X509_up_ref(chain[i].get());
    sk_X509_push(untrusted.get(), chain[i].get());
  }
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get());
  X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx.get()), host.c_str(), host.size());
  X509_verify_cert(ctx.get());
  return X509_STORE_CTX_get_error(ctx.get());
}

TEST(TestPki, FilesExistForEveryLeaf) {
  const TestPki& pki = TestPki::get();
  EXPECT_TRUE(std::filesystem::exists(pki.ca_file()));
  EXPECT_TRUE(std::filesystem::exists(pki.second_ca_file()));
  EXPECT_TRUE(std::filesystem::exists(pki.intermediate_file()));
  for (const Leaf leaf : all_leaves()) {
    const LeafFiles files = pki.leaf(leaf);
    SCOPED_TRACE(std::string(name(leaf)));
    EXPECT_TRUE(std::filesystem::exists(files.cert));
    EXPECT_TRUE(std::filesystem::exists(files.key));
    EXPECT_TRUE(std::filesystem::exists(files.chain));
    EXPECT_FALSE(files.key_type.empty());
  }
}

TEST(TestPki, GeneratedOncePerBuild) {
  // A second call is the same generation (the process cache), and files are stable.
  EXPECT_EQ(&TestPki::get(), &TestPki::get());
  EXPECT_EQ(TestPki::get().dir(), TestPki::get().dir());
}

TEST(TestPki, GoodLeavesVerifyAgainstTheRoot) {
  for (const Leaf leaf :
       {Leaf::rsa2048, Leaf::ecdsa_p256, Leaf::ecdsa_p384, Leaf::ecdsa_p521, Leaf::ed25519, Leaf::rsa1024}) {
    SCOPED_TRACE(std::string(name(leaf)));
    EXPECT_EQ(verify(leaf, TestPki::get().ca_file()), X509_V_OK);
  }
}

TEST(TestPki, NamesCoverOriginWildcardAndLoopbackIp) {
  EXPECT_EQ(verify(Leaf::rsa2048, TestPki::get().ca_file(), "origin.test"), X509_V_OK);
  EXPECT_EQ(verify(Leaf::rsa2048, TestPki::get().ca_file(), "a.wild.test"), X509_V_OK);
  EXPECT_EQ(verify(Leaf::rsa2048, TestPki::get().ca_file(), "a.b.wild.test"), X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(verify(Leaf::rsa2048, TestPki::get().ca_file(), "other.test"), X509_V_ERR_HOSTNAME_MISMATCH);
}

TEST(TestPki, BadVariantsFailForTheirOwnReason) {
  const auto ca = TestPki::get().ca_file();
  EXPECT_EQ(verify(Leaf::expired, ca), X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_EQ(verify(Leaf::not_yet_valid, ca), X509_V_ERR_CERT_NOT_YET_VALID);
  EXPECT_EQ(verify(Leaf::wrong_name, ca), X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(verify(Leaf::wrong_name, ca, "other.test"), X509_V_OK);
  EXPECT_EQ(verify(Leaf::self_signed, ca), X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
  EXPECT_EQ(verify(Leaf::unknown_ca, ca), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  EXPECT_EQ(verify(Leaf::without_intermediate, ca), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST(TestPki, UnknownCaLeafIsValidUnderItsOwnRoot) {
  EXPECT_EQ(verify(Leaf::unknown_ca, TestPki::get().second_ca_file()), X509_V_OK);
}

TEST(TestPki, ChainFilesHoldLeafAndIntermediateOrLeafOnly) {
  EXPECT_EQ(read_certs(TestPki::get().leaf(Leaf::rsa2048).chain).size(), 2U);
  EXPECT_EQ(read_certs(TestPki::get().leaf(Leaf::unknown_ca).chain).size(), 2U);
  EXPECT_EQ(read_certs(TestPki::get().leaf(Leaf::without_intermediate).chain).size(), 1U);
  EXPECT_EQ(read_certs(TestPki::get().leaf(Leaf::self_signed).chain).size(), 1U);
  EXPECT_TRUE(TestPki::get().leaf(Leaf::without_intermediate).intermediates.empty());
  EXPECT_EQ(read_certs(TestPki::get().leaf(Leaf::rsa2048).intermediates).size(), 1U);
}

TEST(TestPki, KeysHaveTheAdvertisedTypeAndSize) {
  struct Expect {
    Leaf leaf;
    int type;
    int bits;
  };
  for (const Expect& e :
       {Expect{Leaf::rsa2048, EVP_PKEY_RSA, 2048}, Expect{Leaf::rsa1024, EVP_PKEY_RSA, 1024},
        Expect{Leaf::ecdsa_p256, EVP_PKEY_EC, 256}, Expect{Leaf::ecdsa_p384, EVP_PKEY_EC, 384},
        Expect{Leaf::ecdsa_p521, EVP_PKEY_EC, 521}, Expect{Leaf::ed25519, EVP_PKEY_ED25519, 256}}) {
    SCOPED_TRACE(std::string(name(e.leaf)));
    std::unique_ptr<BIO, BioFree> bio(BIO_new_file(TestPki::get().leaf(e.leaf).key.c_str(), "r"));
    ASSERT_TRUE(bio);
    std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ASSERT_TRUE(key);
    EXPECT_EQ(EVP_PKEY_get_base_id(key.get()), e.type);
    EXPECT_EQ(EVP_PKEY_get_bits(key.get()), e.bits);
  }
}

}  // namespace
}  // namespace edgefetch::support
