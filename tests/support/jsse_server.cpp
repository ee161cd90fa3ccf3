#include "support/jsse_server.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <mutex>
#include <sstream>
#include <thread>

#include "edgefetch/policy/lookup.hpp"
#include "support/peer_names.hpp"
#include "support/server_launch.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::support {
namespace {

constexpr auto kCompileTimeout = std::chrono::seconds(120);
constexpr auto kStartTimeout = std::chrono::seconds(30);

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

base::Expected<std::filesystem::path, std::string> compile_jsse_server() {
  const std::filesystem::path source =
      std::filesystem::path(EDGEFETCH_SOURCE_DIR) / "tests/support/java/JsseServer.java";
  const std::filesystem::path classes = scratch_root() / "java-classes";
  const std::filesystem::path class_file = classes / "JsseServer.class";

  UniqueFd lock(::open((scratch_root() / "java.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock) return base::unexpected(std::string("cannot open the javac lock file"));
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return base::unexpected(std::string("cannot lock the javac lock file"));
  }
  std::error_code ec;
  if (std::filesystem::exists(class_file, ec) &&
      std::filesystem::last_write_time(class_file, ec) >= std::filesystem::last_write_time(source, ec) &&
      !ec) {
    return classes;
  }
  std::filesystem::create_directories(classes, ec);
  ProcessOptions javac;
  javac.argv = {"javac", "-Xlint:all", "-Werror", "-d", classes.string(), source.string()};
  javac.stdout_path = scratch_root() / "javac.out";
  javac.stderr_path = scratch_root() / "javac.err";
  auto child = ChildProcess::spawn(std::move(javac));
  if (!child) return base::unexpected(child.error());
  if (!child->wait_exit(Deadline::after(kCompileTimeout))) {
    return base::unexpected(std::string("javac did not finish in time"));
  }
  if (child->exit_status().value_or(1) != 0) {
    return base::unexpected("javac failed: " + child->read_stderr() + child->read_stdout());
  }
  return classes;
}

}  // namespace

base::Expected<std::filesystem::path, std::string> jsse_classes() {
  static std::mutex mutex;
  static std::optional<base::Expected<std::filesystem::path, std::string>> result;
  const std::lock_guard guard(mutex);
  if (!result) result = compile_jsse_server();
  return *result;
}

base::Expected<JsseServerOptions, std::string> JsseServerOptions::for_cells(const std::vector<Cell>& cells) {
  if (cells.empty()) return base::unexpected(std::string("no cells"));
  const Cell& first = cells.front();
  JsseServerOptions options;
  options.identities.push_back(TestPki::get().leaf(first.leaf));
  if (first.group != 0) {
    const PeerGroupNames* group = peer_group(first.group);
    if (group == nullptr) return base::unexpected("unknown group " + hex_code(first.group));
    options.named_groups = std::string(group->jsse);
  }
  if (first.scheme != 0) {
    const PeerSchemeNames* scheme = peer_scheme(first.scheme);
    if (scheme == nullptr) return base::unexpected("unknown scheme " + hex_code(first.scheme));
    options.signature_schemes = std::string(scheme->jsse);
  }
  for (const Cell& cell : cells) {
    if (cell.group != first.group || cell.scheme != first.scheme || cell.leaf != first.leaf) {
      return base::unexpected("cells of one JSSE server must share group, scheme and certificate: " +
                              cell.label() + " vs " + first.label());
    }
    const PeerSuiteNames* suite = peer_suite(cell.suite);
    if (suite == nullptr) return base::unexpected("unknown suite " + hex_code(cell.suite));
    options.listeners.push_back(
        JsseListener{{std::string(jsse_version(cell.version))}, {std::string(suite->jsse)}});
  }
  return options;
}

base::Expected<JsseServer, std::string> JsseServer::start(JsseServerOptions options) {
  auto classes = jsse_classes();
  if (!classes) return base::unexpected(classes.error());
  ScratchDir dir = ScratchDir::create("jsse");

  ProcessOptions process;
  process.argv = {"java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"};
  if (!options.named_groups.empty()) process.argv.push_back("-Djdk.tls.namedGroups=" + options.named_groups);
  if (!options.signature_schemes.empty()) {
    process.argv.push_back("-Djdk.tls.server.SignatureSchemes=" + options.signature_schemes);
  }
  process.argv.insert(process.argv.end(), {"-cp", classes->string(), "JsseServer"});
  for (const LeafFiles& id : options.identities) {
    process.argv.insert(process.argv.end(), {"--identity", id.key_type, id.key.string(), id.chain.string()});
  }
  for (const JsseListener& listener : options.listeners) {
    process.argv.insert(process.argv.end(), {"--listen", join(listener.protocols), join(listener.suites)});
    if (listener.identity) {
      if (*listener.identity >= options.identities.size()) {
        return base::unexpected("JSSE listener pinned to identity " + std::to_string(*listener.identity) +
                                " of " + std::to_string(options.identities.size()));
      }
      process.argv.insert(process.argv.end(), {"--listener-identity", std::to_string(*listener.identity)});
    }
  }
  process.stdout_path = dir / "stdout.log";
  process.stderr_path = dir / "stderr.log";
  auto child = ChildProcess::spawn(std::move(process));
  if (!child) return base::unexpected(child.error());

  auto out = wait_for_output(*child, child->options().stdout_path, "READY\n", Deadline::after(kStartTimeout));
  if (!out) return base::unexpected(out.error() + "\n" + describe_logs(*child));
  std::vector<std::uint16_t> ports(options.listeners.size(), 0);
  std::istringstream lines(*out);
  std::string word;
  while (lines >> word) {
    if (word != "LISTENING") continue;
    std::size_t index = 0;
    unsigned port = 0;
    if (lines >> index >> port && index < ports.size() && port > 0 && port < 65536) {
      ports[index] = static_cast<std::uint16_t>(port);
    }
  }
  for (std::size_t i = 0; i < ports.size(); ++i) {
    if (ports[i] == 0)
      return base::unexpected("JSSE server did not report listener " + std::to_string(i) + ":\n" + *out);
  }
  return JsseServer(std::move(dir), std::move(*child), std::move(ports));
}

std::string JsseServer::logs() const {
  return describe_logs(child_);
}

std::string JsseServer::wait_for_log(std::string_view text, Deadline deadline) const {
  for (;;) {
    std::string now = logs();
    if (now.find(text) != std::string::npos || deadline.expired()) return now;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServerView JsseServer::parse_page(std::string_view page) {
  ServerView view;
  view.protocol_text = value_after(page, "protocol=").value_or("");
  view.cipher_text = value_after(page, "cipher=").value_or("");
  view.version = parse_peer_version(view.protocol_text);
  view.cipher_suite = policy::find_cipher_suite(view.cipher_text);
  return view;
}

std::string JsseServer::certificate_key(std::string_view page) {
  return value_after(page, "certificate_key=").value_or("");
}

}  // namespace edgefetch::support
