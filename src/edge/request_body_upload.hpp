#pragma once
// A viewer request's body on its way to the origin: streamed through one
// bounded buffer, never held whole.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <variant>

#include "edgefetch/edge/request_checks.hpp"
#include "edgefetch/origin/client.hpp"
#include "viewer_answer.hpp"

namespace edgefetch::edge {

/// The whole body went to the origin; its answer is read next.
struct BodySent {};
/// The origin answered before it had taken the whole body (a 413, a 403) and
/// closed: that answer is the viewer's, not a 502. The rest of the viewer's
/// body is unread, so the viewer connection cannot carry another request.
struct OriginAnsweredEarly {
  const origin::ResponseHead* head = nullptr;
};
/// The viewer has its answer (an error page) or is gone; the record is
/// finished and the connection closes.
struct BodyUploadEnded {};
using BodyUpload = std::variant<BodySent, OriginAnsweredEarly, BodyUploadEnded>;

/// Sends the body the parser's head announced (`framing`), read from `input`
/// and the viewer's stream, to the origin exchange; answers "100 Continue"
/// first when the viewer expects it. Leaves pipelined bytes after the body in
/// `input`.
boost::asio::awaitable<BodyUpload> send_request_body(const RequestContext& request, RequestParser& parser,
                                                     const BodyFraming& framing,
                                                     boost::beast::flat_buffer& input,
                                                     origin::Exchange& exchange);

}  // namespace edgefetch::edge
