// X.509 verification against an in-memory PKI: success, every failure kind
// with its details, RFC 6125 wildcard rules, IP literals, the time passed in,
// leaf key types, and the verified-chain cache.

#include "edgefetch/crypto/x509.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "hex.hpp"
#include "mini_pki.hpp"

namespace edgefetch::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Kind = CertificateError::Kind;
using test::CertSpec;

struct Pki {
  test::Key root_key = test::ec_key("P-256");
  test::Cert root;
  test::Key inter_key = test::ec_key("P-256");
  test::Cert inter;
  test::Key rsa = test::rsa_key(2048);
  std::time_t now = std::time(nullptr);

  Pki() {
    root = test::issue(CertSpec{"Test Root CA", {}, true, now - 10 * 86400, now + 3650 * 86400}, root_key,
                       nullptr, nullptr);
    inter = test::issue(CertSpec{"Test Intermediate CA", {}, true, now - 10 * 86400, now + 1000 * 86400},
                        inter_key, root, root_key);
  }

  test::Cert leaf(const std::vector<std::string>& san, const test::Key& key, std::time_t nb = 0,
                  std::time_t na = 0) const {
    CertSpec spec{"origin.test", san, false, nb != 0 ? nb : now - 86400, na != 0 ? na : now + 30 * 86400};
    return test::issue(spec, key, inter, inter_key);
  }

  std::vector<Bytes> chain(const test::Cert& leaf_cert) const {
    return {test::der(leaf_cert), test::der(inter)};
  }

  std::shared_ptr<TrustStore> store() const {
    auto s = std::make_shared<TrustStore>();
    EXPECT_TRUE(s->add_pem(test::pem(root)).has_value());
    return s;
  }
};

const Pki& pki() {
  static const Pki instance;
  return instance;
}

// "2025-01-31T12:00:00Z" (GCC 12's <regex> trips -Wmaybe-uninitialized under ASan, hence by hand)
bool looks_like_iso8601(const std::string& s) {
  const std::string pattern = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (pattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != pattern[i])
      return false;
  }
  return true;
}

const std::vector<std::string> kSans = {"DNS:origin.test", "DNS:*.wild.test", "DNS:f*.part.test",
                                        "IP:127.0.0.1", "IP:::1"};

TEST(VerifyChain, ValidChainGivesLeafKeyAndInfo) {
  const auto& p = pki();
  const auto leaf = p.leaf(kSans, p.rsa);
  auto store = p.store();
  auto result = verify_chain(p.chain(leaf), *store, "origin.test", p.now);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_FALSE(result->from_cache);
  EXPECT_EQ(result->leaf_key->description(), "RSA 2048");
  ASSERT_EQ(result->chain_subjects.size(), 3u);
  EXPECT_EQ(result->chain_subjects[0], "CN=origin.test,O=edgefetch tests");
  EXPECT_EQ(result->chain_subjects[2], "CN=Test Root CA,O=edgefetch tests");
  const CertificateInfo& info = *result->leaf;
  EXPECT_EQ(info.subject, "CN=origin.test,O=edgefetch tests");
  EXPECT_EQ(info.issuer, "CN=Test Intermediate CA,O=edgefetch tests");
  EXPECT_EQ(info.san, (std::vector<std::string>{"DNS:origin.test", "DNS:*.wild.test", "DNS:f*.part.test",
                                                "IP:127.0.0.1", "IP:::1"}));
  EXPECT_EQ(info.key, "RSA 2048");
  EXPECT_EQ(info.key_bits, 2048);
  EXPECT_FALSE(info.is_ca);
  EXPECT_TRUE(looks_like_iso8601(info.not_after)) << info.not_after;
  EXPECT_TRUE(looks_like_iso8601(info.not_before)) << info.not_before;
  EXPECT_EQ(info.days_to_expiry(p.now), 30);
  EXPECT_EQ(info.days_to_expiry(p.now + 31 * 86400), -1);
}

TEST(VerifyChain, MissingIntermediateIsIncompleteChain) {
  const auto& p = pki();
  const auto leaf = p.leaf(kSans, p.rsa);
  auto store = p.store();
  const std::vector<Bytes> only_leaf = {test::der(leaf)};
  auto result = verify_chain(only_leaf, *store, "origin.test", p.now);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, Kind::incomplete_chain) << result.error().message;
  EXPECT_EQ(result.error().missing_issuer, "CN=Test Intermediate CA,O=edgefetch tests");
  EXPECT_EQ(result.error().certificate_subject, "CN=origin.test,O=edgefetch tests");
  EXPECT_NE(result.error().message.find("did not send intermediate 'CN=Test Intermediate CA"),
            std::string::npos)
      << result.error().message;
  // Not sent and not in the store: it may be a root the store lacks, and the message says so.
  EXPECT_NE(result.error().message.find("the trust store does not have it (if"), std::string::npos)
      << result.error().message;
}

