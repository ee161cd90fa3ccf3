#pragma once
// Starting a server child on a free loopback port, with retries when another
// process takes the port between our probe and the server's bind.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/deadline.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::support {

struct LaunchedServer {
  ChildProcess child;
  std::uint16_t port = 0;
};

/// Spawns `make_argv(port)` with stdout/stderr in `dir` (stdout.log, stderr.log) and
/// waits until it listens on the port. Retries with a new port (up to `attempts`)
/// when the child exits before listening and its stderr mentions the address
/// being in use; any other early exit is returned as an error with the stderr.
base::Expected<LaunchedServer, std::string> launch_on_free_port(
    const ScratchDir& dir, const std::function<std::vector<std::string>(std::uint16_t port)>& make_argv,
    std::chrono::milliseconds start_timeout = std::chrono::seconds(10), int attempts = 5,
    std::vector<std::pair<std::string, std::string>> environment = {});

/// "command line\n--- stdout ---\n...\n--- stderr ---\n..." for failure messages.
std::string describe_logs(const ChildProcess& child);

}  // namespace edgefetch::support
