#pragma once
// Each subcommand registers itself on the app and writes its exit code into
// the shared slot when its callback runs. Exit codes (README, --help):
//   0 success, 1 TLS/certificate failure (get) or incompatible (check),
//   2 usage error, 3 connection failure/timeout/unreachable, 4 local failure
//   (output not written) or internal error.

#include <CLI/CLI.hpp>

namespace edgefetch::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitTlsFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitConnection = 3;
inline constexpr int kExitInternal = 4;

void register_ciphers_command(CLI::App& app, int& exit_code);
void register_get_command(CLI::App& app, int& exit_code);
void register_check_command(CLI::App& app, int& exit_code);
void register_serve_command(CLI::App& app, int& exit_code);

}  // namespace edgefetch::cli
