// The 2025 profiles against reference/cloudfront-origin-facts.md §3.2 and
// Appendix A.2 (suites), A.3 (groups) and A.4 (signature preferences 20250820),
// typed in from the facts file independently of profiles.cpp.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "edgefetch/policy/profile.hpp"

namespace edgefetch::policy {
namespace {

using V = ProtocolVersion;

template <class T>
std::vector<std::uint16_t> codes(const std::vector<const T*>& entries) {
  std::vector<std::uint16_t> out;
  for (const T* e : entries) out.push_back(e->code);
  return out;
}

// A.2, numbered 1..22.
const std::vector<std::uint16_t> kA2 = {0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xC023,
                                        0xC027, 0xC024, 0xC028, 0xC009, 0xC013, 0xC00A, 0xC014, 0x009C,
                                        0x009D, 0x003C, 0x002F, 0x0035, 0x000A, 0x0004};
// A.3: secp256r1, x25519, secp384r1.
const std::vector<std::uint16_t> kA3 = {0x0017, 0x001D, 0x0018};
// A.4 s2n_signature_preferences_20250820, numbered 1..16.
const std::vector<std::uint16_t> kA4 = {0x0403, 0x0503, 0x0603, 0x0303, 0x0809, 0x080A, 0x080B, 0x0804,
                                        0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0301, 0x0201, 0x0203};

TEST(Profiles2025, FourSharedOfferPoliciesDifferOnlyInTheirMinimum) {
  struct Expected {
    const char* name;
    V min;
  };
  for (const auto& e : {Expected{"CloudFront-Upstream-2025", V::ssl3},
                        Expected{"CloudFront-Upstream-TLS-1-0-2025", V::tls1_0},
                        Expected{"CloudFront-Upstream-TLS-1-1-2025", V::tls1_1},
                        Expected{"CloudFront-Upstream-TLS-1-2-2025", V::tls1_2}}) {
    const Profile* p = profile_by_name(e.name);
    ASSERT_NE(p, nullptr) << e.name;
    EXPECT_EQ(p->min_version, e.min) << e.name;
    EXPECT_EQ(p->max_version, V::tls1_3) << e.name;
    EXPECT_EQ(codes(p->cipher_suites), kA2) << e.name;
    EXPECT_EQ(codes(p->groups), kA3) << e.name;
    EXPECT_EQ(codes(p->signature_schemes), kA4) << e.name;
  }
}

TEST(Profiles2025, Tls13OnlyPolicyOffersTheThreeSuites) {
  const Profile* p = profile_by_name("CloudFront-Upstream-TLS-1-3-2025");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->min_version, V::tls1_3);
  EXPECT_EQ(p->max_version, V::tls1_3);
  EXPECT_EQ(codes(p->cipher_suites), (std::vector<std::uint16_t>{0x1301, 0x1302, 0x1303}));
  EXPECT_EQ(codes(p->groups), kA3);
  EXPECT_EQ(codes(p->signature_schemes), kA4);
}

TEST(Profiles2025, OnlyATls13OnlyOfferLeavesOutTheRenegotiationScsv) {
  // Facts §3.5: s2n appends the SCSV whenever a suite below TLS 1.3 is offered.
  for (const char* name : {"cloudfront", "CloudFront-Upstream", "CloudFront-Upstream-2025",
                           "CloudFront-Upstream-TLS-1-2-2025"}) {
    const Profile* p = profile_by_name(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_TRUE(narrow(*p, {}).sends_renegotiation_scsv()) << name;
  }
  const Profile* tls13_only = profile_by_name("CloudFront-Upstream-TLS-1-3-2025");
  ASSERT_NE(tls13_only, nullptr);
  EXPECT_FALSE(narrow(*tls13_only, {}).sends_renegotiation_scsv());
}

TEST(Profiles2025, ShortAliasNamesTheBasePolicy) {
  EXPECT_EQ(profile_by_name("cloudfront-2025"), profile_by_name("CloudFront-Upstream-2025"));
  EXPECT_EQ(profile_by_name("CloudFront-2025"), profile_by_name("CloudFront-Upstream-2025"));
}

TEST(Profiles2025, NarrowingKeepsTls13AsTheCeilingForEverySelection) {
  // The API has no TLSv1.3 value: TLS 1.3 is offered whatever is selected (facts §3.3).
  const Profile& p = *profile_by_name("cloudfront-2025");
  for (const V selected : {V::ssl3, V::tls1_0, V::tls1_1, V::tls1_2}) {
    const std::vector<V> selection = {selected};
    const Offer offer = narrow(p, selection);
    EXPECT_EQ(offer.max_version, V::tls1_3);
    EXPECT_EQ(offer.min_version, selected);
    EXPECT_EQ(codes(offer.cipher_suites), kA2);
    EXPECT_TRUE(offer.allows(V::tls1_3));
  }
  const std::vector<V> tls12 = {V::tls1_2};
  const Offer only13 = narrow(*profile_by_name("CloudFront-Upstream-TLS-1-3-2025"), tls12);
  EXPECT_EQ(only13.min_version, V::tls1_3);
  EXPECT_FALSE(only13.allows(V::tls1_2));
}

TEST(Profiles2025, TheDocumentedDefaultIsUnchanged) {
  const Profile& p = default_profile();
  EXPECT_EQ(p.name, "cloudfront");
  EXPECT_EQ(p.max_version, V::tls1_2);
  EXPECT_EQ(p.signature_schemes.size(), 10U);
}

}  // namespace
}  // namespace edgefetch::policy
