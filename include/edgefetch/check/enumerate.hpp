#pragma once
// Enumeration of what an origin supports with as few connections as the answer
// needs: per version, offer every remaining candidate suite and remove the one
// the server picks until it refuses; the same elimination for groups (TLS 1.2
// ServerKeyExchange, TLS 1.3 key_share/HelloRetryRequest) and TLS 1.2
// signature schemes; server-vs-client preference by re-offering the top two
// suites reversed. Probes run concurrently, at most max_connections at a time.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/check/enumerate_limit.hpp"
#include "edgefetch/check/probe.hpp"
#include "edgefetch/check/supported.hpp"
#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::check {

struct EnumerateOptions {
  /// Versions to probe, any order (default: SSLv3 .. TLS 1.3).
  std::vector<policy::ProtocolVersion> versions = {
      policy::ProtocolVersion::ssl3, policy::ProtocolVersion::tls1_0, policy::ProtocolVersion::tls1_1,
      policy::ProtocolVersion::tls1_2, policy::ProtocolVersion::tls1_3};
  /// Concurrent connections to the origin (per origin).
  int max_connections = 4;
  /// Optional limit shared by several enumerations (many origins checked at
  /// once): each probe also holds one of its slots. It must belong to the
  /// executor the enumeration runs on and outlive it.
  ConnectionLimit* overall_limit = nullptr;
  /// Hard cap on connections for the whole enumeration (a safety net against a
  /// server that answers inconsistently); lists are marked incomplete when hit.
  int max_probes = 200;
  bool enumerate_groups = true;
  bool enumerate_signature_schemes = true;
  bool check_sni = true;  // a probe without SNI to compare certificates
  /// Called after each probe (on the enumeration's executor), e.g. for a progress indicator.
  std::function<void(const ProbeOffer&, const ProbeResult&)> on_probe;
};

/// Runs the whole enumeration on the current executor. target.endpoints must be
/// set (see resolve_target). When the origin cannot be reached at all (every
/// version probe failed to connect), the summary says so per version
/// (Refusal::connect_failed) and nothing else is probed.
boost::asio::awaitable<SupportedSummary> enumerate(ProbeTarget target, EnumerateOptions options = {});

/// Resolves the target, then enumerates, on a private io_context (blocking).
/// Error: resolution failed (message names the host).
base::Expected<SupportedSummary, std::string> enumerate_blocking(ProbeTarget target,
                                                                 EnumerateOptions options = {});

}  // namespace edgefetch::check
