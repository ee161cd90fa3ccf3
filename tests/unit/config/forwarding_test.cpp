// What a behavior forwards to the origin: legacy ForwardedValues, managed and
// custom policies (policy files, template resources), and how two policies
// combine.

#include "edgefetch/config/forwarding.hpp"

#include <gtest/gtest.h>

#include <string>

#include "config_test_support.hpp"
#include "edgefetch/config/policy_reader.hpp"

namespace edgefetch::config {
namespace {

using testing::loaded_from;
using testing::message_at;

const std::string kAt = "DistributionConfig.DefaultCacheBehavior";

std::string with_behavior(const std::string& fields) {
  return R"({"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":"o.example.com","S3OriginConfig":{}}]},
      "DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all")" +
         (fields.empty() ? "" : "," + fields) + "}}";
}

CacheBehavior behavior_of(const std::string& fields, const PolicyCatalogue* policies = nullptr) {
  auto loaded = read_distribution_config(with_behavior(fields), policies);
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().to_string());
  if (!loaded) return {};
  return loaded->distributions.at(0).config.default_cache_behavior;
}

std::vector<Problem> warnings_of(const std::string& fields, const PolicyCatalogue* policies = nullptr) {
  auto loaded = read_distribution_config(with_behavior(fields), policies);
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().to_string());
  return loaded ? loaded->warnings : std::vector<Problem>{};
}

std::vector<Problem> problems_of(const std::string& fields, const PolicyCatalogue* policies = nullptr) {
  auto loaded = read_distribution_config(with_behavior(fields), policies);
  EXPECT_FALSE(loaded.has_value()) << "expected problems for: " << fields;
  return loaded ? std::vector<Problem>{} : loaded.error().problems;
}

std::string policy_ids(const std::string& cache, const std::string& request = "") {
  std::string out = R"("CachePolicyId":")" + cache + "\"";
  if (!request.empty()) out += R"(,"OriginRequestPolicyId":")" + request + "\"";
  return out;
}

constexpr const char* kCachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
constexpr const char* kCachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
constexpr const char* kAllViewer = "216adef6-5c7f-47e4-b989-5492eafa07d3";
constexpr const char* kAllViewerExceptHost = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
constexpr const char* kUserAgentReferer = "acba4595-bd28-49b8-b9fe-13317c0390fa";
constexpr const char* kAllViewerAndCloudFront = "33f36d7e-f396-46d9-90e0-52428a34d9dc";

TEST(ForwardedNames, IncludesByScope) {
  const ForwardedNames none{ForwardScope::none, {}, false};
  const ForwardedNames all{ForwardScope::all, {}, false};
  const ForwardedNames listed{ForwardScope::listed, {"Origin", "X-Api"}, false};
  const ForwardedNames except{ForwardScope::all_except, {"Host"}, false};
  EXPECT_FALSE(none.includes_header("Origin"));
  EXPECT_TRUE(all.includes_header("Anything"));
  EXPECT_TRUE(listed.includes_header("origin"));
  EXPECT_FALSE(listed.includes_header("Referer"));
  EXPECT_FALSE(except.includes_header("HOST"));
  EXPECT_TRUE(except.includes_header("Referer"));
  // Cookie and query names compare exactly.
  const ForwardedNames cookies{ForwardScope::listed, {"session"}, false};
  EXPECT_TRUE(cookies.includes("session", false));
  EXPECT_FALSE(cookies.includes("Session", false));
  const ForwardedNames wildcard{ForwardScope::listed, {"userid_*", "a?c"}, true};
  EXPECT_TRUE(wildcard.includes("userid_42", false));
  EXPECT_TRUE(wildcard.includes("abc", false));
  EXPECT_FALSE(wildcard.includes("abbc", false));
  EXPECT_FALSE(wildcard.includes("user", false));
}

