#pragma once
// The Java JSSE server (tests/support/java/JsseServer.java), compiled with javac
// into the build tree on first use. One JVM serves several listeners (one per
// protocol/suite pin, optionally pinned to one certificate) because JVM
// start-up is slow; groups and server signature schemes are JVM-wide system
// properties, so they are per server.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/deadline.hpp"
#include "support/peer_server.hpp"
#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::support {

struct JsseListener {
  std::vector<std::string> protocols;  // "TLSv1.2", "SSLv3", "TLSv1.3"
  std::vector<std::string> suites;     // JSSE names: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
  /// Index into JsseServerOptions::identities: this listener serves only that
  /// certificate (TLS 1.3 suites name no key type). Unset: every identity, JSSE picks.
  std::optional<std::size_t> identity{};
};

struct JsseServerOptions {
  std::vector<LeafFiles> identities;  // JSSE picks the one that fits the suite (RSA or EC)
  std::vector<JsseListener> listeners;
  std::string named_groups;       // jdk.tls.namedGroups ("secp256r1,x25519"); empty: JDK default
  std::string signature_schemes;  // jdk.tls.server.SignatureSchemes; empty: JDK default

  /// One listener per cell. The cells must agree on group, scheme and leaf
  /// (the JVM-wide settings); fails otherwise.
  static base::Expected<JsseServerOptions, std::string> for_cells(const std::vector<Cell>& cells);
};

class JsseServer {
 public:
  static base::Expected<JsseServer, std::string> start(JsseServerOptions options);

  /// The port of listener `index` (in the order of JsseServerOptions::listeners).
  [[nodiscard]] std::uint16_t port(std::size_t index = 0) const { return ports_.at(index); }
  [[nodiscard]] std::size_t listener_count() const { return ports_.size(); }
  [[nodiscard]] bool running() { return child_.running(); }
  [[nodiscard]] std::string logs() const;
  /// Waits until the logs contain `text` and returns them (they may not yet
  /// when the client has seen the failure before the JVM has logged it).
  [[nodiscard]] std::string wait_for_log(std::string_view text, Deadline deadline) const;

  /// Version and suite from the page ("protocol=", "cipher=").
  static ServerView parse_page(std::string_view page);
  /// The served certificate's key from the page: "RSA 2048", "EC 256",
  /// "RSASSA-PSS 2048"; empty when the page has none.
  static std::string certificate_key(std::string_view page);

 private:
  JsseServer(ScratchDir dir, ChildProcess child, std::vector<std::uint16_t> ports)
      : dir_(std::move(dir)), child_(std::move(child)), ports_(std::move(ports)) {}
  ScratchDir dir_;
  ChildProcess child_;
  std::vector<std::uint16_t> ports_;
};

/// Compiles JsseServer.java (once per build, under a file lock) and returns the
/// class directory.
base::Expected<std::filesystem::path, std::string> jsse_classes();

}  // namespace edgefetch::support
