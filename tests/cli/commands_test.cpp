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
    EXPECT_TRUE(result.err.starts_with("edgefetch: unknown command '" + c.word +
                                       "'; the commands are get, check, serve, ciphers\n"))
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

}  // namespace
}  // namespace edgefetch::cli_test