TEST(ForwardedNames, MergedIsWhatEitherLetsThrough) {
  const ForwardedNames none{ForwardScope::none, {}, false};
  const ForwardedNames all{ForwardScope::all, {}, false};
  const ForwardedNames a{ForwardScope::listed, {"A", "B"}, false};
  const ForwardedNames b{ForwardScope::listed, {"b", "C"}, false};
  const ForwardedNames except_ab{ForwardScope::all_except, {"A", "B"}, false};
  const ForwardedNames except_bc{ForwardScope::all_except, {"B", "C"}, false};

  EXPECT_EQ(none.merged_with(a, true).names, a.names);
  EXPECT_EQ(a.merged_with(all, true).scope, ForwardScope::all);
  const auto union_ab = a.merged_with(b, true);
  EXPECT_EQ(union_ab.scope, ForwardScope::listed);
  EXPECT_EQ(union_ab.names, (std::vector<std::string>{"A", "B", "C"}));
  // Excluded only when both exclude it.
  const auto excepts = except_ab.merged_with(except_bc, false);
  EXPECT_EQ(excepts.scope, ForwardScope::all_except);
  EXPECT_EQ(excepts.names, (std::vector<std::string>{"B"}));
  // A list lets its names through past the other's exclusions.
  const auto mixed = except_ab.merged_with(ForwardedNames{ForwardScope::listed, {"A"}, false}, false);
  EXPECT_EQ(mixed.scope, ForwardScope::all_except);
  EXPECT_EQ(mixed.names, (std::vector<std::string>{"B"}));
  EXPECT_TRUE(mixed.includes("A", false));
  EXPECT_FALSE(mixed.includes("B", false));
}

TEST(ManagedPolicies, KnownSettings) {
  const PolicySettings* optimized = find_managed_policy(kCachingOptimized);
  ASSERT_NE(optimized, nullptr);
  EXPECT_TRUE(optimized->is_cache_policy);
  EXPECT_TRUE(optimized->accept_encoding_gzip);
  EXPECT_TRUE(optimized->accept_encoding_brotli);
  EXPECT_EQ(optimized->headers.scope, ForwardScope::none);
  EXPECT_EQ(optimized->query_strings.scope, ForwardScope::none);
  const PolicySettings* except_host = find_managed_policy(kAllViewerExceptHost);
  ASSERT_NE(except_host, nullptr);
  EXPECT_FALSE(except_host->is_cache_policy);
  EXPECT_FALSE(except_host->headers.includes_header("Host"));
  EXPECT_TRUE(except_host->headers.includes_header("Authorization"));
  const PolicySettings* cloudfront = find_managed_policy(kAllViewerAndCloudFront);
  ASSERT_NE(cloudfront, nullptr);
  EXPECT_EQ(cloudfront->cloudfront_headers.size(), 21u);
  EXPECT_EQ(find_managed_policy("00000000-0000-0000-0000-000000000000"), nullptr);
  EXPECT_TRUE(is_cloudfront_header("cloudfront-viewer-country"));
  EXPECT_FALSE(is_cloudfront_header("CloudFront-"));
  EXPECT_TRUE(edge_generates_cloudfront_header("CloudFront-Viewer-TLS"));
  EXPECT_FALSE(edge_generates_cloudfront_header("CloudFront-Viewer-Country"));
}

