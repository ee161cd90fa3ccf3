// `--template-parameter NAME=VALUE` on `check --distribution-config` and
// `serve --config`: values for a CloudFormation template's Parameters. The
// positive cases need no origin: check dials a loopback port nothing listens
// on (the report still names the domain and port the parameters gave), and
// serve is asked to listen on an address it cannot bind, after it has read
// the config and printed its warnings.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/check_support.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

// A loopback port in 42000-42999 that nothing listens on (bindable now, so
// connecting to it is refused at once).
std::uint16_t closed_loopback_port() {
  for (std::uint16_t port = 42000; port < 43000; ++port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    const bool free = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (free) return port;
  }
  return 0;
}

// A template whose one origin's DomainName and HTTPSPort are parameters.
json parameter_template(const json& parameters) {
  const json origin = {{"Id", "web"},
                       {"DomainName", {{"Ref", "OriginDomain"}}},
                       {"ConnectionAttempts", 1},
                       {"ConnectionTimeout", 1},
                       {"CustomOriginConfig",
                        {{"HTTPSPort", {{"Ref", "OriginPort"}}},
                         {"OriginProtocolPolicy", "https-only"},
                         {"OriginSSLProtocols", {"TLSv1.2"}}}}};
  const json behavior = {{"TargetOriginId", "web"},
                         {"ViewerProtocolPolicy", "redirect-to-https"},
                         {"CachePolicyId", "658327ea-f89d-4fab-a63d-7e88639e58f6"}};
  return {{"AWSTemplateFormatVersion", "2010-09-09"},
          {"Parameters", parameters},
          {"Resources",
           {{"Cdn",
             {{"Type", "AWS::CloudFront::Distribution"},
              {"Properties",
               {{"DistributionConfig",
                 {{"Enabled", true},
                  {"Origins", json::array({origin})},
                  {"DefaultCacheBehavior", behavior}}}}}}}}}};
}

json default_parameters(std::uint16_t port) {
  return {{"OriginDomain", {{"Type", "String"}, {"Default", "default.params.test"}}},
          {"OriginPort", {{"Type", "Number"}, {"Default", port}}}};
}

class TemplateParameterTest : public ::testing::Test {
 protected:
  std::string write(const json& document, const std::string& name = "template.json") {
    const auto path = dir_ / name;
    std::ofstream(path) << document.dump(2);
    return path.string();
  }

  support::ScratchDir dir_ = support::ScratchDir::create("template-parameter");
};

bool any_contains(const json& list, std::string_view needle) {
  for (const auto& item : list) {
    if (item.is_string() && contains_text(item.get<std::string>(), needle)) return true;
  }
  return false;
}

TEST_F(TemplateParameterTest, CheckDialsWhatTheGivenValuesSay) {
  const std::uint16_t port = closed_loopback_port();
  ASSERT_NE(port, 0);
  const std::string file = write(parameter_template(default_parameters(443)));
  const std::string p = std::to_string(port);
  const auto result =
      run_check_args({"check", "--distribution-config", file, "--template-parameter",
                      "OriginDomain=given.params.test", "--template-parameter", "OriginPort=" + p,
                      "--resolve", "given.params.test:" + p + ":127.0.0.1", "--json"},
                     kExitUnreachable);
  ASSERT_TRUE(result.doc.is_object()) << result.run.out << result.run.err;
  ASSERT_EQ(result.doc["origins"].size(), 1U) << result.doc.dump(2);
  const json& origin = result.doc["origins"][0];
  EXPECT_EQ(origin["domain_name"], "given.params.test");
  EXPECT_EQ(origin["target"]["port"], port) << origin.dump(2);
  EXPECT_EQ(reason_codes(origin), std::vector<std::string>({"connection_refused"}));
  // Given values are not Defaults: nothing to warn about.
  EXPECT_FALSE(any_contains(result.doc["config_warnings"], "Default of Parameter")) << result.doc.dump(2);
}

