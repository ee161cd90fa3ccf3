#include "support/cli_clients.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <mutex>

#include "support/gnutls_server.hpp"
#include "support/peer_names.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"
#include "support/tls_pump.hpp"

namespace edgefetch::support {
namespace {

CliClientResult run_client(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  const ScratchDir dir = ScratchDir::create("cli-client");
  std::ofstream(dir / "request") << kDefaultRequest;
  CliClientResult result;
  auto child = ChildProcess::spawn({.argv = std::move(argv),
                                    .stdin_path = dir / "request",
                                    .stdout_path = dir / "stdout",
                                    .stderr_path = dir / "stderr"});
  if (!child) {
    result.output = child.error();
    return result;
  }
  result.finished = child->wait_exit(Deadline::after(timeout));
  child->kill();
  if (const auto status = child->exit_status(); status && WIFEXITED(*status))
    result.exit_code = WEXITSTATUS(*status);
  result.output = child->read_stdout() + child->read_stderr();
  return result;
}

// An empty NSS database: tstclnt refuses to run without one.
base::Expected<std::filesystem::path, std::string> nss_database() {
  static std::mutex mutex;
  static std::optional<ScratchDir> dir;
  const std::lock_guard guard(mutex);
  if (dir) return dir->path();
  ScratchDir created = ScratchDir::create("nssdb");
  auto child = ChildProcess::spawn(
      {.argv = {"certutil", "-N", "--empty-password", "-d", "sql:" + created.path().string()},
       .stdout_path = created / "certutil.out",
       .stderr_path = created / "certutil.err"});
  if (!child) return base::unexpected(child.error());
  if (!child->wait_exit(Deadline::after(std::chrono::seconds(20))) || child->exit_status().value_or(1) != 0) {
    return base::unexpected("certutil -N failed: " + child->read_stderr());
  }
  dir = std::move(created);
  return dir->path();
}

}  // namespace

std::string CliClientResult::body() const {
  const auto status = output.find("HTTP/1.");
  if (status == std::string::npos) return {};
  const auto end = output.find("\r\n\r\n", status);
  return end == std::string::npos ? std::string() : output.substr(end + 4);
}

CliClientResult fetch_with_gnutls_cli(std::uint16_t port, const Cell& cell,
                                      std::chrono::milliseconds timeout) {
  auto priority = gnutls_priority_for(cell);
  if (!priority) return CliClientResult{false, -1, priority.error()};
  return run_client(
      {"gnutls-cli", "--insecure", "--port", std::to_string(port), "--priority", *priority, "127.0.0.1"},
      timeout);
}

CliClientResult fetch_with_tstclnt(std::uint16_t port, const Cell& cell, std::chrono::milliseconds timeout) {
  return fetch_with_tstclnt_offering(port, cell, cell.version, timeout);
}

CliClientResult fetch_with_tstclnt_offering(std::uint16_t port, const Cell& cell,
                                            policy::ProtocolVersion highest,
                                            std::chrono::milliseconds timeout) {
  auto db = nss_database();
  if (!db) return CliClientResult{false, -1, db.error()};
  const auto nss_name = [](policy::ProtocolVersion version) -> std::string {
    return version == policy::ProtocolVersion::ssl3     ? "ssl3"
           : version == policy::ProtocolVersion::tls1_0 ? "tls1.0"
           : version == policy::ProtocolVersion::tls1_1 ? "tls1.1"
                                                        : "tls1.2";
  };
  char suite[8];
  std::snprintf(suite, sizeof suite, ":%04X", static_cast<unsigned>(cell.suite));
  return run_client(
      {"tstclnt", "-h", "127.0.0.1", "-p", std::to_string(port), "-V",
       nss_name(cell.version) + ":" + nss_name(highest), "-c", suite, "-o", "-d", "sql:" + db->string()},
      timeout);
}

}  // namespace edgefetch::support