TEST(ForwardingRules, LegacyForwardedValues) {
  auto b = behavior_of(
      R"("ForwardedValues":{"QueryString":false,"Cookies":{"Forward":"whitelist","WhitelistedNames":{"Quantity":2,"Items":["session","pref_*"]}},"Headers":{"Quantity":2,"Items":["Origin","CloudFront-Forwarded-Proto"]}})");
  const auto& rules = b.forwarding;
  EXPECT_EQ(rules.source, ForwardingSource::forwarded_values);
  EXPECT_TRUE(rules.forwards_unnamed_headers());
  EXPECT_EQ(rules.query_strings.scope, ForwardScope::none) << "QueryString false removes the query";
  EXPECT_EQ(rules.headers.scope, ForwardScope::listed);
  EXPECT_EQ(rules.headers.names, (std::vector<std::string>{"Origin"}));
  EXPECT_EQ(rules.cloudfront_headers, (std::vector<std::string>{"CloudFront-Forwarded-Proto"}));
  EXPECT_EQ(rules.cookies.scope, ForwardScope::listed);
  EXPECT_TRUE(rules.cookies.includes("pref_lang", false));
  EXPECT_FALSE(rules.cookies.includes("tracking", false));
  EXPECT_FALSE(b.forwards_host_header);

  b = behavior_of(
      R"("ForwardedValues":{"QueryString":true,"Cookies":{"Forward":"all"},"Headers":{"Quantity":1,"Items":["*"]}})");
  EXPECT_EQ(b.forwarding.headers.scope, ForwardScope::all);
  EXPECT_EQ(b.forwarding.query_strings.scope, ForwardScope::all);
  EXPECT_EQ(b.forwarding.cookies.scope, ForwardScope::all);
  EXPECT_TRUE(b.forwards_host_header);
  EXPECT_EQ(b.host_forwarding, HostForwarding::legacy_headers);
}

TEST(ForwardingRules, LegacyCookiesMissingOrWrong) {
  const auto warnings = warnings_of(R"("ForwardedValues":{"QueryString":true})");
  EXPECT_EQ(message_at(warnings, kAt + ".ForwardedValues.Cookies"),
            "not set; no cookies are forwarded (Forward: none)");
  EXPECT_EQ(behavior_of(R"("ForwardedValues":{"QueryString":true})").forwarding.cookies.scope,
            ForwardScope::none);

  auto problems = problems_of(R"("ForwardedValues":{"QueryString":true,"Cookies":{"Forward":"some"}})");
  EXPECT_EQ(message_at(problems, kAt + ".ForwardedValues.Cookies.Forward"),
            "\"some\" is not allowed; use none, whitelist or all");
  problems = problems_of(R"("ForwardedValues":{"QueryString":true,"Cookies":{"Forward":"whitelist"}})");
  EXPECT_EQ(message_at(problems, kAt + ".ForwardedValues.Cookies.WhitelistedNames"),
            "required with Forward: whitelist; list the cookie names");
  problems = problems_of(R"("ForwardedValues":{"Cookies":{"Forward":"all"}})");
  EXPECT_NE(message_at(problems, kAt + ".ForwardedValues.QueryString").find("required but missing"),
            std::string::npos);
}

TEST(ForwardingRules, ManagedPoliciesCombine) {
  auto b = behavior_of(policy_ids(kCachingOptimized));
  EXPECT_EQ(b.forwarding.source, ForwardingSource::policies);
  EXPECT_FALSE(b.forwarding.forwards_unnamed_headers());
  EXPECT_EQ(b.forwarding.headers.scope, ForwardScope::none);
  EXPECT_EQ(b.forwarding.cookies.scope, ForwardScope::none);
  EXPECT_EQ(b.forwarding.query_strings.scope, ForwardScope::none);
  EXPECT_TRUE(b.forwarding.accept_encoding_gzip);
  EXPECT_TRUE(b.forwarding.accept_encoding_brotli);
  EXPECT_EQ(b.forwarding.cache_policy_name, "Managed-CachingOptimized");

  b = behavior_of(policy_ids(kCachingOptimized, kUserAgentReferer));
  EXPECT_EQ(b.forwarding.headers.scope, ForwardScope::listed);
  EXPECT_TRUE(b.forwarding.headers.includes_header("referer"));
  EXPECT_FALSE(b.forwarding.headers.includes_header("Accept"));
  EXPECT_FALSE(b.forwards_host_header);

  b = behavior_of(policy_ids(kCachingDisabled, kAllViewer));
  EXPECT_EQ(b.forwarding.headers.scope, ForwardScope::all);
  EXPECT_EQ(b.forwarding.cookies.scope, ForwardScope::all);
  EXPECT_FALSE(b.forwarding.accept_encoding_gzip);
  EXPECT_TRUE(b.forwards_host_header);
  EXPECT_EQ(b.host_forwarding, HostForwarding::origin_request_policy);

  b = behavior_of(policy_ids(kCachingDisabled, kAllViewerExceptHost));
  EXPECT_FALSE(b.forwards_host_header);
  EXPECT_TRUE(b.forwarding.headers.includes_header("Authorization"));
}

