// Every rule, each with the exact field path of the problem it reports.

#include <gtest/gtest.h>

#include <string>

#include "config_test_support.hpp"
#include "edgefetch/config/reader.hpp"
#include "edgefetch/config/validate.hpp"

namespace edgefetch::config {
namespace {

using testing::all;
using testing::api_config;
using testing::loaded_from;
using testing::message_at;
using testing::problems_of;

const std::string kOrigin = "DistributionConfig.Origins.Items[0]";
const std::string kCustom = kOrigin + ".CustomOriginConfig";
const std::string kPolicy = R"("OriginProtocolPolicy":"https-only")";

std::string with_policy(std::string_view fields) {
  return kPolicy + "," + std::string(fields);
}

TEST(ConfigValidation, PortsAcceptOnly80And443And1024Up) {
  for (const int port : {80, 443, 1024, 8080, 8443, 65535}) {
    const auto loaded = loaded_from(api_config(with_policy(R"("HTTPSPort":)" + std::to_string(port))));
    ASSERT_EQ(loaded.distributions.size(), 1u) << port;
    EXPECT_EQ(loaded.distributions[0].config.origins[0].custom->https_port, port);
  }
  for (const long long port : {0LL, 1LL, 79LL, 81LL, 442LL, 444LL, 1023LL, 65536LL, -1LL, 4294967296LL}) {
    const auto problems = problems_of(api_config(with_policy(R"("HTTPSPort":)" + std::to_string(port))));
    ASSERT_EQ(problems.size(), 1u) << all(problems);
    EXPECT_EQ(problems[0].path, kCustom + ".HTTPSPort");
    EXPECT_EQ(problems[0].message, std::to_string(port) + " is not allowed; use 80, 443 or 1024-65535");
  }
  const auto problems = problems_of(api_config(with_policy(R"("HTTPPort":22)")));
  EXPECT_EQ(message_at(problems, kCustom + ".HTTPPort"), "22 is not allowed; use 80, 443 or 1024-65535");
}

struct RangeCase {
  const char* field;
  bool on_origin;  // an Origin field rather than a CustomOriginConfig one
  int lowest;
  int highest;
  const char* unit;
};

TEST(ConfigValidation, NumericRangesFollowTheApi) {
  const RangeCase cases[] = {
      {"ConnectionAttempts", true, 1, 3, ""},
      {"ConnectionTimeout", true, 1, 10, " (seconds)"},
      {"OriginReadTimeout", false, 1, 120, " (seconds)"},
      {"OriginKeepaliveTimeout", false, 1, 120, " (seconds)"},
  };
  for (const auto& c : cases) {
    auto config_with = [&](long long value) {
      const std::string field = "\"" + std::string(c.field) + "\":" + std::to_string(value);
      return c.on_origin ? api_config(kPolicy, field + ",") : api_config(with_policy(field));
    };
    const std::string path = (c.on_origin ? kOrigin : kCustom) + "." + c.field;
    for (const int ok : {c.lowest, c.highest}) {
      EXPECT_TRUE(read_distribution_config(config_with(ok)).has_value()) << c.field << "=" << ok;
    }
    for (const long long bad :
         {static_cast<long long>(c.lowest) - 1, static_cast<long long>(c.highest) + 1, 99999999999LL}) {
      const auto problems = problems_of(config_with(bad));
      ASSERT_EQ(problems.size(), 1u) << all(problems);
      EXPECT_EQ(problems[0].path, path);
      EXPECT_EQ(problems[0].message, std::to_string(bad) + " is out of range; use " +
                                         std::to_string(c.lowest) + "-" + std::to_string(c.highest) + c.unit);
    }
  }
}

TEST(ConfigValidation, ReadTimeoutAbove60IsAcceptedAsTheCurrentApiDoes) {
  const auto loaded = loaded_from(api_config(with_policy(R"("OriginReadTimeout":90)")));
  ASSERT_EQ(loaded.distributions.size(), 1u);
  EXPECT_EQ(loaded.distributions[0].config.origins[0].custom->read_timeout_s, 90);
}

TEST(ConfigValidation, ResponseCompletionTimeoutMustCoverTheReadTimeout) {
  auto problems =
      problems_of(api_config(with_policy(R"("OriginReadTimeout":40)"), R"("ResponseCompletionTimeout":30,)"));
  EXPECT_EQ(message_at(problems, kOrigin + ".ResponseCompletionTimeout"),
            "30 is less than OriginReadTimeout (40); it must be at least that");
  problems = problems_of(api_config(kPolicy, R"("ResponseCompletionTimeout":0,)"));
  EXPECT_NE(message_at(problems, kOrigin + ".ResponseCompletionTimeout").find("0 is out of range"),
            std::string::npos);
  const auto loaded = loaded_from(api_config(kPolicy, R"("ResponseCompletionTimeout":300,)"));
  ASSERT_EQ(loaded.distributions.size(), 1u);
  EXPECT_EQ(loaded.distributions[0].config.origins[0].response_completion_timeout_s, 300);
}

TEST(ConfigValidation, SslProtocolsAreTheApiEnumExactly) {
  const std::string list = kCustom + ".OriginSslProtocols";
  for (const char* bad : {"TLSv1.3", "tlsv1.2", "TLS1.2", "TLSv1.0", "SSLv2", ""}) {
    const auto problems = problems_of(api_config(
        with_policy(R"("OriginSslProtocols":{"Quantity":1,"Items":[")" + std::string(bad) + "\"]}")));
    ASSERT_EQ(problems.size(), 1u) << bad << "\n" << all(problems);
    EXPECT_EQ(problems[0].path, list + ".Items[0]");
    EXPECT_NE(problems[0].message.find("use SSLv3, TLSv1, TLSv1.1 or TLSv1.2"), std::string::npos);
  }
  auto problems =
      problems_of(api_config(with_policy(R"("OriginSslProtocols":{"Quantity":2,"Items":["TLSv1.2"]})")));
  EXPECT_EQ(message_at(problems, list + ".Quantity"), "2 does not match the 1 item in Items");
  problems = problems_of(api_config(with_policy(R"("OriginSslProtocols":{"Quantity":1})")));
  EXPECT_EQ(message_at(problems, list + ".Quantity"), "1 does not match the 0 items in Items");
  problems = problems_of(api_config(with_policy(R"("OriginSslProtocols":{"Items":["TLSv1.2"]})")));
  EXPECT_NE(message_at(problems, list + ".Quantity").find("required"), std::string::npos);
  problems = problems_of(api_config(with_policy(R"("OriginSslProtocols":["TLSv1.2"])")));
  EXPECT_EQ(message_at(problems, list), "must be an object with Quantity and Items, not a list");
  problems = problems_of(
      api_config(with_policy(R"("OriginSslProtocols":{"Quantity":2,"Items":["TLSv1","TLSv1"]})")));
  EXPECT_EQ(message_at(problems, list + ".Items[1]"), "\"TLSv1\" is listed twice");
  problems = problems_of(api_config(with_policy(R"("OriginSslProtocols":{"Quantity":0,"Items":[]})")));
  EXPECT_NE(message_at(problems, list).find("lists no protocol"), std::string::npos) << all(problems);
  // http-only never uses them.
  EXPECT_TRUE(read_distribution_config(
                  api_config(R"("OriginProtocolPolicy":"http-only","OriginSslProtocols":{"Quantity":0})"))
                  .has_value());
}

TEST(ConfigValidation, ProtocolPolicyAndIpAddressTypeAreEnums) {
  auto problems = problems_of(api_config(R"("OriginProtocolPolicy":"HTTPS-ONLY")"));
  EXPECT_EQ(message_at(problems, kCustom + ".OriginProtocolPolicy"),
            "\"HTTPS-ONLY\" is not allowed; use http-only, match-viewer or https-only");
  problems = problems_of(api_config(R"("HTTPSPort":443)"));
  EXPECT_NE(message_at(problems, kCustom + ".OriginProtocolPolicy").find("required"), std::string::npos);
  problems = problems_of(api_config(with_policy(R"("IpAddressType":"ipv5")")));
  EXPECT_EQ(message_at(problems, kCustom + ".IpAddressType"),
            "\"ipv5\" is not allowed; use ipv4, ipv6 or dualstack");
}

TEST(ConfigValidation, TypesAreChecked) {
  auto problems = problems_of(api_config(with_policy(R"("HTTPSPort":"443")")));
  EXPECT_EQ(message_at(problems, kCustom + ".HTTPSPort"), "must be a whole number, not a string");
  problems = problems_of(api_config(with_policy(R"("OriginReadTimeout":30.5)")));
  EXPECT_EQ(message_at(problems, kCustom + ".OriginReadTimeout"),
            "must be a whole number written without a fraction or exponent, not 30.5");
  problems = problems_of(api_config(with_policy(R"("OriginReadTimeout":30.0)")));
  EXPECT_EQ(message_at(problems, kCustom + ".OriginReadTimeout"),
            "must be a whole number written without a fraction or exponent, not 30.0");
  // Far too large: said so, not called fractional, and not echoed as LLONG_MAX.
  problems = problems_of(api_config(with_policy(R"("OriginReadTimeout":1e30)")));
  EXPECT_EQ(message_at(problems, kCustom + ".OriginReadTimeout"), "1e+30 is out of range (far too large)");
  problems = problems_of(api_config(with_policy(R"("HTTPSPort":18446744073709551615)")));
  EXPECT_EQ(message_at(problems, kCustom + ".HTTPSPort"),
            "18446744073709551615 is out of range (far too large)");
  problems = problems_of(api_config(with_policy(R"("HTTPSPort":9223372036854775808)")));
  EXPECT_EQ(message_at(problems, kCustom + ".HTTPSPort"),
            "9223372036854775808 is out of range (far too large)");
  problems = problems_of(api_config(R"("OriginProtocolPolicy":7)"));
  EXPECT_EQ(message_at(problems, kCustom + ".OriginProtocolPolicy"), "must be a string, not a number");
  problems =
      problems_of(R"({"Origins":{"Quantity":1,"Items":[{"Id":5,"DomainName":null,"S3OriginConfig":{}}]},
      "DefaultCacheBehavior":{"TargetOriginId":"x","ViewerProtocolPolicy":"allow-all"}})");
  EXPECT_EQ(message_at(problems, kOrigin + ".Id"), "must be a string, not a number");
  EXPECT_EQ(message_at(problems, kOrigin + ".DomainName"), "must be a string, not null");
  problems = problems_of(R"({"Origins":{"Quantity":1,"Items":["o.example.com"]},
      "DefaultCacheBehavior":{"TargetOriginId":"x","ViewerProtocolPolicy":"allow-all"}})");
  EXPECT_EQ(message_at(problems, kOrigin), "must be an object, not a string");
  problems = problems_of(R"({"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":"o.example.com",
      "S3OriginConfig":{}}]},"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all"},
      "Enabled":"yes"})");
  EXPECT_EQ(message_at(problems, "DistributionConfig.Enabled"), "must be true or false, not a string");
}

