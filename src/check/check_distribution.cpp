// Every origin of a distribution config, each with its own settings. The
// checks share one io_context: `max_origins_at_once` workers take origins in
// order, and each origin's enumeration keeps to its own connection limit, so
// at most max_origins_at_once x (max_connections + 1) connections are open.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>

#include "edgefetch/check/check.hpp"
#include "edgefetch/config/distribution.hpp"
#include "edgefetch/config/forwarding.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::check {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::string protocols_text(const std::vector<policy::ProtocolVersion>& versions) {
  std::string out;
  for (auto v : versions) out += (out.empty() ? "" : ",") + std::string(policy::info(v).origin_ssl_protocol);
  return out;
}

std::string behavior_name(const config::CacheBehavior& behavior) {
  return behavior.path_pattern == "*" ? "the default cache behavior"
                                      : "cache behavior '" + behavior.path_pattern + "'";
}

// "domain" or "domain:port" as `edgefetch check` takes it.
std::string target_text(const config::Origin& origin) {
  const std::uint16_t port = origin.custom ? origin.custom->https_port : 443;
  return origin.domain_name + (port == 443 ? "" : ":" + std::to_string(port));
}

// {"CachePolicyId X", "OriginRequestPolicyId Y"}: those of the behavior's policies
// whose settings are not at hand. A managed policy never is; a custom one is
// when the reader listed it as unresolved (its message starts with the quoted
// id). An id quoted otherwise (a long or unusual one) cannot be matched: then
// every custom id of the behavior is named, which is still right for most.
std::vector<std::string> unresolved_policy_ids(const config::LoadedConfig& loaded,
                                               const config::CacheBehavior& behavior) {
  std::vector<std::string> custom;
  std::vector<std::string> unresolved;
  const auto consider = [&](std::string_view field, const std::optional<std::string>& id) {
    if (!id || config::find_managed_policy(*id) != nullptr) return;
    const std::string named = std::string(field) + " " + *id;
    custom.push_back(named);
    const std::string quoted = "\"" + *id + "\"";
    if (std::any_of(loaded.unresolved_policies.begin(), loaded.unresolved_policies.end(),
                    [&quoted](const config::Problem& p) { return p.message.starts_with(quoted); })) {
      unresolved.push_back(named);
    }
  };
  consider("CachePolicyId", behavior.cache_policy_id);
  consider("OriginRequestPolicyId", behavior.origin_request_policy_id);
  return unresolved.empty() ? custom : unresolved;
}

void host_forwarding_notes(const config::LoadedConfig& loaded, const config::DistributionConfig& distribution,
                           const config::Origin& origin, std::vector<std::string>& notes) {
  std::vector<const config::CacheBehavior*> behaviors = {&distribution.default_cache_behavior};
  for (const auto& b : distribution.cache_behaviors) behaviors.push_back(&b);
  for (const config::CacheBehavior* b : behaviors) {
    // A behavior reaches the origin itself or an origin group it belongs to.
    const auto targets = distribution.target_origins(b->target_origin_id);
    if (std::find(targets.begin(), targets.end(), &origin) == targets.end()) continue;
    if (b->forwards_host_header) {
      notes.push_back(
          behavior_name(*b) +
          " forwards the viewer's Host header: for its requests the edge sends "
          "the viewer's Host as SNI and the certificate must cover it. Check each viewer host name "
          "with `edgefetch check " +
          target_text(origin) + " --host-header VIEWER-HOST`.");
    } else if (b->host_forwarding == config::HostForwarding::unknown_request_policy) {
      const std::vector<std::string> ids = unresolved_policy_ids(loaded, *b);
      std::string listed;
      for (const auto& id : ids) listed += (listed.empty() ? "" : ", ") + id;
      notes.push_back(
          behavior_name(*b) + (ids.size() == 1 ? " uses a custom policy (" : " uses custom policies (") +
          listed +
          ") whose settings are not at hand, so whether it forwards Host is unknown; give it with "
          "--policies FILE (`aws cloudfront get-cache-policy` / `get-origin-request-policy` output). "
          "If it forwards Host, the certificate must cover the viewer's host names (check them with "
          "--host-header).");
    }
  }
}

void origin_group_notes(const config::DistributionConfig& distribution, const config::Origin& origin,
                        std::vector<std::string>& notes) {
  for (const auto& group : distribution.origin_groups) {
    const auto member = std::find(group.member_ids.begin(), group.member_ids.end(), origin.id);
    if (member == group.member_ids.end()) continue;
    std::string codes;
    for (const int code : group.failover_status_codes) {
      codes += (codes.empty() ? "" : ", ") + std::to_string(code);
    }
    notes.push_back(std::string(member == group.member_ids.begin() ? "Primary" : "Secondary") +
                    " origin of origin group '" + group.id +
                    "': GET, HEAD and OPTIONS requests go to the secondary when the primary cannot be "
                    "reached or answers " +
                    codes + ", so the edge must be able to connect to both.");
  }
}

}  // namespace

