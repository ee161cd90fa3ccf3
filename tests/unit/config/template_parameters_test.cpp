// A CloudFormation template's Parameters: Ref and ${Name} in Fn::Sub take the
// value given with TemplateParameters (--template-parameter), else the
// Default (with a warning), and the value is checked as CloudFormation checks
// it (Number, AllowedValues, AllowedPattern).

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config_test_support.hpp"
#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {
namespace {

using testing::all;
using testing::message_at;

constexpr std::string_view kRoot = "Resources.Cdn.Properties.DistributionConfig";
const std::string kDomainPath = std::string(kRoot) + ".Origins[0].DomainName";
const std::string kPortPath = std::string(kRoot) + ".Origins[0].CustomOriginConfig.HTTPSPort";
const std::string kCachePolicyPath = std::string(kRoot) + ".DefaultCacheBehavior.CachePolicyId";
constexpr std::string_view kCachingOptimized = R"("658327ea-f89d-4fab-a63d-7e88639e58f6")";
constexpr std::string_view kCachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

struct Template {
  std::string parameters = "{}";  // the Parameters section, JSON
  std::string domain = R"("origin.example.com")";
  std::string https_port = "443";
  std::string cache_policy = std::string(kCachingOptimized);

  [[nodiscard]] std::string text() const {
    return R"({"AWSTemplateFormatVersion":"2010-09-09","Parameters":)" + parameters +
           R"(,"Resources":{"Cdn":{"Type":"AWS::CloudFront::Distribution","Properties":{"DistributionConfig":{)"
           R"("Enabled":true,"Origins":[{"Id":"o","DomainName":)" +
           domain + R"(,"CustomOriginConfig":{"HTTPSPort":)" + https_port +
           R"(,"OriginProtocolPolicy":"https-only","OriginSSLProtocols":["TLSv1.2"]}}],)"
           R"("DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"redirect-to-https",)"
           R"("CachePolicyId":)" +
           cache_policy + "}}}}}}";
  }
};

TemplateParameters given(std::vector<std::pair<std::string, std::string>> overrides) {
  return TemplateParameters{std::move(overrides)};
}

LoadedConfig read_ok(const Template& t, const TemplateParameters& parameters = {},
                     const PolicyCatalogue* policies = nullptr) {
  return testing::loaded_from(t.text(), parameters, policies);
}

std::vector<Problem> problems_of(const Template& t, const TemplateParameters& parameters = {}) {
  return testing::problems_of(t.text(), parameters);
}

std::vector<std::string> warnings_at(const LoadedConfig& loaded, std::string_view path) {
  std::vector<std::string> out;
  for (const auto& warning : loaded.warnings) {
    if (warning.path == path) out.push_back(warning.message);
  }
  return out;
}

const std::string& domain_of(const LoadedConfig& loaded) {
  static const std::string none = "<no distribution>";
  if (loaded.distributions.empty() || loaded.distributions[0].config.origins.empty()) return none;
  return loaded.distributions[0].config.origins[0].domain_name;
}

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

constexpr std::string_view kOriginDomainParameter =
    R"({"OriginDomain":{"Type":"String","Default":"origin.example.com"}})";

