// Single-value rules (facts 1.3-1.9) and their messages.

#include "config/rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/config/methods.hpp"

namespace edgefetch::config::detail {
namespace {

constexpr std::size_t kQuoteLimit = 80;

// Headers the CDN refuses as origin custom headers (facts 1.9), lower case.
constexpr auto kForbiddenCustomHeaders = std::to_array<std::string_view>({
    "cache-control",
    "connection",
    "content-length",
    "cookie",
    "host",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "max-forwards",
    "pragma",
    "proxy-authorization",
    "proxy-connection",
    "range",
    "request-range",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "x-real-ip",
});

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u) != 0) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool same_set(const std::vector<std::string>& given, std::initializer_list<std::string_view> expected) {
  if (given.size() != expected.size()) return false;
  return std::all_of(expected.begin(), expected.end(), [&](std::string_view m) {
    return std::find(given.begin(), given.end(), m) != given.end();
  });
}

bool has_duplicates(const std::vector<std::string>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = i + 1; j < values.size(); ++j) {
      if (values[i] == values[j]) return true;
    }
  }
  return false;
}

}  // namespace

std::string quote(std::string_view text) {
  std::string out = "\"";
  std::size_t shown = 0;
  for (const char c : text) {
    if (shown == kQuoteLimit) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      base::append_hex_escape(out, u);
    } else {
      out += c;
    }
    ++shown;
  }
  out += '"';
  return out;
}

std::optional<std::string> port_problem(long long port) {
  if (is_allowed_origin_port(port)) return std::nullopt;
  return std::to_string(port) + " is not allowed; use 80, 443 or 1024-65535";
}

std::optional<std::string> range_problem(long long value, int lowest, int highest, bool seconds) {
  if (value >= lowest && value <= highest) return std::nullopt;
  std::string message = std::to_string(value) + " is out of range; use " + std::to_string(lowest) + "-" +
                        std::to_string(highest);
  if (seconds) message += " (seconds)";
  return message;
}

std::optional<std::string> domain_name_problem(std::string_view name) {
  if (name.empty()) return "required; give the origin's DNS name";
  if (const auto scheme = name.find("://"); scheme != std::string_view::npos) {
    return quote(name) + " is a URL; give only the host name, without " + quote(name.substr(0, scheme + 3)) +
           " or a path";
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
    if (!ok) {
      return quote(name) + " contains " + quote(name.substr(i, 1)) + " at position " + std::to_string(i + 1) +
             "; a domain name may contain only a-z, A-Z, 0-9, '.', '-' and '_'";
    }
  }
  if (name.size() > kMaxDomainNameLength) {
    return "is " + std::to_string(name.size()) + " characters long; the maximum is " +
           std::to_string(kMaxDomainNameLength);
  }
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) {
    return quote(name) + " has an empty label; remove the leading, trailing or doubled '.'";
  }
  // A top-level label is never a number, so this is an IPv4 address in one of
  // the forms resolvers accept ("127.0.0.1", "2130706433", "0x7f.0.0.1"). The
  // CDN's API refuses IP addresses: its origins are DNS names, with SNI.
  const std::string_view last = name.substr(name.rfind('.') + 1);
  const bool hex = last.size() > 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') &&
                   std::all_of(last.begin() + 2, last.end(),
                               [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  const bool digits = std::all_of(last.begin(), last.end(),
                                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  if (hex || digits) {
    return quote(name) +
           " is an IP address, or reads as one (its last label is a number); the CDN's origins are DNS "
           "names (the API refuses addresses). Give a name that resolves to it; to test against a local "
           "address, keep the name and run with --resolve NAME:PORT:ADDRESS";
  }
  return std::nullopt;
}

std::optional<std::string> origin_path_problem(std::string_view path) {
  if (path.empty()) return std::nullopt;
  if (path.front() != '/') return quote(path) + " must start with '/' (e.g. \"/production\")";
  if (path.size() > 1 && path.back() == '/') return quote(path) + " must not end with '/'";
  if (path == "/") return "\"/\" is not a path prefix; leave OriginPath empty instead";
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '?' || c == '#') {
      return quote(path) + " contains " + quote(std::string_view(&c, 1)) +
             "; an origin path is a URL path without spaces, query or fragment";
    }
  }
  return std::nullopt;
}

