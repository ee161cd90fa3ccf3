// What `edgefetch serve` says about its configuration before it serves: the
// fields of a config it cannot honour (warnings), what CloudFormation would
// refuse and what it cannot serve (exit 2, naming the field as every other
// message names it), and a listener it cannot bind (one sentence shape for
// --listen, --listen-tls and --admin). No origin is ever contacted: where the
// config is accepted, serve is asked to listen on a loopback port this test
// holds, after it has read the config and printed its warnings.

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/check_support.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"
#include "support/tcp.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

// A bare DistributionConfig (the API's spelling) with one https-only origin
// "o1"; `custom_extra` goes into its CustomOriginConfig, `origin_extra` into
// the origin, `behaviors` are its CacheBehaviors.
json api_config(const json& custom_extra = json::object(), const json& origin_extra = json::object(),
                const json& behaviors = json::array()) {
  json custom = {{"HTTPPort", 80},
                 {"HTTPSPort", 443},
                 {"OriginProtocolPolicy", "https-only"},
                 {"OriginSslProtocols", {{"Quantity", 1}, {"Items", {"TLSv1.2"}}}}};
  custom.update(custom_extra);
  json origin = {{"Id", "o1"}, {"DomainName", "origin.test"}, {"CustomOriginConfig", custom}};
  origin.update(origin_extra);
  const json behavior = {{"TargetOriginId", "o1"},
                         {"ViewerProtocolPolicy", "allow-all"},
                         {"CachePolicyId", "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}};
  json config = {{"Origins", {{"Quantity", 1}, {"Items", json::array({origin})}}},
                 {"DefaultCacheBehavior", behavior},
                 {"Enabled", true}};
  if (!behaviors.empty()) config["CacheBehaviors"] = {{"Quantity", behaviors.size()}, {"Items", behaviors}};
  return config;
}

json behavior(const std::string& pattern) {
  return {{"PathPattern", pattern},
          {"TargetOriginId", "o1"},
          {"ViewerProtocolPolicy", "allow-all"},
          {"CachePolicyId", "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}};
}

class ServeConfigMessagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto listener = support::listen_loopback();
    ASSERT_TRUE(listener) << listener.error();
    held_ = std::move(*listener);
    held_address_ = "127.0.0.1:" + std::to_string(support::local_port(held_.get()));
  }

  std::string write(const json& config) {
    const auto path = dir_.path() / ("config" + std::to_string(++files_) + ".json");
    std::ofstream(path) << config.dump(2);
    return path.string();
  }

  support::ScratchDir dir_ = support::ScratchDir::create("serve-config-messages");
  int files_ = 0;
  support::UniqueFd held_;    // a loopback listener nobody else can bind
  std::string held_address_;  // "127.0.0.1:PORT" of it
};

TEST_F(ServeConfigMessagesTest, APortInUseReadsTheSameForEveryListener) {
  const std::string file = write(api_config());
  const auto listen = run_expecting({"serve", "--config", file, "--listen", held_address_}, kExitUsage);
  EXPECT_TRUE(contains(
      listen.err, "edgefetch serve: --listen " + held_address_ + ": cannot listen: Address already in use\n"))
      << listen.err;

  const auto leaf = support::TestPki::get().leaf(support::Leaf::rsa2048);
  const auto listen_tls = run_expecting({"serve", "--config", file, "--listen-tls", held_address_, "--cert",
                                         leaf.cert.string(), "--key", leaf.key.string()},
                                        kExitUsage);
  EXPECT_TRUE(contains(listen_tls.err, "edgefetch serve: --listen-tls " + held_address_ +
                                           ": cannot listen: Address already in use\n"))
      << listen_tls.err;

  const auto admin = run_expecting(
      {"serve", "--config", file, "--listen", "127.0.0.1:0", "--admin", held_address_}, kExitUsage);
  EXPECT_TRUE(contains(
      admin.err, "edgefetch serve: --admin " + held_address_ + ": cannot listen: Address already in use\n"))
      << admin.err;
  EXPECT_FALSE(contains(admin.out, "listening")) << admin.out;
}

TEST_F(ServeConfigMessagesTest, AVpcOriginIsNamedByItsFieldPathAsEveryOtherProblem) {
  // Only the VPC origin's settings: no CustomOriginConfig.
  json vpc_only = api_config(json::object(), {{"VpcOriginConfig", {{"VpcOriginId", "vo_1"}}}});
  vpc_only["Origins"]["Items"][0].erase("CustomOriginConfig");
  const auto result =
      run_expecting({"serve", "--config", write(vpc_only), "--listen", "127.0.0.1:0"}, kExitUsage);
  EXPECT_TRUE(contains(result.err,
                       "DistributionConfig.Origins.Items[0].VpcOriginConfig: VPC origins cannot be served by "
                       "edgefetch; use a CustomOriginConfig"))
      << result.err;
  EXPECT_FALSE(contains(result.err, "(Id o1)")) << result.err;
  EXPECT_FALSE(contains(result.out, "listening")) << result.out;

  // A template: CloudFormation's spelling of the path.
  const json cfn = {{"Resources",
                     {{"Cdn",
                       {{"Type", "AWS::CloudFront::Distribution"},
                        {"Properties",
                         {{"DistributionConfig",
                           {{"Enabled", true},
                            {"Origins",
                             {{{"Id", "o1"},
                               {"DomainName", "origin.test"},
                               {"VpcOriginConfig", {{"VpcOriginId", "vo_1"}}}}}},
                            {"DefaultCacheBehavior",
                             {{"TargetOriginId", "o1"},
                              {"ViewerProtocolPolicy", "allow-all"},
                              {"CachePolicyId", "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}}}}}}}}}}}};
  const auto from_template =
      run_expecting({"serve", "--config", write(cfn), "--listen", "127.0.0.1:0"}, kExitUsage);
  EXPECT_TRUE(contains(from_template.err,
                       "Resources.Cdn.Properties.DistributionConfig.Origins[0].VpcOriginConfig: VPC origins "
                       "cannot be served by edgefetch"))
      << from_template.err;
}

// Origin mTLS is a real field (edgefetch's own advice for a
// client_certificate_required 502 names it): known, and what it cannot do
// said; a duplicate PathPattern leaves a behavior unreachable: said too.
TEST_F(ServeConfigMessagesTest, FieldsServeCannotHonourAreWarnedAboutByTheirPath) {
  const json config =
      api_config({{"OriginMtlsConfig", {{"ClientCertificateArn", "arn:aws:acm:us-east-1:1:c/x"}}}},
                 json::object(), json::array({behavior("/img/*"), behavior("/img/*")}));
  const auto result =
      run_expecting({"serve", "--config", write(config), "--listen", held_address_}, kExitUsage);
  EXPECT_TRUE(contains(result.err,
                       "edgefetch serve: warning: DistributionConfig.Origins.Items[0].CustomOriginConfig."
                       "OriginMtlsConfig.ClientCertificateArn: edgefetch cannot use an ACM certificate ARN "
                       "(\"arn:aws:acm:us-east-1:1:c/x\") and sends no client certificate"))
      << result.err;
  EXPECT_FALSE(contains(result.err, "unknown field")) << result.err;
  EXPECT_TRUE(contains(result.err,
                       "edgefetch serve: warning: DistributionConfig.CacheBehaviors.Items[1].PathPattern: "
                       "\"/img/*\" is also the PathPattern of DistributionConfig.CacheBehaviors.Items[0]."
                       "PathPattern, which comes first, so no request reaches this behavior"))
      << result.err;
}

// CloudFormation refuses a template whose Ref names nothing it declares, so
// no value could make it deploy; serve refuses it as it refuses a Fn::If on
// an undeclared condition.
TEST_F(ServeConfigMessagesTest, AConditionThatRefsAnUndeclaredNameIsRefused) {
  const json origin = {
      {"Id", "o1"},
      {"DomainName", "origin.test"},
      {"CustomOriginConfig",
       {{"HTTPSPort", 443}, {"OriginProtocolPolicy", "https-only"}, {"OriginSSLProtocols", {"TLSv1.2"}}}}};
  const json distribution = {{"Type", "AWS::CloudFront::Distribution"},
                             {"Condition", "C"},
                             {"Properties",
                              {{"DistributionConfig",
                                {{"Enabled", true},
                                 {"Origins", json::array({origin})},
                                 {"DefaultCacheBehavior",
                                  {{"TargetOriginId", "o1"},
                                   {"ViewerProtocolPolicy", "allow-all"},
                                   {"ForwardedValues", {{"QueryString", false}}}}}}}}}};
  const json cfn = {{"Resources", {{"A", distribution}}},
                    {"Conditions", {{"C", {{"Fn::Equals", json::array({{{"Ref", "Nope"}}, "x"})}}}}}};
  const std::string file = write(cfn);
  const std::string refused =
      "Conditions.C: Ref \"Nope\" names no Parameter, pseudo parameter or resource of the template; "
      "CloudFormation refuses the template (unresolved reference)";

  const auto result = run_expecting({"serve", "--config", file, "--listen", "127.0.0.1:0"}, kExitUsage);
  EXPECT_TRUE(contains(result.err, refused)) << result.err;
  EXPECT_FALSE(contains(result.err, "cannot be decided here")) << result.err;
  EXPECT_FALSE(contains(result.out, "listening")) << result.out;

  // No value can be given for it either.
  const auto given = run_expecting(
      {"serve", "--config", file, "--listen", "127.0.0.1:0", "--template-parameter", "Nope=x"}, kExitUsage);
  EXPECT_TRUE(contains(given.err, "--template-parameter Nope names no parameter of this template"))
      << given.err;
}

}  // namespace
}  // namespace edgefetch::cli_test
