#include "support/nss_server.hpp"

#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "support/peer_names.hpp"
#include "support/server_launch.hpp"

namespace edgefetch::support {
namespace {

using policy::ProtocolVersion;

constexpr auto kToolTimeout = std::chrono::seconds(30);
// selfserv writes its connection report to stderr (unbuffered) around the
// response; the client has the response by the time we look, so this only
// covers scheduling delays.
constexpr auto kLogTimeout = std::chrono::seconds(5);
constexpr std::string_view kVersionLine = "selfserv: SSL version ";
constexpr std::string_view kKeyExchangeLine = "Key Exchange: ";

std::string_view nss_version_name(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::ssl3:
      return "ssl3";
    case ProtocolVersion::tls1_0:
      return "tls1.0";
    case ProtocolVersion::tls1_1:
      return "tls1.1";
    case ProtocolVersion::tls1_2:
      return "tls1.2";
    case ProtocolVersion::tls1_3:
      return "tls1.3";
  }
  return "";
}

// selfserv -I names.
std::string_view nss_group_name(std::uint16_t group) {
  switch (group) {
    case policy::kGroupSecp256r1:
      return "P256";
    case policy::kGroupSecp384r1:
      return "P384";
    case policy::kGroupSecp521r1:
      return "P521";
    case policy::kGroupX25519:
      return "x25519";
    default:
      return "";
  }
}

base::Expected<void, std::string> run_tool(const ScratchDir& dir, std::string_view step,
                                           std::vector<std::string> argv) {
  ProcessOptions options;
  options.argv = std::move(argv);
  options.stdout_path = dir / (std::string(step) + ".out");
  options.stderr_path = dir / (std::string(step) + ".err");
  auto child = ChildProcess::spawn(std::move(options));
  if (!child) return base::unexpected(child.error());
  if (!child->wait_exit(Deadline::after(kToolTimeout))) {
    child->kill();
    return base::unexpected(child->command_line() + ": did not finish in time");
  }
  if (child->exit_status().value_or(1) != 0) {
    return base::unexpected(child->command_line() + ": " + child->describe_status() + "\n" +
                            child->read_stderr() + child->read_stdout());
  }
  return {};
}

std::string nickname(Leaf leaf) {
  return "edgefetch-" + std::string(name(leaf));
}

base::Expected<ScratchDir, std::string> build_database(Leaf leaf) {
  ScratchDir dir = ScratchDir::create("nssdb-" + std::string(name(leaf)));
  const LeafFiles files = TestPki::get().leaf(leaf);
  const std::string db = "sql:" + (dir / "db").string();
  std::error_code ec;
  std::filesystem::create_directory(dir / "db", ec);
  if (ec) return base::unexpected("cannot create " + (dir / "db").string() + ": " + ec.message());
  const std::string p12 = (dir / "identity.p12").string();
  // pk12util imports the key with its chain; the PKCS#12 file comes from the
  // PEM files with the openssl tool (empty password on both sides).
  if (auto done = run_tool(dir, "certutil", {"certutil", "-N", "--empty-password", "-d", db}); !done) {
    return base::unexpected(done.error());
  }
  if (auto done = run_tool(dir, "pkcs12",
                           {"openssl", "pkcs12", "-export", "-in", files.chain.string(), "-inkey",
                            files.key.string(), "-name", nickname(leaf), "-passout", "pass:", "-out", p12});
      !done) {
    return base::unexpected(done.error());
  }
  if (auto done = run_tool(dir, "pk12util", {"pk12util", "-i", p12, "-d", db, "-W", ""}); !done) {
    return base::unexpected(done.error());
  }
  return dir;
}

// The last line of `log` that contains `marker`, from the marker on.
std::optional<std::string> last_line_with(std::string_view log, std::string_view marker) {
  const auto at = log.rfind(marker);
  if (at == std::string_view::npos) return std::nullopt;
  const auto end = log.find('\n', at);
  return trim(log.substr(at + marker.size(), end == std::string_view::npos ? end : end - at - marker.size()));
}

// "3.0 using 128-bit RC4 with 128-bit MD5 MAC" -> version, "RC4", 128, "MD5".
struct CipherLine {
  int major = 0;
  int minor = 0;
  int cipher_bits = 0;
  std::string cipher;
  std::string mac;
};

std::optional<CipherLine> parse_cipher_line(const std::string& text) {
  CipherLine line;
  char cipher[32] = {};
  char mac[32] = {};
  int mac_bits = 0;
  if (std::sscanf(text.c_str(), "%d.%d using %d-bit %31s with %d-bit %31s MAC", &line.major, &line.minor,
                  &line.cipher_bits, cipher, &mac_bits, mac) != 6) {
    return std::nullopt;
  }
  line.cipher = cipher;
  line.mac = mac;
  return line;
}

// "2048-bit RSA, ..." / "Server Auth: 256-bit ECDSA, Key Exchange: 255-bit ECDHE"
struct KeyLine {
  std::string auth;
  int kea_bits = 0;
  std::string kea;
};

std::optional<KeyLine> parse_key_line(std::string_view log) {
  const auto auth_text = last_line_with(log, "Server Auth: ");
  if (!auth_text) return std::nullopt;
  KeyLine line;
  int auth_bits = 0;
  char auth[32] = {};
  char kea[32] = {};
  if (std::sscanf(auth_text->c_str(), "%d-bit %31[^,], Key Exchange: %d-bit %31s", &auth_bits, auth,
                  &line.kea_bits, kea) != 4) {
    return std::nullopt;
  }
  line.auth = auth;
  line.kea = kea;
  return line;
}

// The OpenSSL-style label of the suite NSS describes, to look up in the
// harness's own suite table.
std::string suite_label_from(const CipherLine& cipher, const KeyLine& key) {
  std::string bulk;
  std::string mac = cipher.mac == "SHA1" ? "SHA" : cipher.mac;
  if (cipher.cipher == "AES") {
    bulk = "AES" + std::to_string(cipher.cipher_bits);
  } else if (cipher.cipher == "AES-GCM" && cipher.mac == "AEAD") {
    // The suite names the PRF hash: SHA-256 with AES-128, SHA-384 with AES-256.
    bulk = "AES" + std::to_string(cipher.cipher_bits) + "-GCM";
    mac = cipher.cipher_bits == 128 ? "SHA256" : "SHA384";
  } else if (cipher.cipher == "3DES") {
    bulk = "DES-CBC3";
  } else if (cipher.cipher == "RC4") {
    bulk = "RC4";
  } else {
    return {};
  }
  if (key.kea == "RSA") return bulk + "-" + mac;
  if (key.kea == "ECDHE" && (key.auth == "RSA" || key.auth == "ECDSA")) {
    return "ECDHE-" + key.auth + "-" + bulk + "-" + mac;
  }
  return {};
}

std::uint16_t group_from_bits(int bits) {
  switch (bits) {
    case 255:
      return policy::kGroupX25519;
    case 256:
      return policy::kGroupSecp256r1;
    case 384:
      return policy::kGroupSecp384r1;
    case 521:
      return policy::kGroupSecp521r1;
    default:
      return 0;
  }
}

}  // namespace