TEST(TemplateParameters, RefTakesTheDefaultWithAWarningNamingFieldAndParameter) {
  Template t;
  t.parameters = kOriginDomainParameter;
  t.domain = R"({"Ref":"OriginDomain"})";
  const auto loaded = read_ok(t);
  EXPECT_EQ(domain_of(loaded), "origin.example.com");
  const auto warnings = warnings_at(loaded, kDomainPath);
  ASSERT_EQ(warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_EQ(warnings[0],
            "uses the Default of Parameter OriginDomain (\"origin.example.com\"); a deployed stack may pass "
            "another value (--template-parameter OriginDomain=VALUE)");
}

TEST(TemplateParameters, AGivenValueBeatsTheDefaultWithoutAWarning) {
  Template t;
  t.parameters = kOriginDomainParameter;
  t.domain = R"({"Ref":"OriginDomain"})";
  const auto loaded = read_ok(t, given({{"OriginDomain", "other.example.net"}}));
  EXPECT_EQ(domain_of(loaded), "other.example.net");
  EXPECT_TRUE(warnings_at(loaded, kDomainPath).empty()) << all(loaded.warnings);
}

TEST(TemplateParameters, SubStringFormTakesParameters) {
  Template t;
  t.parameters = R"({"Environment":{"Type":"String","Default":"prod"}})";
  t.domain = R"({"Fn::Sub":"${Environment}.example.com"})";
  EXPECT_EQ(domain_of(read_ok(t)), "prod.example.com");
  EXPECT_EQ(domain_of(read_ok(t, given({{"Environment", "staging"}}))), "staging.example.com");
  // "${!Name}" is the literal "${Name}", not a variable (and not a valid domain either).
  t.domain = R"({"Fn::Sub":"${Environment}-${!Literal}.example.com"})";
  EXPECT_NE(message_at(problems_of(t), kDomainPath).find("${Literal}"), std::string::npos);
}

TEST(TemplateParameters, SubWithAnUnclosedVariableSaysSoRatherThanBlamingTheStack) {
  Template t;
  t.parameters = R"({"Env":{"Type":"String","Default":"prod"}})";
  t.domain = R"({"Fn::Sub":"${Env.example.com"})";
  const std::string message = message_at(problems_of(t, given({{"Env", "a"}})), kDomainPath);
  EXPECT_NE(message.find(R"(a "${" with no closing "}")"), std::string::npos) << message;
  EXPECT_NE(message.find("close it"), std::string::npos) << message;
  EXPECT_EQ(message.find("deployed stack"), std::string::npos) << message;
}

TEST(TemplateParameters, SubVariableMapSuppliesValuesAndMayRefParameters) {
  Template t;
  t.parameters = R"({"Zone":{"Type":"String","Default":"example.org"},)"
                 R"("Host":{"Type":"String","Default":"unused"}})";
  // The map's Host shadows the parameter of the same name.
  t.domain = R"({"Fn::Sub":["${Host}.${Zone}",{"Host":"api","Zone":{"Ref":"Zone"}}]})";
  const auto loaded = read_ok(t);
  EXPECT_EQ(domain_of(loaded), "api.example.org");
  const auto warnings = warnings_at(loaded, kDomainPath);
  ASSERT_EQ(warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_TRUE(has(warnings[0], "Parameter Zone (\"example.org\")")) << warnings[0];
  EXPECT_FALSE(has(warnings[0], "Host")) << warnings[0];

  // A map value that needs a deployed stack stays unresolved, and says which.
  t.domain = R"({"Fn::Sub":["${Alb}.example.com",{"Alb":{"Fn::GetAtt":["Alb","DNSName"]}}]})";
  EXPECT_TRUE(has(message_at(problems_of(t), kDomainPath), "Fn::GetAtt \"Alb.DNSName\""));
}

TEST(TemplateParameters, JoinOfParametersNamesEveryDefaultOnce) {
  Template t;
  t.parameters = R"({"Host":{"Type":"String","Default":"www"},"Tld":{"Type":"String","Default":"com"}})";
  t.domain = R"({"Fn::Join":[".",[{"Ref":"Host"},{"Fn::Sub":"example-${Host}"},{"Ref":"Tld"}]]})";
  const auto loaded = read_ok(t);
  EXPECT_EQ(domain_of(loaded), "www.example-www.com");
  auto warnings = warnings_at(loaded, kDomainPath);
  ASSERT_EQ(warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_EQ(
      warnings[0],
      "uses the Defaults of Parameters Host (\"www\") and Tld (\"com\"); a deployed stack may pass other "
      "values (--template-parameter NAME=VALUE)");

  const auto overridden = read_ok(t, given({{"Tld", "net"}}));
  EXPECT_EQ(domain_of(overridden), "www.example-www.net");
  warnings = warnings_at(overridden, kDomainPath);
  ASSERT_EQ(warnings.size(), 1u) << all(overridden.warnings);
  EXPECT_TRUE(has(warnings[0], "Default of Parameter Host")) << warnings[0];
}

TEST(TemplateParameters, NumberParameterGivesTheHttpsPort) {
  Template t;
  t.parameters = R"({"OriginPort":{"Type":"Number","Default":8443}})";
  t.https_port = R"({"Ref":"OriginPort"})";
  const auto loaded = read_ok(t);
  ASSERT_EQ(loaded.distributions.size(), 1u);
  EXPECT_EQ(loaded.distributions[0].config.origins[0].custom->https_port, 8443);
  EXPECT_EQ(warnings_at(loaded, kPortPath).size(), 1u) << all(loaded.warnings);

  const auto overridden = read_ok(t, given({{"OriginPort", "9443"}}));
  EXPECT_EQ(overridden.distributions[0].config.origins[0].custom->https_port, 9443);

  // The port rules apply to the value it takes.
  EXPECT_TRUE(has(message_at(problems_of(t, given({{"OriginPort", "444"}})), kPortPath), "444"));
  // A Number must be a number: CloudFormation refuses the stack otherwise.
  const auto problems = problems_of(t, given({{"OriginPort", "https"}}));
  EXPECT_TRUE(has(message_at(problems, "Parameters.OriginPort"), "is not a number")) << all(problems);
}

TEST(TemplateParameters, AllowedValuesAreEnforcedOnDefaultsAndGivenValues) {
  Template t;
  t.parameters = R"({"OriginDomain":{"Type":"String","Default":"c.example.com",)"
                 R"("AllowedValues":["a.example.com","b.example.com"]}})";
  t.domain = R"({"Ref":"OriginDomain"})";
  auto problems = problems_of(t);
  const std::string message = message_at(problems, "Parameters.OriginDomain");
  EXPECT_TRUE(has(message,
                  "its Default \"c.example.com\" is not one of its AllowedValues: \"a.example.com\", "
                  "\"b.example.com\"; CloudFormation refuses it"))
      << all(problems);

  EXPECT_EQ(domain_of(read_ok(t, given({{"OriginDomain", "b.example.com"}}))), "b.example.com");
  problems = problems_of(t, given({{"OriginDomain", "d.example.com"}}));
  EXPECT_TRUE(has(message_at(problems, "Parameters.OriginDomain"),
                  "the value \"d.example.com\" given with --template-parameter OriginDomain"))
      << all(problems);
}

TEST(TemplateParameters, AllowedPatternMustMatchTheWholeValue) {
  Template t;
  t.parameters =
      R"({"OriginDomain":{"Type":"String","Default":"origin.example.com",)"
      R"("AllowedPattern":"[a-z]+\\.example\\.com","ConstraintDescription":"a host in example.com"}})";
  t.domain = R"({"Ref":"OriginDomain"})";
  EXPECT_EQ(domain_of(read_ok(t)), "origin.example.com");
  // A match of part of the value is not enough (CloudFormation matches all of it).
  const auto problems = problems_of(t, given({{"OriginDomain", "origin.example.com.evil.net"}}));
  const std::string message = message_at(problems, "Parameters.OriginDomain");
  EXPECT_TRUE(has(message, "does not match its AllowedPattern \"[a-z]+\\\\.example\\\\.com\"")) << message;
  EXPECT_TRUE(has(message, "(ConstraintDescription: \"a host in example.com\")")) << message;
}

TEST(TemplateParameters, AnAllowedPatternThatCannotBeCheckedIsAWarning) {
  Template t;
  t.parameters =
      R"({"OriginDomain":{"Type":"String","Default":"origin.example.com","AllowedPattern":"[a-z"}})";
  t.domain = R"({"Ref":"OriginDomain"})";
  const auto loaded = read_ok(t);
  const auto warnings = warnings_at(loaded, "Parameters.OriginDomain.AllowedPattern");
  ASSERT_EQ(warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_TRUE(has(warnings[0], "cannot be checked here")) << warnings[0];

  t.parameters = R"({"OriginDomain":{"Type":"String","Default":"origin.example.com","AllowedPattern":")" +
                 std::string(300, 'a') + R"("}})";
  EXPECT_EQ(warnings_at(read_ok(t), "Parameters.OriginDomain.AllowedPattern").size(), 1u);
}

TEST(TemplateParameters, AValueForAnUndeclaredParameterNamesItAndTheDeclaredOnes) {
  Template t;
  t.parameters = R"({"OriginDomain":{"Type":"String","Default":"origin.example.com"},)"
                 R"("OriginPort":{"Type":"Number","Default":443}})";
  const auto problems = problems_of(t, given({{"OriginDomian", "x.example.com"}}));
  EXPECT_EQ(message_at(problems, "Parameters"),
            "--template-parameter OriginDomian names no parameter of this template (did you mean "
            "OriginDomain?); it declares OriginDomain, OriginPort")
      << all(problems);

  t.parameters = "{}";
  EXPECT_TRUE(
      has(message_at(problems_of(t, given({{"Anything", "1"}})), "Parameters"), "it declares no Parameters"));
  // Given twice: which one was meant is not clear.
  t.parameters = kOriginDomainParameter;
  EXPECT_TRUE(
      has(message_at(problems_of(t, given({{"OriginDomain", "a"}, {"OriginDomain", "b"}})), "Parameters"),
          "is given twice"));
}

TEST(TemplateParameters, AValueForAConfigThatIsNotATemplateIsRefused) {
  auto loaded = read_distribution_config(testing::api_config(R"("OriginProtocolPolicy":"https-only")"),
                                         nullptr, given({{"OriginDomain", "x.example.com"}}));
  ASSERT_FALSE(loaded.has_value());
  EXPECT_TRUE(
      has(loaded.error().problems.front().message, "--template-parameter is for CloudFormation templates"))
      << loaded.error().to_string();
}

TEST(TemplateParameters, PseudoParametersResolveOnlyWhenGiven) {
  Template t;
  t.domain = R"({"Fn::Sub":"api.${AWS::Region}.example.com"})";
  const std::string message = message_at(problems_of(t), kDomainPath);
  EXPECT_TRUE(has(message, "AWS::Region is a pseudo parameter, known only to a deployed stack")) << message;
  EXPECT_TRUE(has(message, "--template-parameter AWS::Region=VALUE")) << message;

  const auto loaded = read_ok(t, given({{"AWS::Region", "eu-west-1"}}));
  EXPECT_EQ(domain_of(loaded), "api.eu-west-1.example.com");
  EXPECT_TRUE(warnings_at(loaded, kDomainPath).empty()) << all(loaded.warnings);

  t.domain = R"({"Fn::Join":[".",[{"Ref":"AWS::AccountId"},"example.com"]]})";
  EXPECT_EQ(domain_of(read_ok(t, given({{"AWS::AccountId", "123456789012"}}))), "123456789012.example.com");
  // AWS::NoValue is no value to give.
  EXPECT_TRUE(has(message_at(problems_of(t, given({{"AWS::NoValue", "x"}})), "Parameters"), "AWS::NoValue"));
}

TEST(TemplateParameters, AParameterWithoutDefaultOrValueSaysHowToGiveOne) {
  Template t;
  t.parameters = R"({"OriginDomain":{"Type":"String"}})";
  t.domain = R"({"Ref":"OriginDomain"})";
  EXPECT_EQ(message_at(problems_of(t), kDomainPath),
            "uses Ref \"OriginDomain\": Parameter OriginDomain has no Default; give its value with "
            "--template-parameter OriginDomain=VALUE");
  EXPECT_EQ(domain_of(read_ok(t, given({{"OriginDomain", "given.example.com"}}))), "given.example.com");

  // A list is not the single value a field takes: Ref of it is a list.
  t.parameters = R"({"OriginDomain":{"Type":"CommaDelimitedList","Default":"a.example.com,b.example.com"}})";
  EXPECT_EQ(message_at(problems_of(t), kDomainPath), "must be a string, not a list");
  // In Fn::Sub, which takes no lists, it says so.
  t.domain = R"({"Fn::Sub":"${OriginDomain}"})";
  EXPECT_TRUE(has(message_at(problems_of(t), kDomainPath), "is a CommaDelimitedList: Ref gives a list"));
}

TEST(TemplateParameters, NoEchoValuesAreNotShown) {
  Template t;
  t.parameters = R"({"OriginDomain":{"Type":"String","NoEcho":true,"Default":"secret.example.com"}})";
  t.domain = R"({"Ref":"OriginDomain"})";
  const auto loaded = read_ok(t);
  const auto warnings = warnings_at(loaded, kDomainPath);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_FALSE(has(warnings[0], "secret")) << warnings[0];
  EXPECT_TRUE(has(warnings[0], "a NoEcho value")) << warnings[0];
}

TEST(TemplateParameters, PolicyIdsMayBeParameters) {
  Template t;
  t.parameters =
      R"({"CachePolicyParam":{"Type":"String","Default":")" + std::string(kCachingDisabled) + R"("}})";
  t.cache_policy = R"({"Ref":"CachePolicyParam"})";
  const auto loaded = read_ok(t);
  ASSERT_EQ(loaded.distributions.size(), 1u);
  const auto& behavior = loaded.distributions[0].config.default_cache_behavior;
  EXPECT_EQ(behavior.cache_policy_id, std::string(kCachingDisabled));
  EXPECT_EQ(behavior.forwarding.source, ForwardingSource::policies);
  EXPECT_EQ(behavior.forwarding.cache_policy_name, "Managed-CachingDisabled");
  EXPECT_TRUE(loaded.unresolved_policies.empty()) << all(loaded.unresolved_policies);
  EXPECT_EQ(warnings_at(loaded, kCachePolicyPath).size(), 1u) << all(loaded.warnings);

  // A custom policy from the catalogue (--policies), chosen by the value given.
  auto catalogue = read_policies(
      R"({"CachePolicy":{"Id":"c-1","CachePolicyConfig":{"Name":"api","MinTTL":0,)"
      R"("ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":true,)"
      R"("EnableAcceptEncodingBrotli":false,"HeadersConfig":{"HeaderBehavior":"none"},)"
      R"("CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"none"}}}}})");
  ASSERT_TRUE(catalogue.has_value()) << catalogue.error().to_string();
  const auto custom = read_ok(t, given({{"CachePolicyParam", "c-1"}}), &*catalogue);
  const auto& custom_behavior = custom.distributions.at(0).config.default_cache_behavior;
  EXPECT_EQ(custom_behavior.cache_policy_id, "c-1");
  EXPECT_EQ(custom_behavior.forwarding.cache_policy_name, "api");
  EXPECT_TRUE(custom.unresolved_policies.empty()) << all(custom.unresolved_policies);

  // Fn::Sub "${Param}" is the same as a Ref.
  t.cache_policy = R"({"Fn::Sub":"${CachePolicyParam}"})";
  EXPECT_EQ(read_ok(t).distributions.at(0).config.default_cache_behavior.cache_policy_id,
            std::string(kCachingDisabled));

  // Without a value, the policy is unknown, and the warning says how to give one.
  t.parameters = R"({"CachePolicyParam":{"Type":"String"}})";
  const auto unknown = read_ok(t);
  EXPECT_EQ(unknown.unresolved_policies.size(), 1u);
  bool hint = false;
  for (const auto& warning : warnings_at(unknown, kCachePolicyPath)) {
    hint = hint || has(warning, "--template-parameter CachePolicyParam=VALUE");
  }
  EXPECT_TRUE(hint) << all(unknown.warnings);
}