std::vector<PlannedOrigin> plan_distribution(const config::LoadedConfig& loaded,
                                             const DistributionCheckOptions& options) {
  std::vector<PlannedOrigin> planned;
  const bool several = loaded.distributions.size() > 1;
  for (const config::Distribution& distribution : loaded.distributions) {
    for (const config::Origin& origin : distribution.config.origins) {
      PlannedOrigin p;
      p.entry.id = several && !distribution.name.empty() ? distribution.name + "/" + origin.id : origin.id;
      p.entry.domain_name = origin.domain_name;
      if (origin.kind == config::OriginKind::s3) {
        p.entry.skipped = true;
        p.entry.skip_reason =
            "S3 origin: the edge reaches S3 with AWS's own TLS settings; there is no origin TLS "
            "configuration to "
            "check";
      } else if (origin.kind == config::OriginKind::vpc) {
        p.entry.skipped = true;
        p.entry.skip_reason = "VPC origin: reached inside AWS, not through the custom-origin TLS policy";
      } else if (!origin.custom ||
                 origin.custom->protocol_policy == config::OriginProtocolPolicy::http_only) {
        p.entry.skipped = true;
        p.entry.skip_reason =
            "OriginProtocolPolicy http-only: the edge never uses TLS to this origin (port " +
            std::to_string(origin.custom ? origin.custom->http_port : 80) + ")";
      }
      if (!p.entry.skipped) {
        const config::CustomOriginConfig& custom = *origin.custom;
        if (custom.protocol_policy == config::OriginProtocolPolicy::match_viewer) {
          p.entry.notes.push_back("OriginProtocolPolicy match-viewer: the edge uses HTTPS (port " +
                                  std::to_string(custom.https_port) +
                                  ") for viewers that came over HTTPS, and HTTP (port " +
                                  std::to_string(custom.http_port) + ") for the others.");
        }
        if (custom.ssl_protocols_defaulted) {
          p.entry.notes.push_back("OriginSslProtocols is not set; checked with the default " +
                                  protocols_text(custom.ssl_protocols) + ".");
        }
        host_forwarding_notes(loaded, distribution.config, origin, p.entry.notes);
        origin_group_notes(distribution.config, origin, p.entry.notes);
        p.target.host = origin.domain_name;
        p.target.port = custom.https_port;
        p.target.resolve_overrides = options.resolve_overrides;
        p.target.trust_store = options.trust_store;
        p.target.trust_description = options.trust_description;
        p.settings.profile = options.profile;
        p.settings.origin_ssl_protocols = custom.ssl_protocols;
        p.settings.connection_timeout = std::chrono::seconds(origin.connection_timeout_s);
        p.settings.connection_attempts = origin.connection_attempts;
      }
      planned.push_back(std::move(p));
    }
  }
  return planned;
}

DistributionReport check_distribution_blocking(const config::LoadedConfig& loaded, std::string file,
                                               const DistributionCheckOptions& options) {
  const auto started = Clock::now();
  DistributionReport report;
  report.file = std::move(file);
  report.format = std::string(config::to_string(loaded.format));
  for (const auto& warning : loaded.warnings) report.config_warnings.push_back(warning.to_string());

  std::vector<PlannedOrigin> planned = plan_distribution(loaded, options);
  asio::io_context io;
  std::size_t next = 0;
  std::exception_ptr failure;
  const auto worker = [&]() -> asio::awaitable<void> {
    while (next < planned.size()) {
      PlannedOrigin& p = planned[next++];
      if (!p.entry.skipped) {
        p.entry.report = co_await check_origin(p.target, p.settings, options.check);
      }
      if (options.on_origin_done) options.on_origin_done(p.entry);
    }
  };
  const int workers = std::max(1, std::min(options.max_origins_at_once, static_cast<int>(planned.size())));
  for (int i = 0; i < workers; ++i) {
    asio::co_spawn(io, worker(), [&failure](const std::exception_ptr& error) {
      if (error && !failure) failure = error;
    });
  }
  io.run();
  if (failure) std::rethrow_exception(failure);

  for (auto& p : planned) {
    if (p.entry.report) {
      report.verdict = worse(report.verdict, p.entry.report->verdict());
      report.probes += p.entry.report->probes;
    }
    report.origins.push_back(std::move(p.entry));
  }
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  return report;
}

}  // namespace edgefetch::check