TEST(ConfigValidation, RequiredFields) {
  auto problems = problems_of(R"({"Origins":{"Quantity":1,"Items":[{"CustomOriginConfig":
      {"OriginProtocolPolicy":"https-only"}}]}, "DefaultCacheBehavior":{}})");
  EXPECT_NE(message_at(problems, kOrigin + ".Id").find("required"), std::string::npos) << all(problems);
  EXPECT_NE(message_at(problems, kOrigin + ".DomainName").find("required"), std::string::npos);
  EXPECT_NE(message_at(problems, "DistributionConfig.DefaultCacheBehavior.TargetOriginId").find("required"),
            std::string::npos);
  EXPECT_NE(
      message_at(problems, "DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy").find("required"),
      std::string::npos);
  EXPECT_EQ(problems.size(), 4u) << all(problems);

  problems =
      problems_of(R"({"DefaultCacheBehavior":{"TargetOriginId":"a","ViewerProtocolPolicy":"allow-all"}})");
  EXPECT_EQ(message_at(problems, "DistributionConfig.Origins"), "required but missing");
  problems = problems_of(R"({"Origins":{"Quantity":0},"DefaultCacheBehavior":{"TargetOriginId":"a",
      "ViewerProtocolPolicy":"allow-all"}})");
  EXPECT_EQ(message_at(problems, "DistributionConfig.Origins"), "lists no origin; at least one is required");
  problems = problems_of(R"({"Origins":{"Quantity":1,"Items":[{"Id":"a","DomainName":"a.example.com",
      "S3OriginConfig":{}}]}})");
  EXPECT_EQ(message_at(problems, "DistributionConfig.DefaultCacheBehavior"), "required but missing");
  problems = problems_of(R"({"Origins":{"Quantity":1,"Items":[{"Id":"a","DomainName":"a.example.com"}]},
      "DefaultCacheBehavior":{"TargetOriginId":"a","ViewerProtocolPolicy":"allow-all"}})");
  EXPECT_EQ(message_at(problems, kOrigin),
            "needs one of CustomOriginConfig, S3OriginConfig or VpcOriginConfig");
  EXPECT_EQ(problems.size(), 1u) << all(problems);
  problems = problems_of(api_config(kPolicy, R"("S3OriginConfig":{},)"));
  EXPECT_NE(message_at(problems, kOrigin).find("more than one"), std::string::npos);
}

