#pragma once
// What the edge refuses in a viewer's request head before anything reaches an
// origin. Beast parses the head; these checks cover what Beast lets through
// and what the CDN limits (facts 1.9, 5.2):
//   - the head (request line and fields) at most 20480 bytes -> 413, the URL
//     at most 8192 bytes -> 414, at most kMaxHeaderFields fields -> 431;
//   - every line ends in CRLF: a bare LF or a bare CR -> 400 (Beast accepts
//     neither, but a bare-LF head would otherwise wait for a CRLF CRLF that
//     never comes);
//   - no obs-fold (a field line starting with SP or HTAB) -> 400 (Beast
//     unfolds it; proxies that disagree on folding are a smuggling vector);
//   - Transfer-Encoding exactly "chunked", once, and never with
//     Content-Length -> 400 (Beast accepts "gzip" or "gzip, chunked");
//   - exactly one Host in HTTP/1.1 (at most one in 1.0), of the form
//     host[:port] -> 400;
//   - a target in origin-form or absolute-form, visible ASCII only -> 400;
//   - HTTP/1.0 or 1.1 only -> 505 (Beast refuses other versions first, so a
//     viewer sees 400 "bad version"; the check stays for heads built otherwise);
//   - GET or HEAD with a body -> 403 (the CDN's answer, facts 5.2).
// Every refusal closes the connection: after a malformed head the edge cannot
// know where the next request would start.

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "edgefetch/origin/http_message.hpp"

namespace edgefetch::edge {

inline constexpr std::size_t kMaxRequestHeadBytes = 20480;
inline constexpr std::size_t kMaxUrlBytes = 8192;
inline constexpr std::size_t kMaxHeaderFields = 100;

using origin::chunk_framing_has_bare_lf;

struct HeadProblem {
  int status = 400;
  std::string reason;  // one sentence, for the error page and the log
};

struct HeadScan {
  /// Bytes of the head including its final CRLF CRLF; 0 while incomplete.
  std::size_t head_size = 0;
  std::optional<HeadProblem> problem;
};

/// The bytes of empty lines (CRLF) before a request line, which a server
/// SHOULD ignore (RFC 9112 2.2: some clients send a CRLF after a POST body):
/// the caller drops them before scan_request_head(). A lone CR waits for its LF.
std::size_t leading_empty_lines(std::string_view received);

/// Looks for the end of the head in what has arrived so far (starting at the
/// request line) and checks line endings, folding, the URL length, the field
/// count and the size limit on the bytes seen.
HeadScan scan_request_head(std::string_view received);

/// Checks on the parsed head (see above). `chunked`/`content_length` are the
/// parser's view of the body framing.
std::optional<HeadProblem> check_request_head(const boost::beast::http::request_header<>& head);

/// The request's body framing as the checks accepted it.
struct BodyFraming {
  bool chunked = false;
  std::optional<std::uint64_t> content_length;
  [[nodiscard]] bool has_body() const { return chunked || (content_length && *content_length > 0); }
};

/// The parser a viewer request is read with: the head, then the body through
/// a caller's buffer.
using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

/// Reads a head that scan_request_head() found complete (`head` is exactly
/// its bytes, through the final CRLF CRLF) into `parser`, with the edge's
/// limits, and checks it: Beast's grammar, check_request_head(), and the
/// CDN's 403 for a GET or HEAD with a body (facts 5.2). Gives the framing the
/// body is read with, or why the edge refuses the request. The parser keeps
/// the head either way when it parsed (`parser.is_header_done()`), for the
/// log and for the version of the refusal.
std::variant<BodyFraming, HeadProblem> read_request_head(RequestParser& parser, std::string_view head);

/// A WebSocket opening handshake (RFC 6455 4.1) the edge relays (facts 5.2:
/// Upgrade is removed "except WebSocket"): an HTTP/1.1 GET whose Upgrade
/// field lists websocket and whose Connection field lists upgrade. Any other
/// Upgrade (h2c, or one on HTTP/1.0, where it means nothing) is dropped as a
/// hop-by-hop field and the request goes on as a plain one.
bool is_websocket_upgrade(const boost::beast::http::request_header<>& head);

}  // namespace edgefetch::edge
