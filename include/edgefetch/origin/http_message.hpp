#pragma once
// The HTTP message parts the origin layer hands around: a header field, and a
// response's status line, fields and framing as the origin sent them. Apart
// from the client so the response parser (and its fuzz harness) need nothing
// of Asio's coroutines.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgefetch::origin {

struct Header {
  std::string name;
  std::string value;
};

struct ResponseHead {
  unsigned version = 11;  // 10 or 11
  unsigned status = 0;
  std::string reason;
  std::vector<Header> headers;  // as received, in order, hop-by-hop ones included
  /// The response body's framing as received.
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  /// True when body bytes follow the head (read_body until it returns 0):
  /// false for HEAD requests, 204, 304 and Content-Length: 0.
  bool has_body = false;
  /// The origin allows the connection to be reused after this response.
  bool keep_alive = false;
};

/// True when chunked framing a parser is waiting on (`unparsed`: the bytes
/// it has not consumed, a chunk header or the trailer section) has a line
/// ended by a bare LF. Beast looks for CRLF and skips a bare LF as an ordinary
/// byte, so such a body would wait for a CRLF that never comes. For requests
/// (the edge's viewers) and responses (origins) alike.
bool chunk_framing_has_bare_lf(std::string_view unparsed);

}  // namespace edgefetch::origin
