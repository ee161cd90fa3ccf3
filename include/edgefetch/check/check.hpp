#pragma once
// `edgefetch check` as a library: check one origin (the verdict handshake,
// then enumeration and, when asked, the verdict handshake under a second
// profile, then the diagnosis), or every origin of a distribution
// config with each origin's own settings, a bounded number of origins at once
// and a bounded number of connections per origin.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "edgefetch/check/probe.hpp"
#include "edgefetch/check/report.hpp"
#include "edgefetch/check/verdict.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::check {

struct CheckOptions {
  bool enumerate = true;    // false: the verdict (and the certificate audit) only
  int max_connections = 4;  // concurrent enumeration probes per origin
  /// Longest a probe waits for the server's answer after its ClientHello (the
  /// connection timeout bounds it too).
  std::chrono::milliseconds probe_read_timeout{5000};
  /// Also judge the origin under this profile, side by side (one more
  /// handshake, concurrent with enumeration); nullptr: the primary profile only.
  /// Ignored when it is the primary profile itself.
  const policy::Profile* compare_profile = nullptr;
  /// Certificates are judged at this time (0: now).
  std::time_t now = 0;
  /// Sees each enumeration probe as it ends (on the check's executor).
  std::function<void(const ProbeOffer&, const ProbeResult&)> on_probe;
};

boost::asio::awaitable<CheckReport> check_origin(OriginTarget target, EdgeSettings settings,
                                                 CheckOptions options);

/// The same on a private io_context, blocking the caller.
CheckReport check_origin_blocking(const OriginTarget& target, const EdgeSettings& settings,
                                  const CheckOptions& options);

struct DistributionCheckOptions {
  CheckOptions check;
  int max_origins_at_once = 4;
  const policy::Profile* profile = nullptr;  // the client profile for every origin (nullptr: default)
  std::vector<net::ResolveOverride> resolve_overrides;
  std::shared_ptr<const crypto::TrustStore> trust_store;  // required
  std::string trust_description = "the system trust store";
  /// Called when an origin's check ends (on the checks' executor), e.g. for progress.
  std::function<void(const OriginCheck&)> on_origin_done;
};

/// The origins of `config` as they will be checked: custom origins the edge may
/// reach over HTTPS with their settings, the others marked skipped with why.
/// Every CheckReport is left empty; OriginCheck::notes are filled.
struct PlannedOrigin {
  OriginCheck entry;
  OriginTarget target;
  EdgeSettings settings;
};
std::vector<PlannedOrigin> plan_distribution(const config::LoadedConfig& config,
                                             const DistributionCheckOptions& options);

DistributionReport check_distribution_blocking(const config::LoadedConfig& config, std::string file,
                                               const DistributionCheckOptions& options);

}  // namespace edgefetch::check
