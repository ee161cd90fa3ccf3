#pragma once
// EdgeServer's shared state (private to src/edge): what every viewer
// connection needs, owned by the server and kept alive by the connections.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "edgefetch/edge/edge_server.hpp"
#include "edgefetch/edge/message_rewrite.hpp"
#include "edgefetch/origin/client.hpp"

namespace edgefetch::edge {

/// One origin's connection settings, computed once per config load, as the
/// targets requests use as they are (copied only to add a forwarded Host).
struct OriginPlan {
  origin::Target http;   // the origin over HTTP (HTTPPort)
  origin::Target https;  // the origin over HTTPS (HTTPSPort)
};

/// A loaded config and what the proxy derives from it. Requests hold the
/// snapshot they started with, so a reload never changes a request mid-way.
struct ConfigSnapshot {
  std::shared_ptr<const config::DistributionConfig> distribution;
  std::unordered_map<std::string, OriginPlan> origins;  // by origin Id
};

std::shared_ptr<const ConfigSnapshot> make_snapshot(std::shared_ptr<const config::DistributionConfig> config,
                                                    const OriginAccess& access);

/// What the server can do to a live viewer connection.
class ConnectionHandle {
 public:
  virtual ~ConnectionHandle() = default;
  /// Closes the socket now; the connection's coroutine then ends.
  virtual void close_now() = 0;
  /// True while waiting for the next request (nothing in flight).
  bool idle = true;
};

struct EdgeServer::State {
  State(boost::asio::io_context& io_context, Options opts);

  boost::asio::io_context& io;
  Options options;
  EdgeIdentity identity;
  std::shared_ptr<const ConfigSnapshot> config;
  origin::OriginClient client;
  std::optional<boost::asio::ssl::context> tls_context;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors;
  std::vector<Listener> bound;
  std::uint16_t https_port = 443;  // the first HTTPS listener's, for redirects (443 without one)
  std::unordered_set<ConnectionHandle*> connections;
  bool draining = false;
  bool stopped = false;
  std::function<void()> drained;
  boost::asio::steady_timer drain_timer;
  boost::asio::steady_timer stats_timer;

  void log(std::string_view line) const {
    if (options.log) options.log(line);
  }
  /// Called by a connection when it ends.
  void connection_closed(ConnectionHandle* connection);
  /// Runs `drained` once the last connection is gone during a drain.
  void maybe_finish_drain();
  /// Ends the drain now: `drained` runs even if connections are left.
  void finish_drain();
  void publish_pool_stats();
};

/// Accepts viewers on one acceptor until it is closed.
boost::asio::awaitable<void> accept_loop(std::shared_ptr<EdgeServer::State> state,
                                         boost::asio::ip::tcp::acceptor* acceptor, bool tls);

}  // namespace edgefetch::edge
