// Profiles against reference/cloudfront-origin-facts.md Appendix A.1/A.3/A.4
// and B, the narrowing by OriginSslProtocols, and its parser.

#include "edgefetch/policy/profile.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace edgefetch::policy {
namespace {

using V = ProtocolVersion;

std::vector<std::uint16_t> suite_codes(const std::vector<const CipherSuite*>& suites) {
  std::vector<std::uint16_t> out;
  out.reserve(suites.size());
  for (const CipherSuite* s : suites) {
    out.push_back(s->code);
  }
  return out;
}

template <class T>
std::vector<std::uint16_t> codes(const std::vector<const T*>& entries) {
  std::vector<std::uint16_t> out;
  out.reserve(entries.size());
  for (const T* e : entries) {
    out.push_back(e->code);
  }
  return out;
}

// Appendix B: "the documented 16 in the client's order".
const std::vector<std::uint16_t> kDocumentedOrder = {0xC02C, 0xC030, 0xC02B, 0xC02F, 0xC024, 0xC028,
                                                     0xC00A, 0xC014, 0xC023, 0xC027, 0xC009, 0xC013,
                                                     0x0035, 0x002F, 0x000A, 0x0004};
// Appendix A.1: cipher_suites_cloudfront_upstream.
const std::vector<std::uint16_t> kUpstreamOrder = {0xC02C, 0xC030, 0xC02B, 0xC02F, 0xC024, 0xC028, 0xC00A,
                                                   0xC014, 0xC023, 0xC027, 0xC009, 0xC013, 0x009D, 0x009C,
                                                   0x0035, 0x003C, 0x002F, 0x000A, 0x0004};
// Appendix A.3: s2n_ecc_preferences_20230623.
const std::vector<std::uint16_t> kUpstreamGroups = {23, 29, 24};
// Appendix A.4: s2n_signature_preferences_20140601.
const std::vector<std::uint16_t> kLegacySchemes = {0x0401, 0x0501, 0x0601, 0x0301, 0x0403,
                                                   0x0503, 0x0603, 0x0303, 0x0201, 0x0203};

TEST(Profiles, DefaultIsCloudfrontWithTheDocumentedOrder) {
  const Profile& p = default_profile();
  EXPECT_EQ(p.name, "cloudfront");
  EXPECT_EQ(p.name, kDefaultProfileName);
  EXPECT_EQ(p.min_version, V::ssl3);
  EXPECT_EQ(p.max_version, V::tls1_2);
  EXPECT_EQ(suite_codes(p.cipher_suites), kDocumentedOrder);
  EXPECT_EQ(codes(p.groups), kUpstreamGroups);
  EXPECT_EQ(codes(p.signature_schemes), kLegacySchemes);
  EXPECT_EQ(p.versions(), (std::vector<V>{V::ssl3, V::tls1_0, V::tls1_1, V::tls1_2}));
}

TEST(Profiles, TheFourUpstreamPoliciesDifferOnlyInTheirMinimum) {
  struct Expected {
    std::string_view name;
    V min;
  };
  for (const Expected& e :
       {Expected{"CloudFront-Upstream", V::ssl3}, Expected{"CloudFront-Upstream-TLS-1-0", V::tls1_0},
        Expected{"CloudFront-Upstream-TLS-1-1", V::tls1_1},
        Expected{"CloudFront-Upstream-TLS-1-2", V::tls1_2}}) {
    const Profile* p = profile_by_name(e.name);
    ASSERT_NE(p, nullptr) << e.name;
    EXPECT_EQ(p->name, e.name);
    EXPECT_EQ(p->min_version, e.min) << e.name;
    EXPECT_EQ(p->max_version, V::tls1_2) << e.name;
    EXPECT_EQ(suite_codes(p->cipher_suites), kUpstreamOrder) << e.name;
    EXPECT_EQ(codes(p->groups), kUpstreamGroups) << e.name;
    EXPECT_EQ(codes(p->signature_schemes), kLegacySchemes) << e.name;
    EXPECT_FALSE(p->description.empty());
  }
}

TEST(Profiles, ListIsTheFiveLegacyAndTheFive2025Profiles) {
  std::vector<std::string_view> names;
  for (const Profile& p : all_profiles()) {
    names.push_back(p.name);
  }
  EXPECT_EQ(names,
            (std::vector<std::string_view>{
                "cloudfront", "CloudFront-Upstream", "CloudFront-Upstream-TLS-1-0",
                "CloudFront-Upstream-TLS-1-1", "CloudFront-Upstream-TLS-1-2", "CloudFront-Upstream-2025",
                "CloudFront-Upstream-TLS-1-0-2025", "CloudFront-Upstream-TLS-1-1-2025",
                "CloudFront-Upstream-TLS-1-2-2025", "CloudFront-Upstream-TLS-1-3-2025"}));
}

TEST(Profiles, LookupIsCaseInsensitiveAndKnowsAliases) {
  EXPECT_EQ(profile_by_name("CLOUDFRONT"), &default_profile());
  EXPECT_EQ(profile_by_name("default"), &default_profile());
  EXPECT_EQ(profile_by_name(" cloudfront-upstream-tls-1-2 "), profile_by_name("CloudFront-Upstream-TLS-1-2"));
  EXPECT_EQ(profile_by_name("CloudFront-Upstream-TLS-1-3"), nullptr) << "only the -2025 policy has TLS 1.3";
  EXPECT_EQ(profile_by_name("cloudfront-2025"), profile_by_name("CloudFront-Upstream-2025"));
  EXPECT_EQ(profile_by_name("CLOUDFRONT-UPSTREAM-TLS-1-3-2025"),
            profile_by_name("CloudFront-Upstream-TLS-1-3-2025"));
  EXPECT_EQ(profile_by_name("nope"), nullptr);
  EXPECT_EQ(profile_by_name(""), nullptr);
}

TEST(ParseOriginSslProtocols, AcceptsTheCdnValuesInAnyCaseAndSeparator) {
  const auto parsed = parse_origin_ssl_protocols("TLSv1.2,TLSv1.1");
  ASSERT_TRUE(parsed.has_value()) << parsed.error();
  EXPECT_EQ(*parsed, (std::vector<V>{V::tls1_2, V::tls1_1}));

  const auto spaced = parse_origin_ssl_protocols(" sslv3, tlsv1  TLSV1.2 ");
  ASSERT_TRUE(spaced.has_value()) << spaced.error();
  EXPECT_EQ(*spaced, (std::vector<V>{V::ssl3, V::tls1_0, V::tls1_2}));

  const auto duplicated = parse_origin_ssl_protocols("TLSv1,TLSv1");
  ASSERT_TRUE(duplicated.has_value());
  EXPECT_EQ(*duplicated, (std::vector<V>{V::tls1_0}));
}

TEST(ParseOriginSslProtocols, RejectsOtherSpellingsNamingTheTokenAndTheValidValues) {
  for (const std::string_view bad : {"TLSv1.3", "TLSv1.0", "TLS1.2", "tls1_2", "SSLv2", "bogus"}) {
    const auto parsed = parse_origin_ssl_protocols(std::string("TLSv1.2,") + std::string(bad));
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_NE(parsed.error().find("'" + std::string(bad) + "'"), std::string::npos) << parsed.error();
    EXPECT_NE(parsed.error().find("SSLv3, TLSv1, TLSv1.1, TLSv1.2"), std::string::npos) << parsed.error();
  }
  const auto near_miss = parse_origin_ssl_protocols("TLSv1.0");
  ASSERT_FALSE(near_miss.has_value());
  EXPECT_NE(near_miss.error().find("did you mean 'TLSv1'"), std::string::npos) << near_miss.error();
  const auto tls13 = parse_origin_ssl_protocols("TLSv1.3");
  ASSERT_FALSE(tls13.has_value());
  EXPECT_NE(tls13.error().find("no value for TLS 1.3"), std::string::npos) << tls13.error();
}

TEST(ParseOriginSslProtocols, EmptyIsAnError) {
  for (const std::string_view empty : {"", "   ", ",", " , ,"}) {
    const auto parsed = parse_origin_ssl_protocols(empty);
    ASSERT_FALSE(parsed.has_value()) << "'" << empty << "'";
    EXPECT_NE(parsed.error().find("valid values"), std::string::npos);
  }
}

TEST(Narrow, NoSelectionKeepsTheProfile) {
  const Profile& p = default_profile();
  const Offer offer = narrow(p, {});
  EXPECT_EQ(offer.profile, &p);
  EXPECT_EQ(offer.min_version, V::ssl3);
  EXPECT_EQ(offer.max_version, V::tls1_2);
  EXPECT_EQ(offer.cipher_suites, p.cipher_suites);
  EXPECT_EQ(offer.groups, p.groups);
  EXPECT_EQ(offer.signature_schemes, p.signature_schemes);
  EXPECT_FALSE(offer.selection_had_gaps);
}

TEST(Narrow, FloorIsTheLowestSelectedCeilingTheProfileMaximum) {
  const std::vector<V> selection = {V::tls1_2, V::tls1_1};
  const Offer offer = narrow(default_profile(), selection);
  EXPECT_EQ(offer.min_version, V::tls1_1);
  EXPECT_EQ(offer.max_version, V::tls1_2);
  EXPECT_FALSE(offer.selection_had_gaps);
  // The ClientHello is unchanged: the floor is enforced on the ServerHello.
  EXPECT_EQ(suite_codes(offer.cipher_suites), kDocumentedOrder);
  EXPECT_FALSE(offer.allows(V::tls1_0));
  EXPECT_TRUE(offer.allows(V::tls1_1));
  EXPECT_TRUE(offer.allows(V::tls1_2));
  EXPECT_FALSE(offer.allows(V::tls1_3));
}

TEST(Narrow, OnlyLowVersionSelectedStillOffersUpToTheCeiling) {
  const std::vector<V> selection = {V::tls1_0};
  const Offer offer = narrow(default_profile(), selection);
  EXPECT_EQ(offer.min_version, V::tls1_0);
  EXPECT_EQ(offer.max_version, V::tls1_2);
}

TEST(Narrow, SelectionWithGapsIsTreatedAsItsFloor) {
  const std::vector<V> selection = {V::ssl3, V::tls1_2};
  const Offer offer = narrow(default_profile(), selection);
  EXPECT_TRUE(offer.selection_had_gaps);
  EXPECT_EQ(offer.min_version, V::ssl3);
  EXPECT_TRUE(offer.allows(V::tls1_0)) << "the gap is filled";

  const std::vector<V> contiguous = {V::tls1_2, V::tls1_0, V::tls1_1};
  EXPECT_FALSE(narrow(default_profile(), contiguous).selection_had_gaps);
  const std::vector<V> gapped = {V::tls1_0, V::tls1_2};
  EXPECT_TRUE(narrow(default_profile(), gapped).selection_had_gaps);
}

TEST(Narrow, FloorNeverGoesBelowTheProfileMinimum) {
  const Profile* p = profile_by_name("CloudFront-Upstream-TLS-1-2");
  ASSERT_NE(p, nullptr);
  const std::vector<V> below = {V::ssl3, V::tls1_0};
  const Offer offer = narrow(*p, below);
  EXPECT_EQ(offer.min_version, V::tls1_2);
  EXPECT_EQ(offer.max_version, V::tls1_2);
  EXPECT_EQ(suite_codes(offer.cipher_suites), kUpstreamOrder) << "same ClientHello for every minimum";

  const Profile* p11 = profile_by_name("CloudFront-Upstream-TLS-1-1");
  ASSERT_NE(p11, nullptr);
  const std::vector<V> mixed = {V::tls1_0, V::tls1_2};
  EXPECT_EQ(narrow(*p11, mixed).min_version, V::tls1_1);
}

TEST(Narrow, FloorNeverGoesAboveTheProfileMaximum) {
  const std::vector<V> selection = {V::tls1_3};
  const Offer offer = narrow(default_profile(), selection);
  EXPECT_EQ(offer.min_version, V::tls1_2);
  EXPECT_EQ(offer.max_version, V::tls1_2);
}

TEST(Narrow, SuitesAboveTheCeilingAreDropped) {
  // A hand-made profile with a TLS 1.3 suite but a TLS 1.2 ceiling, the shape
  // the 2025 policies take when narrowed.
  Profile p = default_profile();
  p.name = "test";
  const CipherSuite* tls13 = cipher_suite_by_code(0x1301);
  ASSERT_NE(tls13, nullptr);
  p.cipher_suites.insert(p.cipher_suites.begin(), tls13);
  const Offer offer = narrow(p, {});
  EXPECT_FALSE(offer.offers_suite(0x1301));
  EXPECT_EQ(suite_codes(offer.cipher_suites), kDocumentedOrder);

  p.max_version = V::tls1_3;
  const Offer with13 = narrow(p, {});
  EXPECT_TRUE(with13.offers_suite(0x1301));
  EXPECT_EQ(with13.cipher_suites.front(), tls13);
}

TEST(Offer, MembershipQueries) {
  const Offer offer = narrow(default_profile(), {});
  EXPECT_TRUE(offer.offers_suite(0xC02F));
  EXPECT_TRUE(offer.offers_suite(0x0004));
  EXPECT_FALSE(offer.offers_suite(0x009C)) << "not in the documented table";
  EXPECT_TRUE(offer.offers_group(29));
  EXPECT_FALSE(offer.offers_group(25));
  EXPECT_TRUE(offer.offers_signature_scheme(0x0203));
  EXPECT_FALSE(offer.offers_signature_scheme(0x0804));
}

}  // namespace
}  // namespace edgefetch::policy
