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
  EXPECT_EQ(yaml_problem("k: &k Origins\n*k : 1\n"),
            "the key at line 2, column 1 is an alias; field names must be plain text");
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
  const std::string problem = yaml_problem(bomb);
  EXPECT_NE(problem.find("once its aliases are expanded"), std::string::npos) << problem;
  EXPECT_NE(problem.find("); a test document normally holds a few hundred"), std::string::npos) << problem;
  // Not a timing assertion: a sanity bound so a regression fails rather than hangs for minutes.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST(YamlConfig, AnAliasInsideTheNodeItNamesIsRecursive) {
  EXPECT_EQ(
      yaml_problem("a: &a [*a]\n"),
      "malformed YAML at line 1, column 8: the alias *a is inside the node it refers to (anchored &a at "
      "line 1, column 4); a recursive alias cannot be expanded");
  EXPECT_NE(yaml_problem("a: &m\n  b: [1, {c: *m}]\n").find("the alias *m is inside the node it refers to"),
            std::string::npos);
  // The anchor defined last before the alias is the one it names.
  EXPECT_NE(yaml_problem("a: &x 1\nb: &x [*x]\n").find("the alias *x is inside the node"), std::string::npos);
  EXPECT_EQ(yaml("a: &x [&x 1, *x]\n")["a"], Json::parse("[1, 1]"));
}

TEST(YamlConfig, MergeKeysAreExpandedAsTheAwsCliExpandsThem) {
  const Json document = yaml(
      "base: &base {a: 1, b: 2}\n"
      "other: &other {b: 3, c: 4}\n"
      "after: {<<: *base, a: 9}\n"
      "before: {a: 9, <<: *base}\n"
      "list: {<<: [*base, *other], d: 5}\n"
      "inline:\n"
      "  <<: {x: 1}\n"
      "  y: 2\n"
      "nested: &nested {<<: *other, e: 6}\n"
      "twice: {<<: *nested, c: 0}\n"
      "empty: {<<: [], f: 7}\n"
      "quoted: {'<<': *base}\n");
  EXPECT_EQ(document["after"], Json::parse(R"({"a":9,"b":2})")) << "the mapping's own field wins";
  EXPECT_EQ(document["before"], Json::parse(R"({"a":9,"b":2})")) << "also when it comes first";
  EXPECT_EQ(document["list"], Json::parse(R"({"a":1,"b":2,"c":4,"d":5})")) << "the earlier mapping wins";
  EXPECT_EQ(document["inline"], Json::parse(R"({"x":1,"y":2})"));
  EXPECT_EQ(document["twice"], Json::parse(R"({"b":3,"c":0,"e":6})"));
  EXPECT_EQ(document["empty"], Json::parse(R"({"f":7})"));
  EXPECT_EQ(document["quoted"], Json::parse(R"({"<<":{"a":1,"b":2}})")) << "a quoted '<<' is a field name";
}

TEST(YamlConfig, MergeKeysGetOneWarningThatCloudFormationItselfRefusesThem) {
  std::vector<Problem> warnings;
  auto parsed = detail::parse_yaml_text("base: &base {a: 1}\none:\n  <<: *base\ntwo: {<<: *base}\n",
                                        "a test document", &warnings);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].path, "");
  EXPECT_EQ(
      warnings[0].message,
      "YAML merge keys ('<<' at line 3, column 3, and 1 more) are expanded, as the AWS CLI's YAML reader "
      "expands them; CloudFormation accepts merge keys only through the AWS CLI (`aws cloudformation "
      "package` or `deploy`), which expands them before upload, so the console or the API would refuse "
      "this template as it is");

  warnings.clear();
  ASSERT_TRUE(detail::parse_yaml_text("base: &base {a: 1}\none: *base\n", "a test document", &warnings));
  EXPECT_TRUE(warnings.empty()) << "aliases alone are standard YAML";
}

TEST(YamlConfig, AMergeKeyTakesOnlyMappings) {
  EXPECT_EQ(yaml_problem("a: {<<: 1}\n"),
            "malformed YAML at line 1, column 9: the merge key '<<' takes a mapping or a list of mappings "
            "(<<: *anchor or <<: [*first, *second]), not a plain value");
  EXPECT_NE(yaml_problem("s: &s x\na:\n  <<: *s\n").find("at line 3, column 7: the merge key '<<' takes"),
            std::string::npos);
  EXPECT_NE(
      yaml_problem("m: &m {b: 1}\na: {<<: [*m, [1]]}\n").find("not a list that holds more than mappings"),
      std::string::npos);
  EXPECT_NE(yaml_problem("a: {<<: !Ref Common}\n").find("not a CloudFormation function"), std::string::npos);
  EXPECT_EQ(yaml_problem("m: &m {b: 1}\na:\n  <<: *m\n  <<: *m\n"),
            "the merge key '<<' appears twice in one mapping (the second at line 4, column 3); merge several "
            "mappings with <<: [*first, *second]");
  EXPECT_EQ(yaml_problem("a: {b: 1, <<: {b: 2}, b: 3}\n"),
            "the field 'b' appears twice in one mapping (the second at line 1, column 23)")
      << "a merged field does not hide a duplicate of the mapping's own";
}

