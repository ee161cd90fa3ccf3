// `edgefetch check HOST[:PORT]` / `--distribution-config FILE`: will the edge
// be able to connect to the origin, and if not, exactly why.
//
// The report goes to stdout (text, or one JSON object with --json; schema in
// include/edgefetch/check/report.hpp); a progress line goes to stderr only
// when stderr is a terminal. Exit codes: 0 compatible, 1 incompatible,
// 2 usage error, 3 unreachable; for many origins the worst of them
// (unreachable > incompatible > compatible); 4 internal error.

#include <unistd.h>

#include <iostream>
#include <memory>

#include "check_options.hpp"
#include "check_text.hpp"
#include "commands.hpp"
#include "edgefetch/check/check.hpp"
#include "json_output.hpp"
#include "option_checks.hpp"
#include "terminal.hpp"
#include "usage_error.hpp"

namespace edgefetch::cli {
namespace {

int exit_code_for(check::Verdict verdict) {
  switch (verdict) {
    case check::Verdict::compatible:
      return kExitOk;
    case check::Verdict::incompatible:
      return kExitTlsFailure;
    case check::Verdict::unreachable:
      return kExitConnection;
  }
  return kExitInternal;
}

// One self-rewriting line on stderr while probing, only on a terminal.
class Progress {
 public:
  Progress() : enabled_(isatty(STDERR_FILENO) == 1) {}
  [[nodiscard]] bool enabled() const { return enabled_; }

  void start(std::string what) {
    what_ = std::move(what);
    draw();
  }
  void probe_done() {
    ++probes_;
    draw();
  }
  void origin_done() {
    ++origins_done_;
    draw();
  }
  void set_origins(int total) { origins_total_ = total; }
  void clear() {
    if (enabled_) std::cerr << "\r\x1b[K" << std::flush;
  }