std::optional<std::string> header_name_problem(std::string_view name) {
  if (name.empty()) return "required; give the header's name";
  if (!std::all_of(name.begin(), name.end(), is_token_char)) {
    return quote(name) + " is not a valid header name";
  }
  if (name.size() > kMaxCustomHeaderNameLength) {
    return "is " + std::to_string(name.size()) + " characters long; the maximum is " +
           std::to_string(kMaxCustomHeaderNameLength);
  }
  const std::string low = lower(name);
  const bool forbidden = std::find(kForbiddenCustomHeaders.begin(), kForbiddenCustomHeaders.end(), low) !=
                             kForbiddenCustomHeaders.end() ||
                         low.starts_with("x-amz-") || low.starts_with("x-edge-");
  if (forbidden) return quote(name) + " cannot be set as an origin custom header";
  return std::nullopt;
}

std::optional<std::string> header_value_problem(std::string_view value) {
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return "contains a control character; remove it";
  }
  if (value.size() > kMaxCustomHeaderValueLength) {
    return "is " + std::to_string(value.size()) + " characters long; the maximum is " +
           std::to_string(kMaxCustomHeaderValueLength);
  }
  return std::nullopt;
}

std::optional<std::string> method_problem(std::string_view method) {
  if (is_cdn_method(method)) return std::nullopt;
  return quote(method) + " is not allowed; use GET, HEAD, OPTIONS, PUT, PATCH, POST or DELETE";
}

std::optional<std::string> allowed_methods_problem(const std::vector<std::string>& methods) {
  if (same_set(methods, {"GET", "HEAD"}) || same_set(methods, {"GET", "HEAD", "OPTIONS"}) ||
      same_set(methods, {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"})) {
    return std::nullopt;
  }
  if (has_duplicates(methods)) return "lists a method twice";
  return "is not a set the CDN accepts; use [GET, HEAD], [GET, HEAD, OPTIONS] or all of GET, HEAD, "
         "OPTIONS, PUT, PATCH, POST, DELETE";
}

std::optional<std::string> cached_methods_problem(const std::vector<std::string>& cached,
                                                  const std::vector<std::string>& allowed) {
  if (same_set(cached, {"GET", "HEAD"})) return std::nullopt;
  if (same_set(cached, {"GET", "HEAD", "OPTIONS"})) {
    if (std::find(allowed.begin(), allowed.end(), "OPTIONS") == allowed.end()) {
      return "includes OPTIONS, which AllowedMethods does not";
    }
    return std::nullopt;
  }
  return "is not a set the CDN accepts; use [GET, HEAD] or [GET, HEAD, OPTIONS]";
}

std::string origin_protocol_policy_problem(std::string_view given) {
  return quote(given) + " is not allowed; use http-only, match-viewer or https-only";
}
std::string viewer_protocol_policy_problem(std::string_view given) {
  return quote(given) + " is not allowed; use allow-all, redirect-to-https or https-only";
}
std::string ip_address_type_problem(std::string_view given) {
  return quote(given) + " is not allowed; use ipv4, ipv6 or dualstack";
}
std::string ssl_protocol_problem(std::string_view given) {
  std::string message = quote(given) + " is not allowed; use SSLv3, TLSv1, TLSv1.1 or TLSv1.2";
  if (given.find("1.3") != std::string_view::npos) {
    message += " (the setting has no TLS 1.3 value; the CDN negotiates TLS 1.3 on its own where it can)";
  }
  return message;
}

}  // namespace edgefetch::config::detail