std::string nss_limitation(const Cell& cell) {
  const PeerSuiteNames* suite = peer_suite(cell.suite);
  if (suite == nullptr) return "unknown suite " + hex_code(cell.suite);
  if (cell.version == ProtocolVersion::ssl3 && suite->ecdhe) {
    return "NSS refuses ECDHE suites in SSLv3 (RFC 4492 defines them for TLS 1.0+)";
  }
  if (cell.group != 0 && nss_group_name(cell.group).empty()) {
    return "no selfserv name for group " + group_label(cell.group);
  }
  if (cell.scheme != 0) return "signature scheme pinning (-J) is not wired into the selfserv harness";
  if (suite->ecdsa && cell.leaf != Leaf::ecdsa_p256 && cell.leaf != Leaf::ecdsa_p384) {
    return "ECDSA suite without an ECDSA leaf";
  }
  return {};
}

base::Expected<NssServerOptions, std::string> NssServerOptions::for_cell(const Cell& cell) {
  if (std::string why = nss_limitation(cell); !why.empty()) return base::unexpected(std::move(why));
  NssServerOptions options;
  options.leaf = cell.leaf;
  options.min_version = cell.version;
  options.max_version = cell.version;
  options.suites = {cell.suite};
  if (cell.group != 0) {
    options.groups = std::string(nss_group_name(cell.group));
    // NSS uses an ECDSA certificate only when its curve is an enabled group;
    // its own preference (the first of -I) still picks the cell's group.
    const bool ecdsa = peer_suite(cell.suite)->ecdsa;
    if (ecdsa && cell.leaf == Leaf::ecdsa_p256 && cell.group != policy::kGroupSecp256r1) {
      options.groups += ",P256";
    }
  }
  return options;
}

