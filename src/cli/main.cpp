// edgefetch: connect to origins exactly as the CDN edge does.

#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>

#include "build_info.hpp"
#include "commands.hpp"

namespace {

int run(int argc, char** argv) {
  CLI::App app{"edgefetch - connect to origin servers exactly as the CloudFront edge does", "edgefetch"};
  app.require_subcommand(1, 1);
  app.set_version_flag("--version", std::function<std::string()>(edgefetch::cli::version_text));
  app.footer(
      "Exit codes: 0 success, 1 TLS or certificate failure (get) / incompatible (check),\n"
      "            2 usage error, 3 connection failure or timeout,\n"
      "            4 local failure (output not written) or internal error.\n"
      "Run 'edgefetch COMMAND --help' for the options of each command.");

  int exit_code = edgefetch::cli::kExitOk;
  edgefetch::cli::register_ciphers_command(app, exit_code);
  edgefetch::cli::register_get_command(app, exit_code);
  edgefetch::cli::register_check_command(app, exit_code);
  edgefetch::cli::register_serve_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Every usage error says what was wrong and where to look, with our prefix.
    std::cerr << "edgefetch: " << e.what()
              << "\nRun 'edgefetch --help' or 'edgefetch COMMAND --help' for usage.\n";
    return edgefetch::cli::kExitUsage;
  }
  return exit_code;
}

// A report that could not be written (a full disk, a closed pipe with SIGPIPE
// ignored) must not exit as if it had been: a CI job would read success from an
// empty file. get reports its own body write failures (exit 4) before this.
int after_output(int exit_code) {
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  if ((flushed && !std::cout.fail() && std::ferror(stdout) == 0) ||
      exit_code == edgefetch::cli::kExitInternal) {
    return exit_code;
  }
  std::cerr << "edgefetch: error: output_failed: could not write the output to standard output (a full "
               "disk?); the report is incomplete or missing\n";
  return edgefetch::cli::kExitInternal;
}

}  // namespace

int main(int argc, char** argv) {
  // Around all of run(), not only app.parse() (which runs the commands):
  // building the command line and printing help can throw too.
  try {
    return after_output(run(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "edgefetch: internal error: " << e.what() << "\n"
              << "This is a bug in edgefetch; please report it with the command line you ran.\n";
    return edgefetch::cli::kExitInternal;
  }
}
