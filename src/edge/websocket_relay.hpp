#pragma once
// The bytes of a WebSocket connection between a viewer and an origin, after
// the origin's 101: relayed both ways as they come, unparsed (the frames are
// the endpoints' business). It ends as nginx's relay of upgraded connections
// does: when either side closes or fails, what was read from it has already
// been written to the other, and both are closed; or when no byte moves
// either way for the idle timeout.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "edgefetch/origin/client.hpp"
#include "viewer_stream.hpp"

namespace edgefetch::edge {

enum class RelayEnd {
  viewer_closed,  // the viewer closed its side (or its connection failed)
  origin_closed,  // the origin closed its side (or its connection failed)
  idle_timeout,   // no byte either way for the idle timeout
};

std::string_view relay_end_name(RelayEnd end);

struct RelayResult {
  RelayEnd end = RelayEnd::viewer_closed;
  std::uint64_t viewer_to_origin = 0;  // bytes
  std::uint64_t origin_to_viewer = 0;
};

/// Relays until the connection ends (see above). `viewer_input` holds what the
/// viewer sent after the upgrade request; it goes to the origin first. On
/// return no operation is pending on either stream: the origin side is
/// closed, the viewer side is left for the caller to close gracefully.
boost::asio::awaitable<RelayResult> relay_websocket(detail::ViewerStream& viewer,
                                                    boost::beast::flat_buffer& viewer_input,
                                                    origin::OriginTunnel& origin,
                                                    std::chrono::steady_clock::duration idle_timeout);

}  // namespace edgefetch::edge
