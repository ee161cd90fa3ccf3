#pragma once
// Checks on option values shared by the commands, with messages that say what
// is wrong with the value and what to give instead. CLI11's own Range check
// says "Value abc not in range 1 to 10" for a value that is not a number at
// all, which reads as if the number were merely too big.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace edgefetch::cli {

/// A whole number from `lowest` to `highest` inclusive ("INT in [lowest - highest]" in --help).
CLI::Validator whole_number_in(int lowest, int highest);

/// Refuses "" (as `--host-header ""` from an unset shell variable would give),
/// which would otherwise silently mean the default.
CLI::Validator not_empty(const std::string& what_to_give);

/// "unknown profile 'NAME'; known profiles: ... (see 'edgefetch ciphers profiles')", each
/// profile with its aliases ("CloudFront-Upstream-2025 (alias cloudfront-2025)"), so that a
/// name the docs use is found in the list.
std::string unknown_profile_message(const std::string& name);

/// Why `path` cannot be read: the system's reason ("No such file or
/// directory", "Permission denied") or "it is a directory"; nullopt when it can
/// be opened for reading.
std::optional<std::string> unreadable_file(const std::string& path);

/// Why `path` cannot become an output file, found without touching it (no
/// file is created or truncated): "it is a directory", the system's reason, or
/// that its directory is missing or not writable; nullopt when it can be.
std::optional<std::string> unwritable_file(const std::string& path);

/// Why an origin name that ends with a dot ("origin.test.") is refused;
/// nullopt for any other. The edge sends the origin's name as SNI, which
/// carries no trailing dot (RFC 6066 §3), and checks the certificate for it.
std::optional<std::string> trailing_dot_problem(std::string_view host);

}  // namespace edgefetch::cli
