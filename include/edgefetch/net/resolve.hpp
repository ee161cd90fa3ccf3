#pragma once
// Name resolution with curl-style --resolve overrides. An override
// "HOST:PORT:ADDR[,ADDR...]" pins HOST on PORT to the given addresses (IPv4,
// or IPv6 with or without brackets) without consulting DNS, while the URL, the
// Host header, SNI and certificate name checks keep using HOST.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"

namespace edgefetch::net {

struct ResolveOverride {
  std::string host;  // compared case-insensitively; IPv6 hosts without brackets
  std::uint16_t port = 0;
  std::vector<boost::asio::ip::address> addresses;  // in the order given; at least one
};

/// Parses "HOST:PORT:ADDR[,ADDR...]". Error: what is wrong, with the expected form.
base::Expected<ResolveOverride, std::string> parse_resolve_override(std::string_view text);

/// The first override for host:port, or nullptr.
const ResolveOverride* find_resolve_override(std::span<const ResolveOverride> overrides,
                                             std::string_view host, std::uint16_t port);

/// Which of a name's addresses are used (for an origin: the CDN's
/// IpAddressType, ipv4 | ipv6 | dualstack).
enum class AddressFamilies { ipv4_and_ipv6, ipv4_only, ipv6_only };

enum class ResolveSource {
  literal,   // the host is an IP address
  override,  // a --resolve entry matched
  dns,       // the system resolver (getaddrinfo)
};

std::string_view resolve_source_name(ResolveSource source);  // "literal", "--resolve", "DNS"

struct Resolution {
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // resolver order
  ResolveSource source = ResolveSource::dns;
  std::chrono::steady_clock::duration elapsed{};
  boost::system::error_code error;  // set when resolution failed; endpoints is then empty
  /// The addresses of another family than the one asked for, left out. When
  /// no address is left, `error` is Errc::no_addresses and these say what
  /// there was.
  std::vector<boost::asio::ip::tcp::endpoint> skipped;
};

/// Resolves host (DNS name or IP literal, IPv6 without brackets) for port,
/// keeping the addresses of `families` (from a --resolve entry, the literal
/// or DNS alike). Never throws for resolution failures: they come back in
/// Resolution::error.
boost::asio::awaitable<Resolution> resolve(std::string host, std::uint16_t port,
                                           std::vector<ResolveOverride> overrides,
                                           AddressFamilies families = AddressFamilies::ipv4_and_ipv6);

}  // namespace edgefetch::net
