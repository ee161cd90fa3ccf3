#include "support/process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/unique_fd.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX declares it nowhere in a header

namespace edgefetch::support {
namespace {

std::vector<std::string> merged_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& [key, value] : overrides) overridden = overridden || key == name;
    if (!overridden) env.emplace_back(entry);
  }
  for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

UniqueFd open_for_child(const std::filesystem::path& path, int flags) {
  const std::string name = path.empty() ? std::string("/dev/null") : path.string();
  return UniqueFd(::open(name.c_str(), flags | O_CLOEXEC, 0644));
}

// In the child between fork and exec only async-signal-safe calls are allowed:
// everything is prepared by the parent, and failures are reported as an errno
// through the close-on-exec pipe.
[[noreturn]] void report_and_exit(int report_fd) {
  const int saved = errno;
  (void)!::write(report_fd, &saved, sizeof saved);
  ::_exit(127);
}

[[noreturn]] void exec_child(const char* file, char* const* argv, char* const* envp, int in, int out, int err,
                             const char* cwd, pid_t parent, int report_fd) {
  if (::setpgid(0, 0) != 0) report_and_exit(report_fd);
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) report_and_exit(report_fd);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
  if (::dup2(in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 || ::dup2(err, STDERR_FILENO) < 0) {
    report_and_exit(report_fd);
  }
  if (cwd != nullptr && ::chdir(cwd) != 0) report_and_exit(report_fd);
  // Servers get a clean signal state: the test runner may block or ignore some.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ::execvpe(file, argv, envp);
  report_and_exit(report_fd);
}

}  // namespace

base::Expected<ChildProcess, std::string> ChildProcess::spawn(ProcessOptions options) {
  if (options.argv.empty()) return base::unexpected(std::string("spawn: empty argv"));
  std::vector<std::string> argv_strings = options.argv;
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<std::string> env_strings = merged_environment(options.environment);
  std::vector<char*> envp = c_strings(env_strings);
  const std::string cwd = options.working_directory.string();

  UniqueFd in = open_for_child(options.stdin_path, O_RDONLY);
  UniqueFd out = open_for_child(options.stdout_path, O_WRONLY | O_CREAT | O_TRUNC);
  UniqueFd err = open_for_child(options.stderr_path, O_WRONLY | O_CREAT | O_TRUNC);
  if (!in || !out || !err)
    return base::unexpected("spawn: cannot open output files: " + std::string(std::strerror(errno)));

  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0)
    return base::unexpected("spawn: pipe: " + std::string(std::strerror(errno)));
  UniqueFd report_read(report[0]);
  UniqueFd report_write(report[1]);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return base::unexpected("spawn: fork: " + std::string(std::strerror(errno)));
  if (pid == 0) {
    exec_child(argv[0], argv.data(), envp.data(), in.get(), out.get(), err.get(),
               cwd.empty() ? nullptr : cwd.c_str(), parent, report_write.get());
  }
  // Also set the group from the parent side so that kill(-pid) works even if we
  // get there before the child ran setpgid (EACCES after exec is harmless).
  ::setpgid(pid, pid);
  report_write.reset();

  ChildProcess child;
  child.options_ = std::move(options);
  child.pid_ = pid;

  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(report_read.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    child.kill();
    return base::unexpected("cannot execute '" + child.options_.argv[0] + "': " + std::strerror(child_errno));
  }
  return child;
}

ChildProcess::~ChildProcess() {
  kill();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : options_(std::move(other.options_)), pid_(std::exchange(other.pid_, -1)), status_(other.status_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill();
    options_ = std::move(other.options_);
    pid_ = std::exchange(other.pid_, -1);
    status_ = other.status_;
  }
  return *this;
}

bool ChildProcess::running() {
  if (pid_ < 0 || status_) return false;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    status_ = status;
    // The group may still hold grandchildren; they go with the leader.
    ::kill(-pid_, SIGKILL);
    return false;
  }
  return r == 0;
}

