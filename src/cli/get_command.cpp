// `edgefetch get URL`: one request to an origin, made as the CDN makes it.
//
// The body goes to stdout (or -o FILE; discarded with --json), the story of the
// fetch to stderr with -v, the result as one JSON object with --json
// (schema: get_report.hpp). Exit codes (commands.hpp): 0 any HTTP response,
// 1 TLS or certificate failure, 2 usage error, 3 connection failure, timeout or
// invalid response, 4 the body or the report could not be written / internal error.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "edgefetch/origin/fetch.hpp"
#include "get_insecure_audit.hpp"
#include "get_legacy_warnings.hpp"
#include "get_options.hpp"
#include "get_report.hpp"
#include "get_verbose.hpp"
#include "json_output.hpp"
#include "option_checks.hpp"
#include "terminal.hpp"
#include "usage_error.hpp"

namespace edgefetch::cli {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const {
    // Only when finish() was never reached (an exception is unwinding): finish()
    // closes the file itself and reports a failure; here nobody is left to tell.
    (void)std::fclose(file);  // NOLINT(cppcoreguidelines-owning-memory): the owner's deleter
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// Where the body goes: a file (opened at its first byte), stdout (also for
// -o -, as in curl), or nowhere (--json without -o).
class BodyOutput {
 public:
  bool open(const get::GetOptions& options, std::string* error) {
    if (options.output == "-" && options.json) {
      *error = "-o - with --json: standard output carries the JSON report; give -o FILE for the body";
      return false;
    }
    if (!options.output.empty() && options.output != "-") {
      if (const auto why = unwritable_file(options.output)) {
        *error = "-o '" + options.output + "': cannot open for writing: " + *why;
        return false;
      }
      path_ = options.output;
      name_ = options.output;
    } else if (!options.json) {
      target_ = stdout;
      name_ = "stdout";
    }
    return true;
  }

  origin::BodySink sink() {
    if (target_ == nullptr && path_.empty()) return {};
    return [this](std::span<const std::uint8_t> bytes) {
      if (target_ == nullptr && !open_file()) return false;
      if (std::fwrite(bytes.data(), 1, bytes.size(), target_) == bytes.size()) return true;
      failure_ = std::strerror(errno);
      return false;
    };
  }

  /// Flushes (and closes a file); false with the reason when that fails.
  /// `response_complete`: an empty body still makes its (empty) file.
  bool finish(bool response_complete, std::string* error) {
    if (target_ == nullptr && !path_.empty() && response_complete) (void)open_file();
    if (target_ == nullptr) return failure_.empty() || fail(error);
    bool ok = std::fflush(target_) == 0;
    if (!ok) failure_ = std::strerror(errno);
    if (file_) ok = std::fclose(file_.release()) == 0 && ok;
    if (!ok || !failure_.empty()) return fail(error);
    return true;
  }

 private:
  bool open_file() {
    file_ = FilePtr(std::fopen(path_.c_str(), "wb"));
    if (!file_) {
      failure_ = std::strerror(errno);
      return false;
    }
    target_ = file_.get();
    return true;
  }

  bool fail(std::string* error) const {
    *error = "could not write the body to " + name_ + ": " + (failure_.empty() ? "write error" : failure_);
    return false;
  }