TEST(VerifyChain, ChainsLongerThanTheCdnsLibraryReadsAreInvalid) {
  // root -> 7 intermediates -> leaf: 8 certificates on the wire, one more
  // than s2n reads; 7 (6 intermediates) still verify.
  const auto& p = pki();
  std::vector<test::Key> keys;
  std::vector<test::Cert> cas;
  for (int i = 0; i < 7; ++i) {
    keys.push_back(test::ec_key("P-256"));
    const test::Cert& issuer = i == 0 ? p.root : cas.back();
    const test::Key& issuer_key = i == 0 ? p.root_key : keys[keys.size() - 2];
    cas.push_back(
        test::issue(CertSpec{"Deep CA " + std::to_string(i), {}, true, p.now - 86400, p.now + 86400},
                    keys.back(), issuer, issuer_key));
  }
  const test::Cert leaf =
      test::issue(CertSpec{"origin.test", {"DNS:origin.test"}, false, p.now - 86400, p.now + 86400}, p.rsa,
                  cas.back(), keys.back());
  std::vector<Bytes> eight = {test::der(leaf)};
  for (auto it = cas.rbegin(); it != cas.rend(); ++it) eight.push_back(test::der(*it));
  ASSERT_EQ(eight.size(), 8u);
  auto store = p.store();
  auto refused = verify_chain(eight, *store, "origin.test", p.now);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, Kind::invalid);
  EXPECT_NE(refused.error().message.find("sent 8 certificates; the CDN's TLS library (s2n) reads at most 7"),
            std::string::npos)
      << refused.error().message;

  // Six intermediates below the root: 7 on the wire, accepted.
  const test::Cert shorter_leaf =
      test::issue(CertSpec{"origin.test", {"DNS:origin.test"}, false, p.now - 86400, p.now + 86400}, p.rsa,
                  cas[5], keys[5]);
  std::vector<Bytes> seven = {test::der(shorter_leaf)};
  for (int i = 5; i >= 0; --i) seven.push_back(test::der(cas[static_cast<std::size_t>(i)]));
  auto accepted = verify_chain(seven, *store, "origin.test", p.now);
  EXPECT_TRUE(accepted.has_value()) << accepted.error().message;
}

TEST(VerifyChain, UnknownRootAndSelfSignedAreUntrusted) {
  const auto& p = pki();
  const auto leaf = p.leaf(kSans, p.rsa);
  TrustStore empty;
  auto result = verify_chain(p.chain(leaf), empty, "origin.test", p.now);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, Kind::untrusted) << result.error().message;
  EXPECT_EQ(result.error().missing_issuer, "CN=Test Root CA,O=edgefetch tests");

  const auto self_signed = test::issue(CertSpec{"origin.test", {"DNS:origin.test"}}, p.rsa, nullptr, nullptr);
  auto store = p.store();
  auto r2 = verify_chain(std::vector<Bytes>{test::der(self_signed)}, *store, "origin.test", p.now);
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().kind, Kind::untrusted) << r2.error().message;
  EXPECT_NE(r2.error().message.find("self-signed"), std::string::npos);
}

TEST(VerifyChain, NameChecksFollowRfc6125) {
  const auto& p = pki();
  const auto leaf = p.leaf(kSans, p.rsa);
  auto store = p.store();
  const auto chain = p.chain(leaf);
  for (const char* good : {"origin.test", "ORIGIN.test", "a.wild.test", "127.0.0.1", "::1"}) {
    auto r = verify_chain(chain, *store, good, p.now);
    EXPECT_TRUE(r.has_value()) << good << ": " << (r ? "" : r.error().message);
  }
  // wildcard covers one whole leftmost label only; no partial-label wildcards
  for (const char* bad :
       {"other.test", "a.b.wild.test", "wild.test", "foo.part.test", "127.0.0.2", "::2", "xorigin.test"}) {
    auto r = verify_chain(chain, *store, bad, p.now);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().kind, Kind::name_mismatch) << bad << ": " << r.error().message;
    EXPECT_EQ(r.error().checked_name, bad);
    EXPECT_EQ(r.error().certificate_names.front(), "DNS:origin.test");
    EXPECT_NE(r.error().message.find(bad), std::string::npos);
  }
}

