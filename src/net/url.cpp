#include "edgefetch/net/url.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>

#include "ascii.hpp"

namespace edgefetch::net {
namespace {

base::Unexpected<std::string> fail(std::string message) {
  return base::unexpected(std::move(message));
}

// RFC 3986 characters allowed unescaped in a path or query, plus '%' for
// escapes (validated separately).
bool is_target_char(char c) {
  if (ascii::is_alnum(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':  // unreserved
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':  // sub-delims
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
    case '?':
    case '%':
      return true;
    default:
      return false;
  }
}

base::Expected<std::string, std::string> parse_target(std::string_view text) {
  if (text.empty()) return std::string("/");
  if (text.front() != '/' && text.front() != '?') {
    return fail("the path must start with '/'");
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!is_target_char(c)) {
      if (c == ' ') return fail("the path contains a space; percent-encode it as %20");
      return fail("the path contains a character that must be percent-encoded (byte 0x" +
                  ascii::hex_byte(static_cast<unsigned char>(c)) + ")");
    }
    if (c == '%') {
      if (i + 2 >= text.size() || !ascii::is_hex(text[i + 1]) || !ascii::is_hex(text[i + 2])) {
        return fail("the path has a '%' that is not followed by two hex digits");
      }
    }
  }
  std::string target(text);
  if (target.front() == '?') target.insert(target.begin(), '/');
  return target;
}

}  // namespace

std::string_view scheme_name(Scheme scheme) {
  return scheme == Scheme::http ? "http" : "https";
}

std::uint16_t default_port(Scheme scheme) {
  return scheme == Scheme::http ? 80 : 443;
}

std::string Url::host_for_uri() const {
  return host_kind == HostKind::ipv6 ? "[" + host + "]" : host;
}

std::string Url::to_string() const {
  std::string out(scheme_name(scheme));
  out += "://";
  out += host_for_uri();
  if (port_explicit) {
    out += ':';
    out += std::to_string(port);
  }
  out += target;
  return out;
}

bool is_ip_literal(std::string_view text) {
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(std::string(text), ec);
  return !ec;
}

bool is_valid_dns_name(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return false;
  std::size_t label_length = 0;
  for (const char c : text) {
    if (c == '.') {
      if (label_length == 0) return false;
      label_length = 0;
      continue;
    }
    if (!ascii::is_alnum(c) && c != '-' && c != '_') return false;
    if (++label_length > 63) return false;
  }
  if (label_length == 0) return false;
  // A name whose last label is all digits would be read as an IPv4 address
  // by resolvers ("1.2.3", "1234"): refuse it rather than guess.
  const auto last_dot = text.rfind('.');
  const std::string_view last_label = last_dot == std::string_view::npos ? text : text.substr(last_dot + 1);
  for (const char c : last_label) {
    if (!ascii::is_digit(c)) return true;
  }
  return false;
}

base::Expected<Url, std::string> parse_url(std::string_view text) {
  if (text.empty()) return fail("the URL is empty");
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return fail("the URL contains a space, control or non-ASCII character; percent-encode it");
    }
  }
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return fail("the URL has no scheme; write it as https://HOST[:PORT]/PATH or http://HOST[:PORT]/PATH");
  }
  const std::string scheme = ascii::to_lower(text.substr(0, scheme_end));
  if (scheme == "https") {
    url.scheme = Scheme::https;
  } else if (scheme == "http") {
    url.scheme = Scheme::http;
  } else {
    return fail("unsupported scheme '" + std::string(text.substr(0, scheme_end)) +
                "'; edgefetch fetches http:// and https:// URLs");
  }
  url.port = default_port(url.scheme);
  std::string_view rest = text.substr(scheme_end + 3);

  // The fragment is never sent to a server.
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);

  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  const std::string_view target = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);

  if (authority.empty()) return fail("the URL has no host");
  if (authority.find('@') != std::string_view::npos) {
    return fail(
        "user names and passwords in URLs are not supported; send credentials with -H 'Authorization: ...'");
  }

  std::string_view host;
  std::string_view port_text;
  bool has_port = false;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("the IPv6 address has no closing ']'");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("unexpected text after the IPv6 address ']'");
      port_text = after.substr(1);
      has_port = true;
    }
    if (host.find('%') != std::string_view::npos) return fail("IPv6 zone ids are not supported");
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return fail("'" + std::string(host) + "' is not a valid IPv6 address");
    url.host_kind = HostKind::ipv6;
    url.host = address.to_string();
  } else {
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port_text = authority.substr(colon + 1);
      has_port = true;
      if (host.find(':') != std::string_view::npos) {
        return fail("an IPv6 address in a URL must be in brackets, e.g. https://[::1]:8443/");
      }
    } else {
      host = authority;
    }
    if (host.empty()) return fail("the URL has no host");
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address_v4(std::string(host), ec);
    if (!ec) {
      url.host_kind = HostKind::ipv4;
      url.host = address.to_string();
    } else if (is_valid_dns_name(host)) {
      url.host_kind = HostKind::dns_name;
      url.host = std::string(host);
    } else {
      return fail(
          "'" + std::string(host) +
          "' is not a valid host name (letters, digits, '-', '_' and '.'; labels of 1-63 characters)");
    }
  }

  if (has_port) {
    if (port_text.empty()) return fail("the URL has ':' but no port number");
    unsigned value = 0;
    const auto* first = port_text.data();
    const auto* last = port_text.data() + port_text.size();
    const auto [end, error] = std::from_chars(first, last, value);
    if (error != std::errc() || end != last || value == 0 || value > 65535) {
      return fail("'" + std::string(port_text) + "' is not a valid port (1-65535)");
    }
    url.port = static_cast<std::uint16_t>(value);
    url.port_explicit = true;
  }

  auto parsed_target = parse_target(target);
  if (!parsed_target) return fail(std::move(parsed_target).error());
  url.target = std::move(parsed_target).value();
  return url;
}

}  // namespace edgefetch::net
