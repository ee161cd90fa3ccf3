// edgefetch: connect to origins exactly as the CDN edge does.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "build_info.hpp"
#include "commands.hpp"
#include "edgefetch/base/edit_distance.hpp"
#include "usage_error.hpp"

namespace {

// "get, check, serve, ciphers": the commands in the order they were registered.
std::string command_names(const CLI::App& app) {
  std::string names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (!names.empty()) names += ", ";
    names += command->get_name();
  }
  return names;
}

bool is_command(const CLI::App& app, const std::string& word) {
  const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
  return std::any_of(commands.begin(), commands.end(),
                     [&](const CLI::App* command) { return command->check_name(word); });
}

// The command word: the first argument that is not an option (the top level's
// options, --help and --version, take no value). Empty when there is none.
std::string command_word(const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (!args[i].starts_with("-")) return args[i];
  }
  return {};
}

const CLI::App* find_command(const CLI::App& parent, const std::string& word) {
  for (const CLI::App* command : parent.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->check_name(word)) return command;
  }
  return nullptr;
}

// "; did you mean 'groups'?" when `word` is a near miss of one of `parent`'s
// commands (at most two edits, and not a word that short), else "".
std::string command_suggestion(const CLI::App& parent, std::string_view word) {
  constexpr std::size_t kMaxEdits = 2;
  if (word.size() <= kMaxEdits) return "";
  for (const CLI::App* command : parent.get_subcommands([](const CLI::App*) { return true; })) {
    if (edgefetch::base::edit_distance(word, command->get_name()) <= kMaxEdits) {
      return "; did you mean '" + command->get_name() + "'?";
    }
  }
  return "";
}

// The words of a command line that name commands, as far as they do: their
// path (" ciphers translate"), and the first word that names none where it
// stands but is a near miss of one there ("; did you mean 'groups'?").
struct CommandWords {
  std::string path;
  std::string suggestion;
};

CommandWords read_command_words(const CLI::App& app, const std::vector<std::string>& args) {
  CommandWords words;
  const CLI::App* level = &app;
  for (std::size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    if (args[i].starts_with("-")) continue;
    if (const CLI::App* next = find_command(*level, args[i])) {
      words.path += " " + args[i];
      level = next;
      continue;
    }
    if (words.suggestion.empty()) words.suggestion = command_suggestion(*level, args[i]);
    // The top level's options take no value, so its first word is the command;
    // below it, a word may be an option's value or an operand.
    if (level == &app) break;
  }
  return words;
}

// Where to read about a command line that did not parse: the help of the
// command it names ("Run 'edgefetch get --help' ..."), down to a subcommand
// ("edgefetch ciphers translate --help"), else the top level's.
std::string usage_hint(const CommandWords& words) {
  return words.path.empty() ? "Run 'edgefetch --help' for usage."
                            : "Run 'edgefetch" + words.path + " --help' for usage.";
}

// CLI11's words for a parse error, where they fall short: a repeated option,
// and an unexpected word that is a misspelt subcommand.
std::string parse_error_message(const CLI::ParseError& error, const CommandWords& words) {
  std::string message = error.what();
  static constexpr std::string_view kTooMany = ": At Most 1 required but received ";
  if (const auto at = message.find(kTooMany); at != std::string::npos && message.starts_with("-")) {
    return message.substr(0, at) + " was given more than once; give it once";
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error) == nullptr) return message;
  return message + words.suggestion;
}

// `edgefetch help [COMMAND...]` is `edgefetch [COMMAND...] --help`, as in git
// and go; a command's own "help" would be its URL or host, so only the first
// word is read so.
std::vector<std::string> with_help_word_as_flag(std::vector<std::string> args) {
  if (args.size() < 2 || args[1] != "help") return args;
  args.erase(args.begin() + 1);
  args.emplace_back("--help");
  return args;
}

int run(int argc, char** argv) {
  CLI::App app{"edgefetch - connect to origin servers exactly as the CloudFront edge does", "edgefetch"};
  app.require_subcommand(1, 1);
  app.set_version_flag("--version", std::function<std::string()>(edgefetch::cli::version_text));
  app.footer(
      "Exit codes: 0 success; 1 get: TLS or certificate failure, check: incompatible; 2 usage error;\n"
      "            3 get: connection failure, timeout or invalid HTTP response, check: unreachable;\n"
      "            4 output not written, or internal error. ciphers and serve use only 0, 2 and 4.\n"
      "            Each command's --help lists its own.\n"
      "Run 'edgefetch COMMAND --help' or 'edgefetch help COMMAND' for the options of each command.");

  int exit_code = edgefetch::cli::kExitOk;
  // In the order --help lists them and an unknown command's message names them.
  edgefetch::cli::register_get_command(app, exit_code);
  edgefetch::cli::register_check_command(app, exit_code);
  edgefetch::cli::register_serve_command(app, exit_code);
  edgefetch::cli::register_ciphers_command(app, exit_code);

  const std::vector<std::string> args = with_help_word_as_flag(std::vector<std::string>(argv, argv + argc));
  // CLI11 would say "A subcommand is required", not which word it did not know.
  const std::string command = command_word(args);
  if (!command.empty() && !is_command(app, command)) {
    return edgefetch::cli::report_usage_error(
        "unknown command '" + command + "'" + command_suggestion(app, command) + "; the commands are " +
            command_names(app),
        edgefetch::cli::json_requested(args), edgefetch::cli::kExitUsage,
        "Run 'edgefetch --help' for usage.");
  }

  try {
    // CLI11 takes the arguments in reverse order.
    app.parse(std::vector<std::string>(args.rbegin(), args.rend() - 1));
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Every usage error says what was wrong and where to look, with our prefix.
    const CommandWords words = read_command_words(app, args);
    return edgefetch::cli::report_usage_error(parse_error_message(e, words),
                                              edgefetch::cli::json_requested(args),
                                              edgefetch::cli::kExitUsage, usage_hint(words));
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
  // The write that failed may be long past (a buffer flushed mid-report), and
  // errno with it: say what can still be known, and guess nothing.
  const bool closed = ::fcntl(STDOUT_FILENO, F_GETFD) == -1 && errno == EBADF;
  std::cerr << "edgefetch: error: output_failed: could not write the output to standard output"
            << (closed ? " (it is closed)" : "") << "; the report is incomplete or missing\n";
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
