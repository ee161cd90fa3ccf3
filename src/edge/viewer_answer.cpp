#include "viewer_answer.hpp"

#include <array>
#include <boost/asio/buffer.hpp>
#include <span>
#include <string>

#include "edgefetch/edge/error_page.hpp"
#include "edgefetch/net/send_now.hpp"

namespace edgefetch::edge {
namespace asio = boost::asio;

asio::awaitable<bool> send_generated(const RequestContext& request, const GeneratedResponse& generated,
                                     bool keep_alive) {
  RequestRecord& record = request.record;
  std::string body;
  // Draining is checked now, not when the request came: a drain that began
  // while the origin was awaited closes this connection after the answer.
  const ViewerResponse response = make_generated_response(generated, request.head_request, request.version,
                                                          keep_alive && !request.state.draining,
                                                          request.request_id, request.state.identity, &body);
  record.entry().sc_content_type = response.content_type;
  record.entry().sc_content_len = response.content_length;
  if (!generated.location.empty()) record.entry().x_edge_result_type = "Redirect";
  std::array<asio::const_buffer, 2> buffers{asio::buffer(response.head), asio::buffer(body)};
  record.first_byte();
  request.stream.expires_after(request.state.options.timeouts.io);
  boost::system::error_code ec;
  std::span<asio::const_buffer> rest(buffers);
  net::consume_front(rest, request.stream.write_now(rest, ec));  // what the socket takes at once
  if (!ec && !rest.empty()) {
    co_await request.stream.write(rest, ec);
  }
  if (!ec) record.sent(response.head.size() + body.size());
  record.finish(ec ? 0 : generated.status);
  co_return !ec && response.keep_alive;
}

GeneratedResponse origin_error_response(const origin::FetchError& error) {
  const int status = error.cdn_status();
  return GeneratedResponse{status, std::string(origin_failure_sentence(status)), error.code(), {}};
}

}  // namespace edgefetch::edge