TEST(TemplateParameters, TheTemplatesOwnPolicyResourcesSeeParametersToo) {
  // A cache policy resource whose Name and header list come from parameters,
  // named by the distribution with Ref.
  const std::string text =
      R"({"Parameters":{"Env":{"Type":"String","Default":"prod"},"Header":{"Type":"String","Default":"X-Tenant"}},)"
      R"("Resources":{"Cache":{"Type":"AWS::CloudFront::CachePolicy","Properties":{"CachePolicyConfig":{)"
      R"("Name":{"Fn::Sub":"${Env}-cache"},"MinTTL":0,"DefaultTTL":0,"MaxTTL":1,)"
      R"("ParametersInCacheKeyAndForwardedToOrigin":{"EnableAcceptEncodingGzip":false,)"
      R"("HeadersConfig":{"HeaderBehavior":"whitelist","Headers":[{"Ref":"Header"}]},)"
      R"("CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"none"}}}}},)"
      R"("Cdn":{"Type":"AWS::CloudFront::Distribution","Properties":{"DistributionConfig":{"Enabled":true,)"
      R"("Origins":[{"Id":"o","DomainName":"origin.example.com","CustomOriginConfig":{)"
      R"("OriginProtocolPolicy":"https-only","OriginSSLProtocols":["TLSv1.2"]}}],)"
      R"("DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all",)"
      R"("CachePolicyId":{"Ref":"Cache"}}}}}}})";
  auto loaded = read_distribution_config(text, nullptr, given({{"Env", "staging"}}));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  const auto& rules = loaded->distributions.at(0).config.default_cache_behavior.forwarding;
  EXPECT_EQ(rules.cache_policy_name, "staging-cache");
  EXPECT_TRUE(rules.headers.includes_header("x-tenant")) << "the Header parameter's Default";
  EXPECT_FALSE(rules.headers.includes_header("x-other"));
}