TEST(ConfigValidation, OriginIdsAndTargets) {
  const auto problems = problems_of(R"({"Origins":{"Quantity":3,"Items":[
      {"Id":"a","DomainName":"a.example.com","S3OriginConfig":{}},
      {"Id":"b","DomainName":"b.example.com","S3OriginConfig":{}},
      {"Id":"a","DomainName":"c.example.com","S3OriginConfig":{}}]},
      "DefaultCacheBehavior":{"TargetOriginId":"c","ViewerProtocolPolicy":"allow-all"},
      "CacheBehaviors":{"Quantity":2,"Items":[
        {"PathPattern":"/b/*","TargetOriginId":"b","ViewerProtocolPolicy":"allow-all"},
        {"TargetOriginId":"B","ViewerProtocolPolicy":"allow-all"}]}})");
  EXPECT_EQ(message_at(problems, "DistributionConfig.Origins.Items[2].Id"),
            "duplicate origin id \"a\" (also DistributionConfig.Origins.Items[0])");
  EXPECT_EQ(message_at(problems, "DistributionConfig.DefaultCacheBehavior.TargetOriginId"),
            "\"c\" names no origin; origin ids are \"a\", \"b\"");
  EXPECT_EQ(message_at(problems, "DistributionConfig.CacheBehaviors.Items[1].TargetOriginId"),
            "\"B\" names no origin; origin ids are \"a\", \"b\"")
      << "ids are case-sensitive";
  EXPECT_NE(message_at(problems, "DistributionConfig.CacheBehaviors.Items[1].PathPattern").find("required"),
            std::string::npos);
  EXPECT_EQ(problems.size(), 4u) << all(problems);
}

