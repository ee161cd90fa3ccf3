#include "edgefetch/check/check.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <exception>

#include "edgefetch/check/enumerate.hpp"
#include "edgefetch/net/task_group.hpp"

namespace edgefetch::check {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

ProbeTarget probe_target(const OriginTarget& target, const EdgeSettings& settings,
                         const VerdictHandshake& handshake, const CheckOptions& options) {
  ProbeTarget probe;
  probe.host = target.host;
  probe.port = target.port;
  probe.resolve_overrides = target.resolve_overrides;
  // Probe the address the edge's handshake reached first, then the others.
  if (handshake.remote) probe.endpoints.push_back(*handshake.remote);
  for (const auto& endpoint : handshake.addresses) {
    if (!handshake.remote || endpoint != *handshake.remote) probe.endpoints.push_back(endpoint);
  }
  probe.server_name = target.server_name();
  probe.connect_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(settings.connection_timeout);
  probe.read_timeout = std::min(options.probe_read_timeout, probe.connect_timeout);
  return probe;
}

// The second profile's handshake to the addresses the first one resolved, the
// address the first reached tried first. The result lives in `out`, shared, so
// that the task owns what it writes.
asio::awaitable<void> compared_handshake(std::shared_ptr<VerdictHandshake> out, OriginTarget target,
                                         EdgeSettings settings, VerdictHandshake first) {
  std::vector<asio::ip::tcp::endpoint> addresses;
  if (first.remote) addresses.push_back(*first.remote);
  for (const auto& endpoint : first.addresses) {
    if (!first.remote || endpoint != *first.remote) addresses.push_back(endpoint);
  }
  *out = co_await run_verdict_handshake_at(std::move(addresses), first.resolve_source, std::move(target),
                                           std::move(settings));
}

EdgeSettings with_profile(const EdgeSettings& settings, const policy::Profile* profile) {
  EdgeSettings out = settings;
  out.profile = profile;
  return out;
}

void finish_comparison(CheckReport& report, const SupportedSummary* summary, std::time_t now) {
  ComparedVerdict& c = *report.comparison;
  if (c.tried()) {
    const Diagnosis diagnosis =
        diagnose(report.target, with_profile(report.settings, c.profile), c.handshake, summary, now);
    c.verdict = diagnosis.verdict;
    c.reasons = diagnosis.reasons;
  } else {
    c.verdict = report.diagnosis.verdict;
  }
  const VerdictSide primary{&report.settings.effective_profile(), report.diagnosis.verdict,
                            &report.diagnosis.reasons, &report.handshake.negotiated};
  const VerdictSide other{c.profile, c.verdict, &c.reasons, &c.handshake.negotiated};
  c.summary = comparison_sentence(primary, other);
}

}  // namespace

asio::awaitable<CheckReport> check_origin(OriginTarget target, EdgeSettings settings, CheckOptions options) {
  const auto started = Clock::now();
  CheckReport report;
  report.handshake = co_await run_verdict_handshake(target, settings);
  report.probes = report.handshake.connections();

  // The second verdict runs alongside enumeration; an origin the first could
  // not reach is not tried again (the network does not depend on the profile).
  net::TaskGroup alongside(co_await asio::this_coro::executor);
  auto compared = std::make_shared<VerdictHandshake>();
  if (options.compare_profile != nullptr && options.compare_profile != &settings.effective_profile()) {
    report.comparison.emplace();
    report.comparison->profile = options.compare_profile;
    if (report.handshake.verdict == Verdict::unreachable) {
      report.comparison->not_tried = "the origin could not be reached";
    } else {
      alongside.spawn(compared_handshake(compared, target, with_profile(settings, options.compare_profile),
                                         report.handshake));
    }
  }

  if (!options.enumerate) {
    report.enumeration_skipped = "--no-enumerate";
  } else if (report.handshake.verdict == Verdict::unreachable) {
    report.enumeration_skipped = "the origin could not be reached";
  } else {
    EnumerateOptions enumerate_options;
    enumerate_options.max_connections = options.max_connections;
    enumerate_options.on_probe = options.on_probe;
    report.supported = co_await enumerate(probe_target(target, settings, report.handshake, options),
                                          std::move(enumerate_options));
    report.probes += report.supported->probes;
  }
  co_await alongside.wait();
  if (report.comparison && report.comparison->tried()) {
    report.comparison->handshake = std::move(*compared);
    report.probes += report.comparison->handshake.connections();
  }

  const std::time_t now = options.now != 0 ? options.now : std::time(nullptr);
  const SupportedSummary* summary = report.supported ? &*report.supported : nullptr;
  const VerdictHandshake* other_handshake =
      report.comparison && report.comparison->tried() ? &report.comparison->handshake : nullptr;
  report.diagnosis = diagnose(target, settings, report.handshake, summary, now, other_handshake);
  report.target = std::move(target);
  report.settings = std::move(settings);
  if (report.comparison) finish_comparison(report, summary, now);
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  co_return report;
}

CheckReport check_origin_blocking(const OriginTarget& target, const EdgeSettings& settings,
                                  const CheckOptions& options) {
  asio::io_context io;
  std::optional<CheckReport> result;
  std::exception_ptr failure;
  asio::co_spawn(io, check_origin(target, settings, options),
                 [&result, &failure](const std::exception_ptr& error, CheckReport value) {
                   failure = error;
                   if (!error) result = std::move(value);
                 });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace edgefetch::check
