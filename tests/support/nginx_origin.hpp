#pragma once
// Debian's nginx as an HTTPS origin: one single-process nginx (no daemon, no
// master, so the child is nginx itself and killing its pid stops it) with its
// pid file, logs, temp paths and document root in a scratch directory, and
// listening ports picked at start. Its access log records what the origin saw
// of every request (connection number and request count on it, session reuse,
// protocol, cipher, group, SNI, Host, Via, ...): tests read it to observe the
// edge from the origin side.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/deadline.hpp"
#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::support {

/// One line of the origin's access log (the `e2e` log_format).
struct NginxLogLine {
  std::string scheme;            // $scheme: "https" or "http"
  int server_port = 0;           // $server_port: the listening port that took the request
  long connection = 0;           // $connection: the origin's serial number of the TCP connection
  long connection_requests = 0;  // $connection_requests: 1 for the first request on it
  std::string session_reused;    // $ssl_session_reused: "r" resumed, "." full handshake
  std::string protocol;          // $ssl_protocol: "TLSv1.2"
  std::string cipher;            // $ssl_cipher: OpenSSL's name
  std::string curve;             // $ssl_curve: "prime256v1", "X25519"
  std::string sni;               // $ssl_server_name ("-" when none was sent)
  std::string server_name;       // $server_name: the server block that answered
  std::string host;              // $http_host
  std::string via;               // $http_via
  std::string forwarded_for;     // $http_x_forwarded_for
  std::string user_agent;        // $http_user_agent
  std::string cf_id;             // $http_x_amz_cf_id
  std::string origin_secret;     // $http_x_origin_secret (the tests' CustomHeaders field)
  std::string method;            // $request_method
  std::string request_uri;       // $request_uri
  int status = 0;                // $status
  long request_length = 0;       // $request_length (request line, head and body)
  long body_bytes_sent = 0;      // $body_bytes_sent
};

struct NginxOriginOptions {
  /// Names of the listening ports to pick ("main", "tls13", ...).
  std::vector<std::string> ports;
  /// The server{} blocks, in nginx syntax, with placeholders replaced at start:
  /// @port:NAME@ the picked port, @www@ the document root, @cert:LEAF@ and
  /// @key:LEAF@ the chain and key files of a test PKI leaf (LEAF = support::name()).
  std::string servers;
};

class NginxOrigin {
 public:
  /// Writes the configuration, starts nginx and waits until every port listens
  /// (retrying with new ports when one was taken meanwhile).
  static base::Expected<NginxOrigin, std::string> start(const NginxOriginOptions& options);

  [[nodiscard]] std::uint16_t port(const std::string& name) const;
  /// The document root (`@www@`): files the tests serve, and where PUT writes.
  [[nodiscard]] std::filesystem::path www() const { return dir_ / "www"; }

  /// The access log as it is now (lines nginx has written).
  [[nodiscard]] std::vector<NginxLogLine> access_log() const;
  /// Waits until at least `count` log lines satisfy `match`; returns the matching
  /// lines as they are then (fewer when the deadline passed first).
  [[nodiscard]] std::vector<NginxLogLine> wait_for_lines(
      const std::function<bool(const NginxLogLine&)>& match, std::size_t count, Deadline deadline) const;
  /// Waits until the error log contains `marker` (error_log level info: it
  /// records connections the client closed, "*N client ... closed keepalive connection").
  [[nodiscard]] bool wait_error_log(const std::string& marker, Deadline deadline) const;
  [[nodiscard]] std::string error_log() const;
  /// Command line, configuration and logs, for failure messages.
  [[nodiscard]] std::string describe() const;

 private:
  NginxOrigin(ScratchDir dir, ChildProcess child, std::map<std::string, std::uint16_t> ports)
      : dir_(std::move(dir)), child_(std::move(child)), ports_(std::move(ports)) {}
  ScratchDir dir_;      // destroyed after the child
  ChildProcess child_;  // killed first (SIGKILL to its pid's group: nginx alone)
  std::map<std::string, std::uint16_t> ports_;
};

/// Splits one access-log line; connection 0 when malformed.
NginxLogLine parse_nginx_log_line(const std::string& line);

}  // namespace edgefetch::support
