#pragma once
// Child processes for peer servers: spawned in their own process group with
// stdout/stderr captured to files, killed (the whole group) when the owner goes
// away, and killed by the kernel if the test process dies first.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/deadline.hpp"

namespace edgefetch::support {

struct ProcessOptions {
  std::vector<std::string> argv{};                                 // argv[0] is looked up in PATH
  std::filesystem::path stdin_path{};                              // empty: /dev/null
  std::filesystem::path stdout_path{};                             // empty: /dev/null
  std::filesystem::path stderr_path{};                             // empty: /dev/null
  std::vector<std::pair<std::string, std::string>> environment{};  // added to (or replacing in) ours
  std::filesystem::path working_directory{};                       // empty: ours
};

class ChildProcess {
 public:
  /// Starts the program. Fails when it cannot be executed (error names argv[0]).
  /// The child gets SIGKILL if the thread that spawned it exits (PR_SET_PDEATHSIG):
  /// spawn from a thread that outlives the server (the test's main thread).
  static base::Expected<ChildProcess, std::string> spawn(ProcessOptions options);

  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  /// True while the child has not exited (reaps it when it has).
  [[nodiscard]] bool running();
  /// The wait status once exited, for describing why.
  [[nodiscard]] std::optional<int> exit_status() const { return status_; }
  /// "exited with 1", "killed by signal 9", "running".
  [[nodiscard]] std::string describe_status();

  /// SIGKILL to the whole process group, then reaps. Idempotent.
  void kill();

  /// Waits (bounded) for the child to exit by itself.
  bool wait_exit(Deadline deadline);

  [[nodiscard]] const ProcessOptions& options() const { return options_; }
  [[nodiscard]] std::string command_line() const;
  [[nodiscard]] std::string read_stdout() const;
  [[nodiscard]] std::string read_stderr() const;

 private:
  ProcessOptions options_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// True when `pid` owns a TCP socket listening on `port` (IPv4 or IPv6, any
/// address), read from /proc: no connection is made to the server.
bool is_listening(pid_t pid, std::uint16_t port);

/// Waits until the child listens on `port`. Fails early (with its stderr) when the
/// child exits, or with a timeout message when the deadline passes.
base::Expected<void, std::string> wait_until_listening(ChildProcess& child, std::uint16_t port,
                                                       Deadline deadline);

/// Waits until `path` contains `marker` (e.g. a readiness line on stdout).
base::Expected<std::string, std::string> wait_for_output(ChildProcess& child,
                                                         const std::filesystem::path& path,
                                                         std::string_view marker, Deadline deadline);

/// Reads a whole file ("" when missing).
std::string read_file(const std::filesystem::path& path);

}  // namespace edgefetch::support
