#pragma once
// `edgefetch serve`: the command-line options, and their validation into what
// the edge needs. Every problem is reported with the option or config field it
// concerns, before anything listens (exit 2).

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/config/distribution.hpp"
#include "edgefetch/edge/access_log.hpp"
#include "edgefetch/edge/edge_server.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::cli::serve {

struct ServeCliOptions {
  std::string config_file;
  std::vector<std::string> policy_files;
  std::vector<std::string> template_parameters;  // NAME=VALUE, for a template's Parameters
  std::vector<std::string> listen;
  std::vector<std::string> listen_tls;
  std::string cert_file;
  std::string key_file;
  std::vector<std::string> resolve;
  std::string ca_file;
  std::string admin;
  std::string access_log;
  std::string log_format = "tsv";
  std::string profile{policy::kDefaultProfileName};
  int idle_timeout = 60;
  int header_timeout = 20;
  int websocket_idle_timeout = 600;
  int io_timeout = 60;
  int drain_timeout = 30;
};

struct PreparedServe {
  edge::EdgeServer::Options server;
  std::shared_ptr<const config::DistributionConfig> config;
  std::optional<boost::asio::ip::tcp::endpoint> admin;
  edge::AccessLogFormat log_format = edge::AccessLogFormat::tsv;
  std::vector<std::string> warnings;  // printed to stderr at start
};

/// "ADDR:PORT" or "[IPv6]:PORT" with a literal address; port 0-65535.
base::Expected<boost::asio::ip::tcp::endpoint, std::string> parse_endpoint(std::string_view text);

/// Reads and validates the distribution config for serving (--config, with
/// the custom policies of --policies): exactly one distribution, the reader's
/// checks (ranges, origin ids named by behaviors), and origins the edge can
/// reach (no VPC origins). Errors: one problem a line, each naming the field.
base::Expected<std::shared_ptr<const config::DistributionConfig>, std::string> load_serve_config(
    const ServeCliOptions& options, std::vector<std::string>* warnings);

/// Validates every option; the error names the option.
base::Expected<PreparedServe, std::string> prepare(const ServeCliOptions& options);

}  // namespace edgefetch::cli::serve
