// libFuzzer harness: the origin response parser (Beast's basic_parser with
// edgefetch's head and body callbacks). The input is fed in pieces of varying
// size into a small body buffer, as the origin client reads it: the head lands
// in a ResponseHead, the body is copied out, and need_buffer asks for room.
// In view mode (as read_body_view() uses it) the body is not copied: each put()
// hands out one piece that must lie inside the bytes that put() consumed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "edgefetch/origin/http_message.hpp"
#include "origin/response_parser.hpp"

using namespace edgefetch::origin;
namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // First byte: the piece size (1-64); second: bit 0 whether the request was
  // HEAD, bit 1 view mode.
  const std::size_t piece = (data[0] % 64) + 1;
  const bool head_request = (data[1] & 1) != 0;
  const bool view_mode = (data[1] & 2) != 0;
  data += 2;
  size -= 2;

  ResponseHead head;
  ResponseParser parser(head);
  parser.header_limit(20480);  // kMaxResponseHeaderBytes (origin/config.hpp needs Asio coroutines)
  parser.body_limit(1u << 20);
  parser.eager(true);
  if (head_request) parser.skip(true);
  std::array<std::uint8_t, 13> body{};
  std::size_t offset = 0;
  std::size_t available = 0;  // bytes offered but not consumed yet
  std::uint64_t body_bytes = 0;
  while (!parser.is_done()) {
    available = std::min(size - offset, available + piece);
    if (available == 0) break;
    boost::beast::error_code ec;
    std::size_t used = 0;
    if (view_mode) {
      parser.start_body_view();
      used = parser.put(boost::asio::buffer(data + offset, available), ec);
      const auto view = parser.body_view();
      if (!view.empty() &&
          (view.data() < data + offset || view.data() + view.size() > data + offset + used)) {
        __builtin_trap();  // a view outside what put() consumed
      }
      body_bytes += view.size();
    } else {
      parser.set_body_buffer(body);
      used = parser.put(boost::asio::buffer(data + offset, available), ec);
      body_bytes += body.size() - parser.body_space();
    }
    if (used > available) __builtin_trap();
    offset += used;
    available -= used;
    if (ec == http::error::need_more) {
      // Where the client asks whether stalled chunked framing has a bare LF
      // (it would otherwise wait for the read timeout).
      if (used == 0 && parser.is_header_done() && parser.chunked()) {
        static_cast<void>(
            chunk_framing_has_bare_lf({reinterpret_cast<const char*>(data + offset), available}));  // NOLINT
      }
      if (offset + available >= size) break;
      continue;
    }
    if (ec == http::error::need_buffer) continue;
    if (ec) break;
    const bool produced = view_mode ? !parser.body_view().empty() : body.size() != parser.body_space();
    if (used == 0 && !produced && offset + available >= size) break;
  }
  if (parser.is_header_done()) {
    if (head.status < 100 || head.status > 999) __builtin_trap();
    if (head.version != 10 && head.version != 11) __builtin_trap();
    if (head_request && body_bytes != 0) __builtin_trap();
  }
  if (body_bytes > size) __builtin_trap();
  return 0;
}
