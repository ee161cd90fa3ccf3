// Placeholder until the `ciphers` command lands.
#include "commands.hpp"

namespace edgefetch::cli {
void register_ciphers_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("ciphers", "Show the origin policy's tables");
  cmd->callback([&exit_code] { exit_code = kExitOk; });
}
}  // namespace edgefetch::cli