// The first behavior whose pattern matches takes the request, and patterns are
// matched without their leading '/': a later one with the same pattern is
// never used. The facts do not say the CDN refuses it: a warning naming both.
TEST(ConfigValidation, ADuplicatePathPatternIsWarnedAboutNamingBothBehaviors) {
  const auto loaded = loaded_from(R"({"Origins":{"Quantity":1,"Items":[
      {"Id":"a","DomainName":"a.example.com","S3OriginConfig":{}}]},
      "DefaultCacheBehavior":{"TargetOriginId":"a","ViewerProtocolPolicy":"allow-all",
        "CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad"},
      "CacheBehaviors":{"Quantity":4,"Items":[
        {"PathPattern":"/img/*","TargetOriginId":"a","ViewerProtocolPolicy":"allow-all",
         "CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad"},
        {"PathPattern":"/api/*","TargetOriginId":"a","ViewerProtocolPolicy":"allow-all",
         "CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad"},
        {"PathPattern":"/img/*","TargetOriginId":"a","ViewerProtocolPolicy":"https-only",
         "CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad"},
        {"PathPattern":"api/*","TargetOriginId":"a","ViewerProtocolPolicy":"https-only",
         "CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}]}})");
  ASSERT_EQ(loaded.warnings.size(), 2u) << all(loaded.warnings);
  EXPECT_EQ(loaded.warnings[0].path, "DistributionConfig.CacheBehaviors.Items[2].PathPattern");
  EXPECT_EQ(loaded.warnings[0].message,
            "\"/img/*\" is also the PathPattern of DistributionConfig.CacheBehaviors.Items[0].PathPattern, "
            "which comes first, so no request reaches this behavior");
  EXPECT_EQ(loaded.warnings[1].path, "DistributionConfig.CacheBehaviors.Items[3].PathPattern");
  EXPECT_EQ(loaded.warnings[1].message,
            "\"api/*\" matches the same paths as DistributionConfig.CacheBehaviors.Items[1].PathPattern "
            "(\"/api/*\"), which comes first, so no request reaches this behavior");
  // Routing agrees: the second /img/* behavior (https-only) is never chosen.
  const auto& config = loaded.distributions.at(0).config;
  EXPECT_EQ(&config.behavior_for_path("/img/a.png"), &config.cache_behaviors.at(0));
  EXPECT_EQ(&config.behavior_for_path("/api/x"), &config.cache_behaviors.at(1));
}

TEST(ConfigValidation, OriginGroupsAreTargetsAndFollowTheCdnsRules) {
  const std::string origins = R"("Origins":{"Quantity":2,"Items":[
      {"Id":"a","DomainName":"a.example.com","S3OriginConfig":{}},
      {"Id":"b","DomainName":"b.example.com","S3OriginConfig":{}}]})";
  const auto group = [](const std::string& id, const std::string& members, const std::string& codes) {
    return R"({"Id":")" + id + R"(","FailoverCriteria":{"StatusCodes":{"Quantity":)" +
           std::to_string(std::count(codes.begin(), codes.end(), ',') + (codes.empty() ? 0 : 1)) +
           R"(,"Items":[)" + codes + R"(]}},"Members":{"Quantity":)" +
           std::to_string(std::count(members.begin(), members.end(), '{')) + R"(,"Items":[)" + members +
           "]}}";
  };
  const std::string two = R"({"OriginId":"a"},{"OriginId":"b"})";
  const auto config = [&](const std::string& groups, const std::string& target) {
    return "{" + origins + R"(,"OriginGroups":{"Quantity":1,"Items":[)" + groups +
           R"(]},"DefaultCacheBehavior":{"TargetOriginId":")" + target +
           R"(","ViewerProtocolPolicy":"allow-all"}})";
  };
  const LoadedConfig loaded = loaded_from(config(group("g", two, "500,503"), "g"));
  ASSERT_EQ(loaded.distributions.size(), 1U);
  const DistributionConfig& distribution = loaded.distributions[0].config;
  const auto targets = distribution.target_origins("g");
  ASSERT_EQ(targets.size(), 2U);
  EXPECT_EQ(targets[0]->id, "a");
  ASSERT_NE(distribution.find_origin_group("g"), nullptr);
  EXPECT_TRUE(distribution.find_origin_group("g")->fails_over_on(503));
  EXPECT_FALSE(distribution.find_origin_group("g")->fails_over_on(502));

  const std::string groups = "DistributionConfig.OriginGroups.Items[0]";
  EXPECT_NE(
      message_at(problems_of(config(group("g", R"({"OriginId":"a"})", "500"), "g")), groups + ".Members")
          .find("exactly two"),
      std::string::npos);
  EXPECT_EQ(message_at(problems_of(config(group("g", R"({"OriginId":"a"},{"OriginId":"z"})", "500"), "g")),
                       groups + ".Members.Items[1].OriginId"),
            "\"z\" names no origin");
  EXPECT_NE(message_at(problems_of(config(group("g", two, "501"), "g")),
                       groups + ".FailoverCriteria.StatusCodes.Items[0]")
                .find("cannot trigger failover"),
            std::string::npos);
  EXPECT_NE(
      message_at(problems_of(config(group("a", two, "500"), "a")), groups + ".Id").find("also an origin"),
      std::string::npos);
}

