// A CloudFormation template's Conditions, Fn::If, Fn::FindInMap, Fn::Select,
// Fn::Split and list parameters, resolved offline as CloudFormation resolves
// them when it deploys; what needs a deployed stack stays unresolved, with why.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config_test_support.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {
namespace {

using Json = nlohmann::json;
using policy::ProtocolVersion;
using testing::all;
using testing::message_at;

const std::string kRoot = "Resources.Cdn.Properties.DistributionConfig";
const std::string kDomainPath = kRoot + ".Origins[0].DomainName";

// A template with one distribution of one https-only origin, to be edited.
struct Template {
  Json root = Json::parse(R"({
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {"Env": {"Type": "String", "Default": "staging"}},
    "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    "Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
      "Enabled": true,
      "Origins": [{"Id": "o", "DomainName": "origin.example.com",
                   "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]}}],
      "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all",
                               "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}}}}}})");

  Json& config() { return root["Resources"]["Cdn"]["Properties"]["DistributionConfig"]; }
  Json& origin() { return config()["Origins"][0]; }
  Json& custom() { return origin()["CustomOriginConfig"]; }
  Json& conditions() { return root["Conditions"]; }
  Json& parameters() { return root["Parameters"]; }
  [[nodiscard]] std::string text() const { return root.dump(); }
};

Json parse(std::string_view text) {
  return Json::parse(text);
}

TemplateParameters given(std::vector<std::pair<std::string, std::string>> overrides) {
  return TemplateParameters{std::move(overrides)};
}

LoadedConfig read_ok(const Template& t, const TemplateParameters& parameters = {}) {
  return testing::loaded_from(t.text(), parameters);
}

std::vector<Problem> problems_of(const Template& t, const TemplateParameters& parameters = {}) {
  return testing::problems_of(t.text(), parameters);
}

const DistributionConfig& config_of(const LoadedConfig& loaded) {
  static const DistributionConfig none;
  return loaded.distributions.empty() ? none : loaded.distributions[0].config;
}

std::string domain_of(const LoadedConfig& loaded) {
  const auto& origins = config_of(loaded).origins;
  return origins.empty() ? "<no origin>" : origins[0].domain_name;
}

std::vector<std::string> warnings_at(const LoadedConfig& loaded, std::string_view path) {
  std::vector<std::string> out;
  for (const auto& warning : loaded.warnings) {
    if (warning.path == path) out.push_back(warning.message);
  }
  return out;
}

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// --- Fn::If and the condition functions -------------------------------------

TEST(TemplateConditions, IfTakesTheBranchTheConditionChooses) {
  Template t;
  t.origin()["DomainName"] = parse(R"({"Fn::If": ["IsProd", "prod.example.com", "staging.example.com"]})");
  const auto staging = read_ok(t);
  EXPECT_EQ(domain_of(staging), "staging.example.com");
  // The Default decided it: said once, at the condition.
  const auto warnings = warnings_at(staging, "Conditions.IsProd");
  ASSERT_EQ(warnings.size(), 1u) << all(staging.warnings);
  EXPECT_EQ(warnings[0],
            "uses the Default of Parameter Env (\"staging\"); a deployed stack may pass another value "
            "(--template-parameter Env=VALUE)");

  const auto prod = read_ok(t, given({{"Env", "prod"}}));
  EXPECT_EQ(domain_of(prod), "prod.example.com");
  EXPECT_TRUE(warnings_at(prod, "Conditions.IsProd").empty()) << all(prod.warnings);
}

TEST(TemplateConditions, AndOrNotAndConditionReferencesCombine) {
  Template t;
  t.parameters()["Region"] = parse(R"({"Type": "String", "Default": "eu"})");
  t.conditions() = parse(R"({
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "IsEu": {"Fn::Equals": ["eu", {"Ref": "Region"}]},
    "ProdInEu": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "IsEu"}]},
    "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
    "EuOrProd": {"Fn::Or": [{"Condition": "IsEu"}, {"Fn::Equals": [{"Ref": "Env"}, "prod"]}]}})");
  t.origin()["DomainName"] = parse(R"({"Fn::If": ["ProdInEu", "a.example.com", "b.example.com"]})");
  t.origin()["OriginPath"] = parse(R"({"Fn::If": ["NotProd", "/not-prod", "/prod"]})");
  t.config()["Comment"] = parse(R"({"Fn::If": ["EuOrProd", "eu or prod", "neither"]})");

  auto loaded = read_ok(t);
  EXPECT_EQ(domain_of(loaded), "b.example.com");
  EXPECT_EQ(config_of(loaded).origins.at(0).origin_path, "/not-prod");
  EXPECT_EQ(config_of(loaded).comment, "eu or prod");

  loaded = read_ok(t, given({{"Env", "prod"}}));
  EXPECT_EQ(domain_of(loaded), "a.example.com");
  EXPECT_EQ(config_of(loaded).origins.at(0).origin_path, "/prod");

  loaded = read_ok(t, given({{"Env", "dev"}, {"Region", "us"}}));
  EXPECT_EQ(domain_of(loaded), "b.example.com");
  EXPECT_EQ(config_of(loaded).comment, "neither");
}

