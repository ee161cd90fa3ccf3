#pragma once
// One viewer connection: reads request heads one at a time, hands each to the
// proxy (proxy_request.hpp), and keeps the connection alive or closes it.

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "edge_state.hpp"

namespace edgefetch::edge {

/// Spawns the connection's coroutine on the server's io_context.
void start_viewer_connection(std::shared_ptr<EdgeServer::State> state, boost::asio::ip::tcp::socket socket,
                             bool tls);

}  // namespace edgefetch::edge
