#include "support/server_launch.hpp"

#include "support/tcp.hpp"

namespace edgefetch::support {
namespace {

bool address_in_use(const std::string& text) {
  return text.find("in use") != std::string::npos || text.find("EADDRINUSE") != std::string::npos;
}

}  // namespace

base::Expected<LaunchedServer, std::string> launch_on_free_port(
    const ScratchDir& dir, const std::function<std::vector<std::string>(std::uint16_t port)>& make_argv,
    std::chrono::milliseconds start_timeout, int attempts,
    std::vector<std::pair<std::string, std::string>> environment) {
  std::string last_error = "no attempt made";
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const std::uint16_t port = pick_free_port();
    if (port == 0) return base::unexpected(std::string("no free loopback port"));
    ProcessOptions options;
    options.argv = make_argv(port);
    options.stdout_path = dir / "stdout.log";
    options.stderr_path = dir / "stderr.log";
    options.environment = environment;
    auto child = ChildProcess::spawn(std::move(options));
    if (!child) return base::unexpected(child.error());
    auto ready = wait_until_listening(*child, port, Deadline::after(start_timeout));
    if (ready) return LaunchedServer{std::move(*child), port};
    last_error = ready.error();
    const bool exited = !child->running();
    if (!exited || !address_in_use(child->read_stderr() + child->read_stdout())) {
      return base::unexpected(last_error);
    }
  }
  return base::unexpected("gave up after " + std::to_string(attempts) +
                          " port collisions; last: " + last_error);
}

std::string describe_logs(const ChildProcess& child) {
  return "$ " + child.command_line() + "\n--- stdout ---\n" + child.read_stdout() + "\n--- stderr ---\n" +
         child.read_stderr();
}

}  // namespace edgefetch::support