TEST(ConfigValidation, AnUnknownTargetNamesAFewOriginIdsNotAllOfThem) {
  // Every unknown target's message listed every id: 3000 of each made 78 MB.
  std::string origins;
  for (int i = 0; i < 20; ++i) {
    origins += std::string(i == 0 ? "" : ",") + R"({"Id":"o)" + std::to_string(i + 10) +
               R"(","DomainName":"o.example.com","S3OriginConfig":{}})";
  }
  const auto problems = problems_of(R"({"Origins":{"Quantity":20,"Items":[)" + origins + R"(]},
      "DefaultCacheBehavior":{"TargetOriginId":"nope","ViewerProtocolPolicy":"allow-all"}})");
  EXPECT_EQ(message_at(problems, "DistributionConfig.DefaultCacheBehavior.TargetOriginId"),
            "\"nope\" names no origin; origin ids are \"o10\", \"o11\", \"o12\", \"o13\", \"o14\", \"o15\", "
            "\"o16\", \"o17\" and 12 more");
}

TEST(ConfigValidation, DomainNames) {
  auto config_with_domain = [](const std::string& name) {
    return R"({"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":")" + name +
           R"(","CustomOriginConfig":{"OriginProtocolPolicy":"https-only"}}]},
           "DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all"}})";
  };
  auto problem_for = [&](const std::string& name) {
    const auto problems = problems_of(config_with_domain(name));
    return message_at(problems, kOrigin + ".DomainName");
  };
  EXPECT_EQ(
      problem_for("exa mple.com"),
      "\"exa mple.com\" contains \" \" at position 4; a domain name may contain only a-z, A-Z, 0-9, '.', "
      "'-' and '_'");
  EXPECT_EQ(
      problem_for("origin.example.com:8443"),
      "\"origin.example.com:8443\" contains \":\" at position 19; a domain name may contain only a-z, A-Z, "
      "0-9, '.', '-' and '_'");
  EXPECT_EQ(
      problem_for("https://origin.example.com"),
      "\"https://origin.example.com\" is a URL; give only the host name, without \"https://\" or a path");
  // A byte that is not printable ASCII is shown as \xNN (JSON's \u00e9 is two UTF-8 bytes).
  EXPECT_EQ(problem_for("caf\\u00e9.example"),
            "\"caf\\xc3\\xa9.example\" contains \"\\xc3\" at position 4; a domain name may contain only a-z, "
            "A-Z, 0-9, '.', '-' and '_'");
  EXPECT_EQ(problem_for(std::string(129, 'a')), "is 129 characters long; the maximum is 128");
  EXPECT_NE(problem_for(".example.com").find("empty label"), std::string::npos);
  EXPECT_NE(problem_for("a..example.com").find("empty label"), std::string::npos);
  EXPECT_NE(problem_for("").find("required"), std::string::npos);
  // The CDN's API refuses IP addresses, in every form a resolver reads as one.
  for (const char* address : {"127.0.0.1", "2130706433", "0x7f.0.0.1", "10.1"}) {
    const std::string problem = problem_for(address);
    EXPECT_EQ(problem.find("\"" + std::string(address) + "\" is an IP address"), 0U) << problem;
    EXPECT_NE(problem.find("--resolve NAME:PORT:ADDRESS"), std::string::npos) << problem;
  }
  for (const std::string& ok : {std::string(128, 'a'), std::string("Origin_1-a.Example.COM"),
                                std::string("1.example.com"), std::string("origin-1.test")}) {
    EXPECT_TRUE(read_distribution_config(config_with_domain(ok)).has_value()) << ok;
  }
}

