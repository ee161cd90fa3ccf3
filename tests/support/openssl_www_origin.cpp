#include "support/openssl_www_origin.hpp"

#include "support/server_launch.hpp"
#include "support/tcp.hpp"

namespace edgefetch::support {

base::Expected<OpenSslWwwOrigin, std::string> OpenSslWwwOrigin::start(
    const OpenSslWwwOriginOptions& options) {
  ScratchDir dir = ScratchDir::create("openssl-www");
  std::error_code ec;
  std::filesystem::create_directories(dir / "www", ec);
  if (ec) return base::unexpected("cannot create " + (dir / "www").string() + ": " + ec.message());
  std::string last_error = "no attempt made";
  // launch_on_free_port has no working directory: the same loop, with one.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::uint16_t port = pick_free_port();
    if (port == 0) return base::unexpected(std::string("no free loopback port"));
    ProcessOptions process;
    process.argv = {"openssl",
                    "s_server",
                    "-WWW",
                    "-accept",
                    "127.0.0.1:" + std::to_string(port),
                    "-cert",
                    options.identity.cert.string(),
                    "-key",
                    options.identity.key.string()};
    if (!options.identity.intermediates.empty()) {
      process.argv.insert(process.argv.end(), {"-cert_chain", options.identity.intermediates.string()});
    }
    process.argv.insert(process.argv.end(), options.extra_args.begin(), options.extra_args.end());
    process.working_directory = dir / "www";
    process.stdout_path = dir / "stdout.log";
    process.stderr_path = dir / "stderr.log";
    auto child = ChildProcess::spawn(std::move(process));
    if (!child) return base::unexpected(child.error());
    auto ready = wait_until_listening(*child, port, Deadline::after(std::chrono::seconds(10)));
    if (ready) return OpenSslWwwOrigin(std::move(dir), std::move(*child), port);
    last_error = ready.error();
    const bool exited = !child->running();
    const std::string output = child->read_stderr() + child->read_stdout();
    if (!exited || output.find("in use") == std::string::npos) return base::unexpected(last_error);
  }
  return base::unexpected("gave up after 5 port collisions; last: " + last_error);
}

std::string OpenSslWwwOrigin::logs() const {
  return describe_logs(child_);
}

}  // namespace edgefetch::support
