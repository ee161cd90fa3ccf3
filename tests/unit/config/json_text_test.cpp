// JSON input: a key given twice in one object is refused with its line and
// column, as in YAML, wherever the config layer reads JSON (configs,
// templates, policy files); and a policy id defined twice differently across
// or within --policies files is refused, naming both places.

#include "config/json_text.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config_test_support.hpp"
#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {
namespace {

using testing::all;
using testing::problems_of;
using Json = nlohmann::json;

std::string json_problem(std::string_view text) {
  auto parsed = detail::parse_json_text(text, "a test document");
  EXPECT_FALSE(parsed.has_value()) << "accepted: " << text;
  return parsed ? "<accepted>" : parsed.error().message;
}

TEST(JsonText, AKeyGivenTwiceInOneObjectIsRefusedWithWhereTheSecondIs) {
  EXPECT_EQ(json_problem(R"({"a": 1, "a": 2})"),
            "the field 'a' appears twice in one object (the second at line 1, column 10)");
  EXPECT_EQ(json_problem(
                "{\n  \"o\": {\n    \"DomainName\": \"a.test\",\n    \"DomainName\": \"evil.test\"\n  }\n}"),
            "the field 'DomainName' appears twice in one object (the second at line 4, column 5)");
  // Keys compare as the parser reads them: \u0061 is "a".
  EXPECT_EQ(json_problem(R"({"x": "\"a\":", "a": 1, "\u0061": 2})"),
            "the field 'a' appears twice in one object (the second at line 1, column 25)");
  // Inside a list, after keys in strings and escaped quotes.
  EXPECT_EQ(json_problem(R"({"l": [{"k": "\\"}, {"k": 1, "k" : 2}]})"),
            "the field 'k' appears twice in one object (the second at line 1, column 30)");
  // Byte order mark and leading space count in the column as they do for syntax errors.
  EXPECT_EQ(json_problem("\xEF\xBB\xBF {\"a\":1,\"a\":2}"),
            "the field 'a' appears twice in one object (the second at line 1, column 12)");
}

TEST(JsonText, TheSameKeyInDifferentObjectsIsFine) {
  auto parsed = detail::parse_json_text(R"({"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}], "c": {"a": {"a": 3}}})",
                                        "a test document");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ((*parsed)["b"][1]["a"], Json(2));
}

TEST(JsonText, ADuplicateBeforeASyntaxErrorIsReportedFirst) {
  EXPECT_EQ(json_problem(R"({"a": 1, "a": 2, )"),
            "the field 'a' appears twice in one object (the second at line 1, column 10)");
  // Syntax errors and limits keep their messages.
  EXPECT_NE(json_problem(R"({"a": 1,, "b": 2})").find("malformed JSON at line 1, column 9"),
            std::string::npos);
  EXPECT_NE(json_problem(std::string(200, '[')).find("nested more than"), std::string::npos);
}

TEST(JsonText, ADistributionConfigOrTemplateWithADuplicateIsRefused) {
  const auto config = problems_of(
      R"({"Origins": {"Quantity": 1, "Items": [{"Id": "a", "DomainName": "a.test", "DomainName": "evil.test",)"
      R"( "CustomOriginConfig": {"HTTPPort": 34001, "OriginProtocolPolicy": "http-only"}}]},)"
      "\n"
      R"( "DefaultCacheBehavior": {"TargetOriginId": "a", "ViewerProtocolPolicy": "allow-all",)"
      R"( "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}})");
  ASSERT_EQ(config.size(), 1u) << all(config);
  EXPECT_EQ(config[0].to_string(),
            "the field 'DomainName' appears twice in one object (the second at line 1, column 75)");

  const auto template_problems = problems_of(
      R"({"Resources": {"D": {"Type": "AWS::CloudFront::Distribution", "Properties": {}}, "D": {}}})");
  ASSERT_EQ(template_problems.size(), 1u) << all(template_problems);
  EXPECT_EQ(template_problems[0].message,
            "the field 'D' appears twice in one object (the second at line 1, column 82)");
}

// A policy file's text with `headers_config` as its HeadersConfig.
std::string request_policy(const std::string& id, const std::string& headers_config,
                           const std::string& name = "custom-orp") {
  return R"({"OriginRequestPolicy": {"Id": ")" + id + R"(", "OriginRequestPolicyConfig": {"Name": ")" + name +
         R"(", "HeadersConfig": )" + headers_config +
         R"(, "CookiesConfig": {"CookieBehavior": "none"}, "QueryStringsConfig": {"QueryStringBehavior": "all"}}}})";
}

constexpr const char* kId = "11111111-2222-3333-4444-555555555555";
constexpr const char* kAllExcept =
    R"({"HeaderBehavior": "allExcept", "Headers": {"Quantity": 2, "Items": ["X-Drop", "host"]}})";