TEST(ForwardingRules, CloudFrontHeadersTheEdgeCannotProduceAreNamed) {
  const auto b = behavior_of(policy_ids(kCachingDisabled, kAllViewerAndCloudFront));
  EXPECT_EQ(b.forwarding.cloudfront_headers.size(), 21u);
  const auto warnings = warnings_of(policy_ids(kCachingDisabled, kAllViewerAndCloudFront));
  const std::string message = message_at(warnings, kAt);
  EXPECT_NE(message.find("CloudFront-Is-Android-Viewer"), std::string::npos) << message;
  EXPECT_NE(message.find("and 13 more"), std::string::npos) << message;
  EXPECT_EQ(message.find("CloudFront-Viewer-TLS"), std::string::npos) << "the edge produces it";
}

TEST(ForwardingRules, NeitherSettingNorKnownPolicy) {
  auto b = behavior_of("");
  EXPECT_EQ(b.forwarding.source, ForwardingSource::unspecified);
  EXPECT_FALSE(b.forwarding.headers.includes_header("Host"));
  EXPECT_FALSE(b.forwarding.headers.includes_header("User-Agent"));
  EXPECT_TRUE(b.forwarding.headers.includes_header("Authorization"));
  EXPECT_NE(message_at(warnings_of(""), kAt).find("neither CachePolicyId nor ForwardedValues"),
            std::string::npos);

  const std::string custom = "0123abcd-0000-4000-8000-000000000000";
  b = behavior_of(policy_ids(custom));
  EXPECT_EQ(b.forwarding.source, ForwardingSource::unresolved_policy);
  EXPECT_EQ(b.host_forwarding, HostForwarding::unknown_request_policy);
  EXPECT_NE(message_at(warnings_of(policy_ids(custom)), kAt + ".CachePolicyId").find("--policies FILE"),
            std::string::npos);
  // Collected for serve, which refuses to guess.
  const auto loaded = loaded_from(with_behavior(policy_ids(custom)));
  ASSERT_EQ(loaded.unresolved_policies.size(), 1u);
  EXPECT_EQ(
      loaded.unresolved_policies[0].to_string(),
      kAt +
          ".CachePolicyId: \"0123abcd-0000-4000-8000-000000000000\" is not a managed policy; give it with "
          "--policies FILE (the output of `aws cloudfront get-cache-policy --id "
          "0123abcd-0000-4000-8000-000000000000`)");
  EXPECT_TRUE(loaded_from(with_behavior(policy_ids(kCachingOptimized))).unresolved_policies.empty());
}

TEST(ForwardingRules, ForwardedValuesBesidesACachePolicyIsRefused) {
  const auto problems = problems_of(policy_ids(kCachingOptimized) +
                                    R"(,"ForwardedValues":{"QueryString":true,"Cookies":{"Forward":"all"}})");
  EXPECT_EQ(message_at(problems, kAt + ".ForwardedValues"),
            "cannot be used with CachePolicyId (the CDN refuses the config); keep one of them");
}

TEST(ForwardingRules, LegacyStarKeepsTheCloudFrontHeadersItNames) {
  const auto b = behavior_of(
      R"("ForwardedValues":{"QueryString":true,"Cookies":{"Forward":"all"},"Headers":{"Quantity":2,"Items":["*","CloudFront-Viewer-Address"]}})");
  EXPECT_EQ(b.forwarding.headers.scope, ForwardScope::all);
  EXPECT_EQ(b.forwarding.cloudfront_headers, (std::vector<std::string>{"CloudFront-Viewer-Address"}));
}

