// A report that cannot be written (stdout on a full disk) is a local failure,
// exit 4 with output_failed, for every command: a CI job must not read success
// from an empty file.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "cli/get_servers.hpp"

namespace edgefetch::cli_test {
namespace {

constexpr int kExitInternal = 4;

// /dev/full accepts open() and fails every write with ENOSPC.
RunResult run_into_full_disk(const std::vector<std::string>& args) {
  std::vector<std::string> shell = {"-c", "exec \"$0\" \"$@\" > /dev/full", EDGEFETCH_BINARY};
  shell.insert(shell.end(), args.begin(), args.end());
  return run_program("/bin/sh", shell);
}

TEST(OutputFailure, EveryReportThatCannotBeWrittenExits4) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const std::vector<std::vector<std::string>> commands = {
      {"ciphers"}, {"ciphers", "--json"}, {"ciphers", "translate", "RC4-MD5"}, {"ciphers", "groups"},
      {"--help"},  {"check", "--help"},
  };
  for (const auto& args : commands) {
    const RunResult result = run_into_full_disk(args);
    EXPECT_EQ(result.exit_code, kExitInternal) << result.command_line << "\n" << result.err;
    EXPECT_TRUE(contains(result.err, "output_failed: could not write the output to standard output"))
        << result.command_line << "\n"
        << result.err;
  }
}

TEST(OutputFailure, AClosedStandardOutputSaysSo) {
  const RunResult result = run_program("/bin/sh", {"-c", "exec \"$0\" ciphers groups >&-", EDGEFETCH_BINARY});
  EXPECT_EQ(result.exit_code, kExitInternal) << result.err;
  EXPECT_TRUE(contains(result.err, "could not write the output to standard output (it is closed);"))
      << result.err;
  EXPECT_FALSE(contains(result.err, "full disk")) << result.err;
}

TEST(OutputFailure, GetJsonThatCannotBeWrittenExits4) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  auto server = start_server(answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  ASSERT_TRUE(server);
  const std::string url = "http://127.0.0.1:" + std::to_string(server->port()) + "/";
  const RunResult json = run_into_full_disk({"get", url, "--json"});
  EXPECT_EQ(json.exit_code, kExitInternal) << json.err;
  EXPECT_TRUE(contains(json.err, "output_failed")) << json.err;
  // The body itself: get's own message, once.
  const RunResult body = run_into_full_disk({"get", url});
  EXPECT_EQ(body.exit_code, kExitInternal) << body.err;
  EXPECT_TRUE(contains(body.err, "could not write the body to stdout")) << body.err;
  EXPECT_FALSE(contains(body.err, "output_failed: could not write the output")) << body.err;
}

TEST(OutputFailure, AWrittenReportKeepsItsExitCode) {
  const RunResult result =
      run_program("/bin/sh", {"-c", "exec \"$0\" ciphers > /dev/null", EDGEFETCH_BINARY});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.err.empty()) << result.err;
}

}  // namespace
}  // namespace edgefetch::cli_test
