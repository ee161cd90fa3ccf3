#pragma once
// `openssl s_server -WWW` as an HTTPS origin: it serves the files of its working
// directory (a scratch document root) as HTTP/1.0 responses without a length,
// delimited by closing the connection, one connection at a time. The origin
// kind a proxy must re-frame for HTTP/1.1 viewers.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::support {

struct OpenSslWwwOriginOptions {
  LeafFiles identity;                   // -cert, -key, -cert_chain (the intermediates)
  std::vector<std::string> extra_args;  // e.g. a version flag
};

class OpenSslWwwOrigin {
 public:
  /// Starts s_server in a new, empty document root (write files with docroot()
  /// before requesting them) and waits until it listens.
  static base::Expected<OpenSslWwwOrigin, std::string> start(const OpenSslWwwOriginOptions& options);

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::filesystem::path docroot() const { return dir_ / "www"; }
  /// Command line and output, for failure messages.
  [[nodiscard]] std::string logs() const;

 private:
  OpenSslWwwOrigin(ScratchDir dir, ChildProcess child, std::uint16_t port)
      : dir_(std::move(dir)), child_(std::move(child)), port_(port) {}
  ScratchDir dir_;      // destroyed after the child
  ChildProcess child_;  // killed first
  std::uint16_t port_;
};

}  // namespace edgefetch::support