TEST(ConfigValidation, OriginPath) {
  auto problem_for = [](const std::string& path) {
    const auto problems = problems_of(api_config(kPolicy, "\"OriginPath\":\"" + path + "\","));
    return message_at(problems, kOrigin + ".OriginPath");
  };
  EXPECT_EQ(problem_for("production"), "\"production\" must start with '/' (e.g. \"/production\")");
  EXPECT_EQ(problem_for("/production/"), "\"/production/\" must not end with '/'");
  EXPECT_NE(problem_for("/a b").find("contains \" \""), std::string::npos);
  EXPECT_NE(problem_for("/a?x=1").find("contains \"?\""), std::string::npos);
  const auto loaded = loaded_from(api_config(kPolicy, R"("OriginPath":"/production/v2",)"));
  ASSERT_EQ(loaded.distributions.size(), 1u);
  EXPECT_EQ(loaded.distributions[0].config.origins[0].origin_path, "/production/v2");
}

TEST(ConfigValidation, CustomHeaders) {
  auto headers = [](const std::string& items, int quantity) {
    return api_config(kPolicy, R"("CustomHeaders":{"Quantity":)" + std::to_string(quantity) +
                                   R"(,"Items":[)" + items + "]},");
  };
  const std::string at = kOrigin + ".CustomHeaders.Items";
  auto problems = problems_of(headers(R"({"HeaderName":"Host","HeaderValue":"x"})", 1));
  EXPECT_EQ(message_at(problems, at + "[0].HeaderName"), "\"Host\" cannot be set as an origin custom header");
  problems = problems_of(headers(R"({"HeaderName":"X-Amz-Cf-Id","HeaderValue":"x"})", 1));
  EXPECT_EQ(message_at(problems, at + "[0].HeaderName"),
            "\"X-Amz-Cf-Id\" cannot be set as an origin custom header");
  problems = problems_of(headers(R"({"HeaderName":"Bad Name","HeaderValue":"x"})", 1));
  EXPECT_EQ(message_at(problems, at + "[0].HeaderName"), "\"Bad Name\" is not a valid header name");
  problems = problems_of(headers(R"({"HeaderName":"X-A","HeaderValue":"a\r\nInjected: 1"})", 1));
  EXPECT_EQ(message_at(problems, at + "[0].HeaderValue"), "contains a control character; remove it");
  problems = problems_of(
      headers(R"({"HeaderName":"X-A","HeaderValue":"1"},{"HeaderName":"x-a","HeaderValue":"2"})", 2));
  EXPECT_EQ(message_at(problems, at + "[1].HeaderName"), "\"x-a\" is already set by " + at + "[0]");
  problems = problems_of(headers(R"({"HeaderName":"X-A"})", 1));
  EXPECT_EQ(message_at(problems, at + "[0].HeaderValue"), "required but missing");
  std::string eleven;
  for (int i = 0; i < 11; ++i)
    eleven +=
        (i ? "," : "") + std::string(R"({"HeaderName":"X-H)") + std::to_string(i) + R"(","HeaderValue":"v"})";
  problems = problems_of(headers(eleven, 11));
  EXPECT_EQ(message_at(problems, kOrigin + ".CustomHeaders"), "11 headers; the maximum is 10");
  problems =
      problems_of(headers(R"({"HeaderName":"X-Big","HeaderValue":")" + std::string(1784, 'v') + "\"}", 1));
  EXPECT_EQ(message_at(problems, at + "[0].HeaderValue"), "is 1784 characters long; the maximum is 1783");
}

