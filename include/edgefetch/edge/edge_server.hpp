#pragma once
// The edge: viewer listeners (HTTP and HTTPS), the proxy between viewers and
// origins, SIGHUP-style config reloads and SIGTERM-style draining. Everything
// runs on one io_context (one thread): connections are coroutines, nothing
// blocks, and state needs no locks.
//
// Viewer side: HTTP/1.1 with keep-alive; one request at a time per connection
// (pipelined requests wait in a bounded buffer and are answered in order);
// timeouts for an idle connection, for the request head once its first byte
// arrived, and for every body read or response write; the limits and
// smuggling checks of request_checks.hpp. Bodies stream both ways through
// fixed-size buffers: a slow viewer slows its origin read, never grows memory.
//
// Reload: requests in flight finish with the config they started with; new
// requests use the new one. Drain: listeners close, idle connections close,
// busy ones close after their current response (Connection: close); whatever
// is left after the drain timeout is closed, then the drained callback runs.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/config/distribution.hpp"
#include "edgefetch/edge/access_log.hpp"
#include "edgefetch/edge/metrics.hpp"
#include "edgefetch/net/resolve.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::crypto {
class TrustStore;
}

namespace edgefetch::edge {

struct ViewerTimeouts {
  std::chrono::seconds idle{60};    // keep-alive connection waiting for its next request
  std::chrono::seconds header{20};  // the whole request head, from its first byte (and the TLS handshake)
  std::chrono::seconds io{60};      // longest stall reading a request body or writing a response
  /// A WebSocket tunnel with no byte moving either way is closed after this.
  std::chrono::seconds websocket_idle{600};
};

struct Listener {
  boost::asio::ip::tcp::endpoint endpoint;
  bool tls = false;
};

/// How the edge reaches and trusts origins: command-line settings that a
/// config reload does not change.
struct OriginAccess {
  const policy::Profile* profile = nullptr;               // nullptr: the default profile
  std::shared_ptr<const crypto::TrustStore> trust_store;  // nullptr: the system store
  std::vector<net::ResolveOverride> resolve_overrides;
};

class EdgeServer {
 public:
  struct Options {
    std::vector<Listener> listeners;  // port 0: any free port (see listening())
    std::string cert_file;            // PEM chain for TLS listeners
    std::string key_file;             // PEM private key for TLS listeners
    OriginAccess origin_access;
    ViewerTimeouts timeouts;
    std::chrono::seconds drain_timeout{30};
    std::size_t max_connections = 10000;    // further viewers are accepted and closed at once
    std::shared_ptr<Metrics> metrics;       // optional
    std::shared_ptr<AccessLog> access_log;  // optional
    /// Diagnostics for the operator (reload results, listener errors); one line each.
    std::function<void(std::string_view)> log;
  };

  /// Binds every listener (errors name the address) and starts accepting.
  static base::Expected<std::unique_ptr<EdgeServer>, std::string> start(
      boost::asio::io_context& io, Options options, std::shared_ptr<const config::DistributionConfig> config);
  ~EdgeServer();
  EdgeServer(const EdgeServer&) = delete;
  EdgeServer& operator=(const EdgeServer&) = delete;

  /// The bound addresses, in the order of Options::listeners.
  [[nodiscard]] std::vector<Listener> listening() const;

  /// New requests use `config` from now on (it must have passed validation).
  void reload(std::shared_ptr<const config::DistributionConfig> config);

  /// Starts draining; `drained` runs (on the io_context) once every viewer
  /// connection is closed, at the latest just after Options::drain_timeout
  /// (requests still waiting on their origins then are abandoned).
  void drain(std::function<void()> drained);
  [[nodiscard]] bool draining() const;

  /// Viewer connections open now.
  [[nodiscard]] std::size_t connection_count() const;

  struct State;

 private:
  explicit EdgeServer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace edgefetch::edge
