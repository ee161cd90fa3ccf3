#pragma once
// The origin's answer on its way to the viewer: the rewritten head, then the
// body streamed from where the origin connection decrypted it; or, for an
// accepted WebSocket upgrade, the connection's bytes both ways.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "edgefetch/origin/client.hpp"
#include "viewer_answer.hpp"

namespace edgefetch::edge {

/// Streams the origin's response (`head`, read from `exchange`, and its body)
/// to the viewer and finishes the record. `keep_alive`: whether the viewer's
/// request allows another after it. `rules`: the behavior's, which filter the
/// origin's fields (make_viewer_response). Returns true when the viewer
/// connection may carry another request.
boost::asio::awaitable<bool> relay_response(const RequestContext& request, origin::Exchange& exchange,
                                            const origin::ResponseHead& head, bool keep_alive,
                                            const config::ForwardingRules& rules);

/// The origin accepted a WebSocket upgrade (`head` is its 101): the 101 to
/// the viewer, then the connection's bytes both ways (starting with what
/// `input` holds) until it ends. The log line is written then, with the bytes
/// relayed and the whole connection's time. The viewer connection ends with it.
boost::asio::awaitable<void> relay_switched_protocols(const RequestContext& request,
                                                      boost::beast::flat_buffer& input,
                                                      origin::Exchange& exchange,
                                                      const origin::ResponseHead& head,
                                                      const config::ForwardingRules& rules);

}  // namespace edgefetch::edge