// OpenSSL reads a reference name with a leading dot as "any name under this
// domain", so ".test" would match a certificate for origin.test; a name with an
// empty label names no host. One trailing dot is the same DNS name, as the SNI
// sends it without the dot.
TEST(VerifyChain, NamesWithAnEmptyLabelMatchNothingAndOneTrailingDotIsTheSameName) {
  const auto& p = pki();
  const auto leaf = p.leaf(kSans, p.rsa);
  auto store = p.store();
  const auto chain = p.chain(leaf);
  for (const char* good : {"origin.test.", "a.wild.test."}) {
    auto r = verify_chain(chain, *store, good, p.now);
    EXPECT_TRUE(r.has_value()) << good << ": " << (r ? "" : r.error().message);
  }
  for (const char* bad : {".test", ".origin.test", ".wild.test", "origin..test", "origin.test..", ".", ".."}) {
    auto r = verify_chain(chain, *store, bad, p.now);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().kind, Kind::name_mismatch) << bad << ": " << r.error().message;
    EXPECT_FALSE(certificate_matches_name(Certificate::from_der(chain.front()).value(), bad)) << bad;
  }
}

TEST(VerifyChain, TimeIsPassedIn) {
  const auto& p = pki();
  const auto leaf = p.leaf(kSans, p.rsa);
  auto store = p.store();
  const auto chain = p.chain(leaf);
  auto expired = verify_chain(chain, *store, "origin.test", p.now + 40 * 86400);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().kind, Kind::expired) << expired.error().message;
  EXPECT_EQ(expired.error().certificate_subject, "CN=origin.test,O=edgefetch tests");
  EXPECT_FALSE(expired.error().certificate_date.empty());

  auto early = verify_chain(chain, *store, "origin.test", p.now - 3 * 86400);
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().kind, Kind::not_yet_valid) << early.error().message;

  // A leaf that is already expired at the real current time.
  const auto old = p.leaf(kSans, p.rsa, p.now - 5 * 86400, p.now - 86400);
  auto r = verify_chain(p.chain(old), *store, "origin.test", 0);  // 0 = now
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, Kind::expired);
}

TEST(VerifyChain, LeafKeyTypes) {
  const auto& p = pki();
  auto store = p.store();
  struct Case {
    test::Key key;
    bool ok;
    const char* description;
  };
  const Case cases[] = {
      {test::ec_key("P-256"), true, "EC P-256"}, {test::ec_key("P-384"), true, "EC P-384"},
      {test::ec_key("P-521"), true, "EC P-521"},  // verifiable; the policy's groups decide later
      {test::ed25519_key(), false, "Ed25519"},   {test::rsa_key(512), false, "RSA 512"},
  };
  for (const auto& c : cases) {
    const auto leaf = p.leaf(kSans, c.key);
    auto r = verify_chain(p.chain(leaf), *store, "origin.test", p.now);
    if (c.ok) {
      ASSERT_TRUE(r.has_value()) << c.description << ": " << r.error().message;
      EXPECT_EQ(r->leaf_key->description(), c.description);
    } else {
      ASSERT_FALSE(r.has_value()) << c.description;
      EXPECT_EQ(r.error().kind, Kind::key_unsupported) << c.description << ": " << r.error().message;
      EXPECT_NE(r.error().message.find(c.description), std::string::npos) << r.error().message;
    }
  }
}

TEST(VerifyChain, GarbageIsInvalid) {
  auto store = pki().store();
  auto r = verify_chain(std::vector<Bytes>{test::bytes_of("garbage")}, *store, "origin.test", 0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, Kind::invalid);
  auto empty = verify_chain(std::vector<Bytes>{}, *store, "origin.test", 0);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().kind, Kind::invalid);
  EXPECT_EQ(kind_name(Kind::incomplete_chain), "incomplete_chain");
}

