#pragma once
// End-to-end test harness: real `edgefetch serve` processes in front of real
// origins (the tests' own Python origin, plain or TLS; nginx, openssl s_server
// and gnutls-serv, see support/nginx_origin.hpp and the *_origin_test.cpp
// files), driven by curl or raw sockets. Every wait is bounded; every process
// is killed when its owner goes away.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/pki.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::e2e {

/// An origin script as a child process, once it printed "listening PORT".
struct ListeningScript {
  support::ChildProcess child;
  std::uint16_t port = 0;
};
/// Starts `argv` (stdout and stderr into `dir`) and waits up to 10 s for its
/// "listening PORT" line. Fails the current test and returns nullopt when it cannot.
std::optional<ListeningScript> start_listening_script(std::vector<std::string> argv,
                                                      const std::filesystem::path& dir);

/// The tests' origin (tests/support/e2e_origin.py): see that file for its paths.
class TestOrigin {
 public:
  struct Options {
    std::optional<support::Leaf> tls;  // serve HTTPS with this leaf of the test PKI
    int drop_percent = 0;
    std::string bind_address = "127.0.0.1";  // "::1": an IPv6 origin
  };
  static std::unique_ptr<TestOrigin> start(Options options);
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// The origin's counters: connections, requests, tls_handshakes, sni (list).
  [[nodiscard]] nlohmann::json stats() const;

 private:
  support::ScratchDir dir_;
  support::ChildProcess child_;
  std::uint16_t port_ = 0;
  bool tls_ = false;
  std::string bind_address_;
};

/// Builds an API-spelling DistributionConfig.
class ConfigBuilder {
 public:
  /// An origin "origin.test" (resolved to 127.0.0.1 by the edge's --resolve).
  ConfigBuilder& origin(const std::string& id, std::uint16_t http_port, std::uint16_t https_port,
                        const std::string& policy, nlohmann::json extra = nlohmann::json::object(),
                        nlohmann::json custom_extra = nlohmann::json::object());
  ConfigBuilder& behavior(const std::string& pattern, const std::string& origin_id,
                          nlohmann::json extra = nlohmann::json::object());
  ConfigBuilder& default_behavior(const std::string& origin_id,
                                  nlohmann::json extra = nlohmann::json::object());
  /// An origin group of two origins, failing over on `status_codes`.
  ConfigBuilder& origin_group(const std::string& id, const std::string& primary, const std::string& secondary,
                              const std::vector<int>& status_codes);
  [[nodiscard]] std::string text() const;

 private:
  nlohmann::json origins_ = nlohmann::json::array();
  nlohmann::json groups_ = nlohmann::json::array();
  nlohmann::json behaviors_ = nlohmann::json::array();
  nlohmann::json default_ = nlohmann::json::object();
};

/// All seven methods, for AllowedMethods.
nlohmann::json all_methods();

/// `edgefetch serve` as a child process.
class Edge {
 public:
  struct Options {
    std::string config;             // the config text
    std::vector<std::string> args;  // extra arguments
    bool tls_listener = false;      // also --listen-tls with the test PKI's origin.test leaf
    bool admin = false;
    std::string access_log;                    // "" none, else a file name in the scratch dir
    std::vector<std::uint16_t> resolve_ports;  // --resolve origin.test:P:127.0.0.1 (and *.wild.test names)
    std::vector<std::pair<std::string, std::string>> environment;  // added to the edge's environment
  };
  /// Starts and waits for the listening lines. Fails the current test (and
  /// returns nullptr) when it cannot.
  static std::unique_ptr<Edge> start(Options options);
  ~Edge();

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::uint16_t tls_port() const { return tls_port_; }
  [[nodiscard]] std::uint16_t admin_port() const { return admin_port_; }
  [[nodiscard]] pid_t pid() const { return child_.pid(); }
  [[nodiscard]] std::string url(const std::string& path) const;
  [[nodiscard]] std::string tls_url(const std::string& path) const;
  [[nodiscard]] std::filesystem::path config_path() const { return dir_ / "config.json"; }
  [[nodiscard]] std::filesystem::path access_log_path() const;
  [[nodiscard]] std::string stderr_text() const { return child_.read_stderr(); }
  void write_config(const std::string& text) const;
  void signal(int number) const;
  /// Waits for the process to exit; its exit status (-1 when killed or still running).
  int wait_exit(std::chrono::milliseconds budget);
  /// Waits until stderr contains `marker`.
  bool wait_stderr(const std::string& marker, std::chrono::milliseconds budget) const;
  /// The access log once it contains `marker` (or as it is when the budget runs out).
  [[nodiscard]] std::string wait_access_log(const std::string& marker,
                                            std::chrono::milliseconds budget) const;
  [[nodiscard]] long vm_hwm_kib() const;
  [[nodiscard]] std::size_t fd_count() const;

 private:
  support::ScratchDir dir_;
  support::ChildProcess child_;
  std::uint16_t port_ = 0;
  std::uint16_t tls_port_ = 0;
  std::uint16_t admin_port_ = 0;
  std::string access_log_;
};

struct HttpResult {
  int exit_code = -1;  // curl's
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string err;
  [[nodiscard]] std::string header(const std::string& lower_name) const;
  [[nodiscard]] nlohmann::json json() const;
};

/// curl -s -i [args] url (HTTPS viewers: the test PKI's CA is trusted, origin.test resolved).
/// The TSV access log line of the request whose URI stem is `stem` (the last
/// one), by the field names of the log's #Fields line; empty when there is none.
std::map<std::string, std::string> log_fields(const std::string& log, const std::string& stem);

HttpResult curl(const std::string& url, const std::vector<std::string>& args = {},
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// curl -s -S [args] (no -i): its exit code and stdout (for --write-out figures).
std::pair<int, std::string> curl_output(const std::vector<std::string>& args,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Sends `request` on a raw loopback connection and reads until the edge closes
/// (or the deadline). Returns everything received.
std::string raw_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds budget = std::chrono::seconds(10));

/// The status code of the first response in raw bytes (0 when none).
int first_status(const std::string& response);

/// The header value named `name` in JSON echo headers (case-insensitive), or "".
std::string echo_header(const nlohmann::json& echo, const std::string& name);
/// How many times the header appears in the echo.
std::size_t echo_header_count(const nlohmann::json& echo, const std::string& name);

}  // namespace edgefetch::e2e
