#pragma once
// The bytes of a WebSocket connection between a viewer and an origin, after
// the origin's 101: relayed both ways as they come, unparsed (the frames are
// the endpoints' business). When a side closes its sending half (FIN, or a
// TLS viewer's close_notify) the other direction goes on, so an answer sent
// after a half-close (the close frame RFC 6455 5.5.1 owes) still arrives; the
// half-close is passed on where the other side's transport allows one (plain
// TCP: ViewerStream/OriginTunnel::half_close()). An origin's close reaches a
// TLS viewer as the end of the relay (close_notify and FIN), since libssl
// cannot half-close under a pending read. The relay ends when both directions
// have ended, when either side fails or resets, or when no byte moves either
// way for the idle timeout.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>

#include "edgefetch/origin/client.hpp"
#include "viewer_stream.hpp"

namespace edgefetch::edge {

struct RelayResult {
  std::uint64_t viewer_to_origin = 0;  // bytes
  std::uint64_t origin_to_viewer = 0;
};

/// Relays until the connection ends (see above), on `executor` (the viewer's). `viewer_input` holds what the
/// viewer sent after the upgrade request; it goes to the origin first. On
/// return no operation is pending on either stream: the origin side is
/// closed, the viewer side is left for the caller to close gracefully.
boost::asio::awaitable<RelayResult> relay_websocket(const boost::asio::any_io_executor& executor,
                                                    detail::ViewerStream& viewer,
                                                    boost::beast::flat_buffer& viewer_input,
                                                    origin::OriginTunnel& origin,
                                                    std::chrono::steady_clock::duration idle_timeout);

}  // namespace edgefetch::edge
