// Keys the reader does not know: warned about (not refused, as the API adds
// fields over time), with the field they are nearest to, so that a misspelt
// optional field does not leave its default in place without a word.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/object_reader.hpp"
#include "config_test_support.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {
namespace {

using testing::all;
using testing::api_config;
using testing::loaded_from;

const std::string kOrigin = "DistributionConfig.Origins.Items[0]";
const std::string kCustom = kOrigin + ".CustomOriginConfig";
const std::string kBehavior = "DistributionConfig.DefaultCacheBehavior";
const std::string kPolicy =
    R"("OriginProtocolPolicy":"https-only","OriginSslProtocols":{"Quantity":1,"Items":["TLSv1.2"]})";

std::string with_policy(std::string_view fields) {
  return kPolicy + "," + std::string(fields);
}

// A one-origin API config whose default behavior has `behavior_extra` spliced in.
std::string with_behavior(std::string_view behavior_extra) {
  std::string text = api_config(kPolicy);
  const std::string target = R"("TargetOriginId":"o",)";
  text.insert(text.find(target), behavior_extra);
  return text;
}

// The same in CloudFormation's spelling (plain lists).
std::string cfn_config(std::string_view origin_extra, std::string_view custom_extra,
                       std::string_view behavior_extra) {
  return std::string(R"({"Origins":[{"Id":"o","DomainName":"o.example.com",)") + std::string(origin_extra) +
         R"("CustomOriginConfig":{"OriginProtocolPolicy":"https-only","OriginSSLProtocols":["TLSv1.2"])" +
         std::string(custom_extra) + R"(}}],"DefaultCacheBehavior":{)" + std::string(behavior_extra) +
         R"("TargetOriginId":"o","ViewerProtocolPolicy":"allow-all","CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}})";
}