TEST(TemplateConditions, EqualsComparesNumbersAndBooleansAsText) {
  Template t;
  t.parameters()["Port"] = parse(R"({"Type": "Number", "Default": 8443})");
  t.parameters()["Flag"] = parse(R"({"Type": "String", "Default": "true"})");
  t.conditions() = parse(R"({"Alt": {"Fn::And": [{"Fn::Equals": [{"Ref": "Port"}, 8443]},
                                                {"Fn::Equals": [{"Ref": "Flag"}, true]}]}})");
  t.origin()["DomainName"] = parse(R"({"Fn::If": ["Alt", "alt.example.com", "main.example.com"]})");
  EXPECT_EQ(domain_of(read_ok(t)), "alt.example.com");
  EXPECT_EQ(domain_of(read_ok(t, given({{"Port", "9443"}}))), "main.example.com");
}

TEST(TemplateConditions, NoValueRemovesAPropertyAndAListItem) {
  Template t;
  t.origin()["OriginPath"] = parse(R"({"Fn::If": ["IsProd", "/prod", {"Ref": "AWS::NoValue"}]})");
  t.custom()["OriginSSLProtocols"] =
      parse(R"(["TLSv1.2", {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, "TLSv1.1"]}])");
  t.config()["CacheBehaviors"] = parse(R"([
    {"Fn::If": ["IsProd", {"PathPattern": "/debug/*", "TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all",
                           "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}, {"Ref": "AWS::NoValue"}]},
    {"PathPattern": "/api/*", "TargetOriginId": "o", "ViewerProtocolPolicy": "https-only",
     "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}])");

  const auto staging = read_ok(t);
  const auto& s = config_of(staging);
  ASSERT_EQ(s.origins.size(), 1u);
  EXPECT_EQ(s.origins[0].origin_path, "");
  EXPECT_EQ(s.origins[0].custom->ssl_protocols,
            (std::vector<ProtocolVersion>{ProtocolVersion::tls1_2, ProtocolVersion::tls1_1}));
  ASSERT_EQ(s.cache_behaviors.size(), 1u);
  EXPECT_EQ(s.cache_behaviors[0].path_pattern, "/api/*");

  const auto prod = read_ok(t, given({{"Env", "prod"}}));
  const auto& p = config_of(prod);
  EXPECT_EQ(p.origins.at(0).origin_path, "/prod");
  EXPECT_EQ(p.origins[0].custom->ssl_protocols, std::vector<ProtocolVersion>{ProtocolVersion::tls1_2});
  ASSERT_EQ(p.cache_behaviors.size(), 2u);
  EXPECT_EQ(p.cache_behaviors[0].path_pattern, "/debug/*");

  // A whole required property removed is missing, as CloudFormation would say.
  t.custom()["OriginProtocolPolicy"] =
      parse(R"({"Fn::If": ["IsProd", "https-only", {"Ref": "AWS::NoValue"}]})");
  EXPECT_TRUE(has(message_at(problems_of(t), kRoot + ".Origins[0].CustomOriginConfig.OriginProtocolPolicy"),
                  "required but missing"));
}

TEST(TemplateConditions, AnUnknownConditionNameIsAProblemWithTheNearestName) {
  Template t;
  t.origin()["DomainName"] = parse(R"({"Fn::If": ["IsProdd", "a.example.com", "b.example.com"]})");
  const auto problems = problems_of(t);
  EXPECT_EQ(message_at(problems, kDomainPath),
            "names the condition \"IsProdd\", which Conditions does not declare (did you mean IsProd?); "
            "CloudFormation refuses the template")
      << all(problems);
  // Reported once: the reader does not blame the field a second time.
  EXPECT_EQ(problems.size(), 1u) << all(problems);

  t.origin()["DomainName"] = parse(R"({"Fn::If": ["IsProd", "a.example.com"]})");
  EXPECT_EQ(message_at(problems_of(t), kDomainPath),
            "Fn::If takes [condition name, value if true, value if false]");
}

TEST(TemplateConditions, MalformedConditionFunctionsAreProblemsAtTheCondition) {
  Template t;
  t.conditions() = parse(R"({"A": {"Fn::Equals": ["x"]}, "B": {"Fn::And": [{"Condition": "A"}]},
                            "C": {"Fn::Not": [{"Condition": "A"}, {"Condition": "A"}]}, "D": {"Fn::Sub": "x"}})");
  const auto problems = problems_of(t);
  EXPECT_EQ(message_at(problems, "Conditions.A"), "Fn::Equals takes [value, value]") << all(problems);
  EXPECT_EQ(message_at(problems, "Conditions.B"), "Fn::And takes a list of 2 to 10 conditions");
  EXPECT_EQ(message_at(problems, "Conditions.C"), "Fn::Not takes a list of one condition");
  EXPECT_TRUE(has(message_at(problems, "Conditions.D"), "must be a condition function")) << all(problems);
}

TEST(TemplateConditions, CircularConditionsAreRefusedNamingTheChain) {
  Template t;
  t.conditions() = parse(R"({"A": {"Fn::Not": [{"Condition": "B"}]}, "B": {"Fn::Not": [{"Condition": "A"}]},
                            "Self": {"Fn::Or": [{"Condition": "Self"}, {"Fn::Equals": ["a", "a"]}]}})");
  const auto problems = problems_of(t);
  EXPECT_EQ(message_at(problems, "Conditions.A"),
            "refers to itself (A -> B -> A); CloudFormation refuses circular conditions")
      << all(problems);
  EXPECT_EQ(message_at(problems, "Conditions.Self"),
            "refers to itself (Self -> Self); CloudFormation refuses circular conditions");
  // A field that uses one is not blamed besides.
  t.origin()["DomainName"] = parse(R"({"Fn::If": ["B", "a.example.com", "b.example.com"]})");
  const auto used = problems_of(t);
  EXPECT_EQ(message_at(used, kDomainPath), "<none>") << all(used);
  EXPECT_EQ(used.size(), 2u) << all(used);
}

TEST(TemplateConditions, OverDeepConditionsAreRefusedNamingTheCondition) {
  Template t;
  // Named so that the deepest sorts first: decided conditions are not decided again.
  const auto name = [](int level) { return "C" + std::to_string(1000 - level); };
  Json conditions = Json::object();
  conditions[name(0)] = parse(R"({"Fn::Equals": ["a", "a"]})");
  for (int i = 1; i <= 40; ++i)
    conditions[name(i)] = {{"Fn::Not", Json::array({{{"Condition", name(i - 1)}}})}};
  t.conditions() = conditions;
  const auto problems = problems_of(t);
  ASSERT_FALSE(problems.empty());
  bool too_deep = false;
  for (const auto& problem : problems) {
    too_deep = too_deep || (problem.path.starts_with("Conditions.C") &&
                            has(problem.message, "more than 32 deep; edgefetch refuses it"));
  }
  EXPECT_TRUE(too_deep) << all(problems);

  // Ten levels are fine.
  conditions = Json::object();
  conditions["C0"] = parse(R"({"Fn::Equals": ["a", "a"]})");
  for (int i = 1; i <= 10; ++i) {
    conditions["C" + std::to_string(i)] = {
        {"Fn::Not", Json::array({{{"Condition", "C" + std::to_string(i - 1)}}})}};
  }
  t.conditions() = conditions;
  t.origin()["DomainName"] = parse(R"({"Fn::If": ["C10", "even.example.com", "odd.example.com"]})");
  EXPECT_EQ(domain_of(read_ok(t)), "even.example.com");
}

// --- Conditions on resources -------------------------------------------------

TEST(TemplateConditions, ADistributionWhoseConditionIsFalseIsNotRead) {
  Template t;
  t.root["Resources"]["ProdCdn"] = t.root["Resources"]["Cdn"];
  t.root["Resources"]["ProdCdn"]["Condition"] = "IsProd";
  t.root["Resources"]["ProdCdn"]["Properties"]["DistributionConfig"]["Comment"] = "prod";
  const auto staging = read_ok(t);
  ASSERT_EQ(staging.distributions.size(), 1u);
  EXPECT_EQ(staging.distributions[0].name, "Cdn");
  const auto warnings = warnings_at(staging, "Resources.ProdCdn");
  ASSERT_EQ(warnings.size(), 1u) << all(staging.warnings);
  EXPECT_EQ(
      warnings[0],
      "not read: its Condition IsProd is false with these parameters, so CloudFormation does not create it");

  EXPECT_EQ(read_ok(t, given({{"Env", "prod"}})).distributions.size(), 2u);

  // None created: a problem that says why.
  t.root["Resources"]["Cdn"]["Condition"] = "IsProd";
  const auto problems = problems_of(t);
  EXPECT_TRUE(
      has(message_at(problems, "Resources"),
          "has no AWS::CloudFront::Distribution that CloudFormation would create with these parameters: "
          "Cdn (its Condition IsProd is false), ProdCdn (its Condition IsProd is false)"))
      << all(problems);
  // A Condition that names no condition.
  t.root["Resources"]["Cdn"]["Condition"] = "IsPrd";
  EXPECT_TRUE(has(message_at(problems_of(t), "Resources.Cdn.Condition"), "did you mean IsProd?"));
}

TEST(TemplateConditions, APolicyResourceWhoseConditionIsFalseIsNotRead) {
  Template t;
  t.root["Resources"]["Cache"] = parse(R"({"Type": "AWS::CloudFront::CachePolicy", "Condition": "IsProd",
    "Properties": {"CachePolicyConfig": {"Name": "prod-cache", "MinTTL": 0, "DefaultTTL": 0, "MaxTTL": 1,
      "ParametersInCacheKeyAndForwardedToOrigin": {"EnableAcceptEncodingGzip": false,
        "HeadersConfig": {"HeaderBehavior": "none"}, "CookiesConfig": {"CookieBehavior": "none"},
        "QueryStringsConfig": {"QueryStringBehavior": "none"}}}}})");
  t.config()["DefaultCacheBehavior"]["CachePolicyId"] =
      parse(R"({"Fn::If": ["IsProd", {"Ref": "Cache"}, "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"]})");
  const auto staging = read_ok(t);
  EXPECT_EQ(config_of(staging).default_cache_behavior.forwarding.cache_policy_name,
            "Managed-CachingDisabled");
  EXPECT_EQ(warnings_at(staging, "Resources.Cache").size(), 1u) << all(staging.warnings);
  const auto prod = read_ok(t, given({{"Env", "prod"}}));
  EXPECT_EQ(config_of(prod).default_cache_behavior.forwarding.cache_policy_name, "prod-cache");
  EXPECT_TRUE(prod.unresolved_policies.empty()) << all(prod.unresolved_policies);
}

// --- Fn::FindInMap ---------------------------------------------------------

TEST(TemplateConditions, FindInMapLooksUpKeysThatAreParametersAndLookups) {
  Template t;
  t.root["Mappings"] = parse(R"({
    "Domains": {"staging": {"Origin": "staging.example.com", "Port": 8443},
                "prod": {"Origin": "prod.example.com", "Port": 443}},
    "Aliases": {"current": {"Env": "prod"}}})");
  t.origin()["DomainName"] = parse(R"({"Fn::FindInMap": ["Domains", {"Ref": "Env"}, "Origin"]})");
  t.custom()["HTTPSPort"] = parse(R"({"Fn::FindInMap": ["Domains", {"Ref": "Env"}, "Port"]})");
  auto loaded = read_ok(t);
  EXPECT_EQ(domain_of(loaded), "staging.example.com");
  EXPECT_EQ(config_of(loaded).origins.at(0).custom->https_port, 8443);
  // The Default that chose the key: said at the field.
  const auto warnings = warnings_at(loaded, kDomainPath);
  ASSERT_EQ(warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_TRUE(has(warnings[0], "uses the Default of Parameter Env (\"staging\")")) << warnings[0];

  EXPECT_EQ(domain_of(read_ok(t, given({{"Env", "prod"}}))), "prod.example.com");
  // A key that is itself a lookup; no Default used, no warning.
  t.origin()["DomainName"] =
      parse(R"({"Fn::FindInMap": ["Domains", {"Fn::FindInMap": ["Aliases", "current", "Env"]}, "Origin"]})");
  loaded = read_ok(t);
  EXPECT_EQ(domain_of(loaded), "prod.example.com");
  EXPECT_TRUE(warnings_at(loaded, kDomainPath).empty()) << all(loaded.warnings);
  // Inside Fn::Sub's variables.
  t.origin()["DomainName"] =
      parse(R"({"Fn::Sub": ["cdn-${Host}", {"Host": {"Fn::FindInMap": ["Domains", "prod", "Origin"]}}]})");
  EXPECT_EQ(domain_of(read_ok(t)), "cdn-prod.example.com");
}

TEST(TemplateConditions, FindInMapOfAKeyThatIsNotThereIsAProblem) {
  Template t;
  t.root["Mappings"] =
      parse(R"({"Domains": {"staging": {"Origin": "s.example.com"}, "prod": {"Origin": "p"}}})");
  t.origin()["DomainName"] = parse(R"({"Fn::FindInMap": ["Domains", {"Ref": "Env"}, "Origin"]})");
  auto problems = problems_of(t, given({{"Env", "stagin"}}));
  EXPECT_EQ(message_at(problems, kDomainPath),
            "Fn::FindInMap: Mappings.Domains has no \"stagin\" (did you mean \"staging\"?); it has \"prod\", "
            "\"staging\"; CloudFormation refuses the stack")
      << all(problems);
  EXPECT_EQ(problems.size(), 1u) << all(problems);
  t.origin()["DomainName"] = parse(R"({"Fn::FindInMap": ["Domain", "prod", "Origin"]})");
  EXPECT_TRUE(has(message_at(problems_of(t), kDomainPath), "Mappings has no \"Domain\""));
  t.origin()["DomainName"] = parse(R"({"Fn::FindInMap": ["Domains", "prod"]})");
  EXPECT_EQ(message_at(problems_of(t), kDomainPath),
            "Fn::FindInMap takes [map name, top-level key, second-level key]");
  // The AWS::LanguageExtensions DefaultValue.
  t.origin()["DomainName"] =
      parse(R"({"Fn::FindInMap": ["Domains", "qa", "Origin", {"DefaultValue": "fallback.example.com"}]})");
  EXPECT_EQ(domain_of(read_ok(t)), "fallback.example.com");
}

// --- Fn::Select, Fn::Split and list parameters ------------------------------

TEST(TemplateConditions, SelectPicksFromLiteralsListParametersAndSplits) {
  Template t;
  t.parameters()["Hosts"] =
      parse(R"({"Type": "CommaDelimitedList", "Default": "a.example.com, b.example.com"})");
  t.parameters()["Which"] = parse(R"({"Type": "Number", "Default": 1})");
  t.origin()["DomainName"] = parse(R"({"Fn::Select": [1, ["x.example.com", "y.example.com"]]})");
  EXPECT_EQ(domain_of(read_ok(t)), "y.example.com");
  // Items are trimmed of spaces; the index may be a parameter.
  t.origin()["DomainName"] = parse(R"({"Fn::Select": [{"Ref": "Which"}, {"Ref": "Hosts"}]})");
  EXPECT_EQ(domain_of(read_ok(t)), "b.example.com");
  EXPECT_EQ(domain_of(read_ok(t, given({{"Hosts", "c.example.com,d.example.com"}, {"Which", "0"}}))),
            "c.example.com");
  t.origin()["DomainName"] =
      parse(R"({"Fn::Select": ["1", {"Fn::Split": ["|", "x.example.com|y.example.com"]}]})");
  EXPECT_EQ(domain_of(read_ok(t)), "y.example.com");
  t.origin()["DomainName"] =
      parse(R"({"Fn::Join": [".", {"Fn::Split": ["|", {"Fn::Sub": "www|${Env}|example|com"}]}]})");
  EXPECT_EQ(domain_of(read_ok(t)), "www.staging.example.com");
}

TEST(TemplateConditions, SelectOutOfRangeIsAProblem) {
  Template t;
  t.origin()["DomainName"] = parse(R"({"Fn::Select": [2, ["x.example.com", "y.example.com"]]})");
  auto problems = problems_of(t);
  EXPECT_EQ(message_at(problems, kDomainPath),
            "Fn::Select: index 2 is out of range for a list of 2 items; CloudFormation refuses it")
      << all(problems);
  EXPECT_EQ(problems.size(), 1u) << all(problems);
  t.origin()["DomainName"] = parse(R"({"Fn::Select": [-1, ["x.example.com"]]})");
  EXPECT_EQ(message_at(problems_of(t), kDomainPath),
            "Fn::Select: the index \"-1\" is not a whole number of 0 or more");
  t.origin()["DomainName"] = parse(R"({"Fn::Select": [0, "x.example.com"]})");
  EXPECT_EQ(message_at(problems_of(t), kDomainPath), "Fn::Select takes [index, list]; its list is a string");
}

TEST(TemplateConditions, AListParameterIsAListWhereOneBelongs) {
  Template t;
  t.parameters()["Protocols"] = parse(
      R"({"Type": "CommaDelimitedList", "Default": "TLSv1.2,TLSv1.1", "AllowedValues": ["TLSv1.1", "TLSv1.2"]})");
  t.custom()["OriginSSLProtocols"] = parse(R"({"Ref": "Protocols"})");
  const auto loaded = read_ok(t);
  EXPECT_EQ(config_of(loaded).origins.at(0).custom->ssl_protocols,
            (std::vector<ProtocolVersion>{ProtocolVersion::tls1_2, ProtocolVersion::tls1_1}));
  const auto defaults = warnings_at(loaded, kRoot + ".Origins[0].CustomOriginConfig.OriginSSLProtocols");
  ASSERT_EQ(defaults.size(), 1u) << all(loaded.warnings);
  EXPECT_TRUE(has(defaults[0], "Parameter Protocols (\"TLSv1.2,TLSv1.1\")")) << defaults[0];
  // AllowedValues apply to each item.
  const auto problems = problems_of(t, given({{"Protocols", "TLSv1.2,SSLv3"}}));
  EXPECT_EQ(
      message_at(problems, "Parameters.Protocols"),
      "the item \"SSLv3\" of the value \"TLSv1.2,SSLv3\" given with --template-parameter Protocols is not "
      "one of its AllowedValues: \"TLSv1.1\", \"TLSv1.2\"; CloudFormation refuses it")
      << all(problems);
  // List<Number>: each item a number.
  t.parameters()["Ports"] = parse(R"({"Type": "List<Number>", "Default": "443,x"})");
  EXPECT_TRUE(
      has(message_at(problems_of(t), "Parameters.Ports"),
          "the item \"x\" of its Default \"443,x\" is not a number (the parameter's Type is List<Number>)"));
}

TEST(TemplateConditions, AListParameterWithoutAValueSaysHowToGiveOne) {
  Template t;
  t.parameters()["Protocols"] = parse(R"({"Type": "CommaDelimitedList"})");
  t.custom()["OriginSSLProtocols"] = parse(R"({"Ref": "Protocols"})");
  const std::string path = kRoot + ".Origins[0].CustomOriginConfig.OriginSSLProtocols";
  EXPECT_EQ(
      message_at(problems_of(t), path),
      "uses Ref \"Protocols\": Parameter Protocols is a CommaDelimitedList with no Default; give its values "
      "with --template-parameter Protocols=VALUE,VALUE");
  EXPECT_EQ(config_of(read_ok(t, given({{"Protocols", "TLSv1.2"}}))).origins.at(0).custom->ssl_protocols,
            std::vector<ProtocolVersion>{ProtocolVersion::tls1_2});
}

// --- What cannot be known offline -------------------------------------------

TEST(TemplateConditions, AConditionOnAPseudoParameterStaysUnresolvedWithAHint) {
  Template t;
  t.conditions()["InUsEast1"] = parse(R"({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]})");
  t.origin()["DomainName"] = parse(R"({"Fn::If": ["InUsEast1", "use1.example.com", "other.example.com"]})");
  auto problems = problems_of(t);
  EXPECT_EQ(message_at(problems, kDomainPath),
            "uses Fn::If on Condition \"InUsEast1\", which uses Ref \"AWS::Region\": AWS::Region is a pseudo "
            "parameter, known only to a deployed stack; give its value with --template-parameter "
            "AWS::Region=VALUE")
      << all(problems);
  EXPECT_EQ(domain_of(read_ok(t, given({{"AWS::Region", "us-east-1"}}))), "use1.example.com");

  // In a field that does not matter here: a warning, the field ignored.
  t.origin()["DomainName"] = "origin.example.com";
  t.config()["Comment"] = parse(R"({"Fn::If": ["InUsEast1", "a", "b"]})");
  const auto loaded = read_ok(t);
  const auto warnings = warnings_at(loaded, kRoot + ".Comment");
  ASSERT_EQ(warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_TRUE(has(warnings[0], "--template-parameter AWS::Region=VALUE")) << warnings[0];

  // Where a list belongs: the same problem at the list.
  t.config().erase("Comment");
  t.config()["CacheBehaviors"] = parse(R"({"Fn::If": ["InUsEast1", [], {"Ref": "AWS::NoValue"}]})");
  problems = problems_of(t);
  EXPECT_TRUE(has(message_at(problems, kRoot + ".CacheBehaviors"), "uses Fn::If on Condition \"InUsEast1\""))
      << all(problems);
}

TEST(TemplateConditions, KnownOperandsDecideAndOrDespiteUnknownOnes) {
  Template t;
  t.conditions()["ProdInUsEast1"] = parse(
      R"({"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]})");
  t.origin()["DomainName"] = parse(R"({"Fn::If": ["ProdInUsEast1", "a.example.com", "b.example.com"]})");
  // Env is staging: false whatever the region.
  EXPECT_EQ(domain_of(read_ok(t)), "b.example.com");
  // Env is prod: the region decides, and nobody gave it.
  EXPECT_TRUE(has(message_at(problems_of(t, given({{"Env", "prod"}})), kDomainPath), "AWS::Region"));
}