TEST(ForwardingRules, PolicyOfTheWrongKind) {
  auto problems = problems_of(policy_ids(kAllViewer));
  EXPECT_EQ(message_at(problems, kAt + ".CachePolicyId"),
            "\"216adef6-5c7f-47e4-b989-5492eafa07d3\" is an origin request policy (Managed-AllViewer)");
  problems = problems_of(policy_ids(kCachingDisabled, kCachingOptimized));
  EXPECT_EQ(message_at(problems, kAt + ".OriginRequestPolicyId"),
            "\"658327ea-f89d-4fab-a63d-7e88639e58f6\" is a cache policy (Managed-CachingOptimized)");
}

constexpr const char* kCustomCachePolicy =
    R"({"ETag":"E1","CachePolicy":{"Id":"c-1","LastModifiedTime":"2026-01-01",
  "CachePolicyConfig":{"Name":"api-cache","MinTTL":0,"ParametersInCacheKeyAndForwardedToOrigin":{
    "EnableAcceptEncodingGzip":true,"EnableAcceptEncodingBrotli":false,
    "HeadersConfig":{"HeaderBehavior":"whitelist","Headers":{"Quantity":2,"Items":["Authorization","CloudFront-Viewer-Country"]}},
    "CookiesConfig":{"CookieBehavior":"allExcept","Cookies":{"Quantity":1,"Items":["tracking"]}},
    "QueryStringsConfig":{"QueryStringBehavior":"whitelist","QueryStrings":{"Quantity":1,"Items":["page"]}}}}}})";

constexpr const char* kCustomRequestPolicyList = R"({"OriginRequestPolicyList":{"Quantity":2,"Items":[
  {"Type":"managed","OriginRequestPolicy":{"Id":"216adef6-5c7f-47e4-b989-5492eafa07d3","OriginRequestPolicyConfig":{}}},
  {"Type":"custom","OriginRequestPolicy":{"Id":"r-1","OriginRequestPolicyConfig":{"Name":"api-request",
    "HeadersConfig":{"HeaderBehavior":"allViewerAndWhitelistCloudFront","Headers":{"Quantity":1,"Items":["CloudFront-Viewer-Address"]}},
    "CookiesConfig":{"CookieBehavior":"none"},
    "QueryStringsConfig":{"QueryStringBehavior":"allExcept","QueryStrings":{"Quantity":1,"Items":["debug"]}}}}}]}})";

TEST(PolicyFiles, CustomPoliciesResolve) {
  auto cache = read_policies(kCustomCachePolicy);
  ASSERT_TRUE(cache.has_value()) << cache.error().to_string();
  auto request = read_policies(kCustomRequestPolicyList);
  ASSERT_TRUE(request.has_value()) << request.error().to_string();
  ASSERT_EQ(request->policies.size(), 1u) << "the managed entry of the list is built in";
  PolicyCatalogue catalogue;
  catalogue.policies = cache->policies;
  catalogue.policies.push_back(request->policies.at(0));

  const auto b = behavior_of(policy_ids("c-1", "r-1"), &catalogue);
  const auto& rules = b.forwarding;
  EXPECT_EQ(rules.source, ForwardingSource::policies);
  EXPECT_EQ(rules.headers.scope, ForwardScope::all) << "allViewer in the origin request policy";
  EXPECT_EQ(rules.cloudfront_headers,
            (std::vector<std::string>{"CloudFront-Viewer-Country", "CloudFront-Viewer-Address"}));
  EXPECT_EQ(rules.cookies.scope, ForwardScope::all_except);
  EXPECT_FALSE(rules.cookies.includes("tracking", false));
  EXPECT_TRUE(rules.cookies.includes("session", false));
  EXPECT_EQ(rules.query_strings.scope, ForwardScope::all_except) << "page is listed, debug excluded";
  EXPECT_TRUE(rules.query_strings.includes("page", false));
  EXPECT_FALSE(rules.query_strings.includes("debug", false));
  EXPECT_TRUE(rules.accept_encoding_gzip);
  EXPECT_FALSE(rules.accept_encoding_brotli);
  EXPECT_EQ(rules.cache_policy_name, "api-cache");
  EXPECT_EQ(rules.origin_request_policy_name, "api-request");
  EXPECT_TRUE(b.forwards_host_header);
}