TEST(ConfigValidation, MethodsAndHostForwarding) {
  auto behavior = [](const std::string& fields) {
    return R"({"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":"o.example.com","S3OriginConfig":{}}]},
        "DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all",)" +
           fields + "}}";
  };
  const std::string at = "DistributionConfig.DefaultCacheBehavior";
  auto problems = problems_of(behavior(R"("AllowedMethods":{"Quantity":2,"Items":["GET","POST"]})"));
  EXPECT_NE(message_at(problems, at + ".AllowedMethods").find("is not a set the CDN accepts"),
            std::string::npos);
  problems = problems_of(behavior(R"("AllowedMethods":{"Quantity":3,"Items":["GET","HEAD","FETCH"]})"));
  EXPECT_EQ(message_at(problems, at + ".AllowedMethods.Items[2]"),
            "\"FETCH\" is not allowed; use GET, HEAD, OPTIONS, PUT, PATCH, POST or DELETE");
  problems = problems_of(behavior(
      R"("AllowedMethods":{"Quantity":2,"Items":["GET","HEAD"],"CachedMethods":{"Quantity":3,"Items":["GET","HEAD","OPTIONS"]}})"));
  EXPECT_EQ(message_at(problems, at + ".AllowedMethods.CachedMethods"),
            "includes OPTIONS, which AllowedMethods does not");
  std::string bad_viewer_policy = behavior(R"("CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad")");
  bad_viewer_policy.replace(bad_viewer_policy.find("allow-all"), 9, "https");
  problems = problems_of(bad_viewer_policy);
  EXPECT_EQ(message_at(problems, at + ".ViewerProtocolPolicy"),
            "\"https\" is not allowed; use allow-all, redirect-to-https or https-only");

  auto host = [&](const std::string& fields) {
    const auto loaded = loaded_from(behavior(fields));
    return loaded.distributions.empty() ? CacheBehavior{}
                                        : loaded.distributions[0].config.default_cache_behavior;
  };
  EXPECT_TRUE(host(R"("ForwardedValues":{"QueryString":false,"Headers":{"Quantity":1,"Items":["host"]}})")
                  .forwards_host_header);
  EXPECT_TRUE(host(R"("ForwardedValues":{"QueryString":false,"Headers":{"Quantity":1,"Items":["*"]}})")
                  .forwards_host_header);
  EXPECT_FALSE(host(R"("ForwardedValues":{"QueryString":false,"Headers":{"Quantity":1,"Items":["Origin"]}})")
                   .forwards_host_header);
  EXPECT_FALSE(
      host(R"("ForwardedValues":{"QueryString":false,"Headers":{"Quantity":0}})").forwards_host_header);
  EXPECT_TRUE(host(R"("OriginRequestPolicyId":"216adef6-5c7f-47e4-b989-5492eafa07d3")").forwards_host_header);
  EXPECT_TRUE(host(R"("OriginRequestPolicyId":"33f36d7e-f396-46d9-90e0-52428a34d9dc")").forwards_host_header);
  EXPECT_FALSE(
      host(R"("OriginRequestPolicyId":"b689b0a8-53d0-40ab-baf2-68738e2966ac")").forwards_host_header);
  EXPECT_FALSE(host(R"("OriginRequestPolicyId":"")").origin_request_policy_id.has_value());
  const auto custom =
      loaded_from(behavior(R"("OriginRequestPolicyId":"0123abcd-0000-4000-8000-000000000000")"));
  ASSERT_EQ(custom.distributions.size(), 1u);
  EXPECT_FALSE(custom.distributions[0].config.default_cache_behavior.forwards_host_header);
  EXPECT_EQ(custom.distributions[0].config.default_cache_behavior.host_forwarding,
            HostForwarding::unknown_request_policy);
  ASSERT_EQ(custom.warnings.size(), 1u);
  EXPECT_EQ(custom.warnings[0].path, at + ".OriginRequestPolicyId");
}

TEST(ConfigValidation, OtherSpellingIsPointedOut) {
  auto problems = problems_of(api_config(with_policy(R"("OriginSSLProtocols":["TLSv1.2"])")));
  EXPECT_EQ(message_at(problems, kCustom + ".OriginSSLProtocols"),
            "is not a field in the API's JSON; it is spelled OriginSslProtocols (with Quantity and Items)");
  problems = problems_of(R"({"Resources":{"Cdn":{"Type":"AWS::CloudFront::Distribution","Properties":{
      "DistributionConfig":{"Origins":[{"Id":"o","DomainName":"o.example.com","CustomHeaders":[],
      "CustomOriginConfig":{"OriginProtocolPolicy":"https-only","OriginSslProtocols":{"Quantity":1,"Items":["TLSv1.2"]}}}],
      "DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all"}}}}}})");
  const std::string cfn = "Resources.Cdn.Properties.DistributionConfig.Origins[0]";
  EXPECT_EQ(message_at(problems, cfn + ".CustomOriginConfig.OriginSslProtocols"),
            "is not a field in CloudFormation; it is spelled OriginSSLProtocols (a plain list)");
  EXPECT_EQ(message_at(problems, cfn + ".CustomHeaders"),
            "is not a field in CloudFormation; it is spelled OriginCustomHeaders");
}