TEST_F(TemplateParameterTest, CheckUsesTheDefaultAndSaysSo) {
  const std::uint16_t port = closed_loopback_port();
  ASSERT_NE(port, 0);
  const std::string file = write(parameter_template(default_parameters(port)));
  const std::string p = std::to_string(port);
  const auto result = run_check_args({"check", "--distribution-config", file, "--resolve",
                                      "default.params.test:" + p + ":127.0.0.1", "--json"},
                                     kExitUnreachable);
  ASSERT_TRUE(result.doc.is_object()) << result.run.out << result.run.err;
  EXPECT_EQ(result.doc["origins"][0]["domain_name"], "default.params.test");
  EXPECT_TRUE(
      any_contains(result.doc["config_warnings"],
                   "Resources.Cdn.Properties.DistributionConfig.Origins[0].DomainName: uses the Default of "
                   "Parameter OriginDomain (\"default.params.test\"); a deployed stack may pass another "
                   "value (--template-parameter OriginDomain=VALUE)"))
      << result.doc["config_warnings"].dump(2);
  EXPECT_TRUE(any_contains(result.doc["config_warnings"], "Default of Parameter OriginPort"))
      << result.doc["config_warnings"].dump(2);
}

TEST_F(TemplateParameterTest, UnknownParameterIsAUsageErrorNamingItAndTheDeclaredOnes) {
  const std::string file = write(parameter_template(default_parameters(443)));
  const auto result = run_expecting(
      {"check", "--distribution-config", file, "--template-parameter", "OriginDomian=x.params.test"},
      kExitUsage);
  EXPECT_TRUE(contains(result.err,
                       "--template-parameter OriginDomian names no parameter of this template (did you mean "
                       "OriginDomain?); it declares OriginDomain, OriginPort"))
      << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_FALSE(contains(result.err, "not a valid distribution config")) << result.err;
}

TEST_F(TemplateParameterTest, MalformedValuesAndMisplacedFlagsAreUsageErrors) {
  const std::string file = write(parameter_template(default_parameters(443)));
  const auto malformed = run_expecting(
      {"check", "--distribution-config", file, "--template-parameter", "OriginDomain"}, kExitUsage);
  EXPECT_TRUE(contains(malformed.err, "--template-parameter: \"OriginDomain\" is not NAME=VALUE"))
      << malformed.err;

  const auto bad_name = run_expecting(
      {"check", "--distribution-config", file, "--template-parameter", "Origin-Domain=x"}, kExitUsage);
  EXPECT_TRUE(contains(bad_name.err, "is not a parameter name")) << bad_name.err;

  const auto single =
      run_expecting({"check", "origin.params.test", "--template-parameter", "A=b"}, kExitUsage);
  EXPECT_TRUE(contains(single.err, "--template-parameter is used with --distribution-config")) << single.err;

  // A config that is not a template has no Parameters to give values for.
  const json api = {{"ETag", "E1"},
                    {"DistributionConfig",
                     {{"Origins",
                       {{"Quantity", 1},
                        {"Items",
                         {{{"Id", "web"},
                           {"DomainName", "web.params.test"},
                           {"CustomOriginConfig",
                            {{"HTTPPort", 80},
                             {"HTTPSPort", 443},
                             {"OriginProtocolPolicy", "http-only"},
                             {"OriginSslProtocols", {{"Quantity", 1}, {"Items", {"TLSv1.2"}}}}}}}}}}},
                      {"DefaultCacheBehavior",
                       {{"TargetOriginId", "web"},
                        {"ViewerProtocolPolicy", "allow-all"},
                        {"CachePolicyId", "658327ea-f89d-4fab-a63d-7e88639e58f6"}}},
                      {"Enabled", true}}}};
  const std::string api_file = write(api, "api.json");
  const auto not_template = run_expecting(
      {"check", "--distribution-config", api_file, "--template-parameter", "OriginDomain=x"}, kExitUsage);
  EXPECT_TRUE(contains(not_template.err, "--template-parameter is for CloudFormation templates"))
      << not_template.err;
  // The option is what is wrong, not the config.
  EXPECT_FALSE(contains(not_template.err, "not a valid distribution config")) << not_template.err;
  EXPECT_TRUE(contains(not_template.err, "(--distribution-config '" + api_file + "')")) << not_template.err;

  // --json: the usage error is a JSON document too.
  const auto as_json = run_expecting(
      {"check", "--distribution-config", file, "--template-parameter", "Nope=1", "--json"}, kExitUsage);
  EXPECT_TRUE(contains(as_json.out + as_json.err, "Nope")) << as_json.out << as_json.err;
}