 private:
  void draw() {
    if (!enabled_) return;
    std::string line = "checking " + what_;
    if (origins_total_ > 0) {
      line += ": " + std::to_string(origins_done_) + "/" + std::to_string(origins_total_) + " origins";
    }
    line += " (" + std::to_string(probes_) + " probes)";
    std::cerr << "\r\x1b[K" << line << std::flush;
  }
  bool enabled_;
  std::string what_;
  int probes_ = 0;
  int origins_done_ = 0;
  int origins_total_ = 0;
};

int run_check(const check_cmd::CheckCliOptions& options) {
  auto prepared = check_cmd::prepare(options);
  if (!prepared) {
    return report_usage_error(prepared.error().message, options.json, prepared.error().exit_code);
  }
  for (const auto& note : prepared->notes) std::cerr << "edgefetch: note: " << note << "\n";
  const terminal::Painter paint = terminal::Painter::for_stdout();
  auto progress = std::make_shared<Progress>();

  if (prepared->distribution) {
    auto& d = prepared->distribution_options;
    if (progress->enabled()) {
      d.check.on_probe = [progress](const check::ProbeOffer&, const check::ProbeResult&) {
        progress->probe_done();
      };
      d.on_origin_done = [progress](const check::OriginCheck&) { progress->origin_done(); };
      progress->set_origins(static_cast<int>(check::plan_distribution(*prepared->distribution, d).size()));
      progress->start(options.distribution_config);
    }
    const check::DistributionReport report =
        check::check_distribution_blocking(*prepared->distribution, options.distribution_config, d);
    progress->clear();
    if (options.json) {
      std::cout << json_text(check::distribution_json(report)) << "\n";
    } else {
      check_cmd::render_distribution(std::cout, report, paint);
    }
    std::cout.flush();
    return exit_code_for(report.verdict);
  }

  if (progress->enabled()) {
    prepared->check.on_probe = [progress](const check::ProbeOffer&, const check::ProbeResult&) {
      progress->probe_done();
    };
    progress->start(prepared->target.display());
  }
  check::CheckReport report =
      check::check_origin_blocking(prepared->target, prepared->settings, prepared->check);
  progress->clear();
  for (const auto& note : prepared->notes) report.diagnosis.notes.push_back(note);
  if (options.json) {
    std::cout << json_text(check::report_json(report)) << "\n";
  } else {
    check_cmd::render_report(std::cout, report, paint);
  }
  std::cout.flush();
  return exit_code_for(report.verdict());
}

}  // namespace

void register_check_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<check_cmd::CheckCliOptions>();
  auto* cmd = app.add_subcommand(
      "check",
      "Will the edge be able to connect to this origin over TLS? A verdict, every reason and the fix");
  cmd->add_option("origin", options->target,
                  "HOST[:PORT] (default port 443), [IPv6]:PORT, or https://HOST[:PORT]/; no path: the "
                  "check is of the TLS connection, which is the same for every path");
  cmd->add_option(
      "--distribution-config", options->distribution_config,
      "Check every custom origin of a distribution config (aws cloudfront get-distribution-config "
      "output, a DistributionConfig, or a CloudFormation template; JSON or YAML)");
  cmd->add_option(
         "--policies", options->policy_files,
         "With --distribution-config: custom cache / origin request policies its behaviors name (aws "
         "cloudfront get-cache-policy or get-origin-request-policy output, or the list- forms; "
         "repeatable). They decide whether Host, and so SNI, is the viewer's")
      ->take_all();
  cmd->add_option(
         "--template-parameter", options->template_parameters,
         "NAME=VALUE: with a CloudFormation template, the value of its Parameter NAME (or of a pseudo "
         "parameter such as AWS::Region), as `aws cloudformation deploy --parameter-overrides` gives "
         "it; without one, Ref and ${NAME} take the Default, with a warning (repeatable)")
      ->take_all();
  cmd->add_option(
         "--origin-ssl-protocols", options->origin_ssl_protocols,
         "Allowed OriginSslProtocols, comma-separated (SSLv3, TLSv1, TLSv1.1, TLSv1.2); default TLSv1.2. Not "
         "with --distribution-config (each origin's own is checked)")
      ->check(not_empty("a list such as TLSv1.1,TLSv1.2"));
  auto* profile_option =
      cmd->add_option("--profile", options->profile,
                      "Client profile the verdict and exit code follow (see 'edgefetch ciphers profiles'). "
                      "Given explicitly, only this profile is judged (add --compare-profile for a second)")
          ->capture_default_str();
  cmd->add_option("--compare-profile", options->compare_profile,
                  "Also judge the origin under this profile, side by side (one more handshake). Default: "
                  "cloudfront-2025 (the CDN's 2025 policy, TLS 1.3) when --profile is not given");
  // Not CLI11's excludes(), whose "Excludes:" note breaks the help's columns:
  // comparison_profile() refuses the pair with its own message.
  cmd->add_flag("--no-compare", options->no_compare,
                "Judge under the primary profile only (no second verdict, one handshake fewer; not with "
                "--compare-profile)");
  cmd->add_option(
         "--host-header", options->host_header,
         "The viewer's Host header when the behavior forwards it: sent as SNI and checked against the "
         "certificate. Not with --distribution-config (check such an origin alone with it)")
      ->check(not_empty("a host name"));
  cmd->add_option(
         "--resolve", options->resolve,
         "HOST:PORT:ADDRESS[,ADDRESS...]: connect there instead (repeatable; applies to config origins)")
      ->take_all();
  cmd->add_option("--ca-file", options->ca_file,
                  "PEM file of trusted CA certificates (replaces the system store)");
  cmd->add_option("--connect-timeout", options->connect_timeout,
                  "ConnectionTimeout per attempt, 1-10 seconds; default 10. Not with "
                  "--distribution-config (each origin's own is used)")
      ->check(whole_number_in(1, 10));
  cmd->add_option("--connection-attempts", options->connection_attempts,
                  "ConnectionAttempts, 1-3; default 3. Not with --distribution-config (each origin's own is "
                  "used)")
      ->check(whole_number_in(1, 3));
  cmd->add_option("--max-origins", options->max_origins, "Origins checked at once (--distribution-config)")
      ->check(whole_number_in(1, 16))
      ->capture_default_str();
  cmd->add_option("--max-connections", options->max_connections, "Concurrent probe connections per origin")
      ->check(whole_number_in(1, 16))
      ->capture_default_str();
  cmd->add_flag(
      "--no-enumerate", options->no_enumerate,
      "Only the verdict handshakes (and the certificate); do not enumerate what the origin supports");
  cmd->add_flag("--json", options->json, "Print one JSON object (schema: README, 'edgefetch check')");
  // Not in --help (there is none); given, it is refused with why and what to use instead.
  cmd->add_flag("--insecure", options->insecure)->group("");
  cmd->footer(
      "The certificate is always verified, as the edge does (there is no --insecure); use --ca-file for a\n"
      "private CA.\n"
      "Exit codes: 0 compatible, 1 incompatible, 2 usage error (including an invalid config), 3 unreachable\n"
      "            (DNS failure, refused, timed out after every attempt), 4 output not written or\n"
      "            internal error.\n"
      "            With --distribution-config: the worst verdict of the checked origins, in the order\n"
      "            unreachable (3) > incompatible (1) > compatible (0); skipped origins do not count.\n"
      "            The exit code follows the primary profile (--profile, default the documented policy),\n"
      "            never the comparison (--compare-profile, default cloudfront-2025).");
  cmd->callback([options, profile_option, &exit_code] {
    options->profile_given = profile_option->count() > 0;
    exit_code = run_check(*options);
  });
}

}  // namespace edgefetch::cli