TEST(ConfigValidation, CloudFormationPathsAndCoercions) {
  const std::string base = "Resources.Cdn.Properties.DistributionConfig";
  auto problems = problems_of(R"({"Resources":{"Cdn":{"Type":"AWS::CloudFront::Distribution","Properties":{
      "DistributionConfig":{"Origins":[{"Id":"o","DomainName":"o.example.com",
      "CustomOriginConfig":{"OriginProtocolPolicy":"https-only","HTTPSPort":"444","OriginSSLProtocols":["TLSv1.2","TLSv13"]}}],
      "DefaultCacheBehavior":{"TargetOriginId":{"Ref":"OriginId"},"ViewerProtocolPolicy":"allow-all",
      "AllowedMethods":["GET","HEAD","OPTIONS"],"CachedMethods":["GET","HEAD","POST"]}}}}}})");
  EXPECT_EQ(message_at(problems, base + ".Origins[0].CustomOriginConfig.HTTPSPort"),
            "444 is not allowed; use 80, 443 or 1024-65535");
  EXPECT_NE(
      message_at(problems, base + ".Origins[0].CustomOriginConfig.OriginSSLProtocols[1]").find("\"TLSv13\""),
      std::string::npos);
  EXPECT_NE(message_at(problems, base + ".DefaultCacheBehavior.TargetOriginId")
                .find("Ref \"OriginId\" names no Parameter, pseudo parameter or resource"),
            std::string::npos);
  EXPECT_NE(message_at(problems, base + ".DefaultCacheBehavior.CachedMethods").find("not a set"),
            std::string::npos);
  EXPECT_EQ(problems.size(), 4u) << all(problems);
  problems = problems_of(R"({"Resources":{"Cdn":{"Type":"AWS::CloudFront::Distribution","Properties":{
      "DistributionConfig":{"Origins":[{"Id":"o","DomainName":"o.example.com",
      "CustomOriginConfig":{"OriginProtocolPolicy":"https-only","HTTPSPort":"44x3"}}],
      "DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all"}}}}}})");
  EXPECT_EQ(message_at(problems, base + ".Origins[0].CustomOriginConfig.HTTPSPort"),
            "\"44x3\" is not a whole number");
}

TEST(ConfigValidation, ValidateOnAModelBuiltInCode) {
  DistributionConfig config;
  Origin origin;
  origin.id = "web";
  origin.domain_name = "www.example.com";
  origin.custom = CustomOriginConfig{};
  origin.custom->https_port = 444;
  origin.connection_attempts = 4;
  config.origins.push_back(origin);
  origin.custom->https_port = 443;
  origin.connection_attempts = 3;
  config.origins.push_back(origin);
  config.default_cache_behavior.target_origin_id = "web";
  CacheBehavior images;
  images.path_pattern = "/img/*";
  images.target_origin_id = "img";
  config.cache_behaviors.push_back(images);

  const auto api = validate(config);
  EXPECT_EQ(message_at(api, "DistributionConfig.Origins.Items[0].CustomOriginConfig.HTTPSPort"),
            "444 is not allowed; use 80, 443 or 1024-65535");
  EXPECT_EQ(message_at(api, "DistributionConfig.Origins.Items[0].ConnectionAttempts"),
            "4 is out of range; use 1-3");
  EXPECT_EQ(message_at(api, "DistributionConfig.Origins.Items[1].Id"),
            "duplicate origin id \"web\" (also DistributionConfig.Origins.Items[0])");
  EXPECT_EQ(message_at(api, "DistributionConfig.CacheBehaviors.Items[0].TargetOriginId"),
            "\"img\" names no origin; origin ids are \"web\"");
  EXPECT_EQ(api.size(), 4u) << all(api);

  const auto cfn = validate(config, Spelling::cloudformation, "Resources.Cdn.Properties.DistributionConfig");
  EXPECT_NE(
      message_at(cfn, "Resources.Cdn.Properties.DistributionConfig.Origins[0].CustomOriginConfig.HTTPSPort"),
      "<none>");
  EXPECT_NE(message_at(cfn, "Resources.Cdn.Properties.DistributionConfig.CacheBehaviors[0].TargetOriginId"),
            "<none>");

  config.origins.pop_back();
  config.origins[0].custom->https_port = 443;
  config.origins[0].connection_attempts = 3;
  config.cache_behaviors.clear();
  EXPECT_TRUE(validate(config).empty()) << all(validate(config));
}

}  // namespace
}  // namespace edgefetch::config