base::Expected<std::filesystem::path, std::string> nss_database_for(Leaf leaf) {
  static std::mutex mutex;
  static std::map<Leaf, ScratchDir> databases;
  const std::lock_guard guard(mutex);
  if (const auto found = databases.find(leaf); found != databases.end()) return found->second / "db";
  auto built = build_database(leaf);
  if (!built) return base::unexpected(built.error());
  const auto [entry, inserted] = databases.emplace(leaf, std::move(*built));
  return entry->second / "db";
}

base::Expected<NssServer, std::string> NssServer::start(const NssServerOptions& options) {
  if (options.suites.empty()) return base::unexpected(std::string("selfserv needs at least one suite"));
  auto db = nss_database_for(options.leaf);
  if (!db) return base::unexpected(db.error());
  const LeafFiles files = TestPki::get().leaf(options.leaf);
  std::string suites;
  for (const std::uint16_t code : options.suites) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ":%04X", static_cast<unsigned>(code));
    suites += buf;
  }
  const std::string versions = std::string(nss_version_name(options.min_version)) + ":" +
                               std::string(nss_version_name(options.max_version));
  ScratchDir dir = ScratchDir::create("nss");
  auto make_argv = [&](std::uint16_t port) {
    std::vector<std::string> argv = {"selfserv",
                                     "-v",
                                     "-d",
                                     "sql:" + db->string(),
                                     files.key_type == "RSA" ? "-n" : "-e",
                                     nickname(options.leaf),
                                     "-p",
                                     std::to_string(port),
                                     "-V",
                                     versions,
                                     "-c",
                                     suites};
    if (!options.groups.empty()) argv.insert(argv.end(), {"-I", options.groups});
    return argv;
  };
  auto launched = launch_on_free_port(dir, make_argv);
  if (!launched) return base::unexpected(launched.error());
  return NssServer(std::move(dir), std::move(launched->child), launched->port);
}

std::string NssServer::logs() const {
  return describe_logs(child_);
}

ServerView NssServer::parse_page(std::string_view /*page*/) const {
  const Deadline deadline = Deadline::after(kLogTimeout);
  std::string log = child_.read_stderr();
  while (log.find(kKeyExchangeLine) == std::string::npos && !deadline.expired()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log = child_.read_stderr();
  }
  return parse_log(log);
}

ServerView NssServer::parse_log(std::string_view log) {
  ServerView view;
  const auto cipher_text = last_line_with(log, kVersionLine);
  if (!cipher_text) return view;
  const auto cipher = parse_cipher_line(*cipher_text);
  if (!cipher) {
    view.cipher_text = *cipher_text;
    return view;
  }
  if (cipher->major == 3) {
    view.protocol_text = cipher->minor == 0 ? "SSL3.0" : "TLS1." + std::to_string(cipher->minor - 1);
    view.version = parse_peer_version(view.protocol_text);
  } else {
    view.protocol_text = std::to_string(cipher->major) + "." + std::to_string(cipher->minor);
  }
  const auto key = parse_key_line(log);
  view.cipher_text = *cipher_text;
  if (!key) return view;
  const std::string label = suite_label_from(*cipher, *key);
  for (const PeerSuiteNames& suite : peer_suites()) {
    if (!label.empty() && suite.label == label) {
      view.cipher_text = label;
      view.cipher_suite = policy::find_cipher_suite(hex_code(suite.code));
    }
  }
  if (key->kea == "ECDHE") {
    const std::uint16_t group = group_from_bits(key->kea_bits);
    view.group_text = std::to_string(key->kea_bits) + "-bit ECDHE";
    if (group != 0) view.group = policy::find_named_group(hex_code(group));
  }
  return view;
}

}  // namespace edgefetch::support
