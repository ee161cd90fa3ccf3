#include "cli/cli_support.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not declared by every header

namespace edgefetch::cli_test {
namespace {

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset(std::exchange(other.fd_, -1));
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  [[nodiscard]] int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read_end;
  Fd write_end;
};

Pipe make_pipe() {
  std::array<int, 2> fds{-1, -1};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    return {};
  }
  return {Fd(fds[0]), Fd(fds[1])};
}

// A pseudo-terminal pair: the child writes to the subordinate side, we read the main side.
Pipe make_pty() {
  Fd main_side(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (main_side.get() < 0 || ::grantpt(main_side.get()) != 0 || ::unlockpt(main_side.get()) != 0) {
    return {};
  }
  const char* name =
      ::ptsname(main_side.get());  // NOLINT(concurrency-mt-unsafe): tests spawn from one thread
  if (name == nullptr) {
    return {};
  }
  Fd subordinate(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  return {std::move(main_side), std::move(subordinate)};
}

std::vector<std::string> child_environment(const RunOptions& options) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string key = entry.substr(0, entry.find('='));
    const bool unset = std::find(options.unset_environment.begin(), options.unset_environment.end(), key) !=
                       options.unset_environment.end();
    const bool replaced = std::any_of(options.set_environment.begin(), options.set_environment.end(),
                                      [&key](const auto& kv) { return kv.first == key; });
    if (!unset && !replaced) {
      env.push_back(entry);
    }
  }
  for (const auto& [key, value] : options.set_environment) {
    std::string entry = key;
    entry += '=';
    entry += value;
    env.push_back(std::move(entry));
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

// Appends what is readable on fd to `sink`; false at end of stream (a pty reports EIO then).
bool drain(int fd, std::string& sink) {
  std::array<char, 4096> buffer{};
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n > 0) {
    sink.append(buffer.data(), static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

// A pty turns "\n" into "\r\n"; give the tests the program's own newlines back.
std::string strip_carriage_returns(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

}  // namespace

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const RunOptions& options) {
  RunResult result;
  std::vector<std::string> argv_strings = {program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  for (const std::string& a : argv_strings) {
    result.command_line += (result.command_line.empty() ? "" : " ") + a;
  }
  std::vector<std::string> env_strings = child_environment(options);
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env_strings);

  Pipe out = options.stdout_is_terminal ? make_pty() : make_pipe();
  Pipe err = make_pipe();
  if (out.read_end.get() < 0 || err.read_end.get() < 0) {
    result.err = "could not create pipes: " + std::string(std::strerror(errno));
    return result;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end.get(), STDERR_FILENO);
  pid_t pid = -1;
  const int spawn_error = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  out.write_end.reset();
  err.write_end.reset();
  if (spawn_error != 0) {
    result.err = "could not start " + program + ": " + std::strerror(spawn_error);
    return result;
  }

  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool out_open = true;
  bool err_open = true;
  while (out_open || err_open) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    std::array<pollfd, 2> fds = {pollfd{out_open ? out.read_end.get() : -1, POLLIN, 0},
                                 pollfd{err_open ? err.read_end.get() : -1, POLLIN, 0}};
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      break;
    }
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      out_open = drain(out.read_end.get(), result.out);
    }
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      err_open = drain(err.read_end.get(), result.err);
    }
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  if (options.stdout_is_terminal) {
    result.out = strip_carriage_returns(std::move(result.out));
  }
  return result;
}

RunResult run_edgefetch(const std::vector<std::string>& args, const RunOptions& options) {
  return run_program(EDGEFETCH_BINARY, args, options);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

RunResult run_expecting(const std::vector<std::string>& args, int expected_exit) {
  RunResult result = run_edgefetch(args);
  EXPECT_FALSE(result.timed_out) << result.command_line;
  EXPECT_EQ(result.exit_code, expected_exit) << result.command_line << "\nstdout:\n"
                                             << result.out << "\nstderr:\n"
                                             << result.err;
  return result;
}

nlohmann::json json_output(const RunResult& result) {
  nlohmann::json document = nlohmann::json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(document.is_discarded()) << result.command_line << " printed invalid JSON:\n" << result.out;
  return document;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace edgefetch::cli_test
