#include "request_head.hpp"

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/base/string_appender.hpp"
#include "errors.hpp"

namespace edgefetch::origin {
namespace {

base::Unexpected<FetchError> invalid(std::string message) {
  return base::unexpected(make_error(FailureKind::invalid_request, Phase::setup, std::move(message)));
}

}  // namespace

bool is_client_managed_header(std::string_view name) {
  // The names that frame the message or steer the connection. Keep-Alive and
  // Expect are not among them: the CDN accepts both as origin custom headers
  // and sends them, and the client reads a 100 Continue that Expect may bring.
  // (The edge drops a viewer's own Keep-Alive and Expect before this.)
  // By length first: most forwarded names match none of these lengths.
  switch (name.size()) {
    case 2:
      return base::iequals(name, "TE");
    case 7:
      return base::iequals(name, "Trailer") || base::iequals(name, "Upgrade");
    case 10:
      return base::iequals(name, "Connection");
    case 14:
      return base::iequals(name, "Content-Length");
    case 16:
      return base::iequals(name, "Proxy-Connection");
    case 17:
      return base::iequals(name, "Transfer-Encoding");
    default:
      return false;
  }
}

bool is_retryable_method(std::string_view method) {
  return method == "GET" || method == "HEAD";
}

base::Expected<std::string, FetchError> serialize_request_head(const RequestHead& head) {
  // Every check stays here, on the one path to the wire: the edge builds its
  // heads from parsed viewer requests, but `edgefetch get` and library users
  // hand in whatever they were given.
  if (!base::is_http_token(head.method)) return invalid("'" + head.method + "' is not a valid HTTP method");
  if (head.target.empty() || (head.target.front() != '/' && head.target != "*")) {
    return invalid("the request target must start with '/'");
  }
  if (!base::is_visible_ascii(head.target)) {
    return invalid("the request target contains a space or control character");
  }
  if (head.chunked && head.content_length) {
    return invalid("a request body is either chunked or has a Content-Length, not both");
  }
  if (head.websocket_upgrade &&
      (head.method != "GET" || head.chunked || head.content_length.value_or(0) > 0)) {
    return invalid("a WebSocket upgrade is a GET request without a body (RFC 6455 4.1)");
  }
  int hosts = 0;
  std::size_t fields_size = 0;
  for (const auto& header : head.headers) {
    if (!base::is_http_token(header.name)) return invalid("'" + header.name + "' is not a valid header name");
    if (!base::is_field_value(header.value)) {
      return invalid("the value of header '" + header.name + "' contains a line break or control character");
    }
    if (is_client_managed_header(header.name)) {
      return invalid("header '" + header.name +
                     "' is managed by the origin client (connection and body framing); leave it out");
    }
    if (header.name.size() == 4 && base::iequals(header.name, "Host")) ++hosts;
    fields_size += header.name.size() + header.value.size() + 4;
  }
  if (hosts != 1) {
    return invalid("the request needs exactly one Host header, it has " + std::to_string(hosts));
  }

  // Request line, fields, Connection, framing (at most 16 + 20 + 2), end of head.
  static constexpr std::string_view kConnection = "Connection: Keep-Alive\r\n";
  static constexpr std::string_view kUpgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\n";
  std::string out;
  {
    base::StringAppender text(
        out, head.method.size() + head.target.size() + 12 + fields_size + kUpgrade.size() + 40 + 2);
    text.append(head.method).append(' ').append(head.target).append(" HTTP/1.1\r\n");
    for (const auto& header : head.headers) text.append_field(header.name, header.value);
    text.append(head.websocket_upgrade ? kUpgrade : kConnection);
    if (head.chunked) {
      text.append("Transfer-Encoding: chunked\r\n");
    } else if (head.content_length) {
      text.append("Content-Length: ").append_decimal(*head.content_length).append("\r\n");
    }
    text.append("\r\n");
  }
  return out;
}

}  // namespace edgefetch::origin
