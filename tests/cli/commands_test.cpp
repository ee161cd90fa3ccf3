// The command word itself: an unknown one is named, and `edgefetch help
// [COMMAND]` shows the help `--help` would.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_support.hpp"

namespace edgefetch::cli_test {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;

TEST(Commands, AnUnknownCommandIsNamedWithTheCommandsThereAre) {
  struct Case {
    std::vector<std::string> args;
    std::string word;
  };
  for (const Case& c : {Case{{"bogus"}, "bogus"}, Case{{"chek", "origin.example.com"}, "chek"},
                        Case{{"bogus", "--help"}, "bogus"}, Case{{"--no-such-option", "gett"}, "gett"}}) {
    const RunResult result = run_expecting(c.args, kExitUsage);
    // A near miss gets the command it is near; a word near none, no guess.
    const std::string suggestion = c.word == "chek"   ? "; did you mean 'check'?"
                                   : c.word == "gett" ? "; did you mean 'get'?"
                                                      : "";
    EXPECT_TRUE(result.err.starts_with("edgefetch: unknown command '" + c.word + "'" + suggestion +
                                       "; the commands are get, check, serve, ciphers\n"))
        << result.err;
    EXPECT_FALSE(contains(result.err, "A subcommand is required")) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
}

TEST(Commands, HelpAsTheFirstWordIsHelp) {
  struct Case {
    std::vector<std::string> help_word;
    std::vector<std::string> help_flag;
  };
  for (const Case& c : {Case{{"help"}, {"--help"}}, Case{{"help", "serve"}, {"serve", "--help"}},
                        Case{{"help", "get"}, {"get", "--help"}},
                        Case{{"help", "ciphers", "translate"}, {"ciphers", "translate", "--help"}}}) {
    const RunResult word = run_expecting(c.help_word, kExitOk);
    const RunResult flag = run_expecting(c.help_flag, kExitOk);
    EXPECT_FALSE(word.out.empty());
    EXPECT_EQ(word.out, flag.out) << word.command_line;
    EXPECT_FALSE(contains(word.err, "is required")) << word.err;
  }
  const RunResult unknown = run_expecting({"help", "bogus"}, kExitUsage);
  EXPECT_TRUE(contains(unknown.err, "unknown command 'bogus'")) << unknown.err;
}

TEST(Commands, TheMainHelpSaysBothWaysToAskForACommandsHelp) {
  const RunResult result = run_expecting({"--help"}, kExitOk);
  EXPECT_TRUE(contains(result.out, "'edgefetch COMMAND --help' or 'edgefetch help COMMAND'")) << result.out;
}

// The main help's exit codes say which command uses which, as the README's table does.
TEST(Commands, TheMainHelpSaysWhichCommandUsesWhichExitCode) {
  const RunResult result = run_expecting({"--help"}, kExitOk);
  for (const char* text :
       {"1 get: TLS or certificate failure, check: incompatible",
        "3 get: connection failure, timeout or invalid HTTP response, check: unreachable",
        "4 output not written, or internal error", "ciphers and serve use only 0, 2 and 4"}) {
    EXPECT_TRUE(contains(result.out, text)) << text << " missing in:\n" << result.out;
  }
}

// Every command answers an unknown profile with every name, each alias the docs
// use (cloudfront-2025) next to the profile it stands for. serve refuses it
// before it reads its config or listens.
TEST(Commands, AnUnknownProfileIsAnsweredWithEveryNameAndAlias) {
  const std::vector<std::vector<std::string>> cases = {
      {"get", "https://origin.test/", "--profile", "nope"},
      {"check", "origin.test", "--profile", "nope"},
      {"check", "origin.test", "--compare-profile", "nope"},
      {"serve", "--config", "/nonexistent/dist.json", "--listen", "127.0.0.1:0", "--profile", "nope"},
      {"ciphers", "--profile", "nope"}};
  for (const auto& args : cases) {
    const RunResult result = run_expecting(args, kExitUsage);
    EXPECT_TRUE(contains(
        result.err, "unknown profile 'nope'; known profiles: cloudfront (aliases default, documented), "))
        << result.command_line << "\n"
        << result.err;
    EXPECT_TRUE(contains(result.err, ", CloudFront-Upstream-2025 (alias cloudfront-2025), ")) << result.err;
    EXPECT_TRUE(contains(result.err, "(see 'edgefetch ciphers profiles')")) << result.err;
  }
}

// A command line that does not parse points at the help of the command it names.
TEST(Commands, AUsageErrorPointsAtTheHelpOfTheCommandGiven) {
  struct Case {
    std::vector<std::string> args;
    std::string hint;
  };
  for (const Case& c :
       {Case{{"get", "https://origin.test/", "--no-such-flag"}, "Run 'edgefetch get --help' for usage."},
        Case{{"check", "--no-such-flag"}, "Run 'edgefetch check --help' for usage."},
        Case{{"serve", "--no-such-flag"}, "Run 'edgefetch serve --help' for usage."},
        Case{{"ciphers", "--profile", "cloudfront", "translate"},
             "Run 'edgefetch ciphers translate --help' for usage."},
        Case{{"--no-such-flag"}, "Run 'edgefetch --help' for usage."}}) {
    const RunResult result = run_expecting(c.args, kExitUsage);
    EXPECT_TRUE(contains(result.err, c.hint)) << result.command_line << "\n" << result.err;
    EXPECT_FALSE(contains(result.err, "COMMAND --help")) << result.err;
  }
}

}  // namespace
}  // namespace edgefetch::cli_test
