#pragma once
// Runs the built edgefetch binary (EDGEFETCH_BINARY) the way a user would and
// captures what it printed and how it exited. Bounded in time: a command that
// outlives its timeout is killed and reported as timed out.

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgefetch::cli_test {

struct RunOptions {
  /// Variables set (or replaced) in the child's environment.
  std::vector<std::pair<std::string, std::string>> set_environment{};
  /// Variables removed from the child's environment.
  std::vector<std::string> unset_environment{};
  /// Attach stdout to a pseudo-terminal instead of a pipe (for colour tests).
  bool stdout_is_terminal = false;
  std::chrono::milliseconds timeout{20000};
};

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal or not started
  std::string out;
  std::string err;
  bool timed_out = false;
  std::string command_line;  // for failure messages
};

/// Runs `program` with `args` (argv[0] is `program`).
RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const RunOptions& options = {});

/// Runs the edgefetch binary under test.
RunResult run_edgefetch(const std::vector<std::string>& args, const RunOptions& options = {});

/// Runs the edgefetch binary and expects it to exit with `expected_exit` and in
/// time; a failure shows the command line and both outputs.
RunResult run_expecting(const std::vector<std::string>& args, int expected_exit);

/// The command's stdout as JSON; a test failure (and a discarded value) when it is not JSON.
nlohmann::json json_output(const RunResult& result);

bool contains(std::string_view haystack, std::string_view needle);

/// The lines of `text` (without their '\n').
std::vector<std::string> lines_of(const std::string& text);

}  // namespace edgefetch::cli_test
