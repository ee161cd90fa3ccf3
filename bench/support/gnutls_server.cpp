#include "support/gnutls_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "support/tcp.hpp"

extern char** environ;

namespace edgefetch::bench {
namespace {

void stop(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
}

bool exited(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

base::Expected<GnuTlsServer, std::string> GnuTlsServer::start(const std::string& priority,
                                                              const LeafFiles& identity,
                                                              const std::filesystem::path& http_data,
                                                              const std::filesystem::path& log) {
  auto port = pick_free_port();
  if (!port) return base::unexpected(port.error());
  std::vector<std::string> args = {"gnutls-serv",
                                   "--http",
                                   "--quiet",
                                   "--disable-client-cert",
                                   "--port=" + std::to_string(*port),
                                   "--priority=" + priority,
                                   "--x509certfile=" + identity.chain.string(),
                                   "--x509keyfile=" + identity.key.string(),
                                   "--httpdata=" + http_data.string()};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, "gnutls-serv", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return base::unexpected("cannot start gnutls-serv: " + std::string(std::strerror(rc)));

  GnuTlsServer server(pid, *port);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (exited(pid)) {
      server.pid_ = -1;
      return base::unexpected("gnutls-serv exited at start (priority " + priority + "); see " + log.string());
    }
    if (connect_loopback(*port, std::chrono::seconds(1))) return server;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return base::unexpected("gnutls-serv did not listen on port " + std::to_string(*port) + " within 10 s");
}

GnuTlsServer::GnuTlsServer(GnuTlsServer&& other) noexcept : pid_(other.pid_), port_(other.port_) {
  other.pid_ = -1;
}

GnuTlsServer::~GnuTlsServer() {
  stop(pid_);
}

}  // namespace edgefetch::bench