std::string request_policy(const std::string& headers_config) {
  return R"({"OriginRequestPolicy":{"Id":"r-2","OriginRequestPolicyConfig":{"Name":"p","HeadersConfig":)" +
         headers_config +
         R"(,"CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"none"}}}})";
}

std::string problem_of_policy(const std::string& text, const std::string& path) {
  auto read = read_policies(text);
  EXPECT_FALSE(read.has_value()) << text;
  return read ? "<accepted>" : message_at(read.error().problems, path);
}

TEST(PolicyFiles, BadPoliciesAreRefusedWithTheField) {
  const std::string headers = "OriginRequestPolicy.OriginRequestPolicyConfig.HeadersConfig";
  EXPECT_EQ(
      problem_of_policy(request_policy(R"({"HeaderBehavior":"everything"})"), headers + ".HeaderBehavior"),
      "\"everything\" is not allowed here; use none, whitelist, allViewer, allViewerAndWhitelistCloudFront "
      "or allExcept");
  EXPECT_EQ(problem_of_policy(request_policy(R"({"HeaderBehavior":"whitelist"})"), headers + ".Headers"),
            "\"whitelist\" needs at least one name here");
  EXPECT_NE(problem_of_policy(
                request_policy(
                    R"({"HeaderBehavior":"whitelist","Headers":{"Quantity":1,"Items":["Authorization"]}})"),
                headers + ".Headers")
                .find("Authorization cannot be forwarded"),
            std::string::npos);
  EXPECT_EQ(
      problem_of_policy(request_policy(R"({"HeaderBehavior":"none","Headers":{"Quantity":2,"Items":["A"]}})"),
                        headers + ".Headers.Quantity"),
      "2 does not match the 1 item in Items");
  EXPECT_EQ(problem_of_policy(
                R"({"CachePolicy":{"Id":"c","CachePolicyConfig":{"Name":"n",
      "ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":false,
      "HeadersConfig":{"HeaderBehavior":"whitelist","Headers":{"Quantity":1,"Items":["CloudFront-Viewer-Address"]}},
      "CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"none"}}}}})",
                "CachePolicy.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig."
                "Headers"),
            "\"CloudFront-Viewer-Address\" is allowed in an origin request policy but not in a cache policy");
  EXPECT_EQ(problem_of_policy(R"({"CachePolicy":{"Id":"c","CachePolicyConfig":{"Name":"n"}}})",
                              "CachePolicy.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin"),
            "required but missing");
  EXPECT_NE(
      problem_of_policy(R"({"DistributionConfig":{}})", "").find("not a cache or origin request policy"),
      std::string::npos);
  EXPECT_NE(problem_of_policy("{", "").find("line 1"), std::string::npos);
}

TEST(PolicyFiles, AllViewerAndCloudFrontListsOnlyCloudFrontHeaders) {
  // Found by config_reader_fuzz: the list kept a viewer header beside "all".
  EXPECT_EQ(
      problem_of_policy(request_policy(R"({"HeaderBehavior":"allViewerAndWhitelistCloudFront",
                                  "Headers":{"Quantity":1,"Items":["MloudFront-Viewer-Address"]}})"),
                        "OriginRequestPolicy.OriginRequestPolicyConfig.HeadersConfig.Headers"),
      "\"MloudFront-Viewer-Address\" is not a CloudFront header; allViewerAndWhitelistCloudFront lists only "
      "CloudFront-* headers (every viewer header is forwarded already)");
}