TEST(TemplateParameters, EnabledMayBeABooleanParameter) {
  std::string text = Template{}.text();
  const std::string enabled = R"("Enabled":true)";
  text.replace(text.find(enabled), enabled.size(), R"("Enabled":{"Ref":"EnableCdn"})");
  text.replace(
      text.find(R"("Parameters":{})"), 15,
      R"("Parameters":{"EnableCdn":{"Type":"String","Default":"false","AllowedValues":["true","false"]}})");
  auto loaded = read_distribution_config(text);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_FALSE(loaded->distributions.at(0).config.enabled);
}

TEST(TemplateParameters, ParseNameEqualsValue) {
  auto parsed = parse_template_parameter("OriginDomain=a=b");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->first, "OriginDomain");
  EXPECT_EQ(parsed->second, "a=b");
  parsed = parse_template_parameter("Empty=");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->second, "");
  EXPECT_TRUE(parse_template_parameter("AWS::Region=eu-west-1").has_value());
  EXPECT_TRUE(has(parse_template_parameter("OriginDomain").error(), "is not NAME=VALUE"));
  EXPECT_TRUE(has(parse_template_parameter("=x").error(), "no NAME"));
  EXPECT_TRUE(has(parse_template_parameter("Origin-Domain=x").error(), "is not a parameter name"));
}

TEST(TemplateParameters, TheSampleTemplateResolvesItsCommentFromTheDefault) {
  auto loaded = load_distribution_config(testing::sample("cloudformation.json"));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(loaded->distributions.at(1).config.comment, "web distribution for prod");
}

}  // namespace
}  // namespace edgefetch::config