TEST(TemplateConditions, AResourceConditionThatCannotBeDecidedIsReadWithAWarning) {
  Template t;
  t.conditions()["InUsEast1"] = parse(R"({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]})");
  t.root["Resources"]["Cdn"]["Condition"] = "InUsEast1";
  const auto loaded = read_ok(t);
  EXPECT_EQ(loaded.distributions.size(), 1u);
  const auto warnings = warnings_at(loaded, "Resources.Cdn.Condition");
  ASSERT_EQ(warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_TRUE(has(warnings[0], "Condition InUsEast1 cannot be decided here (it uses Ref \"AWS::Region\""))
      << warnings[0];
  EXPECT_TRUE(has(warnings[0], "the resource is read as if it were created")) << warnings[0];
}

// CloudFormation refuses a template whose Ref names nothing it declares (an
// unresolved reference), as it refuses a Fn::If on an undeclared condition:
// no value given with --template-parameter could make it deploy.
TEST(TemplateConditions, ARefOfAnUndeclaredNameInAConditionIsRefused) {
  Template t;
  t.conditions()["C"] = parse(R"({"Fn::Equals": [{"Ref": "Nope"}, "x"]})");
  t.root["Resources"]["Cdn"]["Condition"] = "C";
  const auto problems = problems_of(t);
  ASSERT_EQ(problems.size(), 1u) << all(problems);
  EXPECT_EQ(problems[0].path, "Conditions.C");
  EXPECT_EQ(problems[0].message,
            "Ref \"Nope\" names no Parameter, pseudo parameter or resource of the template; CloudFormation "
            "refuses the template (unresolved reference)");

  // A near miss of a parameter is named; a condition no resource uses is checked all the same.
  t.root["Resources"]["Cdn"].erase("Condition");
  t.conditions()["C"] = parse(R"({"Fn::Not": [{"Fn::Equals": [{"Ref": "Envv"}, "prod"]}]})");
  EXPECT_EQ(message_at(problems_of(t), "Conditions.C"),
            "Ref \"Envv\" names no Parameter, pseudo parameter or resource of the template (did you mean "
            "Env?); CloudFormation refuses the template (unresolved reference)");
}

TEST(TemplateConditions, ARefOfAResourceInAConditionStaysUndecidedWithAWarning) {
  Template t;
  t.root["Resources"]["Bucket"] = parse(R"({"Type": "AWS::S3::Bucket"})");
  t.conditions()["C"] = parse(R"({"Fn::Equals": [{"Ref": "Bucket"}, "x"]})");
  t.root["Resources"]["Cdn"]["Condition"] = "C";
  const auto loaded = read_ok(t);
  const auto warnings = warnings_at(loaded, "Resources.Cdn.Condition");
  ASSERT_EQ(warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_TRUE(has(warnings[0], "Condition C cannot be decided here (it uses Ref \"Bucket\")")) << warnings[0];
}

TEST(TemplateConditions, ARefOrFnSubVariableOfAnUndeclaredNameInAFieldIsRefused) {
  Template t;
  t.origin()["DomainName"] = parse(R"({"Ref": "OriginHost"})");
  auto problems = problems_of(t);
  ASSERT_EQ(problems.size(), 1u) << all(problems);
  EXPECT_EQ(problems[0].path, kDomainPath);
  EXPECT_EQ(problems[0].message,
            "Ref \"OriginHost\" names no Parameter, pseudo parameter or resource of the template; "
            "CloudFormation refuses the template (unresolved reference)");

  t.origin()["DomainName"] = parse(R"({"Fn::Sub": "${Env}.${Nope}.example.com"})");
  EXPECT_EQ(message_at(problems_of(t), kDomainPath),
            "Fn::Sub with the variable \"Nope\" names no Parameter, pseudo parameter or resource of the "
            "template; CloudFormation refuses the template (unresolved reference)");

  // What is declared, given in the Fn::Sub's own map, a literal "${!...}", a
  // resource's attribute and a pseudo parameter pass.
  t.root["Resources"]["Alb"] = parse(R"({"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"})");
  t.origin()["DomainName"] =
      parse(R"({"Fn::Sub": ["${Env}.${Sub}.${!Literal}.${Alb.DNSName}.${AWS::Region}", {"Sub": "s"}]})");
  problems = problems_of(t);
  EXPECT_EQ(problems.size(), 1u) << all(problems);
  EXPECT_TRUE(has(message_at(problems, kDomainPath), "uses Fn::Sub with the variable \"Alb.DNSName\""))
      << all(problems);

  // A Transform may declare names of its own (SAM's implicit resources): not checked.
  t.root["Transform"] = "AWS::Serverless-2016-10-31";
  t.origin()["DomainName"] = parse(R"({"Fn::Sub": "${ServerlessRestApi}.execute-api.example.com"})");
  EXPECT_TRUE(has(message_at(problems_of(t), kDomainPath), "which only a deployed stack can resolve"))
      << all(problems_of(t));
}

TEST(TemplateConditions, FindInMapAndSelectOfWhatNeedsAStackStayUnresolved) {
  Template t;
  t.root["Mappings"] = parse(R"({"Regions": {"us-east-1": {"Origin": "use1.example.com"}}})");
  t.origin()["DomainName"] = parse(R"({"Fn::FindInMap": ["Regions", {"Ref": "AWS::Region"}, "Origin"]})");
  auto problems = problems_of(t);
  EXPECT_TRUE(has(message_at(problems, kDomainPath),
                  "uses Fn::FindInMap with Ref \"AWS::Region\": AWS::Region is a pseudo parameter"))
      << all(problems);
  EXPECT_EQ(domain_of(read_ok(t, given({{"AWS::Region", "us-east-1"}}))), "use1.example.com");

  t.origin()["DomainName"] = parse(R"({"Fn::Select": [0, {"Fn::GetAZs": ""}]})");
  EXPECT_TRUE(has(message_at(problems_of(t), kDomainPath),
                  "uses Fn::Select with Fn::GetAZs, which only a deployed stack"));
}

// --- Bounds ----------------------------------------------------------------

TEST(TemplateConditions, SplitIntoTooManyItemsIsRefused) {
  Template t;
  std::string many;
  for (int i = 0; i < 1500; ++i) many += "a,";
  t.origin()["DomainName"] = {{"Fn::Select", Json::array({0, {{"Fn::Split", Json::array({",", many})}}})}};
  EXPECT_EQ(message_at(problems_of(t), kDomainPath),
            "Fn::Split makes more than 1000 items; edgefetch refuses it");
}

TEST(TemplateConditions, ExpansionOfCopiedListsIsBounded) {
  // A 1 MB list parameter copied at each of 20 uses: 20 MB, more than the input may be.
  Template t;
  std::string items;
  for (int i = 0; i < 999; ++i) items += std::string(1000, 'a') + ",";
  items += "last";
  t.parameters()["Big"] = {{"Type", "CommaDelimitedList"}, {"Default", items}};
  Json parts = Json::array();
  for (int i = 0; i < 20; ++i) parts.push_back({{"Fn::Select", Json::array({999, {{"Ref", "Big"}}})}});
  // Fn::Join of the 40 copies is not what this test is about: a too-long result is refused anyway.
  t.config()["Comment"] = {{"Fn::Join", Json::array({"", parts})}};
  const auto problems = problems_of(t);
  EXPECT_TRUE(has(message_at(problems, kRoot + ".Comment"), "expand to more than 16777216 bytes in all"))
      << all(problems);
}

TEST(TemplateConditions, DeeplyNestedFunctionsAreRefused) {
  Template t;
  Json value = "origin.example.com";
  for (int i = 0; i < 40; ++i) value = {{"Fn::Select", Json::array({0, Json::array({value})})}};
  t.origin()["DomainName"] = value;
  EXPECT_TRUE(has(message_at(problems_of(t), kDomainPath), "intrinsic functions nested more than 32 deep"));
}

TEST(TemplateConditions, AYamlTemplateUsesTheShortForms) {
  const std::string text =
      "Parameters:\n  Env: {Type: String, Default: prod}\n"
      "Mappings:\n  Domains:\n    prod: {Origin: prod.example.com}\n"
      "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n  Always: !Or [!Condition IsProd, !Not [!Condition "
      "IsProd]]\n"
      "Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Condition: Always\n"
      "    Properties:\n      DistributionConfig:\n        Origins:\n"
      "          - Id: o\n            DomainName: !If [IsProd, !FindInMap [Domains, !Ref Env, Origin], !Ref "
      "AWS::NoValue]\n"
      "            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}\n"
      "        DefaultCacheBehavior: {TargetOriginId: o, ViewerProtocolPolicy: allow-all, CachePolicyId: "
      "658327ea-f89d-4fab-a63d-7e88639e58f6}\n";
  auto loaded = read_distribution_config(text);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(domain_of(*loaded), "prod.example.com");
}

}  // namespace
}  // namespace edgefetch::config