TEST(PolicyFiles, CloudFrontHeadersInAnExceptListExcludeNothing) {
  auto read = read_policies(request_policy(
      R"({"HeaderBehavior":"allExcept","Headers":{"Quantity":1,"Items":["CloudFront-Viewer-Country"]}})"));
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  const auto& policy = read->policies.at(0);
  EXPECT_EQ(policy.headers.scope, ForwardScope::all) << "a viewer's CloudFront-* headers never pass anyway";
  EXPECT_TRUE(policy.cloudfront_headers.empty()) << "nor does the list ask the edge to add it";
}

TEST(PolicyFiles, MisspeltFieldsAreNamed) {
  auto read =
      read_policies(R"({"CachePolicy":{"Id":"c","CachePolicyConfig":{"Name":"n","MinTTL":0,"Coment":"x",
      "ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":true,"EnableAcceptEncodingBrotly":true,
      "HeadersConfig":{"HeaderBehaviour":"none","HeaderBehavior":"none"},
      "CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"none"}}}}})");
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  const std::string at = "CachePolicy.CachePolicyConfig";
  const std::string parameters = at + ".ParametersInCacheKeyAndForwardedToOrigin";
  EXPECT_NE(message_at(read->warnings, at).find("\"Coment\" (did you mean Comment?)"), std::string::npos)
      << testing::all(read->warnings);
  EXPECT_NE(message_at(read->warnings, parameters).find("(did you mean EnableAcceptEncodingBrotli?)"),
            std::string::npos)
      << testing::all(read->warnings);
  EXPECT_NE(message_at(read->warnings, parameters + ".HeadersConfig").find("(did you mean HeaderBehavior?)"),
            std::string::npos)
      << testing::all(read->warnings);
  EXPECT_FALSE(read->policies.at(0).accept_encoding_brotli) << "the misspelt field is not read";

  EXPECT_EQ(problem_of_policy(R"({"OriginRequestPolicy":{"Id":"r","OriginRequestPolicyConfig":{"Name":"p",
      "HeadersConfig":{"HeaderBehavior":"none"},"CookiesConfg":{"CookieBehavior":"none"},
      "QueryStringsConfig":{"QueryStringBehavior":"none"}}}})",
                              "OriginRequestPolicy.OriginRequestPolicyConfig.CookiesConfig"),
            "required but missing (is \"CookiesConfg\" a misspelling of it?)");
}

TEST(PolicyFiles, HeaderNamesAreChecked) {
  const std::string headers = "OriginRequestPolicy.OriginRequestPolicyConfig.HeadersConfig.Headers";
  EXPECT_NE(problem_of_policy(
                request_policy(R"({"HeaderBehavior":"whitelist","Headers":{"Quantity":1,"Items":["X A:"]}})"),
                headers)
                .find("\"X A:\""),
            std::string::npos);
  auto read = read_policies(request_policy(
      R"({"HeaderBehavior":"whitelist","Headers":{"Quantity":3,"Items":["Connection","Cookie","X-Edge-Location"]}})"));
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  EXPECT_EQ(
      message_at(read->warnings, headers),
      "Connection, Cookie, X-Edge-Location: never forwarded as listed headers (hop-by-hop, framing, the "
      "edge's own, or Cookie, which CookiesConfig decides); listing them changes nothing");
}

TEST(PolicyFiles, AnEmptyFileSaysWhatWasExpected) {
  EXPECT_EQ(problem_of_policy("  \n", ""),
            "the input is empty; expected a cache or origin request policy in JSON");
}

TEST(PolicyFiles, LoadNamesTheFile) {
  auto missing = load_policies({"/nonexistent/policy.json"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().to_string().find("cannot read /nonexistent/policy.json"), std::string::npos);
  auto none = load_policies({});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->policies.empty());
}

