#include "edgefetch/edge/request_checks.hpp"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <cctype>
#include <limits>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/edge/http_fields.hpp"

namespace edgefetch::edge {
namespace http = boost::beast::http;

namespace {

// The request-target's length in a request line (method SP request-target SP
// HTTP-version), or in the part of one that has arrived: what lies between the
// first and the last space, or everything after the first space when there is
// only one. For a partial line that is a lower bound of the final figure, so
// the verdict does not depend on how the line arrived.
std::size_t request_target_size(std::string_view line) {
  const auto first_space = line.find(' ');
  if (first_space == std::string_view::npos) return 0;
  const auto last_space = line.rfind(' ');
  return (last_space > first_space ? last_space : line.size()) - first_space - 1;
}

HeadScan problem(int status, std::string reason) {
  return HeadScan{0, HeadProblem{status, std::move(reason)}};
}

}  // namespace

HeadScan scan_request_head(std::string_view received) {
  // Walk line by line over what has arrived.
  std::size_t line_start = 0;
  std::size_t lines = 0;
  while (true) {
    const auto lf = received.find('\n', line_start);
    if (lf == std::string_view::npos) {
      const std::string_view partial = received.substr(line_start);
      const auto cr = partial.find('\r');
      if (cr != std::string_view::npos && cr + 1 < partial.size()) {
        return problem(400, "The request contains a bare CR.");
      }
      if (lines == 0 && request_target_size(partial) > kMaxUrlBytes) {
        return problem(414, "The request URL is longer than 8192 bytes.");
      }
      if (received.size() >= kMaxRequestHeadBytes) {
        return problem(413, "The request line and headers are larger than 20480 bytes.");
      }
      return {};
    }
    if (lf == line_start || received[lf - 1] != '\r') {
      return problem(400, "The request contains a line that does not end in CRLF.");
    }
    const std::string_view line = received.substr(line_start, lf - 1 - line_start);
    if (line.find('\r') != std::string_view::npos) return problem(400, "The request contains a bare CR.");
    if (lf + 1 > kMaxRequestHeadBytes) {
      return problem(413, "The request line and headers are larger than 20480 bytes.");
    }
    if (lines == 0) {
      if (request_target_size(line) > kMaxUrlBytes) {
        return problem(414, "The request URL is longer than 8192 bytes.");
      }
    } else if (line.empty()) {
      return HeadScan{lf + 1, std::nullopt};
    } else if (line.front() == ' ' || line.front() == '\t') {
      return problem(400, "The request contains a folded header line (obs-fold).");
    } else if (lines > kMaxHeaderFields) {
      return problem(431, "The request has more than 100 header fields.");
    }
    ++lines;
    line_start = lf + 1;
  }
}

namespace {

bool is_reg_name_char(char c) {
  // RFC 3986 reg-name: unreserved, sub-delims and '%' of pct-encoded.
  static constexpr std::string_view kOther = "-._~!$&'()*+,;=%";
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         kOther.find(c) != std::string_view::npos;
}

// RFC 9112 3.2 asks for a 400 when Host is not uri-host [":" port]. The edge
// puts Host into the https:// redirect and, when the behavior forwards it,
// into the origin request, the SNI and the certificate check: "a b" or
// "evil.com/x?" there would build a wrong URL or blame the origin's
// certificate (cert_name_mismatch) for the viewer's mistake.
bool is_valid_host(std::string_view host) {
  if (host.empty()) return false;
  std::string_view name = host;
  std::string_view port;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    const std::string_view literal = host.substr(1, close - 1);
    const bool ok = std::all_of(literal.begin(), literal.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    });
    if (!ok) return false;
    name = {};
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (port.empty()) return false;
    }
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
    if (port.empty()) return false;
  }
  if (host.front() != '[' && (name.empty() || !std::all_of(name.begin(), name.end(), is_reg_name_char))) {
    return false;
  }
  if (!port.empty()) {
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
    unsigned value = 0;
    for (const char c : port) value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > 65535) return false;
  }
  return true;
}

// Two spellings of one authority: a host's name in any case, the scheme's
// default port written or not (RFC 9110 4.2.3: "http://a:80/" is "http://a/").
bool same_authority(std::string_view a, std::string_view b, std::string_view default_port) {
  const auto without_default_port = [default_port](std::string_view authority) {
    if (authority.size() > default_port.size() &&
        iequals(authority.substr(authority.size() - default_port.size()), default_port)) {
      authority.remove_suffix(default_port.size());
    }
    return authority;
  };
  return iequals(without_default_port(a), without_default_port(b));
}

}  // namespace

std::size_t leading_empty_lines(std::string_view received) {
  std::size_t skipped = 0;
  while (received.substr(skipped, 2) == "\r\n") skipped += 2;
  return skipped;
}

