#pragma once
// `openssl s_server -www` on 127.0.0.1, pinned to one cell. Its -www page names
// the negotiated protocol and cipher and the shared groups and signature
// algorithms (one each when pinned): that is what the server saw.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/peer_server.hpp"
#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::support {

struct OpenSslServerOptions {
  std::string version_flag = "-tls1_2";  // -tls1, -tls1_1, -tls1_2, -tls1_3; empty: every version
  std::string ciphers;                   // -cipher (TLS <= 1.2); ":@SECLEVEL=0" is appended
  std::string groups;                    // -groups; empty: OpenSSL's default list
  std::string sigalgs;                   // -sigalgs; empty: OpenSSL's default list
  LeafFiles identity;                    // -cert, -key, -cert_chain (the intermediates)
  std::vector<std::string> extra_args;
  /// -www (answer GET with a page describing the session). Without it, and
  /// with stdin at end of file, s_server sends close_notify right after the
  /// handshake.
  bool www = true;

  /// The options that pin s_server to `cell` (its suite must have an OpenSSL name).
  static base::Expected<OpenSslServerOptions, std::string> for_cell(const Cell& cell);
};

class OpenSslServer {
 public:
  static base::Expected<OpenSslServer, std::string> start(OpenSslServerOptions options);

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] bool running() { return child_.running(); }
  /// Command line, stdout and stderr, for failure messages.
  [[nodiscard]] std::string logs() const;

  /// Parses the -www page (the HTTP response body, or the whole response).
  static ServerView parse_page(std::string_view page);

 private:
  OpenSslServer(ScratchDir dir, ChildProcess child, std::uint16_t port)
      : dir_(std::move(dir)), child_(std::move(child)), port_(port) {}
  ScratchDir dir_;      // destroyed after the child
  ChildProcess child_;  // killed first
  std::uint16_t port_;
};

/// True when the s_server binary can serve `suite` (Debian's build lacks 3DES and RC4).
bool openssl_can_serve(std::uint16_t suite);

}  // namespace edgefetch::support