std::string ChildProcess::describe_status() {
  if (running()) return "running";
  if (!status_) return "not started";
  if (WIFEXITED(*status_)) return "exited with " + std::to_string(WEXITSTATUS(*status_));
  if (WIFSIGNALED(*status_)) return "killed by signal " + std::to_string(WTERMSIG(*status_));
  return "stopped";
}

void ChildProcess::kill() {
  if (pid_ < 0) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  if (!status_) {
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &status, 0);
    } while (r < 0 && errno == EINTR);
    if (r == pid_) status_ = status;
  }
  pid_ = -1;
}

bool ChildProcess::wait_exit(Deadline deadline) {
  auto pause = std::chrono::milliseconds(1);
  while (running()) {
    if (deadline.expired()) return false;
    std::this_thread::sleep_for(std::min(pause, deadline.remaining()));
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return true;
}

std::string ChildProcess::command_line() const {
  std::string out;
  for (const auto& arg : options_.argv) {
    if (!out.empty()) out += ' ';
    const bool quote = arg.empty() || arg.find_first_of(" '\"*?:;") != std::string::npos;
    out += quote ? "'" + arg + "'" : arg;
  }
  return out;
}

std::string ChildProcess::read_stdout() const {
  return read_file(options_.stdout_path);
}
std::string ChildProcess::read_stderr() const {
  return read_file(options_.stderr_path);
}

std::string read_file(const std::filesystem::path& path) {
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

// Inodes of sockets listening on `port`, from /proc/net/tcp{,6}:
// "sl local_address rem_address st ... inode", st 0A = LISTEN, ports in hex.
std::vector<std::string> listening_inodes(std::uint16_t port) {
  std::vector<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >>
            inode)) {
        continue;
      }
      if (state != "0A") continue;
      const auto colon = local.rfind(':');
      if (colon == std::string::npos) continue;
      if (std::stoul(local.substr(colon + 1), nullptr, 16) != port) continue;
      inodes.push_back(inode);
    }
  }
  return inodes;
}

}  // namespace

bool is_listening(pid_t pid, std::uint16_t port) {
  const std::vector<std::string> inodes = listening_inodes(port);
  if (inodes.empty()) return false;
  const std::filesystem::path fd_dir = "/proc/" + std::to_string(pid) + "/fd";
  std::error_code ec;
  for (std::filesystem::directory_iterator it(fd_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code link_ec;
    const std::string target = std::filesystem::read_symlink(it->path(), link_ec).string();
    if (link_ec || !target.starts_with("socket:[")) continue;
    const std::string inode = target.substr(8, target.size() - 9);
    for (const auto& listening : inodes) {
      if (listening == inode) return true;
    }
  }
  return false;
}

base::Expected<void, std::string> wait_until_listening(ChildProcess& child, std::uint16_t port,
                                                       Deadline deadline) {
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    if (!child.running()) {
      return base::unexpected("'" + child.command_line() + "' " + child.describe_status() +
                              " before listening on port " + std::to_string(port) + "; stderr:\n" +
                              child.read_stderr());
    }
    if (is_listening(child.pid(), port)) return {};
    if (deadline.expired()) {
      return base::unexpected("'" + child.command_line() + "' not listening on port " + std::to_string(port) +
                              " in time; stderr:\n" + child.read_stderr());
    }
    std::this_thread::sleep_for(std::min(pause, deadline.remaining()));
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

base::Expected<std::string, std::string> wait_for_output(ChildProcess& child,
                                                         const std::filesystem::path& path,
                                                         std::string_view marker, Deadline deadline) {
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    std::string text = read_file(path);
    if (text.find(marker) != std::string::npos) return text;
    if (!child.running()) {
      return base::unexpected("'" + child.command_line() + "' " + child.describe_status() +
                              " before printing '" + std::string(marker) + "'; stderr:\n" +
                              child.read_stderr());
    }
    if (deadline.expired()) {
      return base::unexpected("'" + child.command_line() + "' did not print '" + std::string(marker) +
                              "' in time; stderr:\n" + child.read_stderr());
    }
    std::this_thread::sleep_for(std::min(pause, deadline.remaining()));
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

}  // namespace edgefetch::support
