#include "support/bcjsse_server.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <mutex>
#include <optional>
#include <sstream>

#include "edgefetch/policy/named_group.hpp"
#include "support/peer_names.hpp"
#include "support/server_launch.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::support {
namespace {

constexpr auto kCompileTimeout = std::chrono::seconds(120);
constexpr auto kStartTimeout = std::chrono::seconds(30);
// Debian's libbc*-java packages install unversioned links here.
constexpr std::string_view kJarDirectory = "/usr/share/java";
constexpr std::string_view kJars[] = {"bcprov.jar", "bctls.jar", "bcutil.jar"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::filesystem::path java_source(std::string_view file) {
  return std::filesystem::path(EDGEFETCH_SOURCE_DIR) / "tests/support/java" / file;
}

bool newer_or_same(const std::filesystem::path& built, const std::filesystem::path& source) {
  std::error_code ec;
  const auto built_time = std::filesystem::last_write_time(built, ec);
  if (ec) return false;
  const auto source_time = std::filesystem::last_write_time(source, ec);
  return !ec && built_time >= source_time;
}

// JsseServer.java and BcJsseServer.java, compiled together against the BC
// jars into a class directory of their own (once per build, under a file lock).
base::Expected<std::filesystem::path, std::string> compile_bcjsse_server(const std::string& class_path) {
  const std::filesystem::path jsse_source = java_source("JsseServer.java");
  const std::filesystem::path bc_source = java_source("BcJsseServer.java");
  const std::filesystem::path classes = scratch_root() / "bcjsse-classes";

  UniqueFd lock(::open((scratch_root() / "bcjsse.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!lock) return base::unexpected(std::string("cannot open the BCJSSE javac lock file"));
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return base::unexpected(std::string("cannot lock the BCJSSE javac lock file"));
  }
  if (newer_or_same(classes / "BcJsseServer.class", bc_source) &&
      newer_or_same(classes / "JsseServer.class", jsse_source)) {
    return classes;
  }
  std::error_code ec;
  std::filesystem::create_directories(classes, ec);
  ProcessOptions javac;
  // -path: the BC jars' manifests name optional jars (javax.mail) Debian does not ship.
  javac.argv = {"javac",          "-Xlint:all,-path",   "-Werror",         "-cp", class_path, "-d",
                classes.string(), jsse_source.string(), bc_source.string()};
  javac.stdout_path = scratch_root() / "bcjsse-javac.out";
  javac.stderr_path = scratch_root() / "bcjsse-javac.err";
  auto child = ChildProcess::spawn(std::move(javac));
  if (!child) return base::unexpected(child.error());
  if (!child->wait_exit(Deadline::after(kCompileTimeout))) {
    child->kill();
    return base::unexpected(std::string("javac (BCJSSE server) did not finish in time"));
  }
  if (child->exit_status().value_or(1) != 0) {
    return base::unexpected("javac (BCJSSE server) failed: " + child->read_stderr() + child->read_stdout());
  }
  return classes;
}

base::Expected<std::filesystem::path, std::string> bcjsse_classes(const std::string& class_path) {
  static std::mutex mutex;
  static std::optional<base::Expected<std::filesystem::path, std::string>> result;
  const std::lock_guard guard(mutex);
  if (!result) result = compile_bcjsse_server(class_path);
  return *result;
}

}  // namespace

base::Expected<std::string, std::string> bouncycastle_class_path() {
  std::string class_path;
  for (const std::string_view jar : kJars) {
    const std::filesystem::path path = std::filesystem::path(kJarDirectory) / jar;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return base::unexpected(path.string() +
                              " is missing (Debian libbcprov-java, libbctls-java, libbcutil-java)");
    }
    if (!class_path.empty()) class_path += ':';
    class_path += path.string();
  }
  return class_path;
}

std::string bcjsse_suite_name(std::uint16_t suite) {
  const PeerSuiteNames* names = peer_suite(suite);
  if (names == nullptr || names->jsse.empty()) return {};
  std::string name(names->jsse);
  if (name.starts_with("SSL_")) name.replace(0, 4, "TLS_");
  return name;
}

std::string bcjsse_limitation(const Cell& cell) {
  const PeerSuiteNames* suite = peer_suite(cell.suite);
  if (suite == nullptr || suite->jsse.empty()) return "unknown suite " + hex_code(cell.suite);
  if (suite->gnutls_cipher == "ARCFOUR-128") return "BCJSSE 1.72 has no RC4";
  // BCJSSE signs with the client's first acceptable scheme, whatever the
  // server asks for (tls-peers.md): a scheme cannot be pinned.
  if (cell.scheme != 0) return "BCJSSE cannot be pinned to a signature scheme";
  if (cell.group != 0 && cell.group != policy::kGroupSecp256r1 && cell.group != policy::kGroupSecp384r1 &&
      cell.group != policy::kGroupX25519) {
    return "group " + group_label(cell.group) + " is not wired into the BCJSSE harness";
  }
  return {};
}

base::Expected<BcJsseServerOptions, std::string> BcJsseServerOptions::for_cells(
    const std::vector<Cell>& cells) {
  if (cells.empty()) return base::unexpected(std::string("no cells"));
  BcJsseServerOptions options;
  std::uint16_t group = 0;
  std::optional<Leaf> ecdsa_leaf;
  for (const Cell& cell : cells) {
    if (std::string why = bcjsse_limitation(cell); !why.empty()) {
      return base::unexpected(cell.label() + ": " + why);
    }
    if (cell.group != 0) {
      if (group != 0 && group != cell.group) {
        return base::unexpected("cells of one BCJSSE server must share the group: " + cell.label());
      }
      group = cell.group;
    }
    if (cell.leaf != Leaf::rsa2048) {
      if (ecdsa_leaf && *ecdsa_leaf != cell.leaf) {
        return base::unexpected("cells of one BCJSSE server must share the ECDSA certificate: " +
                                cell.label());
      }
      ecdsa_leaf = cell.leaf;
    }
    options.listeners.push_back(
        JsseListener{{std::string(jsse_version(cell.version))}, {bcjsse_suite_name(cell.suite)}});
  }
  if (group != 0) options.named_groups = std::string(peer_group(group)->jsse);
  options.identities = {TestPki::get().leaf(Leaf::rsa2048),
                        TestPki::get().leaf(ecdsa_leaf.value_or(
                            (group == policy::kGroupSecp384r1) ? Leaf::ecdsa_p384 : Leaf::ecdsa_p256))};
  return options;
}

base::Expected<BcJsseServer, std::string> BcJsseServer::start(const BcJsseServerOptions& options) {
  auto class_path = bouncycastle_class_path();
  if (!class_path) return base::unexpected(class_path.error());
  auto classes = bcjsse_classes(*class_path);
  if (!classes) return base::unexpected(classes.error());
  ScratchDir dir = ScratchDir::create("bcjsse");

  ProcessOptions process;
  process.argv = {"java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"};
  if (!options.named_groups.empty()) process.argv.push_back("-Djdk.tls.namedGroups=" + options.named_groups);
  process.argv.insert(process.argv.end(), {"-cp", classes->string() + ":" + *class_path, "BcJsseServer"});
  for (const LeafFiles& id : options.identities) {
    process.argv.insert(process.argv.end(), {"--identity", id.key_type, id.key.string(), id.chain.string()});
  }
  for (const JsseListener& listener : options.listeners) {
    process.argv.insert(process.argv.end(), {"--listen", join(listener.protocols), join(listener.suites)});
  }
  process.stdout_path = dir / "stdout.log";
  process.stderr_path = dir / "stderr.log";
  auto child = ChildProcess::spawn(std::move(process));
  if (!child) return base::unexpected(child.error());

  auto out = wait_for_output(*child, child->options().stdout_path, "READY\n", Deadline::after(kStartTimeout));
  if (!out) return base::unexpected(out.error() + "\n" + describe_logs(*child));
  std::vector<std::uint16_t> ports(options.listeners.size(), 0);
  std::string provider;
  std::istringstream lines(*out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string word;
    words >> word;
    if (word == "PROVIDER") {
      provider = trim(line.substr(word.size()));
    } else if (word == "LISTENING") {
      std::size_t index = 0;
      unsigned port = 0;
      if (words >> index >> port && index < ports.size() && port > 0 && port < 65536) {
        ports[index] = static_cast<std::uint16_t>(port);
      }
    }
  }
  // The whole point of this server is that it is not SunJSSE.
  if (!provider.starts_with("BCJSSE")) {
    return base::unexpected("the server's SSLContext comes from '" + provider + "', not BCJSSE:\n" + *out);
  }
  for (std::size_t i = 0; i < ports.size(); ++i) {
    if (ports[i] == 0) {
      return base::unexpected("BCJSSE server did not report listener " + std::to_string(i) + ":\n" + *out);
    }
  }
  return BcJsseServer(std::move(dir), std::move(*child), std::move(ports), std::move(provider));
}

std::string BcJsseServer::logs() const {
  return describe_logs(child_);
}

}  // namespace edgefetch::support
