#pragma once
// What the parts of one proxied request share (the server, the viewer's
// stream, the log record, how the viewer asked), and the answers the edge
// writes itself: error pages, refusals, redirects.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "edge_state.hpp"
#include "edgefetch/edge/message_rewrite.hpp"
#include "edgefetch/origin/client.hpp"
#include "request_record.hpp"
#include "viewer_stream.hpp"

namespace edgefetch::edge {

struct RequestContext {
  EdgeServer::State& state;
  detail::ViewerStream& stream;
  RequestRecord& record;
  std::string_view request_id;
  bool head_request = false;  // a HEAD: no answer carries a body
  unsigned version = 11;      // the viewer's HTTP version: 10 or 11
};

/// Writes a response the edge generated and finishes the record with its
/// status. `keep_alive`: the request allows another after it on this
/// connection. Whether the connection may carry another request: false when
/// `keep_alive` is, when the edge is draining (the answer says
/// `Connection: close`) or when the viewer is gone.
boost::asio::awaitable<bool> send_generated(const RequestContext& request, const GeneratedResponse& generated,
                                            bool keep_alive);

/// The CDN's answer to an origin failure: its status (502 or 504, facts 4.1)
/// and sentence, carrying edgefetch's reason code.
GeneratedResponse origin_error_response(const origin::FetchError& error);

}  // namespace edgefetch::edge
