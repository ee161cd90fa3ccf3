#pragma once
// `edgefetch check`: the command-line options and their translation into the
// origin target, the edge settings and the check options. Everything a user
// can get wrong is refused here, before any connection, naming the flag.

#include <optional>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/check/check.hpp"
#include "edgefetch/config/reader.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::cli::check_cmd {

struct CheckCliOptions {
  std::string target;  // HOST[:PORT], [IPv6]:PORT, or https://HOST[:PORT]/ (never a path)
  std::string distribution_config;
  std::vector<std::string> policy_files;  // --policies, with --distribution-config
  // --template-parameter NAME=VALUE, with --distribution-config (a template's Parameters)
  std::vector<std::string> template_parameters;
  std::string origin_ssl_protocols;  // empty: TLSv1.2 (single origin)
  std::string profile{policy::kDefaultProfileName};
  bool profile_given = false;   // --profile was on the command line (then no comparison by default)
  std::string compare_profile;  // --compare-profile; empty: cloudfront-2025 unless --profile was given
  bool no_compare = false;      // --no-compare: the primary profile only
  std::string host_header;
  std::vector<std::string> resolve;
  std::string ca_file;
  int connect_timeout = 0;      // 0: not given (10 s)
  int connection_attempts = 0;  // 0: not given (3)
  int max_origins = 4;
  int max_connections = 4;
  bool json = false;
  bool no_enumerate = false;
  bool insecure = false;  // a hidden --insecure, refused with the reason (the edge always verifies)
};

/// HOST[:PORT] as the positional argument spells it.
struct HostPort {
  std::string host;  // IPv6 without brackets
  std::uint16_t port = 443;
};
base::Expected<HostPort, std::string> parse_host_port(std::string_view text);

/// The profile judged next to the primary one: --compare-profile; else
/// cloudfront-2025 when --profile was not given; none with --no-compare or an
/// explicit --profile alone. Error: a usage message.
base::Expected<const policy::Profile*, std::string> comparison_profile(const CheckCliOptions& options,
                                                                       const policy::Profile& primary);

struct PreparedCheck {
  // Single origin.
  check::OriginTarget target;
  check::EdgeSettings settings;
  // Distribution config.
  std::optional<config::LoadedConfig> distribution;
  check::DistributionCheckOptions distribution_options;

  check::CheckOptions check;
  std::vector<std::string> notes;  // printed on stderr and added to the report's notes
};

struct PrepareError {
  int exit_code = 2;
  std::string message;  // without the "edgefetch: " prefix; may span lines
};

base::Expected<PreparedCheck, PrepareError> prepare(const CheckCliOptions& options);

}  // namespace edgefetch::cli::check_cmd
