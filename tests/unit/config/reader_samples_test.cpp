// The sample configs in tests/data/configs, read in every supported format.

#include <gtest/gtest.h>

#include <sstream>

#include "config_test_support.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {
namespace {

using policy::ProtocolVersion;
using testing::sample;

LoadedConfig load(std::string_view name) {
  auto loaded = load_distribution_config(sample(name));
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().to_string());
  if (!loaded) return {};
  return std::move(*loaded);
}

// Every modelled field, one line each, so two readings can be compared whole.
std::string describe(const DistributionConfig& config) {
  std::ostringstream out;
  for (const auto& o : config.origins) {
    out << "origin " << o.id << " " << o.domain_name << " path=" << o.origin_path
        << " kind=" << to_string(o.kind) << " attempts=" << o.connection_attempts
        << " timeout=" << o.connection_timeout_s
        << " completion=" << o.response_completion_timeout_s.value_or(-1);
    for (const auto& h : o.custom_headers) out << " header=" << h.name << ":" << h.value;
    if (o.custom) {
      const auto& c = *o.custom;
      out << " http=" << c.http_port << " https=" << c.https_port
          << " policy=" << to_string(c.protocol_policy) << " read=" << c.read_timeout_s
          << " keepalive=" << c.keepalive_timeout_s << " ssl=";
      for (const auto v : c.ssl_protocols) out << policy::info(v).origin_ssl_protocol << ",";
      out << " defaulted=" << c.ssl_protocols_defaulted;
    }
    out << "\n";
  }
  auto behavior = [&](const CacheBehavior& b) {
    out << "behavior " << b.path_pattern << " -> " << b.target_origin_id
        << " viewer=" << to_string(b.viewer_protocol_policy) << " host=" << b.forwards_host_header << "/"
        << static_cast<int>(b.host_forwarding) << " allowed=";
    for (const auto& m : b.allowed_methods) out << m << ",";
    out << " cached=";
    for (const auto& m : b.cached_methods) out << m << ",";
    out << "\n";
  };
  behavior(config.default_cache_behavior);
  for (const auto& b : config.cache_behaviors) behavior(b);
  return out.str();
}

