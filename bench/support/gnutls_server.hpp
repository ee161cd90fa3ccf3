#pragma once
// `gnutls-serv --http --httpdata FILE` pinned to one cell by a priority string:
// the bulk benchmark's server, and the only local peer for 3DES and RC4 (Debian's
// libssl has both compiled out). gnutls-serv has no listen-address option and
// binds every interface; the benchmarks only ever connect to 127.0.0.1.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "edgefetch/base/expected.hpp"
#include "support/bench_pki.hpp"

namespace edgefetch::bench {

class GnuTlsServer {
 public:
  /// Starts the server and waits (up to 10 s) until it accepts connections.
  /// Its output goes to `log`.
  static base::Expected<GnuTlsServer, std::string> start(const std::string& priority,
                                                         const LeafFiles& identity,
                                                         const std::filesystem::path& http_data,
                                                         const std::filesystem::path& log);

  GnuTlsServer(GnuTlsServer&& other) noexcept;
  GnuTlsServer& operator=(GnuTlsServer&&) = delete;
  GnuTlsServer(const GnuTlsServer&) = delete;
  GnuTlsServer& operator=(const GnuTlsServer&) = delete;
  /// Stops the server (SIGTERM to its own pid, then reaps it).
  ~GnuTlsServer();

  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  GnuTlsServer(pid_t pid, std::uint16_t port) : pid_(pid), port_(port) {}
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace edgefetch::bench
