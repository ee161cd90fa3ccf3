// plan_distribution on the sample configs (tests/data/configs): which origins
// are checked with which settings, which are skipped and why, and the notes
// (match-viewer, Host forwarding, several distributions) that go with them.
// No connection is made.

#include <gtest/gtest.h>

#include <algorithm>

#include "edgefetch/check/check.hpp"
#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;

config::LoadedConfig load(const std::string& name) {
  auto loaded =
      config::load_distribution_config(std::string(EDGEFETCH_SOURCE_DIR) + "/tests/data/configs/" + name);
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().to_string());
  return loaded ? std::move(*loaded) : config::LoadedConfig{};
}

const PlannedOrigin* find(const std::vector<PlannedOrigin>& planned, std::string_view id) {
  const auto it =
      std::find_if(planned.begin(), planned.end(), [id](const PlannedOrigin& p) { return p.entry.id == id; });
  return it == planned.end() ? nullptr : &*it;
}

bool has_note(const PlannedOrigin& p, std::string_view text) {
  return std::any_of(p.entry.notes.begin(), p.entry.notes.end(),
                     [text](const std::string& note) { return note.find(text) != std::string::npos; });
}

TEST(ReportPlan, GetDistributionConfigSample) {
  DistributionCheckOptions options;
  options.trust_description = "--ca-file x";
  const auto planned = plan_distribution(load("get-distribution-config.json"), options);
  ASSERT_EQ(planned.size(), 4U);

  const PlannedOrigin* api = find(planned, "api-origin");
  ASSERT_NE(api, nullptr);
  EXPECT_FALSE(api->entry.skipped);
  EXPECT_EQ(api->target.host, "api.example.com");
  EXPECT_EQ(api->target.port, 443);
  EXPECT_EQ(api->target.trust_description, "--ca-file x");
  EXPECT_EQ(api->settings.origin_ssl_protocols, std::vector<ProtocolVersion>({ProtocolVersion::tls1_2}));
  EXPECT_EQ(api->settings.connection_attempts, 3);
  EXPECT_EQ(api->settings.connection_timeout, std::chrono::seconds(10));

  const PlannedOrigin* legacy = find(planned, "legacy-origin");
  ASSERT_NE(legacy, nullptr);
  EXPECT_FALSE(legacy->entry.skipped);
  EXPECT_EQ(legacy->target.port, 8443);
  EXPECT_EQ(legacy->settings.origin_ssl_protocols,
            std::vector<ProtocolVersion>({ProtocolVersion::ssl3, ProtocolVersion::tls1_0}));
  EXPECT_EQ(legacy->settings.connection_attempts, 2);
  EXPECT_EQ(legacy->settings.connection_timeout, std::chrono::seconds(5));
  EXPECT_TRUE(has_note(*legacy, "match-viewer"));
  EXPECT_TRUE(has_note(*legacy, "Host header"));
  EXPECT_TRUE(has_note(*legacy, "legacy.example.com:8443 --host-header"));

  const PlannedOrigin* s3 = find(planned, "assets-s3");
  ASSERT_NE(s3, nullptr);
  EXPECT_TRUE(s3->entry.skipped);
  EXPECT_NE(s3->entry.skip_reason.find("S3"), std::string::npos);

  const PlannedOrigin* plain = find(planned, "plain-http");
  ASSERT_NE(plain, nullptr);
  EXPECT_TRUE(plain->entry.skipped);
  EXPECT_NE(plain->entry.skip_reason.find("http-only"), std::string::npos);
}

TEST(ReportPlan, CloudFormationTemplateWithTwoDistributionsPrefixesTheIds) {
  const auto planned = plan_distribution(load("cloudformation.json"), DistributionCheckOptions{});
  ASSERT_GE(planned.size(), 5U);
  const PlannedOrigin* docs = nullptr;
  for (const auto& p : planned) {
    EXPECT_NE(p.entry.id.find('/'), std::string::npos) << p.entry.id;
    if (p.entry.id.ends_with("/docs")) docs = &p;
  }
  ASSERT_NE(docs, nullptr);
  EXPECT_FALSE(docs->entry.skipped);
  EXPECT_EQ(docs->settings.origin_ssl_protocols,
            std::vector<ProtocolVersion>({ProtocolVersion::tls1_1, ProtocolVersion::tls1_2}));
  EXPECT_TRUE(has_note(*docs, "Host header"));  // ForwardedValues.Headers ["*"]
}