TEST(ConfigUnknownFields, AMisspeltTimeoutNamesTheFieldMeantAndTheDefaultStays) {
  const auto loaded = loaded_from(api_config(with_policy(R"("OriginReadTimout":200)")));
  ASSERT_EQ(loaded.warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_EQ(loaded.warnings[0].path, kCustom);
  EXPECT_EQ(loaded.warnings[0].message,
            "unknown field \"OriginReadTimout\" (did you mean OriginReadTimeout?); it is ignored, so the "
            "default applies");
  EXPECT_EQ(loaded.distributions.at(0).config.origins.at(0).custom->read_timeout_s, 30);
}

TEST(ConfigUnknownFields, TheWrongCaseIsANearMiss) {
  const auto loaded = loaded_from(api_config(with_policy(R"("originKeepaliveTimeout":9)")));
  ASSERT_EQ(loaded.warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_EQ(loaded.warnings[0].message,
            "unknown field \"originKeepaliveTimeout\" (did you mean OriginKeepaliveTimeout?); it is ignored, "
            "so the default applies");
}

TEST(ConfigUnknownFields, ANearMissOfAFieldThatIsSetSaysSo) {
  const auto loaded =
      loaded_from(api_config(with_policy(R"("OriginReadTimeout":60,"OriginReadTimout":200)")));
  ASSERT_EQ(loaded.warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_EQ(loaded.warnings[0].message,
            "unknown field \"OriginReadTimout\" (did you mean OriginReadTimeout?); it is ignored "
            "(OriginReadTimeout is set as well)");
  EXPECT_EQ(loaded.distributions.at(0).config.origins.at(0).custom->read_timeout_s, 60);
}

TEST(ConfigUnknownFields, OriginFieldsFarFromEveryNameAreStillWarnedAbout) {
  const auto loaded = loaded_from(api_config(kPolicy, R"("Weight":5,"ConectionAttempts":1,)"));
  ASSERT_EQ(loaded.warnings.size(), 2u) << all(loaded.warnings);
  // In the object's key order.
  EXPECT_EQ(loaded.warnings[0].path, kOrigin);
  EXPECT_EQ(loaded.warnings[0].message,
            "unknown field \"ConectionAttempts\" (did you mean ConnectionAttempts?); it is ignored, so the "
            "default applies");
  EXPECT_EQ(loaded.warnings[1].message, "unknown field \"Weight\"; it is ignored");
}

TEST(ConfigUnknownFields, KnownFieldsTheReaderIgnoresAreNotWarnedAboutButTheirMisspellingsAre) {
  const auto quiet =
      loaded_from(api_config(kPolicy, R"("OriginShield":{"Enabled":false},"OriginAccessControlId":"",)"));
  EXPECT_TRUE(quiet.warnings.empty()) << all(quiet.warnings);
  const auto loaded = loaded_from(api_config(kPolicy, R"("OriginSheild":{"Enabled":false},)"));
  ASSERT_EQ(loaded.warnings.size(), 1u) << all(loaded.warnings);
  // edgefetch does not read OriginShield either: no "default applies".
  EXPECT_EQ(loaded.warnings[0].message,
            "unknown field \"OriginSheild\" (did you mean OriginShield?); it is ignored");
}

// Origin mTLS (facts 1.1, 2.5) is a field of the API, and of CloudFormation
// under the same name, that edgefetch cannot honour: it has no way to use a
// certificate kept in ACM. Known, and the warning says what follows from it.
TEST(ConfigUnknownFields, OriginMtlsConfigIsKnownAndSaysNoClientCertificateIsSent) {
  const std::string arn = "arn:aws:acm:us-east-1:111122223333:certificate/0b1c";
  const std::string expected =
      "edgefetch cannot use an ACM certificate ARN (\"" + arn +
      "\") and sends no client certificate: an origin that requires one gets none, and viewers get 502 "
      "(client_certificate_required)";
  const auto api =
      loaded_from(api_config(with_policy(R"("OriginMtlsConfig":{"ClientCertificateArn":")" + arn + R"("})")));
  ASSERT_EQ(api.warnings.size(), 1u) << all(api.warnings);
  EXPECT_EQ(api.warnings[0].path, kCustom + ".OriginMtlsConfig.ClientCertificateArn");
  EXPECT_EQ(api.warnings[0].message, expected);

  const auto cfn =
      loaded_from(cfn_config("", R"(,"OriginMtlsConfig":{"ClientCertificateArn":")" + arn + R"("})", ""));
  ASSERT_EQ(cfn.warnings.size(), 1u) << all(cfn.warnings);
  EXPECT_EQ(cfn.warnings[0].path,
            "DistributionConfig.Origins[0].CustomOriginConfig.OriginMtlsConfig.ClientCertificateArn");
  EXPECT_EQ(cfn.warnings[0].message, expected);
}

TEST(ConfigUnknownFields, OriginMtlsConfigWithoutItsCertificateArnIsRefusedAsTheApiRefusesIt) {
  const std::string at = kCustom + ".OriginMtlsConfig";
  auto problems = testing::problems_of(api_config(with_policy(R"("OriginMtlsConfig":{})")));
  ASSERT_EQ(problems.size(), 1u) << all(problems);
  EXPECT_EQ(problems[0].path, at + ".ClientCertificateArn");
  EXPECT_EQ(
      problems[0].message,
      "required but missing; the ARN of the client certificate in ACM (us-east-1) that the CDN presents "
      "to the origin");

  problems = testing::problems_of(api_config(with_policy(R"("OriginMtlsConfig":"arn:aws:acm:x")")));
  ASSERT_EQ(problems.size(), 1u) << all(problems);
  EXPECT_EQ(problems[0].path, at);
  EXPECT_EQ(problems[0].message, "must be an object with ClientCertificateArn, not a string");

  // A misspelt ClientCertificateArn: the near miss, and the missing field.
  problems =
      testing::problems_of(api_config(with_policy(R"("OriginMtlsConfig":{"ClientCertificateArm":"a"})")));
  ASSERT_EQ(problems.size(), 1u) << all(problems);
  EXPECT_EQ(problems[0].path, at + ".ClientCertificateArn");
}

TEST(ConfigUnknownFields, CustomHeaderItems) {
  const auto loaded = loaded_from(api_config(
      kPolicy,
      R"("CustomHeaders":{"Quantity":1,"Items":[{"HeaderName":"X-A","HeaderValue":"1","HeaderValeu":"2"}]},)"));
  ASSERT_EQ(loaded.warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_EQ(loaded.warnings[0].path, kOrigin + ".CustomHeaders.Items[0]");
  EXPECT_EQ(loaded.warnings[0].message,
            "unknown field \"HeaderValeu\" (did you mean HeaderValue?); it is ignored (HeaderValue is set as "
            "well)");
}

TEST(ConfigUnknownFields, BehaviorsWarnOnlyAboutNearMissesOfWhatIsRead) {
  // Fields of the API the reader does not use, and a field newer than edgefetch: quiet.
  const auto quiet = loaded_from(with_behavior(
      R"("Compress":true,"MinTTL":0,"SmoothStreaming":false,"TrustedSigners":{"Enabled":false,"Quantity":0},)"
      R"("FutureCachingOption":{"Enabled":true},)"));
  EXPECT_TRUE(quiet.warnings.empty()) << all(quiet.warnings);

  const auto loaded = loaded_from(with_behavior(R"("CachePolicy":"x","ForwardedValue":{},)"));
  ASSERT_EQ(loaded.warnings.size(), 2u) << all(loaded.warnings);
  EXPECT_EQ(loaded.warnings[0].path, kBehavior);
  EXPECT_EQ(
      loaded.warnings[0].message,
      "unknown field \"CachePolicy\" (did you mean CachePolicyId?); it is ignored (CachePolicyId is set "
      "as well)");
  EXPECT_EQ(loaded.warnings[1].message,
            "unknown field \"ForwardedValue\" (did you mean ForwardedValues?); it is ignored, so the default "
            "applies");
}

TEST(ConfigUnknownFields, CachedMethodsBesideAllowedMethodsIsMisplacedInTheApisJson) {
  const auto loaded = loaded_from(with_behavior(R"("CachedMethods":{"Quantity":1,"Items":["GET"]},)"));
  ASSERT_EQ(loaded.warnings.size(), 1u) << all(loaded.warnings);
  EXPECT_EQ(loaded.warnings[0].message,
            "unknown field \"CachedMethods\" at this level (in the API's JSON it goes inside "
            "AllowedMethods); it is ignored");
}

TEST(ConfigUnknownFields, CloudFormationHasItsOwnSpellings) {
  const auto quiet = loaded_from(cfn_config(R"("OriginCustomHeaders":[],)", R"(,"OriginReadTimeout":5)",
                                            R"("CachedMethods":["GET","HEAD"],)"));
  EXPECT_TRUE(quiet.warnings.empty()) << all(quiet.warnings);

  const auto loaded = loaded_from(cfn_config("", R"(,"OriginReadTimout":5)", R"("CachedMethod":["GET"],)"));
  ASSERT_EQ(loaded.warnings.size(), 2u) << all(loaded.warnings);
  EXPECT_EQ(loaded.warnings[0].path, "DistributionConfig.Origins[0].CustomOriginConfig");
  EXPECT_EQ(loaded.warnings[1].message,
            "unknown field \"CachedMethod\" (did you mean CachedMethods?); it is ignored, so the default "
            "applies");
}

// The other spelling of a field is a problem already (reject_other_spelling);
// read through the reader itself, whose warnings survive the failure.
TEST(ConfigUnknownFields, AFieldInTheOtherSpellingIsReportedOnceAsAProblem) {
  for (const auto& [spelling, text, path] : {
           std::tuple{Spelling::api,
                      api_config(R"("OriginProtocolPolicy":"https-only","OriginSSLProtocols":[])"),
                      kCustom + ".OriginSSLProtocols"},
           std::tuple{Spelling::cloudformation, cfn_config(R"("CustomHeaders":[],)", "", ""),
                      std::string("DistributionConfig.Origins[0].CustomHeaders")},
       }) {
    std::vector<Problem> problems;
    std::vector<Problem> warnings;
    detail::ObjectReader reader(spelling, "DistributionConfig", problems, warnings);
    reader.read(nlohmann::json::parse(text));
    ASSERT_EQ(problems.size(), 1u) << all(problems);
    EXPECT_EQ(problems[0].path, path);
    for (const auto& warning : warnings) {
      EXPECT_EQ(warning.message.find("unknown field"), std::string::npos) << warning.to_string();
    }
  }
}

TEST(ConfigUnknownFields, AHostileNumberOfUnknownFieldsIsBounded) {
  std::string fields;
  for (int i = 0; i < 3000; ++i) fields += "\"Unknown" + std::to_string(i) + "\":0,";
  const auto loaded = loaded_from(api_config(kPolicy, fields));
  ASSERT_EQ(loaded.warnings.size(), 1001u);
  EXPECT_EQ(loaded.warnings.back().path, "DistributionConfig");
  EXPECT_EQ(loaded.warnings.back().message,
            "has more than 1000 fields edgefetch does not know; the rest are not checked for misspellings");
  for (const auto& warning : loaded.warnings) {
    EXPECT_EQ(warning.message.find("did you mean"), std::string::npos) << warning.to_string();
  }
}

TEST(ConfigUnknownFields, TheSamplesHaveNone) {
  for (const char* name : {"get-distribution-config.json", "get-distribution.json",
                           "distribution-config.json", "cloudformation.json", "minimal.json"}) {
    auto loaded = load_distribution_config(testing::sample(name));
    ASSERT_TRUE(loaded.has_value()) << name;
    for (const auto& warning : loaded->warnings) {
      EXPECT_EQ(warning.message.find("unknown field"), std::string::npos)
          << name << ": " << warning.to_string();
    }
  }
}

}  // namespace
}  // namespace edgefetch::config
