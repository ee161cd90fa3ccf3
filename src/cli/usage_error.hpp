#pragma once
// Errors found before any work starts (a bad flag, a bad value, a config that
// does not load): the message on stderr as always, and with --json also one
// JSON object on stdout, so that a CI job parsing stdout reads why the command
// failed instead of failing on an empty document.
//
//   {"error": {"code": "usage_error", "message": "..."}}
//
// The code is "usage_error" for exit code 2 and "internal_error" for 4.

#include <string>
#include <string_view>
#include <vector>

namespace edgefetch::cli {

/// Prints the error (stderr, and stdout when `json`) and returns `exit_code`.
/// `hint` (e.g. "Run 'edgefetch --help' for usage.") goes to stderr only.
int report_usage_error(std::string_view message, bool json, int exit_code, std::string_view hint = {});

/// Whether the command line asks for JSON: a "--json" before any "--" (after
/// which words are operands). Used when the parser itself failed, so the
/// command's own flag was never set.
bool json_requested(const std::vector<std::string>& args);

}  // namespace edgefetch::cli