TEST(VerifyChain, CacheHitsOnlyForSameBytesNameAndWindow) {
  const auto& p = pki();
  const auto leaf = p.leaf(kSans, p.rsa);
  auto store = p.store();
  const auto chain = p.chain(leaf);
  auto first = verify_chain(chain, *store, "origin.test", p.now);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->from_cache);
  auto second = verify_chain(chain, *store, "origin.test", p.now + 60);
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->from_cache);
  EXPECT_EQ(second->leaf_key->description(), "RSA 2048");
  EXPECT_EQ(store->cache().hits(), 1u);

  // another name: not a hit, and the mismatch is still found
  auto other = verify_chain(chain, *store, "other.test", p.now);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().kind, Kind::name_mismatch);
  // outside the validity window: not a hit, expiry reported
  auto late = verify_chain(chain, *store, "origin.test", p.now + 40 * 86400);
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().kind, Kind::expired);
  // a different trust store has its own cache: no hit, but verification succeeds
  auto store2 = p.store();
  auto fresh = verify_chain(chain, *store2, "origin.test", p.now);
  ASSERT_TRUE(fresh.has_value());
  EXPECT_FALSE(fresh->from_cache);
  // one changed byte of the chain: no hit (and here a broken signature)
  auto tampered = chain;
  tampered[0][tampered[0].size() - 5] ^= 0x01;
  auto t = verify_chain(tampered, *store, "origin.test", p.now);
  EXPECT_FALSE(t.has_value() && t->from_cache);
  EXPECT_EQ(store->cache().hits(), 1u);
  // adding a certificate to a store invalidates its cache
  ASSERT_TRUE(store->add_pem(test::pem(p.inter)).has_value());
  EXPECT_EQ(store->cache().size(), 0u);
}

TEST(TrustStore, FromPemFileAndSystemDefault) {
  const auto& p = pki();
  const auto path =
      std::filesystem::temp_directory_path() / ("edgefetch-ca-" + std::to_string(::getpid()) + ".pem");
  {
    std::ofstream out(path);
    out << test::pem(p.root) << test::pem(p.inter);
  }
  auto store = TrustStore::from_pem_file(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  const auto leaf = p.leaf(kSans, p.rsa);
  // with the intermediate in the store, the leaf alone verifies
  auto r = verify_chain(std::vector<Bytes>{test::der(leaf)}, *store.value(), "origin.test", p.now);
  EXPECT_TRUE(r.has_value()) << r.error().message;

  auto missing = TrustStore::from_pem_file("/nonexistent/ca.pem");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("/nonexistent/ca.pem"), std::string::npos);
  TrustStore s;
  EXPECT_FALSE(s.add_pem("not a certificate").has_value());

  auto system = TrustStore::system_default();
  ASSERT_TRUE(system.has_value()) << system.error().message;
  // our private root is not in the system store
  auto untrusted = verify_chain(p.chain(leaf), *system.value(), "origin.test", p.now);
  ASSERT_FALSE(untrusted.has_value());
  EXPECT_EQ(untrusted.error().kind, Kind::untrusted);
  EXPECT_NE(store.value()->id(), system.value()->id());
}

TEST(Certificate, ParsesDerAndPem) {
  const auto& p = pki();
  auto parsed = Certificate::from_der(test::der(p.inter));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->info().is_ca);
  EXPECT_EQ(parsed->der(), test::der(p.inter));
  auto both = Certificate::from_pem(test::pem(p.root) + test::pem(p.inter));
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->size(), 2u);
  EXPECT_TRUE(both->front().info().self_issued);
  auto trailing = test::der(p.inter);
  trailing.push_back(0);
  EXPECT_FALSE(Certificate::from_der(trailing).has_value());
  EXPECT_FALSE(Certificate::from_der({}).has_value());
}

TEST(Certificate, InfoNamesTheSignatureAndItsHash) {
  const auto& p = pki();
  auto leaf = Certificate::from_der(test::der(p.leaf(kSans, p.rsa)));
  ASSERT_TRUE(leaf.has_value());
  EXPECT_EQ(leaf->info().signature_algorithm, "ecdsa-with-SHA256");  // the intermediate's P-256 key signed it
  EXPECT_EQ(leaf->info().signature_digest, "SHA256");
  // Ed25519 signs without a separate hash.
  const test::Key ed_key = test::ed25519_key();
  const auto ed_root =
      test::issue(CertSpec{"Ed25519 Root", {}, true, p.now - 86400, p.now + 86400}, ed_key, nullptr, nullptr);
  auto ed = Certificate::from_der(test::der(ed_root));
  ASSERT_TRUE(ed.has_value());
  EXPECT_EQ(ed->info().signature_algorithm, "ED25519");
  EXPECT_EQ(ed->info().signature_digest, "");
}

}  // namespace
}  // namespace edgefetch::crypto