std::optional<HeadProblem> check_request_head(const http::request_header<>& head) {
  if (head.version() != 10 && head.version() != 11) {
    return HeadProblem{505, "Only HTTP/1.0 and HTTP/1.1 are supported."};
  }
  std::size_t hosts = 0;
  std::size_t transfer_encodings = 0;
  std::size_t content_lengths = 0;
  std::string_view transfer_encoding;
  std::string_view host;
  for (const auto& field : head) {
    const std::string_view name = std_view(field.name_string());
    if (iequals(name, "Host")) {
      ++hosts;
      host = std_view(field.value());
    }
    if (iequals(name, "Transfer-Encoding")) {
      ++transfer_encodings;
      transfer_encoding = std_view(field.value());
    }
    if (iequals(name, "Content-Length")) ++content_lengths;
  }
  if (hosts > 1) return HeadProblem{400, "The request has more than one Host header."};
  if (hosts == 0 && head.version() == 11) return HeadProblem{400, "The HTTP/1.1 request has no Host header."};
  if (hosts == 1 && !is_valid_host(host)) {
    return HeadProblem{400, "The request's Host header is not a host name or address with an optional port."};
  }
  if (transfer_encodings > 0) {
    if (transfer_encodings > 1 || !iequals(base::trim_ows(transfer_encoding), "chunked")) {
      return HeadProblem{400, "The request's Transfer-Encoding is not exactly \"chunked\"."};
    }
    if (content_lengths > 0) {
      return HeadProblem{400, "The request has both Content-Length and Transfer-Encoding."};
    }
    if (head.version() == 10) return HeadProblem{400, "An HTTP/1.0 request cannot use chunked encoding."};
  }
  const std::string_view target = std_view(head.target());
  if (target.empty() ||
      (target.front() != '/' && !istarts_with(target, "http://") && !istarts_with(target, "https://"))) {
    return HeadProblem{400, "The request target is not an absolute path."};
  }
  // Beast lets obs-text (bytes 0x80-0xFF) through in the target; RFC 3986
  // has them percent-encoded, and the origin client sends none.
  if (!base::is_visible_ascii(target)) {
    return HeadProblem{400, "The request target contains a byte outside visible ASCII (percent-encode it)."};
  }
  // RFC 9112 3.2's request-target has no fragment (a client keeps it to
  // itself); past a filtered query it would be glued onto the last parameter kept.
  if (target.find('#') != std::string_view::npos) {
    return HeadProblem{400, "The request target contains a fragment ('#'); percent-encode it as %23."};
  }
  // An absolute-form target names the host itself (RFC 9112 3.2.2: a server
  // uses it, not Host; 7.2: a client sends the same in both). The edge routes,
  // forwards Host and checks the origin's certificate by Host, so two
  // different names would mean one thing to the edge and another to the origin.
  if (target.front() != '/') {
    const std::string_view rest = target.substr(target.find("://") + 3);
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    const bool https = istarts_with(target, "https://");
    if (hosts == 1 && !same_authority(authority, host, https ? ":443" : ":80")) {
      return HeadProblem{400, "The request target's host (" + std::string(authority) +
                                  ") is not the Host header's (" + std::string(host) +
                                  "); send the same name in both."};
    }
  }
  return std::nullopt;
}

std::variant<BodyFraming, HeadProblem> read_request_head(RequestParser& parser, std::string_view head) {
  parser.header_limit(static_cast<std::uint32_t>(kMaxRequestHeadBytes + 4));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  parser.eager(false);
  boost::system::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(head.data(), head.size()), ec);
  if (ec || used != head.size() || !parser.is_header_done()) {
    return HeadProblem{
        400, "The request head is malformed (" + (ec ? ec.message() : std::string("incomplete")) + ")."};
  }
  const http::request_header<>& fields = parser.get().base();
  if (auto problem = check_request_head(fields)) return std::move(*problem);
  BodyFraming framing;
  framing.chunked = parser.chunked();
  if (auto length = parser.content_length()) framing.content_length = *length;
  const std::string_view method = std_view(fields.method_string());
  if ((method == "GET" || method == "HEAD") && framing.has_body()) {
    return HeadProblem{403, "The request is a GET or HEAD request with a body."};
  }
  return framing;
}

bool is_websocket_upgrade(const http::request_header<>& head) {
  if (head.version() != 11 || head.method() != http::verb::get) return false;
  bool upgrade = false;
  bool connection = false;
  for (const auto& field : head) {
    const std::string_view name = std_view(field.name_string());
    const std::string_view value = std_view(field.value());
    if (iequals(name, "Upgrade")) {
      upgrade = upgrade || base::lists_token(value, "websocket");
    } else if (iequals(name, "Connection")) {
      connection = connection || base::lists_token(value, "upgrade");
    }
  }
  return upgrade && connection;
}

}  // namespace edgefetch::edge