TEST(JsonText, APolicyFileWithADuplicateIsRefused) {
  auto read = read_policies(R"({"OriginRequestPolicy": {"Id": "a", "Id": "b"}})");
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().to_string(),
            "the field 'Id' appears twice in one object (the second at line 1, column 37)");
}

// Policy files written for one test, removed with it.
class PolicyDefinitions : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& name, const std::string& text) {
    auto path = directory_ / name;
    std::ofstream(path) << text;
    return path;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

 private:
  std::filesystem::path directory_ = [] {
    auto path = std::filesystem::temp_directory_path() /
                ("edgefetch-policies-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(path);
    return path;
  }();
};

TEST_F(PolicyDefinitions, TheSameFileTwiceIsAWarning) {
  const auto file = write("pol.json", request_policy(kId, kAllExcept));
  auto loaded = load_policies({file, file});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  ASSERT_EQ(loaded->policies.size(), 1u);
  ASSERT_EQ(loaded->warnings.size(), 1u);
  EXPECT_EQ(loaded->warnings[0].to_string(), file.string() + ": OriginRequestPolicy: \"" + kId +
                                                 "\" is given more than once (the same as at " +
                                                 file.string() + ": OriginRequestPolicy); the first is used");
}

TEST_F(PolicyDefinitions, TheSameDefinitionWrittenOtherwiseIsAWarning) {
  // Header names in another order and case: what is forwarded is the same.
  const auto first = write("a.json", request_policy(kId, kAllExcept));
  const auto second = write(
      "b.json",
      request_policy(
          kId,
          R"({"HeaderBehavior": "allExcept", "Headers": {"Quantity": 2, "Items": ["Host", "x-drop"]}})"));
  auto loaded = load_policies({first, second});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(loaded->warnings.size(), 1u);
}

TEST_F(PolicyDefinitions, TwoDifferentDefinitionsInTwoFilesAreRefused) {
  const auto first = write("pol.json", request_policy(kId, kAllExcept));
  const auto second = write("pol2.json", request_policy(kId, R"({"HeaderBehavior": "none"})"));
  auto loaded = load_policies({first, second});
  ASSERT_FALSE(loaded.has_value()) << "which one the origin sees would depend on the order of the files";
  ASSERT_EQ(loaded.error().problems.size(), 1u) << loaded.error().to_string();
  EXPECT_EQ(
      loaded.error().to_string(),
      second.string() + ": OriginRequestPolicy: \"" + kId + "\" is defined differently at " + first.string() +
          ": OriginRequestPolicy (its HeadersConfig differs); which one applied would depend on the order "
          "they are given in; keep one");
  // The other order is refused too.
  EXPECT_FALSE(load_policies({second, first}).has_value());

  const auto renamed = write("renamed.json", request_policy(kId, kAllExcept, "other-name"));
  auto by_name = load_policies({first, renamed});
  ASSERT_FALSE(by_name.has_value());
  EXPECT_NE(by_name.error().to_string().find("(its Name differs)"), std::string::npos)
      << by_name.error().to_string();
}

TEST_F(PolicyDefinitions, TwoDifferentDefinitionsInOneListAreRefused) {
  const std::string item_a = request_policy(kId, kAllExcept);
  const std::string item_b = request_policy(kId, R"({"HeaderBehavior": "none"})");
  // A list entry is {"Type": ..., "OriginRequestPolicy": {...}}: the policy file minus its braces.
  const auto entry = [](const std::string& file) {
    return R"({"Type": "custom", )" + file.substr(1, file.size() - 2) + "}";
  };
  const auto list = write("list.json", R"({"OriginRequestPolicyList": {"Quantity": 2, "Items": [)" +
                                           entry(item_a) + ", " + entry(item_b) + "]}}");
  auto loaded = load_policies({list});
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(
      loaded.error().to_string(),
      list.string() + ": OriginRequestPolicyList.Items[1].OriginRequestPolicy: \"" + kId +
          "\" is defined differently at OriginRequestPolicyList.Items[0].OriginRequestPolicy (its "
          "HeadersConfig differs); which one applied would depend on the order they are given in; keep one");

  const auto same = write("same.json", R"({"OriginRequestPolicyList": {"Quantity": 2, "Items": [)" +
                                           entry(item_a) + ", " + entry(item_a) + "]}}");
  auto read = load_policies({same});
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  ASSERT_EQ(read->warnings.size(), 1u);
  EXPECT_NE(read->warnings[0].message.find("is given more than once (the same as at "
                                           "OriginRequestPolicyList.Items[0].OriginRequestPolicy)"),
            std::string::npos)
      << read->warnings[0].message;
}

}  // namespace
}  // namespace edgefetch::config
