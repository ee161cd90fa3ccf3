// edgefetch serve: the edge reverse proxy in front of the origins of a
// distribution config.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "edgefetch/edge/admin_server.hpp"
#include "edgefetch/edge/edge_server.hpp"
#include "option_checks.hpp"
#include "serve_options.hpp"

namespace edgefetch::cli {
namespace {
namespace asio = boost::asio;

std::string url_of(const asio::ip::tcp::endpoint& endpoint, bool tls) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(endpoint.port());
}

void log_line(std::string_view line) {
  std::cerr << line << '\n' << std::flush;
}

// Waits for SIGHUP (reload), SIGTERM and SIGINT (drain) until drained. A
// second SIGTERM or SIGINT during the drain exits at once, as a user pressing
// Ctrl-C twice expects.
void watch_signals(asio::signal_set& signals, edge::EdgeServer& server, const serve::ServeCliOptions& options,
                   const std::shared_ptr<edge::Metrics>& metrics, asio::io_context& io,
                   edge::AdminServer* admin) {
  signals.async_wait([&signals, &server, &options, metrics, &io, admin](boost::system::error_code ec,
                                                                        int signal_number) {
    if (ec) return;
    const auto exit_now = [&io, &signals, admin](std::string_view why) {
      boost::system::error_code ignored;
      signals.cancel(ignored);
      if (admin != nullptr) admin->stop();
      log_line(std::string("edgefetch serve: ") + std::string(why) + "; exiting");
      io.stop();
    };
    if (signal_number == SIGHUP && server.draining()) {
      log_line("edgefetch serve: SIGHUP ignored while draining");
    } else if (signal_number == SIGHUP) {
      std::vector<std::string> warnings;
      auto config = serve::load_serve_config(options, &warnings);
      if (config) {
        server.reload(std::move(*config));
        // The warnings are the new config's: the line says so and they follow it.
        log_line("edgefetch serve: reloaded " + options.config_file +
                 (warnings.empty()
                      ? std::string()
                      : ", with these warnings about it (" + std::to_string(warnings.size()) + "):"));
        for (const auto& warning : warnings) log_line("edgefetch serve: warning: " + warning);
      } else {
        log_line("edgefetch serve: reload rejected, keeping the running config: " + config.error());
      }
      metrics->record_config_reload(config.has_value());
    } else if (server.draining()) {
      exit_now("signal " + std::to_string(signal_number) + " again while draining: not waiting for requests");
      return;
    } else {
      log_line("edgefetch serve: draining (signal " + std::to_string(signal_number) +
               "; send it again to exit at once)");
      server.drain([exit_now] { exit_now("drained"); });
    }
    watch_signals(signals, server, options, metrics, io, admin);
  });
}

int run_serve(const serve::ServeCliOptions& options) {
  auto prepared = serve::prepare(options);
  if (!prepared) {
    std::cerr << "edgefetch serve: " << prepared.error() << "\n";
    return kExitUsage;
  }
  for (const auto& warning : prepared->warnings) std::cerr << "edgefetch serve: warning: " << warning << "\n";

  auto metrics = std::make_shared<edge::Metrics>();
  prepared->server.metrics = metrics;
  prepared->server.log = log_line;
  if (!options.access_log.empty()) {
    auto log = edge::AccessLog::open(options.access_log, prepared->log_format);
    if (!log) {
      std::cerr << "edgefetch serve: --access-log " << log.error() << "\n";
      return kExitUsage;
    }
    prepared->server.access_log = std::shared_ptr<edge::AccessLog>(std::move(*log));
  }

  // One thread runs every socket and timer, so the reactor's per-socket locks
  // (two lock/unlock pairs per socket operation) guard nothing. The scheduler
  // keeps its lock: the resolver's private thread posts DNS answers to it.
  asio::io_context io(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO);
  // Signals first, so a SIGTERM right after the listening lines is not lost.
  asio::signal_set signals(io, SIGHUP, SIGTERM, SIGINT);
  (void)std::signal(SIGPIPE, SIG_IGN);  // fails only for an invalid signal number

  auto server = edge::EdgeServer::start(io, std::move(prepared->server), prepared->config);
  if (!server) {
    std::cerr << "edgefetch serve: " << server.error() << "\n";
    return kExitUsage;
  }
  std::unique_ptr<edge::AdminServer> admin;
  if (prepared->admin) {
    edge::EdgeServer* raw = server->get();
    auto started = edge::AdminServer::start(io.get_executor(), *prepared->admin, metrics,
                                            [raw] { return !raw->draining(); });
    if (!started) {
      std::cerr << "edgefetch serve: --admin " << started.error() << "\n";
      return kExitUsage;
    }
    admin = std::move(*started);
  }
  for (const auto& listener : (*server)->listening()) {
    std::cout << "edgefetch serve: listening on " << url_of(listener.endpoint, listener.tls) << "\n";
  }
  if (admin) std::cout << "edgefetch serve: admin on " << url_of(admin->local_endpoint(), false) << "\n";
  std::cout.flush();

  watch_signals(signals, **server, options, metrics, io, admin.get());
  io.run();
  admin.reset();
  server->reset();
  return kExitOk;
}

}  // namespace

