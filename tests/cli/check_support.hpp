#pragma once
// Shared by the `edgefetch check` CLI tests: running the binary against a local
// origin (origin.test pinned to 127.0.0.1 with --resolve, the test PKI as the
// trust store, --json), reading the JSON report, and certificates the test PKI
// does not have (made with the openssl command and the PKI's CA keys).

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_support.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {

inline constexpr int kExitCompatible = 0;
inline constexpr int kExitIncompatible = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;

struct CheckRun {
  RunResult run;
  nlohmann::json doc;  // the --json document (discarded when the output was not JSON)
};

/// The `openssl s_server` origins of one test, stopped with it.
class LocalOrigins {
 public:
  /// Starts one; its port, or 0 with a test failure (not a skip) when it cannot start.
  std::uint16_t serve(support::OpenSslServerOptions options);

 private:
  std::vector<support::OpenSslServer> servers_;
};

/// `edgefetch check origin.test:PORT --resolve origin.test:PORT:127.0.0.1 --ca-file <test CA> --json
/// <extra>`; expects `expected_exit` (adds a failure with the output otherwise).
CheckRun run_check(std::uint16_t port, const std::vector<std::string>& extra, int expected_exit,
                   std::string_view host = support::kOriginName);

/// Runs edgefetch with `args` as given; expects `expected_exit`; parses stdout as JSON when it is.
CheckRun run_check_args(const std::vector<std::string>& args, int expected_exit,
                        std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// The reason codes of a single-origin report, in order.
std::vector<std::string> reason_codes(const nlohmann::json& report);
/// The warning codes.
std::vector<std::string> warning_codes(const nlohmann::json& report);
/// The OpenSSL names of the suites a version accepted ("TLSv1.2").
std::vector<std::string> suites_of(const nlohmann::json& report, const std::string& version);
/// The accepted version names, lowest first.
std::vector<std::string> accepted_versions(const nlohmann::json& report);
/// Group names in supported.groups.
std::vector<std::string> group_names(const nlohmann::json& report);
/// The reason with `code`, or null.
nlohmann::json reason(const nlohmann::json& report, std::string_view code);

bool contains(const std::vector<std::string>& items, std::string_view item);
bool contains_text(std::string_view haystack, std::string_view needle);

/// A leaf made with `openssl x509 -req`, signed by the test PKI's intermediate
/// (chain = leaf + intermediate) or by its root (chain = leaf only).
struct MadeLeaf {
  support::LeafFiles files;
  std::string error;  // empty on success
};
enum class Signer { intermediate, root };
/// `extra_extensions`: more lines of the openssl extension file (e.g. a large private extension);
/// `digest`: the signature's hash, as `openssl x509 -req -<digest>` takes it.
MadeLeaf make_leaf(const support::ScratchDir& dir, std::string_view name, std::string_view dns_name, int days,
                   Signer signer = Signer::intermediate, std::string_view key_spec = "rsa:2048",
                   std::string_view extra_extensions = "", std::string_view digest = "sha256");

}  // namespace edgefetch::cli_test
