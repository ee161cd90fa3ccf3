// Placeholder until the `get` command lands (issue 3).
#include "commands.hpp"

namespace edgefetch::cli {
void register_get_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("get", "Fetch one URL from an origin as the edge would (not yet available)");
  cmd->callback([&exit_code] { exit_code = kExitInternal; });
}
}  // namespace edgefetch::cli
