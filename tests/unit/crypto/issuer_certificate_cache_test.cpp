// The issuer parse cache: a hit returns the very certificate those bytes
// encode, garbage is never cached, the bound holds, and a cached intermediate
// is still verified in full (a chain it does not sign, or an untrusted root,
// still fails).

#include "crypto/issuer_certificate_cache.hpp"

#include <gtest/gtest.h>

#include "edgefetch/crypto/x509.hpp"
#include "mini_pki.hpp"

namespace edgefetch::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;
using detail::IssuerCertificateCache;
using test::CertSpec;

struct TwoCas {
  std::time_t now = std::time(nullptr);
  test::Key root_key = test::ec_key("P-256");
  test::Key inter_key = test::ec_key("P-256");
  test::Key other_key = test::ec_key("P-256");
  test::Key leaf_key = test::ec_key("P-256");
  test::Cert root = test::issue(CertSpec{"Cache Root", {}, true, now - 86400, now + 86400 * 365}, root_key,
                                nullptr, nullptr);
  test::Cert inter = test::issue(CertSpec{"Cache Intermediate", {}, true, now - 86400, now + 86400 * 365},
                                 inter_key, root, root_key);
  // Same subject as `inter`, different key: a forged intermediate.
  test::Cert forged = test::issue(CertSpec{"Cache Intermediate", {}, true, now - 86400, now + 86400 * 365},
                                  other_key, nullptr, nullptr);
  test::Cert leaf =
      test::issue(CertSpec{"cache.test", {"DNS:cache.test"}, false, now - 3600, now + 86400 * 30}, leaf_key,
                  inter, inter_key);

  std::shared_ptr<TrustStore> store() const {
    auto s = std::make_shared<TrustStore>();
    EXPECT_TRUE(s->add_pem(test::pem(root)).has_value());
    return s;
  }
};

TEST(IssuerCertificateCache, SecondParseOfTheSameBytesIsAHitOnTheSameCertificate) {
  TwoCas pki;
  IssuerCertificateCache cache(4);
  const Bytes der = test::der(pki.inter);
  auto first = cache.parse(der);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(cache.hits(), 0u);
  auto second = cache.parse(der);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(first->x509(), second->x509()) << "a hit shares the parsed object";
  EXPECT_EQ(second->der(), der);
}

TEST(IssuerCertificateCache, DifferentBytesAreADifferentEntry) {
  TwoCas pki;
  IssuerCertificateCache cache(4);
  auto a = cache.parse(test::der(pki.inter));
  auto b = cache.parse(test::der(pki.forged));
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->x509(), b->x509());
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(b->der(), test::der(pki.forged));
}

TEST(IssuerCertificateCache, GarbageIsAnErrorAndNotCached) {
  IssuerCertificateCache cache(4);
  const Bytes garbage = {0x30, 0x03, 0x02, 0x01, 0x00};
  EXPECT_FALSE(cache.parse(garbage).has_value());
  EXPECT_FALSE(cache.parse(garbage).has_value());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.hits(), 0u);
}

TEST(IssuerCertificateCache, CapacityIsABoundWithLeastRecentlyUsedEviction) {
  TwoCas pki;
  IssuerCertificateCache cache(2);
  const Bytes inter = test::der(pki.inter), forged = test::der(pki.forged), root = test::der(pki.root);
  ASSERT_TRUE(cache.parse(inter) && cache.parse(forged));
  ASSERT_TRUE(cache.parse(inter));  // inter is now the most recent
  ASSERT_TRUE(cache.parse(root));   // evicts forged
  EXPECT_EQ(cache.size(), 2u);
  const auto hits = cache.hits();
  ASSERT_TRUE(cache.parse(inter));
  EXPECT_EQ(cache.hits(), hits + 1) << "the recently used entry survived";
  ASSERT_TRUE(cache.parse(forged));
  EXPECT_EQ(cache.hits(), hits + 1) << "the least recently used entry was evicted";
}

TEST(IssuerCertificateCache, VerificationStillRunsWithACachedIntermediate) {
  TwoCas pki;
  auto store = pki.store();
  const std::vector<Bytes> good = {test::der(pki.leaf), test::der(pki.inter)};
  ASSERT_TRUE(verify_chain(good, *store, "cache.test", pki.now).has_value());
  // The intermediate is now cached; a chain with the forged intermediate (same
  // subject, other key) must still fail, and so must the good chain against a
  // store that does not trust the root.
  const std::vector<Bytes> forged = {test::der(pki.leaf), test::der(pki.forged)};
  auto fresh_store = pki.store();
  EXPECT_FALSE(verify_chain(forged, *fresh_store, "cache.test", pki.now).has_value());
  TrustStore empty;
  auto untrusted = verify_chain(good, empty, "cache.test", pki.now);
  ASSERT_FALSE(untrusted.has_value());
  EXPECT_NE(untrusted.error().kind, CertificateError::Kind::invalid) << untrusted.error().message;
}

}  // namespace
}  // namespace edgefetch::crypto
