// Which format an input is, and inputs that are not configs at all.

#include <gtest/gtest.h>

#include <string>

#include "config_test_support.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {
namespace {

using testing::loaded_from;
using testing::message_at;
using testing::problems_of;

const char* kBareApi = R"({"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":"o.example.com",
    "S3OriginConfig":{}}]},"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all"}})";
const char* kBareCfn = R"({"Origins":[{"Id":"o","DomainName":"o.example.com","S3OriginConfig":{}}],
    "DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all"}})";

std::string only_message(std::string_view text) {
  const auto problems = problems_of(text);
  return problems.size() == 1 ? problems[0].message : "<" + std::to_string(problems.size()) + " problems>";
}

TEST(ConfigDetection, Wrappers) {
  auto loaded = loaded_from(std::string(R"({"ETag":"E1","DistributionConfig":)") + kBareApi + "}");
  EXPECT_EQ(loaded.format, SourceFormat::get_distribution_config);
  EXPECT_EQ(loaded.etag, "E1");
  loaded =
      loaded_from(std::string(R"({"Distribution":{"Id":"EDIST","DistributionConfig":)") + kBareApi + "}}");
  EXPECT_EQ(loaded.format, SourceFormat::get_distribution);
  ASSERT_EQ(loaded.distributions.size(), 1u);
  EXPECT_EQ(loaded.distributions[0].name, "EDIST");
  loaded = loaded_from(kBareApi);
  EXPECT_EQ(loaded.format, SourceFormat::distribution_config);
  EXPECT_EQ(loaded.spelling, Spelling::api);
}

TEST(ConfigDetection, BareConfigInCloudFormationSpelling) {
  const auto loaded = loaded_from(kBareCfn);
  EXPECT_EQ(loaded.format, SourceFormat::distribution_config);
  EXPECT_EQ(loaded.spelling, Spelling::cloudformation);
  ASSERT_EQ(loaded.distributions.size(), 1u);
  EXPECT_EQ(loaded.distributions[0].config.origins.at(0).kind, OriginKind::s3);
  const auto problems = problems_of(R"({"Origins":[{"Id":"o","DomainName":"o.example.com",
      "CustomOriginConfig":{"OriginProtocolPolicy":"https-only","HTTPSPort":444}}],
      "DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all"}})");
  EXPECT_EQ(message_at(problems, "DistributionConfig.Origins[0].CustomOriginConfig.HTTPSPort"),
            "444 is not allowed; use 80, 443 or 1024-65535");
}

TEST(ConfigDetection, CloudFormationWithoutDistributions) {
  EXPECT_EQ(only_message(
                R"({"AWSTemplateFormatVersion":"2010-09-09","Resources":{"B":{"Type":"AWS::S3::Bucket"}}})"),
            "has no resource of Type AWS::CloudFront::Distribution");
  const auto problems =
      problems_of(R"({"Resources":{"Cdn":{"Type":"AWS::CloudFront::Distribution","Properties":{}}}})");
  EXPECT_EQ(message_at(problems, "Resources.Cdn.Properties.DistributionConfig"), "required but missing");
  EXPECT_NE(only_message(R"({"AWSTemplateFormatVersion":"2010-09-09"})").find("missing or not an object"),
            std::string::npos);
}

TEST(ConfigDetection, NotAConfig) {
  EXPECT_NE(only_message(R"({"hello":"world"})").find("not a distribution config"), std::string::npos);
  EXPECT_NE(only_message(R"([1,2,3])").find("the top level is a list"), std::string::npos);
  EXPECT_NE(only_message(R"({"DistributionList":{"Items":[]}})").find("list-distributions"),
            std::string::npos);
  EXPECT_NE(only_message("").find("empty"), std::string::npos);
  EXPECT_NE(only_message(" \n\t ").find("empty"), std::string::npos);
  // Text that is not JSON is read as YAML (yaml_test.cpp).
  EXPECT_NE(only_message("42").find("neither JSON (an object starting with '{') nor a YAML mapping"),
            std::string::npos);
  EXPECT_EQ(only_message("Resources:\n  Cdn:\n"), "has no resource of Type AWS::CloudFront::Distribution");
  EXPECT_EQ(only_message("---\nResources: {}\n"), "has no resource of Type AWS::CloudFront::Distribution");
}

TEST(ConfigDetection, MalformedJsonPositions) {
  EXPECT_EQ(
      only_message("{\n  \"Origins\": [\n    1,\n  ]\n}"),
      "malformed JSON at line 4, column 3: syntax error while parsing value - unexpected ']'; expected '[', "
      "'{', or a literal");
  EXPECT_NE(only_message("{\"a\": \"unterminated").find("malformed JSON at line 1, column "),
            std::string::npos);
  // Raw control bytes from the input never reach the message unescaped.
  const std::string message = only_message(std::string("{\"a\": \x01}", 8));
  EXPECT_EQ(message.find('\x01'), std::string::npos) << message;
  // nlohmann shows a control byte as <U+0001>; a byte that is not UTF-8 it
  // quotes raw, and that one is escaped here.
  const std::string not_utf8 = only_message("{\"a\": \"\xff\"}");
  EXPECT_EQ(not_utf8.find('\xff'), std::string::npos) << not_utf8;
  EXPECT_NE(not_utf8.find("\\xff"), std::string::npos) << not_utf8;
}

TEST(ConfigDetection, ByteOrderMarkIsSkipped) {
  const auto loaded = loaded_from(std::string("\xEF\xBB\xBF") + kBareApi);
  EXPECT_EQ(loaded.distributions.size(), 1u);
}

TEST(ConfigDetection, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = "{\"Origins\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  const std::string message = only_message(deep);
  EXPECT_NE(message.find("nested more than 128 levels deep"), std::string::npos) << message;
  EXPECT_NE(message.find("line 1, column 139"), std::string::npos) << message;
  // Brackets inside strings do not count.
  const std::string in_string =
      std::string(R"({"Comment":")") + std::string(1000, '[') + R"(",)" + std::string(kBareApi).substr(1);
  EXPECT_EQ(loaded_from(in_string).distributions.size(), 1u);
}

TEST(ConfigDetection, OversizedInputIsRefused) {
  const std::string big(kMaxInputBytes + 1, ' ');
  EXPECT_NE(only_message(big).find("the limit is"), std::string::npos);
}

}  // namespace
}  // namespace edgefetch::config
