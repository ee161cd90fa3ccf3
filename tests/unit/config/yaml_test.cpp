// YAML input: a template or policy written in YAML reads exactly as the same
// input in JSON; CloudFormation's short forms become the long ones; scalars
// are typed as YAML 1.1 types them; and a YAML that is not a config fails
// with a line and column, never with a crash or a hang.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "config/yaml_text.hpp"
#include "config_test_support.hpp"
#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {
namespace {

using testing::problems_of;
using testing::sample;
using Json = nlohmann::json;

Json yaml(std::string_view text) {
  auto parsed = detail::parse_yaml_text(text, "a test document");
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : Json();
}

std::string yaml_problem(std::string_view text) {
  auto parsed = detail::parse_yaml_text(text, "a test document");
  EXPECT_FALSE(parsed.has_value()) << "accepted: " << text;
  return parsed ? "<accepted>" : parsed.error().message;
}

// Everything the reader took from a config, as text, to compare two inputs.
std::string summary(const LoadedConfig& loaded) {
  std::string out = "format " + std::to_string(static_cast<int>(loaded.format)) + "\n";
  for (const Distribution& d : loaded.distributions) {
    out += "distribution " + d.name + " at " + d.path + " comment '" + d.config.comment + "'\n";
    for (const Origin& o : d.config.origins) {
      out += "  origin " + o.id + " " + o.domain_name + o.origin_path + " attempts " +
             std::to_string(o.connection_attempts) + " timeout " + std::to_string(o.connection_timeout_s);
      for (const CustomHeader& h : o.custom_headers) out += " header " + h.name + "=" + h.value;
      if (o.custom) {
        out += " http " + std::to_string(o.custom->http_port) + " https " +
               std::to_string(o.custom->https_port) + " policy " +
               std::to_string(static_cast<int>(o.custom->protocol_policy)) + " read " +
               std::to_string(o.custom->read_timeout_s) + " keepalive " +
               std::to_string(o.custom->keepalive_timeout_s) + " versions";
        for (const auto v : o.custom->ssl_protocols) out += " " + std::to_string(static_cast<int>(v));
      }
      out += "\n";
    }
    std::vector<const CacheBehavior*> behaviors{&d.config.default_cache_behavior};
    for (const CacheBehavior& b : d.config.cache_behaviors) behaviors.push_back(&b);
    for (const CacheBehavior* b : behaviors) {
      out += "  behavior " + b->path_pattern + " -> " + b->target_origin_id + " host " +
             std::to_string(b->forwards_host_header) + " methods";
      for (const auto& m : b->allowed_methods) out += " " + m;
      out += " cache " + b->cache_policy_id.value_or("-") + " request " +
             b->origin_request_policy_id.value_or("-") + " source " +
             std::to_string(static_cast<int>(b->forwarding.source)) + "\n";
    }
  }
  for (const Problem& w : loaded.warnings) out += "warning " + w.to_string() + "\n";
  return out;
}

TEST(YamlConfig, ATemplateInYamlReadsAsTheSameTemplateInJson) {
  auto from_json = load_distribution_config(sample("cloudformation.json"));
  auto from_yaml = load_distribution_config(sample("cloudformation-template.yaml"));
  ASSERT_TRUE(from_json.has_value()) << from_json.error().to_string();
  ASSERT_TRUE(from_yaml.has_value()) << from_yaml.error().to_string();
  EXPECT_EQ(from_yaml->format, SourceFormat::cloudformation);
  EXPECT_EQ(from_yaml->spelling, Spelling::cloudformation);
  ASSERT_EQ(from_yaml->distributions.size(), 2u);
  const auto web = std::find_if(from_yaml->distributions.begin(), from_yaml->distributions.end(),
                                [](const Distribution& d) { return d.name == "WebDistribution"; });
  ASSERT_NE(web, from_yaml->distributions.end());
  EXPECT_EQ(web->config.origins.at(1).domain_name, "legacy.example.com") << "!Join";
  EXPECT_EQ(web->config.cache_behaviors.at(2).allowed_methods.size(), 7u)
      << "the alias of the default's list";
  EXPECT_EQ(summary(*from_yaml), summary(*from_json));
}

TEST(YamlConfig, ShortFormsBecomeTheLongForms) {
  const Json document = yaml(
      "a: !Ref Origin\n"
      "b: !GetAtt Alb.DNSName\n"
      "c: !Sub [\"${X}.example.com\", {X: !Ref Name}]\n"
      "d: !If [IsProd, prod.example.com, !Ref AWS::NoValue]\n"
      "e: !Join ['', [a, b]]\n"
      "f: !Condition IsProd\n"
      "g: !ImportValue SharedDomain\n");
  EXPECT_EQ(document["a"], (Json{{"Ref", "Origin"}}));
  EXPECT_EQ(document["b"], (Json{{"Fn::GetAtt", "Alb.DNSName"}}));
  EXPECT_EQ(document["c"], Json::parse(R"({"Fn::Sub":["${X}.example.com",{"X":{"Ref":"Name"}}]})"));
  EXPECT_EQ(document["d"], Json::parse(R"({"Fn::If":["IsProd","prod.example.com",{"Ref":"AWS::NoValue"}]})"));
  EXPECT_EQ(document["e"], Json::parse(R"({"Fn::Join":["",["a","b"]]})"));
  EXPECT_EQ(document["f"], (Json{{"Condition", "IsProd"}}));
  EXPECT_EQ(document["g"], (Json{{"Fn::ImportValue", "SharedDomain"}}));
}

TEST(YamlConfig, ScalarsAreTypedAsYaml11TypesThem) {
  const Json document = yaml(
      "int: 443\n"
      "negative: -5\n"
      "signed: +7\n"
      "quoted: \"443\"\n"
      "single: '443'\n"
      "float: 1.5\n"
      "exponent: 1e3\n"
      "yes: yes\n"
      "off: Off\n"
      "true: true\n"
      "tilde: ~\n"
      "empty:\n"
      "null_word: null\n"
      "hex: 0x1F\n"
      "version: 1.2.3\n"
      "huge: 99999999999999999999999\n"
      "tagged_str: !!str 443\n"
      "tagged_int: !!int \"12\"\n"
      "date: 2010-09-09\n"
      "uuid: 658327ea-f89d-4fab-a63d-7e88639e58f6\n"
      "literal: |\n  two\n  lines\n");
  EXPECT_EQ(document["int"], Json(443));
  EXPECT_EQ(document["negative"], Json(-5));
  EXPECT_EQ(document["signed"], Json(7));
  EXPECT_EQ(document["quoted"], Json("443"));
  EXPECT_EQ(document["single"], Json("443"));
  EXPECT_EQ(document["float"], Json(1.5));
  EXPECT_EQ(document["exponent"], Json(1000.0));
  EXPECT_EQ(document["yes"], Json(true)) << "keys stay text; values are typed";
  EXPECT_EQ(document["off"], Json(false));
  EXPECT_EQ(document["true"], Json(true));
  EXPECT_TRUE(document["tilde"].is_null());
  EXPECT_TRUE(document["empty"].is_null());
  EXPECT_TRUE(document["null_word"].is_null());
  EXPECT_EQ(document["hex"], Json("0x1F"));
  EXPECT_EQ(document["version"], Json("1.2.3"));
  EXPECT_TRUE(document["huge"].is_number_float()) << document["huge"];
  EXPECT_EQ(document["tagged_str"], Json("443"));
  EXPECT_EQ(document["tagged_int"], Json(12));
  EXPECT_EQ(document["date"], Json("2010-09-09"));
  EXPECT_EQ(document["uuid"], Json("658327ea-f89d-4fab-a63d-7e88639e58f6"));
  EXPECT_EQ(document["literal"], Json("two\nlines\n"));
}

TEST(YamlConfig, WhatIsNotAConfigSaysWhereAndWhy) {
  EXPECT_EQ(yaml_problem("a: 1\na: 2\n"),
            "the field 'a' appears twice in one mapping (the second at line 2, column 1)");
  EXPECT_EQ(
      yaml_problem("a: 1\n---\nb: 2\n"),
      "a second YAML document starts at line 2, column 1; the file must hold one document (a test document)");
  EXPECT_NE(yaml_problem("a: !Foo x\n").find("unknown tag !Foo at line 1, column 4"), std::string::npos);
  EXPECT_NE(yaml_problem("a: [1, 2\n").find("malformed YAML at line 2, column 1"), std::string::npos);
  EXPECT_NE(yaml_problem("a:\n\tb: 1\n").find("YAML indents with spaces, not tabs"), std::string::npos);
  EXPECT_NE(yaml_problem("a: *nowhere\n").find("the alias *nowhere names no anchor"), std::string::npos);
  EXPECT_NE(yaml_problem("? [a, b]\n: 1\n").find("field names must be plain text"), std::string::npos);
  EXPECT_NE(yaml_problem("!Ref x: 1\n").find("field names must be plain text"), std::string::npos);
  EXPECT_NE(yaml_problem("a: !!int twelve\n").find("tagged !!int"), std::string::npos);
  EXPECT_NE(yaml_problem("# nothing but a comment\n").find("holds no YAML document"), std::string::npos);
  EXPECT_NE(yaml_problem("hello world\n").find("neither JSON"), std::string::npos);
  EXPECT_NE(yaml_problem("- a\n- b\n").find("with a list"), std::string::npos);
  EXPECT_NE(yaml_problem(std::string("a: \"\xff\"\n")).find("malformed YAML at byte"), std::string::npos);
}

TEST(YamlConfig, DeepNestingIsRefusedBeforeItRecurses) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "[";
  deep = "a: " + deep;
  EXPECT_NE(yaml_problem(deep).find("nested more than"), std::string::npos);
  std::string indented;
  for (int i = 0; i < 200; ++i) indented += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
  EXPECT_NE(yaml_problem(indented).find("nested more than"), std::string::npos);
}