TEST(ReportPlan, ResolveOverridesAndProfileReachEveryCheckedOrigin) {
  DistributionCheckOptions options;
  auto override = net::parse_resolve_override("api.example.com:443:127.0.0.1");
  ASSERT_TRUE(override);
  options.resolve_overrides = {*override};
  options.profile = policy::profile_by_name("CloudFront-Upstream");
  ASSERT_NE(options.profile, nullptr);
  const auto planned = plan_distribution(load("get-distribution-config.json"), options);
  for (const auto& p : planned) {
    if (p.entry.skipped) continue;
    EXPECT_EQ(p.target.resolve_overrides.size(), 1U) << p.entry.id;
    EXPECT_EQ(p.settings.profile, options.profile) << p.entry.id;
  }
}

// One custom origin whose default behavior names `cache_policy` and `request_policy`.
std::string config_with_policies(const std::string& cache_policy, const std::string& request_policy) {
  return R"({"DistributionConfig": {
    "CallerReference": "plan", "Comment": "", "Enabled": true,
    "Origins": {"Quantity": 1, "Items": [{"Id": "web", "DomainName": "web.example.com",
      "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only",
        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}]},
    "DefaultCacheBehavior": {"TargetOriginId": "web", "ViewerProtocolPolicy": "allow-all",
      "CachePolicyId": ")" +
         cache_policy + R"(", "OriginRequestPolicyId": ")" + request_policy + R"("}}})";
}

std::vector<std::string> policy_notes(const std::string& text,
                                      const config::PolicyCatalogue* policies = nullptr) {
  auto loaded = config::read_distribution_config(text, policies);
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().to_string());
  if (!loaded) return {};
  const auto planned = plan_distribution(*loaded, DistributionCheckOptions{});
  const PlannedOrigin* web = find(planned, "web");
  EXPECT_NE(web, nullptr);
  std::vector<std::string> notes;
  if (web == nullptr) return notes;
  for (const auto& note : web->entry.notes) {
    if (note.find("whose settings are not at hand") != std::string::npos) notes.push_back(note);
  }
  return notes;
}

// The note about a policy whose settings are not at hand names only that
// policy: not a managed one, nor a custom one given with --policies.
TEST(ReportPlan, TheCustomPolicyNoteNamesOnlyThePoliciesNotAtHand) {
  constexpr const char* kCachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";  // managed
  constexpr const char* kUnknown = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
  constexpr const char* kGiven = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";

  auto notes = policy_notes(config_with_policies(kCachingDisabled, kUnknown));
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_NE(notes[0].find(std::string("uses a custom policy (OriginRequestPolicyId ") + kUnknown + ")"),
            std::string::npos)
      << notes[0];
  EXPECT_EQ(notes[0].find(kCachingDisabled), std::string::npos) << notes[0];

  config::PolicyCatalogue catalogue;
  config::PolicySettings given;
  given.id = kGiven;
  given.name = "given";
  given.is_cache_policy = true;
  catalogue.policies.push_back(given);
  notes = policy_notes(config_with_policies(kGiven, kUnknown), &catalogue);
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0].find(kGiven), std::string::npos) << notes[0];
  EXPECT_NE(notes[0].find(kUnknown), std::string::npos) << notes[0];

  notes = policy_notes(config_with_policies(kGiven, kUnknown));  // neither at hand
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_NE(notes[0].find(std::string("uses custom policies (CachePolicyId ") + kGiven +
                          ", OriginRequestPolicyId " + kUnknown + ")"),
            std::string::npos)
      << notes[0];
}

}  // namespace
}  // namespace edgefetch::check
