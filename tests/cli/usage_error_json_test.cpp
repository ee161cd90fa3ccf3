// With --json, an error found before any work starts is also one JSON object
// on stdout ({"error": {"code": "usage_error", "message": ...}}), so a CI job
// that parses stdout reads why; stderr keeps the message, and the exit code
// stays 2. Without --json, stdout stays empty.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_support.hpp"

namespace edgefetch::cli_test {
namespace {

constexpr int kExitUsage = 2;

struct Case {
  std::vector<std::string> args;
  std::string message_part;  // in both the JSON message and stderr
};

const std::vector<Case>& usage_cases() {
  static const std::vector<Case> cases = {
      // CLI11's own parse errors, before the command's flag is even set.
      {{"check", "--json", "--bogus"}, "--bogus"},
      {{"get", "https://origin.test/", "--json", "--connect-timeout", "99"}, "--connect-timeout"},
      {{"bogus", "--json"}, "unknown command 'bogus'"},
      // The commands' own checks.
      {{"get", "--json", "ftp://origin.test/"}, "unsupported scheme 'ftp'"},
      {{"get", "--json", "https://origin.test/", "--origin-ssl-protocols", "TLSv9"},
       "--origin-ssl-protocols"},
      // An empty value (an unset shell variable) is not taken as the default.
      {{"get", "--json", "https://origin.test/", "--origin-ssl-protocols", ""},
       "an empty value is not allowed"},
      {{"get", "--json", "https://origin.test/", "--host-header", ""}, "an empty value is not allowed"},
      {{"check", "--json", "origin.test", "--origin-ssl-protocols", ""}, "an empty value is not allowed"},
      {{"check", "--json", "origin.test", "--host-header", ""}, "an empty value is not allowed"},
      {{"check", "--json", "origin.test:99999"}, "the port must be a number"},
      {{"check", "--json", "--distribution-config", "/nonexistent/dist.json"},
       "--distribution-config '/nonexistent/dist.json': cannot read it (No such file or directory)"},
      {{"check", "--json", "origin.test", "--profile", "nope"}, "unknown profile 'nope'"},
      {{"ciphers", "--json", "--profile", "nope"}, "unknown profile 'nope'"},
      {{"ciphers", "--json", "--origin-ssl-protocols", "TLSv9"}, "--origin-ssl-protocols"},
      {{"ciphers", "groups", "--json", "--profile", "nope"}, "unknown profile 'nope'"},
  };
  return cases;
}

TEST(UsageErrorJson, EveryUsageErrorIsAJsonObjectOnStdoutWithJson) {
  for (const Case& c : usage_cases()) {
    const RunResult result = run_expecting(c.args, kExitUsage);
    const nlohmann::json document = json_output(result);
    ASSERT_TRUE(document.contains("error")) << result.command_line << "\n" << result.out;
    EXPECT_EQ(document["error"]["code"], "usage_error") << result.command_line;
    const std::string message = document["error"]["message"].get<std::string>();
    EXPECT_TRUE(contains(message, c.message_part)) << result.command_line << ": " << message;
    EXPECT_FALSE(message.starts_with("edgefetch:")) << message;
    EXPECT_TRUE(contains(result.err, c.message_part)) << result.err;
    EXPECT_EQ(document.size(), 1U) << result.out;
  }
}

TEST(UsageErrorJson, WithoutJsonStdoutStaysEmpty) {
  for (const Case& c : usage_cases()) {
    std::vector<std::string> args;
    for (const std::string& arg : c.args) {
      if (arg != "--json") args.push_back(arg);
    }
    const RunResult result = run_expecting(args, kExitUsage);
    EXPECT_TRUE(result.out.empty()) << result.command_line << "\n" << result.out;
    EXPECT_TRUE(contains(result.err, c.message_part)) << result.err;
  }
}

TEST(UsageErrorJson, AJsonWordAfterTheOperandSeparatorIsNotTheFlag) {
  const RunResult result = run_expecting({"get", "https://origin.test/", "--", "--json"}, kExitUsage);
  EXPECT_TRUE(result.out.empty()) << result.out;
}

}  // namespace
}  // namespace edgefetch::cli_test