TEST(YamlConfig, AnAliasBombStopsAtTheValueLimit) {
  // Each level doubles the one before: 2^40 values if expanded.
  std::string bomb = "l0: &l0 [x, x]\n";
  for (int i = 1; i <= 40; ++i) {
    bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*l" + std::to_string(i - 1) + ", *l" +
            std::to_string(i - 1) + "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NE(yaml_problem(bomb).find("once its aliases are expanded"), std::string::npos);
  // Not a timing assertion: a sanity bound so a regression fails rather than hangs for minutes.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST(YamlConfig, TheReaderReportsYamlProblemsAsInputProblems) {
  const auto problems = problems_of(
      "Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n"
      "    Properties:\n      DistributionConfig:\n        Origins: !Ref Origins\n");
  // !Ref Origins is {"Ref": "Origins"}, where a list belongs: a problem at that field.
  EXPECT_EQ(testing::message_at(problems, "Resources.Cdn.Properties.DistributionConfig.Origins"),
            "must be a list, not an object")
      << testing::all(problems);
  const auto not_config = problems_of("42");
  ASSERT_EQ(not_config.size(), 1u);
  EXPECT_NE(not_config[0].message.find("neither JSON"), std::string::npos) << not_config[0].message;
}

TEST(YamlConfig, PolicyFilesInYamlAsTheCliWritesThem) {
  // `aws cloudfront get-origin-request-policy --id ID --output yaml`
  const char* text =
      "ETag: E2QWRUHAPOMQZL\n"
      "OriginRequestPolicy:\n"
      "  Id: r-yaml\n"
      "  LastModifiedTime: '2026-01-05T10:00:00+00:00'\n"
      "  OriginRequestPolicyConfig:\n"
      "    Name: api-request\n"
      "    HeadersConfig:\n"
      "      HeaderBehavior: whitelist\n"
      "      Headers:\n"
      "        Quantity: 2\n"
      "        Items:\n"
      "        - Host\n"
      "        - CloudFront-Viewer-Address\n"
      "    CookiesConfig:\n"
      "      CookieBehavior: none\n"
      "    QueryStringsConfig:\n"
      "      QueryStringBehavior: all\n";
  auto read = read_policies(text);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  ASSERT_EQ(read->policies.size(), 1u);
  const PolicySettings& policy = read->policies[0];
  EXPECT_EQ(policy.id, "r-yaml");
  EXPECT_EQ(policy.name, "api-request");
  EXPECT_TRUE(policy.headers.includes_header("host"));
  EXPECT_EQ(policy.cloudfront_headers, (std::vector<std::string>{"CloudFront-Viewer-Address"}));
  EXPECT_EQ(policy.query_strings.scope, ForwardScope::all);

  auto wrong_quantity =
      read_policies(std::string(text).replace(std::string(text).find("Quantity: 2"), 11, "Quantity: 3"));
  ASSERT_FALSE(wrong_quantity.has_value());
  EXPECT_NE(wrong_quantity.error().to_string().find("Quantity"), std::string::npos)
      << wrong_quantity.error().to_string();
}

}  // namespace
}  // namespace edgefetch::config