void register_serve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<serve::ServeCliOptions>();
  auto* cmd = app.add_subcommand(
      "serve",
      "Run the edge: a reverse proxy in front of a distribution's origins, with the CDN's origin behaviour");
  cmd->add_option(
         "--config", options->config_file,
         "Distribution config (aws cloudfront get-distribution-config output, a DistributionConfig, or "
         "a CloudFormation template with one distribution; JSON or YAML)")
      ->required();
  cmd->add_option("--policies", options->policy_files,
                  "Custom cache / origin request policies the config names (aws cloudfront get-cache-policy, "
                  "get-origin-request-policy, list-cache-policies or list-origin-request-policies output; "
                  "repeatable; re-read on SIGHUP)")
      ->take_all();
  cmd->add_option(
         "--template-parameter", options->template_parameters,
         "NAME=VALUE: with a CloudFormation template, the value of its Parameter NAME (or of a pseudo "
         "parameter such as AWS::Region), as `aws cloudformation deploy --parameter-overrides` gives "
         "it; without one, Ref and ${NAME} take the Default, with a warning (repeatable; applied "
         "again on SIGHUP)")
      ->take_all();
  cmd->add_option("--listen", options->listen,
                  "ADDRESS:PORT for HTTP viewers (repeatable; port 0: any free port)")
      ->take_all();
  cmd->add_option("--listen-tls", options->listen_tls,
                  "ADDRESS:PORT for HTTPS viewers (repeatable; needs --cert and --key)")
      ->take_all();
  cmd->add_option("--cert", options->cert_file, "PEM certificate chain for --listen-tls");
  cmd->add_option("--key", options->key_file, "PEM private key for --listen-tls");
  cmd->add_option("--resolve", options->resolve,
                  "HOST:PORT:ADDRESS[,ADDRESS...]: connect there for that origin (repeatable)")
      ->take_all();
  cmd->add_option("--ca-file", options->ca_file,
                  "PEM file of trusted CA certificates for origins (replaces the "
                  "system store)");
  cmd->add_option("--admin", options->admin, "ADDRESS:PORT for /metrics (Prometheus) and /healthz");
  cmd->add_option("--access-log", options->access_log, "Access log file, or - for stdout");
  cmd->add_option("--log-format", options->log_format, "Access log format: tsv (the CDN's fields) or json")
      ->capture_default_str();
  cmd->add_option("--profile", options->profile,
                  "Client profile to origins (see 'edgefetch ciphers profiles')")
      ->capture_default_str();
  cmd->add_option("--viewer-idle-timeout", options->idle_timeout,
                  "Seconds a keep-alive viewer connection may wait for its next request")
      ->check(whole_number_in(1, 3600))
      ->capture_default_str();
  cmd->add_option("--viewer-header-timeout", options->header_timeout,
                  "Seconds for a request head (and a TLS handshake) to arrive completely")
      ->check(whole_number_in(1, 600))
      ->capture_default_str();
  cmd->add_option("--viewer-io-timeout", options->io_timeout,
                  "Seconds a request body read or response write may stall")
      ->check(whole_number_in(1, 3600))
      ->capture_default_str();
  cmd->add_option("--websocket-idle-timeout", options->websocket_idle_timeout,
                  "Seconds a WebSocket connection may pass with no byte either way before it is closed")
      ->check(whole_number_in(1, 86400))
      ->capture_default_str();
  cmd->add_option("--drain-timeout", options->drain_timeout,
                  "Seconds SIGTERM waits for requests in flight before closing them")
      ->check(whole_number_in(0, 3600))
      ->capture_default_str();
  cmd->footer(
      "Signals: SIGHUP reloads --config and --policies, with the same --template-parameter values (a\n"
      "         config that fails validation is rejected and the running one stays); SIGTERM/SIGINT stop\n"
      "         accepting, finish requests in flight (up to --drain-timeout), then exit 0.\n"
      "On start, one line per listener on stdout: 'edgefetch serve: listening on http://127.0.0.1:8080'.\n"
      "Exit codes: 0 after a drain, 2 usage error (invalid option or config, cannot listen), 4 internal "
      "error.");
  cmd->callback([options, &exit_code] { exit_code = run_serve(*options); });
}

}  // namespace edgefetch::cli
