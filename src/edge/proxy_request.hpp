#pragma once
// One viewer request through the edge: checks, routing, the origin exchange,
// the streamed response, the access log line and the metrics.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "edge_state.hpp"
#include "viewer_connection_info.hpp"
#include "viewer_stream.hpp"

namespace edgefetch::edge {

/// The request whose head (head_size bytes at the front of `input`) has
/// arrived. Consumes the head and the body from `input`; leaves pipelined
/// bytes after it. Returns true when the connection may carry another request.
boost::asio::awaitable<bool> proxy_request(EdgeServer::State& state, detail::ViewerStream& stream,
                                           boost::beast::flat_buffer& input, std::size_t head_size,
                                           const ViewerConnectionInfo& connection,
                                           std::chrono::steady_clock::time_point head_started);

/// Answers a request whose head was refused before parsing (scan problems)
/// and logs it. The connection then closes.
boost::asio::awaitable<void> refuse_request(EdgeServer::State& state, detail::ViewerStream& stream,
                                            const ViewerConnectionInfo& connection, int status,
                                            std::string_view reason,
                                            std::chrono::steady_clock::time_point head_started);

}  // namespace edgefetch::edge
