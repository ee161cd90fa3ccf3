#pragma once
// The edge's rewriting of requests on their way to the origin and of
// responses on their way back (facts 5.1, 5.2, 5.4):
//
// Origin request: hop-by-hop fields and the ones the viewer's Connection lists
// are removed, as are Expect, X-Amz-Cf-Id, X-Edge-* and CloudFront-* (the
// edge's own); Host is the route's (the viewer's when forwarded, else the
// origin's DomainName). The behavior's ForwardingRules decide the rest:
//   - Content-Type, Content-Encoding, Content-MD5, the If-* conditionals, Range
//     and Request-Range always go through (edgefetch has no cache: the origin
//     answers them as the CDN would from its cache);
//   - User-Agent goes through when named, else it is "Amazon CloudFront";
//   - Cookie: all, none, or the named pairs sorted by name, in one field;
//   - Accept-Encoding: normalized to "br,gzip" / "gzip" / "br" (or removed)
//     under a cache policy that enables a coding or under legacy settings that
//     do not name it; otherwise forwarded when named;
//   - Authorization: when named; under legacy settings also for methods other
//     than GET and HEAD (and OPTIONS when OPTIONS responses are cached);
//   - Accept, Accept-Charset, Accept-Language, Referer, X-Forwarded-Proto,
//     X-HTTP-Method-Override and X-Real-IP: only when named;
//   - Sec-WebSocket-* on a WebSocket upgrade, whatever the rules;
//   - any other field: when named, or under legacy settings.
// Via gets "<viewer HTTP version> <host id>.cloudfront.net (CloudFront)"
// appended; X-Forwarded-For gets the viewer's IP appended; the CloudFront-*
// headers the rules ask for and the edge can write follow the viewer's
// fields; X-Amz-Cf-Id is the request id; the origin's CustomHeaders are added,
// replacing viewer (and generated) fields of the same name. Connection and
// the body framing are the origin client's.
//
// Viewer response: hop-by-hop fields and Connection-listed ones are removed,
// and so is an origin's X-Edgefetch-Origin-Error (the edge's own reason
// code); Set-Cookie and Vary are filtered by what the behavior forwards; Via
// is set, with the viewer's HTTP version; X-Cache, X-Amz-Cf-Pop and
// X-Amz-Cf-Id are added; the body is framed for the viewer (the origin's
// Content-Length when it sent one, else chunked for HTTP/1.1 viewers, else
// delimited by closing the connection).

#include <boost/beast/http/message.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgefetch/edge/request_checks.hpp"
#include "edgefetch/edge/routing.hpp"
#include "edgefetch/origin/client.hpp"

namespace edgefetch::edge {

/// Who the edge is, in the fields it adds.
struct EdgeIdentity {
  std::string host_id;          // 32 hex characters (make_host_id)
  std::string pop = "EFX1-C1";  // X-Amz-Cf-Pop / x-edge-location

  /// "1.1 <host_id>.cloudfront.net (CloudFront)" with the given HTTP version text
  /// (the viewer's, in either direction).
  [[nodiscard]] std::string via(std::string_view version) const;
  /// The same appended to `out`, a std::string or a base::StringAppender (no
  /// temporary: it is in every request and response).
  template <class Out>
  void append_via(Out& out, std::string_view version) const {
    out.append(version).append(" ").append(host_id).append(".cloudfront.net (CloudFront)");
  }
};

struct ViewerInfo {
  std::string ip;         // from the TCP connection
  unsigned version = 11;  // 10 or 11
  bool https = false;
  bool websocket = false;  // a WebSocket upgrade (is_websocket_upgrade): asked of the origin too
  /// For the CloudFront-* headers a behavior may ask for. The views must
  /// outlive make_origin_request().
  std::uint16_t port = 0;            // the viewer's TCP source port
  std::string_view tls_version{};    // "TLSv1.3"; empty for plain HTTP
  std::string_view tls_cipher{};     // OpenSSL's name
  std::string_view tls_handshake{};  // "fullHandshake", "sessionResumed" or "connectionReused"
};

origin::RequestHead make_origin_request(const boost::beast::http::request_header<>& viewer,
                                        const Route& route, const ViewerInfo& info,
                                        const BodyFraming& framing, std::string_view request_id,
                                        const EdgeIdentity& identity);

enum class ViewerBodyFraming { none, content_length, chunked, close_delimited };

struct ViewerResponse {
  std::string head;  // status line, fields, final CRLF
  ViewerBodyFraming framing = ViewerBodyFraming::none;
  bool keep_alive = false;  // the connection stays open after this response
  std::optional<std::uint64_t> content_length;
  /// The Content-Type sent: a view of the origin response's field (valid as
  /// long as that response head) or of a static text. Not copied: the access
  /// log keeps its own copy, if it logs.
  std::string_view content_type;
};

/// The viewer's response head for an origin response. `keep_alive` is whether
/// the viewer connection may stay open (the viewer asked for it and the edge
/// is not draining); close-delimited framing turns it off. `rules`, the
/// behavior's, filter the origin's fields as the CDN does (facts 5.4): a
/// behavior that forwards no cookies drops Set-Cookie (legacy Cookies.Forward
/// none), and Vary keeps Accept-Encoding, Cookie, '*' and the headers the
/// behavior forwards (User-Agent also when it forwards a device-detection
/// header), in one field, or none when nothing is left. Without rules the
/// fields go as the origin sent them.
ViewerResponse make_viewer_response(const origin::ResponseHead& response, bool head_request,
                                    unsigned viewer_version, bool keep_alive, std::string_view request_id,
                                    const EdgeIdentity& identity,
                                    const config::ForwardingRules* rules = nullptr);

/// The viewer's `101 Switching Protocols` head for an origin's 101 to a
/// WebSocket upgrade: the origin's end-to-end fields (Sec-WebSocket-Accept,
/// -Protocol, -Extensions, ...), `Upgrade: websocket`, `Connection: Upgrade`
/// and the edge's Via, X-Amz-Cf-Pop and X-Amz-Cf-Id. No body framing: the
/// connection carries the WebSocket protocol from the next byte on.
/// `rules` as for make_viewer_response().
std::string make_switching_protocols_head(const origin::ResponseHead& response, std::string_view request_id,
                                          const EdgeIdentity& identity,
                                          const config::ForwardingRules* rules = nullptr);

/// A response the edge generates itself (errors, redirects): an HTML body with
/// Content-Length. `origin_error` (if not empty) goes into X-Edgefetch-Origin-Error.
struct GeneratedResponse {
  int status = 502;
  std::string reason_sentence;
  std::string origin_error;
  std::string location;  // for 3xx
};
ViewerResponse make_generated_response(const GeneratedResponse& response, bool head_request,
                                       unsigned viewer_version, bool keep_alive, std::string_view request_id,
                                       const EdgeIdentity& identity, std::string* body);

}  // namespace edgefetch::edge
