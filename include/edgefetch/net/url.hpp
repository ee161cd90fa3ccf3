#pragma once
// A small, strict parser for the URLs `edgefetch get` accepts: http:// and
// https:// with a DNS name, an IPv4 address or a bracketed IPv6 address, an
// optional port, and a path with optional query. Anything else (userinfo,
// other schemes, spaces, zone ids) is refused with a message that says why,
// because a fetch tool that guesses at a malformed URL tests the wrong origin.

#include <cstdint>
#include <string>
#include <string_view>

#include "edgefetch/base/expected.hpp"

namespace edgefetch::net {

enum class Scheme { http, https };

std::string_view scheme_name(Scheme scheme);  // "http", "https"
std::uint16_t default_port(Scheme scheme);    // 80, 443

enum class HostKind { dns_name, ipv4, ipv6 };

struct Url {
  Scheme scheme = Scheme::https;
  std::string host;  // as given, without brackets for IPv6
  HostKind host_kind = HostKind::dns_name;
  std::uint16_t port = 443;
  bool port_explicit = false;
  std::string target = "/";  // path and query ("/a/b?c=d"); fragment removed

  /// host as it appears in a URL or Host header: "[::1]" for IPv6.
  [[nodiscard]] std::string host_for_uri() const;
  /// scheme://host[:port]/target, the port only when it was explicit.
  [[nodiscard]] std::string to_string() const;
};

/// Error: a message naming what is wrong and what is accepted.
base::Expected<Url, std::string> parse_url(std::string_view text);

/// True when text is an IPv4 or IPv6 address (IPv6 without brackets). Such a
/// host is checked against the certificate's IP SANs and never sent as SNI
/// (RFC 6066 3).
bool is_ip_literal(std::string_view text);

/// True when text is a syntactically valid DNS host name (letters, digits,
/// '-', '_' and '.', labels of 1-63, total <= 253; a trailing dot allowed).
bool is_valid_dns_name(std::string_view text);

}  // namespace edgefetch::net