TEST_F(TemplateParameterTest, AValueAgainstAllowedValuesIsRefused) {
  json parameters = default_parameters(443);
  parameters["OriginDomain"]["AllowedValues"] = {"default.params.test", "other.params.test"};
  const std::string file = write(parameter_template(parameters));
  const auto result = run_expecting(
      {"check", "--distribution-config", file, "--template-parameter", "OriginDomain=evil.params.test"},
      kExitUsage);
  EXPECT_TRUE(contains(result.err,
                       "Parameters.OriginDomain: the value \"evil.params.test\" given with "
                       "--template-parameter OriginDomain is not one of its AllowedValues"))
      << result.err;
  // The value given is at fault, not the file: the option is named, the file not called invalid.
  EXPECT_FALSE(contains(result.err, "not a valid distribution config")) << result.err;
  EXPECT_TRUE(contains(result.err, "(--distribution-config '" + file + "')")) << result.err;
}

TEST_F(TemplateParameterTest, ADefaultAgainstAllowedValuesIsTheFilesFault) {
  json parameters = default_parameters(443);
  parameters["OriginDomain"]["AllowedValues"] = {"other.params.test"};
  const std::string file = write(parameter_template(parameters));
  const auto result = run_expecting({"check", "--distribution-config", file}, kExitUsage);
  EXPECT_TRUE(contains(result.err, "--distribution-config '" + file + "' is not a valid distribution config"))
      << result.err;
  EXPECT_TRUE(contains(result.err,
                       "Parameters.OriginDomain: its Default \"default.params.test\" is not one of "
                       "its AllowedValues"))
      << result.err;
}

TEST_F(TemplateParameterTest, ServeReadsTheTemplateWithTheValuesGiven) {
  json parameters = default_parameters(443);
  parameters.erase("OriginDomain");
  parameters["OriginDomain"] = {{"Type", "String"}};  // no Default: serve needs a value
  const std::string file = write(parameter_template(parameters));

  const auto missing = run_expecting({"serve", "--config", file, "--listen", "127.0.0.1:0"}, kExitUsage);
  EXPECT_TRUE(contains(missing.err, "--template-parameter OriginDomain=VALUE")) << missing.err;
  EXPECT_FALSE(contains(missing.out, "listening")) << missing.out;

  const auto unknown = run_expecting(
      {"serve", "--config", file, "--listen", "127.0.0.1:0", "--template-parameter", "Domain=x.params.test"},
      kExitUsage);
  EXPECT_TRUE(contains(unknown.err, "--template-parameter Domain names no parameter of this template"))
      << unknown.err;

  const auto malformed = run_expecting(
      {"serve", "--config", file, "--listen", "127.0.0.1:0", "--template-parameter", "=x"}, kExitUsage);
  EXPECT_TRUE(contains(malformed.err, "--template-parameter: \"=x\" has no NAME")) << malformed.err;

  // Accepted: the config is read (its warnings printed: the port is the
  // Default), then listening on an address this host does not have fails.
  const auto accepted = run_expecting({"serve", "--config", file, "--listen", "192.0.2.1:0",
                                       "--template-parameter", "OriginDomain=given.params.test"},
                                      kExitUsage);
  EXPECT_TRUE(contains(
      accepted.err,
      "warning: Resources.Cdn.Properties.DistributionConfig.Origins[0].CustomOriginConfig.HTTPSPort: "
      "uses the Default of Parameter OriginPort (\"443\")"))
      << accepted.err;
  EXPECT_FALSE(contains(accepted.err, "Parameter OriginDomain")) << accepted.err;
}

TEST_F(TemplateParameterTest, HelpNamesTheFlag) {
  for (const char* command : {"check", "serve"}) {
    const auto help = run_expecting({command, "--help"}, 0);
    EXPECT_TRUE(contains(help.out, "--template-parameter")) << command << "\n" << help.out;
  }
}

}  // namespace
}  // namespace edgefetch::cli_test