  FilePtr file_;
  std::FILE* target_ = nullptr;
  std::string path_;  // -o FILE, opened at the first body byte
  std::string name_;
  std::string failure_;
};

constexpr std::string_view kInsecureWarning =
    "--insecure: the origin's certificate is NOT verified. The CDN always verifies it, so a fetch that works "
    "here can still fail at the edge with 502.";

int run_get(const get::GetOptions& options) {
  if (options.url.empty()) {
    return report_usage_error(
        "which URL? give https://HOST[:PORT]/PATH or http://HOST[:PORT]/PATH, e.g. 'edgefetch get "
        "https://origin.example.com/'",
        options.json, kExitUsage, "Run 'edgefetch get --help' for usage.");
  }
  const terminal::Painter err_paint = terminal::Painter::for_stderr();
  std::vector<std::string> warnings;
  if (options.insecure) {
    std::cerr << err_paint.paint("edgefetch: WARNING: " + std::string(kInsecureWarning),
                                 terminal::Style::yellow)
              << "\n";
    warnings.emplace_back(kInsecureWarning);
  }

  auto prepared = get::prepare(options);
  if (!prepared) {
    return report_usage_error(prepared.error().message, options.json, prepared.error().exit_code);
  }
  if (options.insecure && prepared->url.scheme == net::Scheme::http) {
    warnings.emplace_back("--insecure has no effect on an http:// URL");
  }
  for (const auto& note : prepared->notes) {
    std::cerr << "edgefetch: note: " << note << "\n";
    warnings.push_back(note);
  }

  BodyOutput output;
  std::string output_error;
  if (!output.open(options, &output_error)) return report_usage_error(output_error, options.json, kExitUsage);

  std::unique_ptr<get::VerboseObserver> verbose;
  if (options.verbose) {
    verbose = std::make_unique<get::VerboseObserver>(std::cerr, *prepared, err_paint);
    verbose->print_settings();
  }

  const origin::FetchResult result =
      origin::fetch(prepared->config, prepared->request, output.sink(), verbose.get());
  const bool output_ok = output.finish(!result.error, &output_error);

  for (const auto& warning : result.warnings) {
    std::cerr << err_paint.paint("edgefetch: warning: ", terminal::Style::yellow) << warning << "\n";
    warnings.push_back(warning);
  }
  // Only a completed handshake negotiated anything; a refused one was already an error.
  const bool handshake_done = !result.error || result.error->phase > origin::Phase::tls_handshake;
  if (result.tls && handshake_done) {
    for (const auto& warning : get::legacy_warnings(*result.tls)) {
      std::cerr << err_paint.paint("edgefetch: warning: ", terminal::Style::yellow) << warning << "\n";
      warnings.push_back(warning);
    }
  }
  if (options.insecure && prepared->url.scheme == net::Scheme::https) {
    if (auto audit = get::insecure_audit(result, options.ca_file, std::time(nullptr))) {
      const std::string line = "--insecure: " + *audit;
      std::cerr << err_paint.paint("edgefetch: warning: ", terminal::Style::yellow) << line << "\n";
      warnings.push_back(line);
    }
  }
  if (verbose) verbose->print_summary(result);

  if (options.json) {
    auto report = get::result_json(*prepared, result, warnings);
    if (!output_ok && !report.contains("error")) {
      // The exit code says 4: the report must not read as a success.
      report["error"] = {{"code", "output_failed"}, {"message", output_error}, {"phase", "response"}};
    }
    std::cout << json_text(report) << "\n";
    std::cout.flush();
  }
  if (result.error && result.error->kind == origin::FailureKind::body_sink_failed) {
    std::cerr << "edgefetch: error: " << output_error << "\n";
    return kExitInternal;
  }
  if (result.error) {
    std::cerr << get::error_text(*prepared, result, err_paint);
    return get::exit_code(result);
  }
  if (!output_ok) {
    std::cerr << "edgefetch: error: " << output_error << "\n";
    return kExitInternal;
  }
  return kExitOk;
}

}  // namespace

void register_get_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<get::GetOptions>();
  auto* cmd = app.add_subcommand("get", "Fetch one URL from an origin exactly as the CDN edge would");
  // Checked in run_get, to say what to give rather than CLI11's "url is required".
  cmd->add_option("url", options->url, "Required: https://HOST[:PORT]/PATH or http://HOST[:PORT]/PATH")
      ->type_name("URL");
  cmd->add_option("--origin-ssl-protocols", options->origin_ssl_protocols,
                  "Allowed OriginSslProtocols, comma-separated (SSLv3, TLSv1, TLSv1.1, TLSv1.2)")
      ->capture_default_str()
      ->check(not_empty("a list such as TLSv1.1,TLSv1.2"));
  cmd->add_option("--profile", options->profile, "Client profile (see 'edgefetch ciphers profiles')")
      ->capture_default_str();
  cmd->add_option("--ca-file", options->ca_file,
                  "PEM file of trusted CA certificates (replaces the system store)");
  cmd->add_flag("--insecure", options->insecure,
                "Do not verify the origin's certificate (the CDN always does; prints a warning)");
  cmd->add_option("--host-header", options->host_header,
                  "Host header to send; also the SNI and the name verified, as when the CDN forwards Host")
      ->check(not_empty("a host name"));
  cmd->add_option("--resolve", options->resolve,
                  "HOST:PORT:ADDRESS[,ADDRESS...]: connect there instead (repeatable)")
      ->take_all();
  cmd->add_option("-H,--header", options->headers,
                  "Request header 'Name: value' (repeatable; 'Name:' removes a default)")
      ->take_all();
  cmd->add_option("-X,--request", options->method, "Request method (default GET, or POST with -d)");
  cmd->add_option("-d,--data", options->data, "Request body (@FILE reads a file); implies POST")
      ->each([options](const std::string&) { options->data_given = true; });
  cmd->add_option("-o,--output", options->output,
                  "Write the body to FILE instead of stdout ('-': stdout); the file is written only when the "
                  "response arrives")
      ->check(not_empty("a file name, or - for stdout"));
  cmd->add_option("--connect-timeout", options->connect_timeout, "ConnectionTimeout per attempt, seconds")
      ->check(whole_number_in(1, 10))
      ->capture_default_str();
  cmd->add_option("--connection-attempts", options->connection_attempts, "ConnectionAttempts")
      ->check(whole_number_in(1, 3))
      ->capture_default_str();
  cmd->add_option("--read-timeout", options->read_timeout,
                  "OriginReadTimeout, seconds: first byte and longest gap between reads (a GET or HEAD "
                  "with no response in time is tried again, see Retries below)")
      ->check(whole_number_in(1, 120))
      ->capture_default_str();
  cmd->add_option("--alpn", options->alpn, "Offer ALPN protocols, comma-separated (the CDN offers none)");
  cmd->add_flag(
      "-v,--verbose", options->verbose,
      "Show each connection attempt, the negotiated TLS parameters, the certificate and timings on stderr");
  cmd->add_flag("--json", options->json,
                "Print one JSON object with the result on stdout (the body is not printed)");
  cmd->footer(
      "Retries: as at the edge, a GET or HEAD that gets no response within --read-timeout is sent again on\n"
      "         a new connection, up to --connection-attempts tries in all, so a silent origin takes up to\n"
      "         attempts x read timeout (90 s with the defaults) before the read_timeout error.\n"
      "Exit codes: 0 any HTTP response, 1 TLS or certificate failure, 2 usage error,\n"
      "            3 connection failure, timeout or invalid response (a reset during the TLS handshake\n"
      "            included), 4 the body or the --json report could not be written (output_failed),\n"
      "            or internal error.\n"
      "Timings: dns, connect (all attempts of the last try), tls (handshake), first byte (after the "
      "request), total.");
  cmd->callback([options, &exit_code] { exit_code = run_get(*options); });
}

}  // namespace edgefetch::cli
