#include "support/jsse_client.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>
#include <mutex>
#include <optional>

#include "edgefetch/base/expected.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::support {
namespace {

constexpr auto kCompileTimeout = std::chrono::seconds(120);

base::Expected<std::filesystem::path, std::string> compile_jsse_client() {
  const std::filesystem::path source =
      std::filesystem::path(EDGEFETCH_SOURCE_DIR) / "tests/support/java/JsseClient.java";
  const std::filesystem::path classes = scratch_root() / "jsse-client-classes";
  UniqueFd lock(::open((scratch_root() / "jsse-client.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock) return base::unexpected(std::string("cannot open the JsseClient javac lock file"));
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return base::unexpected(std::string("cannot lock the JsseClient javac lock file"));
  }
  std::error_code ec;
  const auto built = std::filesystem::last_write_time(classes / "JsseClient.class", ec);
  if (!ec && built >= std::filesystem::last_write_time(source, ec) && !ec) return classes;
  std::filesystem::create_directories(classes, ec);
  auto child = ChildProcess::spawn(
      {.argv = {"javac", "-Xlint:all", "-Werror", "-d", classes.string(), source.string()},
       .stdout_path = scratch_root() / "jsse-client-javac.out",
       .stderr_path = scratch_root() / "jsse-client-javac.err"});
  if (!child) return base::unexpected(child.error());
  if (!child->wait_exit(Deadline::after(kCompileTimeout))) {
    child->kill();
    return base::unexpected(std::string("javac (JsseClient) did not finish in time"));
  }
  if (child->exit_status().value_or(1) != 0) {
    return base::unexpected("javac (JsseClient) failed: " + child->read_stderr() + child->read_stdout());
  }
  return classes;
}

base::Expected<std::filesystem::path, std::string> jsse_client_classes() {
  static std::mutex mutex;
  static std::optional<base::Expected<std::filesystem::path, std::string>> result;
  const std::lock_guard guard(mutex);
  if (!result) result = compile_jsse_client();
  return *result;
}

}  // namespace

CliClientResult fetch_with_jsse_client(std::uint16_t port, const std::vector<std::string>& protocols,
                                       const std::string& suite, std::chrono::milliseconds timeout) {
  CliClientResult result;
  auto classes = jsse_client_classes();
  if (!classes) {
    result.output = classes.error();
    return result;
  }
  std::string protocol_list;
  for (const auto& protocol : protocols) protocol_list += (protocol_list.empty() ? "" : ",") + protocol;
  const ScratchDir dir = ScratchDir::create("jsse-client");
  auto child = ChildProcess::spawn(
      {.argv = {"java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                classes->string(), "JsseClient", std::to_string(port), protocol_list, suite},
       .stdout_path = dir / "stdout",
       .stderr_path = dir / "stderr"});
  if (!child) {
    result.output = child.error();
    return result;
  }
  result.finished = child->wait_exit(Deadline::after(timeout));
  child->kill();
  if (const auto status = child->exit_status(); status && WIFEXITED(*status)) {
    result.exit_code = WEXITSTATUS(*status);
  }
  result.output = child->read_stdout() + child->read_stderr();
  return result;
}

}  // namespace edgefetch::support