TEST(YamlConfig, MergedContentCountsTowardsTheValueLimit) {
  // Each level merges the one before and holds it once more under a new
  // key: 2^40 values if expanded, and only half of each doubling is an
  // ordinary alias, so uncounted merges would let it grow unbounded.
  std::string bomb = "l0: &l0 {k0: [x, x]}\n";
  for (int i = 1; i <= 40; ++i) {
    const std::string level = std::to_string(i);
    const std::string previous = "*l" + std::to_string(i - 1);
    // l<i>: &l<i> {<<: *l<i-1>, k<i>: *l<i-1>}
    bomb.append("l").append(level).append(": &l").append(level);
    bomb.append(" {<<: ").append(previous).append(", k").append(level).append(": ").append(previous).append(
        "}\n");
  }
  EXPECT_NE(yaml_problem(bomb).find("once its aliases are expanded"), std::string::npos);
}

TEST(YamlConfig, ATemplateWithMergeKeysKeepsTheMergedSettings) {
  auto loaded = load_distribution_config(sample("cloudformation-merge-keys.yaml"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  ASSERT_EQ(loaded->distributions.size(), 1u);
  const DistributionConfig& config = loaded->distributions[0].config;
  ASSERT_EQ(config.origins.size(), 3u);
  const Origin& b = config.origins[1];
  ASSERT_TRUE(b.custom.has_value());
  EXPECT_EQ(b.custom->http_port, 8081) << "its own HTTPPort wins";
  EXPECT_EQ(b.custom->read_timeout_s, 5) << "merged from &timeouts";
  EXPECT_EQ(b.custom->protocol_policy, OriginProtocolPolicy::http_only);
  const Origin& c = config.origins[2];
  ASSERT_TRUE(c.custom.has_value());
  EXPECT_EQ(c.custom->http_port, 8080);
  EXPECT_EQ(c.custom->read_timeout_s, 5) << "&timeouts comes first in the list, so it wins";
  EXPECT_EQ(c.custom->keepalive_timeout_s, 30) << "only &slow has it";
  ASSERT_EQ(config.cache_behaviors.size(), 1u);
  const CacheBehavior& admin = config.cache_behaviors[0];
  EXPECT_EQ(admin.origin_request_policy_id, "216adef6-5c7f-47e4-b989-5492eafa07d3");
  EXPECT_TRUE(admin.forwards_host_header) << "AllViewer, merged from &secure";
  EXPECT_EQ(admin.viewer_protocol_policy, ViewerProtocolPolicy::allow_all) << "its own field wins";
  int merge_warnings = 0;
  for (const Problem& warning : loaded->warnings) {
    const std::string text = warning.to_string();
    EXPECT_EQ(text.find("unknown field"), std::string::npos) << "no unknown field '<<': " << text;
    if (text.find("YAML merge keys ('<<' at line") != std::string::npos) ++merge_warnings;
  }
  EXPECT_EQ(merge_warnings, 1) << "one warning that CloudFormation takes merge keys only through the AWS CLI";
}

TEST(YamlConfig, APolicyFileWithMergeKeysIsReadWithTheWarning) {
  auto read = read_policies(
      "common: &common\n"
      "  CookiesConfig: {CookieBehavior: none}\n"
      "  QueryStringsConfig: {QueryStringBehavior: all}\n"
      "OriginRequestPolicy:\n"
      "  Id: r-merged\n"
      "  OriginRequestPolicyConfig:\n"
      "    <<: *common\n"
      "    Name: merged\n"
      "    HeadersConfig: {HeaderBehavior: none}\n");
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  ASSERT_EQ(read->policies.size(), 1u);
  EXPECT_EQ(read->policies[0].query_strings.scope, ForwardScope::all);
  std::string warnings;
  for (const Problem& warning : read->warnings) warnings += warning.to_string() + "\n";
  EXPECT_NE(warnings.find("YAML merge keys ('<<' at line 7, column 5)"), std::string::npos) << warnings;
}

TEST(YamlConfig, TheReaderReportsYamlProblemsAsInputProblems) {
  const auto problems = problems_of(
      "Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n"
      "    Properties:\n      DistributionConfig:\n        Origins: !Ref Origins\n");
  // !Ref Origins is {"Ref": "Origins"}, which names nothing the template declares: a problem at that field.
  EXPECT_EQ(
      testing::message_at(problems, "Resources.Cdn.Properties.DistributionConfig.Origins"),
      "Ref \"Origins\" names no Parameter, pseudo parameter or resource of the template; CloudFormation "
      "refuses the template (unresolved reference)")
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