TEST(ConfigSamples, GetDistributionConfigOutput) {
  const LoadedConfig loaded = load("get-distribution-config.json");
  EXPECT_EQ(loaded.format, SourceFormat::get_distribution_config);
  EXPECT_EQ(loaded.spelling, Spelling::api);
  EXPECT_EQ(loaded.etag, "E2QWRUHAPOMQZL");
  EXPECT_TRUE(loaded.warnings.empty()) << loaded.warnings.front().to_string();
  ASSERT_EQ(loaded.distributions.size(), 1u);
  const Distribution& distribution = loaded.distributions[0];
  EXPECT_EQ(distribution.name, "");
  EXPECT_EQ(distribution.path, "DistributionConfig");
  const DistributionConfig& config = distribution.config;
  EXPECT_EQ(config.comment, "edgefetch sample: four origins of different kinds");
  EXPECT_TRUE(config.enabled);
  ASSERT_EQ(config.origins.size(), 4u);

  const Origin& api = config.origins[0];
  EXPECT_EQ(api.id, "api-origin");
  EXPECT_EQ(api.domain_name, "api.example.com");
  EXPECT_EQ(api.origin_path, "/v1");
  ASSERT_EQ(api.custom_headers.size(), 1u);
  EXPECT_EQ(api.custom_headers[0].name, "X-Origin-Verify");
  EXPECT_EQ(api.custom_headers[0].value, "s3cr3t-token");
  EXPECT_EQ(api.kind, OriginKind::custom);
  ASSERT_TRUE(api.custom.has_value());
  EXPECT_EQ(api.custom->protocol_policy, OriginProtocolPolicy::https_only);
  EXPECT_EQ(api.custom->ssl_protocols, std::vector<ProtocolVersion>{ProtocolVersion::tls1_2});
  EXPECT_FALSE(api.custom->ssl_protocols_defaulted);
  EXPECT_EQ(api.custom->https_port, 443);
  EXPECT_EQ(api.custom->ip_address_type, IpAddressType::ipv4);
  EXPECT_EQ(api.connection_attempts, 3);
  EXPECT_EQ(api.connection_timeout_s, 10);
  EXPECT_FALSE(api.response_completion_timeout_s.has_value());

  const Origin& legacy = config.origins[1];
  EXPECT_EQ(legacy.id, "legacy-origin");
  ASSERT_TRUE(legacy.custom.has_value());
  EXPECT_EQ(legacy.custom->protocol_policy, OriginProtocolPolicy::match_viewer);
  EXPECT_EQ(legacy.custom->ssl_protocols,
            (std::vector<ProtocolVersion>{ProtocolVersion::ssl3, ProtocolVersion::tls1_0}));
  EXPECT_EQ(legacy.custom->http_port, 8080);
  EXPECT_EQ(legacy.custom->https_port, 8443);
  EXPECT_EQ(legacy.custom->read_timeout_s, 60);
  EXPECT_EQ(legacy.custom->keepalive_timeout_s, 10);
  EXPECT_FALSE(legacy.custom->ip_address_type.has_value());
  EXPECT_EQ(legacy.connection_attempts, 2);
  EXPECT_EQ(legacy.connection_timeout_s, 5);
  EXPECT_TRUE(legacy.custom_headers.empty());

  const Origin& s3 = config.origins[2];
  EXPECT_EQ(s3.kind, OriginKind::s3);
  EXPECT_FALSE(s3.custom.has_value());
  EXPECT_EQ(s3.domain_name, "example-assets.s3.us-east-1.amazonaws.com");

  const Origin& plain = config.origins[3];
  ASSERT_TRUE(plain.custom.has_value());
  EXPECT_EQ(plain.custom->protocol_policy, OriginProtocolPolicy::http_only);
  EXPECT_EQ(plain.connection_attempts, 1);
  EXPECT_EQ(plain.connection_timeout_s, 2);

  const CacheBehavior& fallback = config.default_cache_behavior;
  EXPECT_EQ(fallback.path_pattern, "*");
  EXPECT_EQ(fallback.target_origin_id, "api-origin");
  EXPECT_EQ(fallback.viewer_protocol_policy, ViewerProtocolPolicy::redirect_to_https);
  EXPECT_EQ(fallback.allowed_methods.size(), 7u);
  EXPECT_TRUE(fallback.allows_method("DELETE"));
  EXPECT_EQ(fallback.origin_request_policy_id, std::string(kAllViewerExceptHostHeaderPolicyId));
  EXPECT_EQ(fallback.cache_policy_id, "4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
  EXPECT_FALSE(fallback.forwards_host_header) << "AllViewerExceptHostHeader does not forward Host";
  EXPECT_EQ(fallback.host_forwarding, HostForwarding::none);

  ASSERT_EQ(config.cache_behaviors.size(), 4u);
  const CacheBehavior& legacy_behavior = config.cache_behaviors[0];
  EXPECT_EQ(legacy_behavior.path_pattern, "/legacy/*");
  EXPECT_EQ(legacy_behavior.target_origin_id, "legacy-origin");
  EXPECT_TRUE(legacy_behavior.forwards_host_header);
  EXPECT_EQ(legacy_behavior.host_forwarding, HostForwarding::legacy_headers);
  EXPECT_EQ(legacy_behavior.cached_methods, (std::vector<std::string>{"HEAD", "GET", "OPTIONS"}));
  EXPECT_FALSE(legacy_behavior.allows_method("POST"));

  EXPECT_FALSE(config.cache_behaviors[1].forwards_host_header);
  EXPECT_EQ(config.cache_behaviors[1].viewer_protocol_policy, ViewerProtocolPolicy::https_only);
  EXPECT_EQ(config.cache_behaviors[1].allowed_methods, (std::vector<std::string>{"HEAD", "GET"}));

  const CacheBehavior& app = config.cache_behaviors[2];
  EXPECT_TRUE(app.forwards_host_header) << "AllViewer forwards Host";
  EXPECT_EQ(app.host_forwarding, HostForwarding::origin_request_policy);
  EXPECT_EQ(config.cache_behaviors[3].target_origin_id, "plain-http");
}

TEST(ConfigSamples, BareAndGetDistributionReadTheSame) {
  const LoadedConfig reference = load("get-distribution-config.json");
  const LoadedConfig bare = load("distribution-config.json");
  const LoadedConfig wrapped = load("get-distribution.json");
  ASSERT_EQ(bare.distributions.size(), 1u);
  ASSERT_EQ(wrapped.distributions.size(), 1u);
  ASSERT_EQ(reference.distributions.size(), 1u);
  EXPECT_EQ(bare.format, SourceFormat::distribution_config);
  EXPECT_EQ(bare.spelling, Spelling::api);
  EXPECT_FALSE(bare.etag.has_value());
  EXPECT_EQ(wrapped.format, SourceFormat::get_distribution);
  EXPECT_EQ(wrapped.etag, "E2QWRUHAPOMQZL");
  EXPECT_EQ(wrapped.distributions[0].name, "E1EXAMPLE2DIST");
  EXPECT_EQ(wrapped.distributions[0].path, "Distribution.DistributionConfig");
  const std::string expected = describe(reference.distributions[0].config);
  EXPECT_EQ(describe(bare.distributions[0].config), expected);
  EXPECT_EQ(describe(wrapped.distributions[0].config), expected);
}

TEST(ConfigSamples, CloudFormationTemplate) {
  const LoadedConfig loaded = load("cloudformation.json");
  EXPECT_EQ(loaded.format, SourceFormat::cloudformation);
  EXPECT_EQ(loaded.spelling, Spelling::cloudformation);
  EXPECT_FALSE(loaded.etag.has_value());
  ASSERT_EQ(loaded.distributions.size(), 2u);
  // Resources are visited by logical id.
  EXPECT_EQ(loaded.distributions[0].name, "DocsDistribution");
  EXPECT_EQ(loaded.distributions[1].name, "WebDistribution");
  EXPECT_EQ(loaded.distributions[1].path, "Resources.WebDistribution.Properties.DistributionConfig");

  const DistributionConfig& docs = loaded.distributions[0].config;
  ASSERT_EQ(docs.origins.size(), 1u);
  EXPECT_EQ(docs.origins[0].custom->ssl_protocols,
            (std::vector<ProtocolVersion>{ProtocolVersion::tls1_1, ProtocolVersion::tls1_2}));
  EXPECT_TRUE(docs.enabled) << "\"true\" as a string, as CloudFormation accepts";
  EXPECT_TRUE(docs.default_cache_behavior.forwards_host_header) << "Headers: [*] forwards Host";

  const DistributionConfig& web = loaded.distributions[1].config;
  EXPECT_EQ(web.comment, "web distribution for prod") << "Fn::Sub of a Parameter takes its Default";
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_EQ(loaded.warnings[0].path, "Resources.WebDistribution.Properties.DistributionConfig.Comment");

  // The same distribution as the API sample, spelled the CloudFormation way.
  const DistributionConfig api = load("get-distribution-config.json").distributions.at(0).config;
  ASSERT_EQ(web.origins.size(), api.origins.size());
  for (std::size_t i = 0; i < api.origins.size(); ++i) {
    DistributionConfig one_api;
    one_api.origins = {api.origins[i]};
    DistributionConfig one_web;
    one_web.origins = {web.origins[i]};
    if (i == 0) one_api.origins[0].custom->ip_address_type.reset();  // the template leaves it out
    if (i == 3) {
      // http-only and no OriginSSLProtocols: CloudFormation's documented default.
      EXPECT_EQ(web.origins[3].custom->ssl_protocols,
                (std::vector<ProtocolVersion>{ProtocolVersion::tls1_0, ProtocolVersion::ssl3}));
      EXPECT_TRUE(web.origins[3].custom->ssl_protocols_defaulted);
      one_web.origins[0].custom->ssl_protocols = one_api.origins[0].custom->ssl_protocols;
      one_web.origins[0].custom->ssl_protocols_defaulted = false;
    }
    EXPECT_EQ(describe(one_web), describe(one_api)) << "origin " << i;
  }
  ASSERT_EQ(web.cache_behaviors.size(), api.cache_behaviors.size());
  for (std::size_t i = 0; i < api.cache_behaviors.size(); ++i) {
    const auto& a = api.cache_behaviors[i];
    const auto& w = web.cache_behaviors[i];
    EXPECT_EQ(w.path_pattern, a.path_pattern);
    EXPECT_EQ(w.target_origin_id, a.target_origin_id);
    EXPECT_EQ(w.viewer_protocol_policy, a.viewer_protocol_policy);
    EXPECT_EQ(w.forwards_host_header, a.forwards_host_header) << w.path_pattern;
    EXPECT_EQ(w.host_forwarding, a.host_forwarding) << w.path_pattern;
    EXPECT_EQ(w.allowed_methods.size(), a.allowed_methods.size()) << w.path_pattern;
    EXPECT_EQ(w.cached_methods.size(), a.cached_methods.size()) << w.path_pattern;
  }
  EXPECT_EQ(web.default_cache_behavior.target_origin_id, "api-origin");
  EXPECT_FALSE(web.default_cache_behavior.forwards_host_header);
}

TEST(ConfigSamples, CloudFormationResolvesLiteralIntrinsics) {
  const LoadedConfig loaded = load("cloudformation.json");
  ASSERT_EQ(loaded.distributions.size(), 2u);
  const DistributionConfig& web = loaded.distributions[1].config;
  EXPECT_EQ(web.origins[0].domain_name, "api.example.com") << "Fn::Sub without variables";
  EXPECT_EQ(web.origins[1].domain_name, "legacy.example.com") << "Fn::Join of literals";
  EXPECT_EQ(web.origins[1].custom->https_port, 8443) << "\"8443\" as a string";
  EXPECT_EQ(web.origins[1].custom->http_port, 8080);
}

TEST(ConfigSamples, MinimalConfigGetsTheCdnDefaults) {
  const LoadedConfig loaded = load("minimal.json");
  ASSERT_EQ(loaded.distributions.size(), 1u);
  const Origin& origin = loaded.distributions[0].config.origins.at(0);
  ASSERT_TRUE(origin.custom.has_value());
  EXPECT_EQ(origin.custom->http_port, 80);
  EXPECT_EQ(origin.custom->https_port, 443);
  EXPECT_EQ(origin.custom->read_timeout_s, 30);
  EXPECT_EQ(origin.custom->keepalive_timeout_s, 5);
  EXPECT_EQ(origin.connection_attempts, 3);
  EXPECT_EQ(origin.connection_timeout_s, 10);
  EXPECT_EQ(origin.custom->ssl_protocols, std::vector<ProtocolVersion>{ProtocolVersion::tls1_2});
  EXPECT_TRUE(origin.custom->ssl_protocols_defaulted);
  ASSERT_EQ(loaded.warnings.size(), 2u);
  EXPECT_EQ(loaded.warnings[0].path,
            "DistributionConfig.Origins.Items[0].CustomOriginConfig.OriginSslProtocols");
  // Neither a cache policy nor ForwardedValues: the CDN would refuse it; edgefetch says so.
  EXPECT_EQ(loaded.warnings[1].path, "DistributionConfig.DefaultCacheBehavior");
  const auto& behavior = loaded.distributions[0].config.default_cache_behavior;
  EXPECT_EQ(behavior.allowed_methods, (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_EQ(behavior.cached_methods, (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_FALSE(behavior.forwards_host_header);
}

TEST(ConfigSamples, UnresolvableIntrinsicsNameTheField) {
  auto loaded = load_distribution_config(sample("cloudformation-unresolved.json"));
  ASSERT_FALSE(loaded.has_value());
  const auto& problems = loaded.error().problems;
  ASSERT_EQ(problems.size(), 2u) << loaded.error().to_string();
  EXPECT_EQ(problems[0].path, "Resources.Cdn.Properties.DistributionConfig.Origins[0].DomainName");
  EXPECT_NE(problems[0].message.find("Fn::GetAtt \"Alb.DNSName\""), std::string::npos) << problems[0].message;
  EXPECT_NE(problems[0].message.find("get-distribution-config"), std::string::npos);
  EXPECT_EQ(problems[1].path, "Resources.Cdn.Properties.DistributionConfig.Origins[1].DomainName");
  EXPECT_NE(problems[1].message.find("Fn::Sub with the variable \"AWS::Region\""), std::string::npos)
      << problems[1].message;
}

TEST(ConfigSamples, ATemplateWithConditionsReadsPerEnvironment) {
  // The Defaults: staging, one origin, the staging cache policy.
  const LoadedConfig staging = load("cloudformation-conditions.yaml");
  ASSERT_EQ(staging.distributions.size(), 1u);
  const DistributionConfig& s = staging.distributions[0].config;
  EXPECT_EQ(s.comment, "staging distribution");
  ASSERT_EQ(s.origins.size(), 1u);
  EXPECT_EQ(s.origins[0].domain_name, "staging-api.example.com");
  EXPECT_EQ(s.origins[0].origin_path, "/staging");
  ASSERT_TRUE(s.origins[0].custom.has_value());
  EXPECT_EQ(s.origins[0].custom->read_timeout_s, 30);
  EXPECT_EQ(s.origins[0].custom->ssl_protocols,
            (std::vector<ProtocolVersion>{ProtocolVersion::tls1_2, ProtocolVersion::tls1_1}));
  EXPECT_TRUE(s.cache_behaviors.empty());
  EXPECT_EQ(s.default_cache_behavior.forwarding.cache_policy_name, "staging-no-cache");
  EXPECT_TRUE(staging.unresolved_policies.empty()) << testing::all(staging.unresolved_policies);

  // Env=prod: the legacy origin and behavior, no OriginPath, and the policy
  // resource is not created (the managed policy is used instead).
  auto loaded = load_distribution_config(sample("cloudformation-conditions.yaml"), nullptr,
                                         TemplateParameters{{{"Env", "prod"}}});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  ASSERT_EQ(loaded->distributions.size(), 1u);
  const DistributionConfig& p = loaded->distributions[0].config;
  EXPECT_EQ(p.comment, "production");
  ASSERT_EQ(p.origins.size(), 2u);
  EXPECT_EQ(p.origins[0].domain_name, "api.example.com");
  EXPECT_EQ(p.origins[0].origin_path, "");
  EXPECT_EQ(p.origins[0].custom->read_timeout_s, 60);
  EXPECT_EQ(p.origins[1].id, "legacy");
  EXPECT_EQ(p.origins[1].domain_name, "legacy-b.example.com");
  ASSERT_TRUE(p.origins[1].custom.has_value());
  EXPECT_EQ(p.origins[1].custom->ssl_protocols, std::vector<ProtocolVersion>{ProtocolVersion::tls1_0});
  ASSERT_EQ(p.cache_behaviors.size(), 1u);
  EXPECT_EQ(p.cache_behaviors[0].path_pattern, "/legacy/*");
  EXPECT_EQ(p.default_cache_behavior.forwarding.cache_policy_name, "Managed-CachingOptimized");
  bool skipped = false;
  for (const auto& warning : loaded->warnings) {
    skipped = skipped || (warning.path == "Resources.StagingCachePolicy" &&
                          warning.message.find("Condition IsStaging is false") != std::string::npos);
  }
  EXPECT_TRUE(skipped) << testing::all(loaded->warnings);
}

TEST(ConfigSamples, AYamlTemplateIsRead) {
  auto loaded = load_distribution_config(sample("cloudformation.yaml"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(loaded->format, SourceFormat::cloudformation);
  ASSERT_EQ(loaded->distributions.size(), 1u);
  const DistributionConfig& config = loaded->distributions[0].config;
  EXPECT_EQ(loaded->distributions[0].name, "Cdn");
  ASSERT_EQ(config.origins.size(), 1u);
  EXPECT_EQ(config.origins[0].domain_name, "www.example.com");
  ASSERT_TRUE(config.origins[0].custom.has_value());
  EXPECT_EQ(config.origins[0].custom->ssl_protocols,
            (std::vector<policy::ProtocolVersion>{policy::ProtocolVersion::tls1_2}));
}

TEST(ConfigSamples, MalformedJsonGivesLineAndColumn) {
  auto loaded = load_distribution_config(sample("malformed.json"));
  ASSERT_FALSE(loaded.has_value());
  ASSERT_EQ(loaded.error().problems.size(), 1u);
  const Problem& problem = loaded.error().problems[0];
  EXPECT_EQ(problem.path, "");
  EXPECT_NE(problem.message.find("malformed JSON at line 7, column 9"), std::string::npos) << problem.message;
}

TEST(ConfigSamples, InvalidValuesAreAllReported) {
  auto loaded = load_distribution_config(sample("invalid-values.json"));
  ASSERT_FALSE(loaded.has_value());
  const auto& problems = loaded.error().problems;
  const std::string o1 = "DistributionConfig.Origins.Items[1]";
  const std::vector<std::string> expected_paths = {
      o1 + ".ConnectionAttempts",
      o1 + ".ConnectionTimeout",
      o1 + ".CustomOriginConfig.HTTPSPort",
      o1 + ".CustomOriginConfig.OriginKeepaliveTimeout",
      o1 + ".CustomOriginConfig.OriginProtocolPolicy",
      o1 + ".CustomOriginConfig.OriginReadTimeout",
      o1 + ".CustomOriginConfig.OriginSslProtocols.Items[1]",
      o1 + ".CustomOriginConfig.OriginSslProtocols.Quantity",
      "DistributionConfig.Origins.Items[2].DomainName",
      "DistributionConfig.Origins.Items[2].Id",
      "DistributionConfig.Origins.Items[3].DomainName",
      "DistributionConfig.CacheBehaviors.Items[0].TargetOriginId",
  };
  std::vector<std::string> paths;
  for (const auto& p : problems) paths.push_back(p.path);
  EXPECT_EQ(paths, expected_paths) << loaded.error().to_string();
  using testing::message_at;
  EXPECT_EQ(message_at(problems, o1 + ".CustomOriginConfig.HTTPSPort"),
            "444 is not allowed; use 80, 443 or 1024-65535");
  EXPECT_EQ(message_at(problems, o1 + ".ConnectionAttempts"), "5 is out of range; use 1-3");
  EXPECT_EQ(message_at(problems, o1 + ".ConnectionTimeout"), "11 is out of range; use 1-10 (seconds)");
  EXPECT_EQ(message_at(problems, o1 + ".CustomOriginConfig.OriginReadTimeout"),
            "180 is out of range; use 1-120 (seconds)");
  EXPECT_EQ(message_at(problems, o1 + ".CustomOriginConfig.OriginSslProtocols.Quantity"),
            "3 does not match the 2 items in Items");
  EXPECT_EQ(message_at(problems, "DistributionConfig.Origins.Items[2].Id"),
            "duplicate origin id \"good\" (also DistributionConfig.Origins.Items[0])");
  EXPECT_EQ(message_at(problems, "DistributionConfig.CacheBehaviors.Items[0].TargetOriginId"),
            "\"nowhere\" names no origin; origin ids are \"bad-values\", \"good\", \"no-domain\"");
}

TEST(ConfigSamples, MissingFileAndDirectory) {
  auto missing = load_distribution_config(sample("does-not-exist.json"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().to_string().find("does-not-exist.json"), std::string::npos);
  EXPECT_NE(missing.error().to_string().find("No such file"), std::string::npos)
      << missing.error().to_string();
  auto directory = load_distribution_config(sample(""));
  ASSERT_FALSE(directory.has_value());
  EXPECT_NE(directory.error().to_string().find("is a directory"), std::string::npos);
}

}  // namespace
}  // namespace edgefetch::config
