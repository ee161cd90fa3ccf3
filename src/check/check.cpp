#include "edgefetch/check/check.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>

#include "edgefetch/check/enumerate.hpp"

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

}  // namespace

asio::awaitable<CheckReport> check_origin(OriginTarget target, EdgeSettings settings, CheckOptions options) {
  const auto started = Clock::now();
  CheckReport report;
  report.handshake = co_await run_verdict_handshake(target, settings);
  report.probes = report.handshake.connections();

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

  const std::time_t now = options.now != 0 ? options.now : std::time(nullptr);
  report.diagnosis =
      diagnose(target, settings, report.handshake, report.supported ? &*report.supported : nullptr, now);
  report.target = std::move(target);
  report.settings = std::move(settings);
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  co_return report;
}

CheckReport check_origin_blocking(const OriginTarget& target, const EdgeSettings& settings,
                                  const CheckOptions& options) {
  asio::io_context io;
  std::optional<CheckReport> result;
  std::exception_ptr failure;
  asio::co_spawn(io, check_origin(target, settings, options),
                 [&result, &failure](std::exception_ptr error, CheckReport value) {
                   failure = error;
                   if (!error) result = std::move(value);
                 });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace edgefetch::check