TEST(TemplatePolicies, RefAndGetAttResolveToTheTemplatesPolicies) {
  const std::string text = R"({"AWSTemplateFormatVersion":"2010-09-09","Resources":{
    "ApiCache":{"Type":"AWS::CloudFront::CachePolicy","Properties":{"CachePolicyConfig":{"Name":"api","MinTTL":0,
      "ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":false,
        "HeadersConfig":{"HeaderBehavior":"whitelist","Headers":["X-Tenant"]},
        "CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"all"}}}}},
    "ApiRequest":{"Type":"AWS::CloudFront::OriginRequestPolicy","Properties":{"OriginRequestPolicyConfig":{"Name":"api-req",
      "HeadersConfig":{"HeaderBehavior":"whitelist","Headers":["Host","Origin"]},
      "CookiesConfig":{"CookieBehavior":"whitelist","Cookies":["session"]},"QueryStringsConfig":{"QueryStringBehavior":"none"}}}},
    "Cdn":{"Type":"AWS::CloudFront::Distribution","Properties":{"DistributionConfig":{"Enabled":true,
      "Origins":[{"Id":"o","DomainName":"o.example.com","CustomOriginConfig":{"OriginProtocolPolicy":"https-only","OriginSSLProtocols":["TLSv1.2"]}}],
      "DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all",
        "CachePolicyId":{"Ref":"ApiCache"},"OriginRequestPolicyId":{"Fn::GetAtt":["ApiRequest","Id"]}}}}}}})";
  const auto loaded = loaded_from(text);
  ASSERT_EQ(loaded.distributions.size(), 1u);
  const auto& b = loaded.distributions[0].config.default_cache_behavior;
  EXPECT_EQ(b.forwarding.source, ForwardingSource::policies);
  EXPECT_TRUE(b.forwarding.headers.includes_header("x-tenant"));
  EXPECT_TRUE(b.forwarding.headers.includes_header("Origin"));
  EXPECT_FALSE(b.forwarding.headers.includes_header("Referer"));
  EXPECT_TRUE(b.forwards_host_header);
  EXPECT_TRUE(b.forwarding.cookies.includes("session", false));
  EXPECT_EQ(b.forwarding.query_strings.scope, ForwardScope::all);

  // "${Name}" is a Ref; an Arn names the policy in a way that cannot be looked up.
  std::string sub = text;
  sub.replace(sub.find(R"({"Ref":"ApiCache"})"), 18, R"({"Fn::Sub":"${ApiCache}"})");
  EXPECT_EQ(loaded_from(sub).distributions.at(0).config.default_cache_behavior.forwarding.source,
            ForwardingSource::policies);
  std::string arn = text;
  arn.replace(arn.find(R"({"Fn::GetAtt":["ApiRequest","Id"]})"), 34,
              R"({"Fn::GetAtt":["ApiRequest","Arn"]})");
  const auto by_arn = loaded_from(arn);
  EXPECT_EQ(by_arn.distributions.at(0).config.default_cache_behavior.forwarding.source,
            ForwardingSource::unresolved_policy);
  ASSERT_EQ(by_arn.unresolved_policies.size(), 1u);
  EXPECT_NE(by_arn.unresolved_policies[0].message.find("Fn::GetAtt"), std::string::npos)
      << by_arn.unresolved_policies[0].message;

  // A Ref to a resource that is not a policy stays unresolved. (A Ref that
  // names nothing the template declares is refused, as CloudFormation does.)
  std::string dangling = text;
  dangling.replace(dangling.find(R"({"Ref":"ApiCache"})"), 18, R"({"Ref":"Bucket"})");
  dangling.replace(dangling.find(R"("Cdn":)"), 0, R"("Bucket":{"Type":"AWS::S3::Bucket"},)");
  const auto unresolved = loaded_from(dangling);
  ASSERT_EQ(unresolved.distributions.size(), 1u);
  EXPECT_EQ(unresolved.distributions[0].config.default_cache_behavior.forwarding.source,
            ForwardingSource::unresolved_policy);
}

}  // namespace
}  // namespace edgefetch::config
