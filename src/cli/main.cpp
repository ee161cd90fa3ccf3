// edgefetch: connect to origins exactly as the CDN edge does.

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
      "            2 usage error, 3 connection failure or timeout, 4 internal error.\n"
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
    std::cerr << "edgefetch: " << e.what() << "\nRun 'edgefetch --help' or 'edgefetch COMMAND --help' for usage.\n";
    return edgefetch::cli::kExitUsage;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // Around all of run(), not only app.parse() (which runs the commands):
  // building the command line and printing help can throw too.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "edgefetch: internal error: " << e.what() << "\n"
              << "This is a bug in edgefetch; please report it with the command line you ran.\n";
    return edgefetch::cli::kExitInternal;
  }
}
