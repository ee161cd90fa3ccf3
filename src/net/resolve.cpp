#include "edgefetch/net/resolve.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

#include "ascii.hpp"
#include "edgefetch/net/error.hpp"

namespace edgefetch::net {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::string_view kResolveForm =
    "expected HOST:PORT:ADDRESS[,ADDRESS...], e.g. origin.test:443:127.0.0.1";

base::Unexpected<std::string> fail(std::string_view text, std::string_view why) {
  return base::unexpected("--resolve '" + std::string(text) + "': " + std::string(why) + "; " +
                          std::string(kResolveForm));
}

base::Expected<asio::ip::address, std::string> parse_address(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(std::string(text), ec);
  if (ec || text.find('%') != std::string_view::npos) {
    return base::unexpected("'" + std::string(text) + "' is not an IPv4 or IPv6 address");
  }
  return address;
}

// Moves the endpoints of the other family to `skipped`; nothing left is an error.
void keep_families(Resolution& result, AddressFamilies families) {
  if (families == AddressFamilies::ipv4_and_ipv6) return;
  const bool want_v6 = families == AddressFamilies::ipv6_only;
  std::vector<tcp::endpoint> kept;
  for (auto& endpoint : result.endpoints) {
    (endpoint.address().is_v6() == want_v6 ? kept : result.skipped).push_back(endpoint);
  }
  result.endpoints = std::move(kept);
  if (result.endpoints.empty() && !result.error) result.error = make_error_code(Errc::no_addresses);
}

}  // namespace

base::Expected<ResolveOverride, std::string> parse_resolve_override(std::string_view text) {
  ResolveOverride entry;
  std::string_view rest = text;

  // HOST: a name, or a bracketed IPv6 literal.
  std::string_view host;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail(text, "the bracketed host has no ']'");
    host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return fail(text, "no ':' after the host");
    rest.remove_prefix(1);
  } else {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return fail(text, "no port");
    host = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  if (host.empty()) return fail(text, "the host is empty");
  entry.host = std::string(host);

  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return fail(text, "no address");
  const std::string_view port_text = rest.substr(0, colon);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return fail(text, "'" + std::string(port_text) + "' is not a port (1-65535)");
  }
  entry.port = static_cast<std::uint16_t>(port);

  std::string_view addresses = rest.substr(colon + 1);
  if (addresses.empty()) return fail(text, "no address");
  while (true) {
    const auto comma = addresses.find(',');
    const std::string_view item = addresses.substr(0, comma);
    auto address = parse_address(item);
    if (!address) return fail(text, address.error());
    entry.addresses.push_back(*address);
    if (comma == std::string_view::npos) break;
    addresses = addresses.substr(comma + 1);
  }
  return entry;
}

const ResolveOverride* find_resolve_override(std::span<const ResolveOverride> overrides,
                                             std::string_view host, std::uint16_t port) {
  for (const auto& entry : overrides) {
    if (entry.port == port && ascii::iequals(entry.host, host)) return &entry;
  }
  return nullptr;
}

std::string_view resolve_source_name(ResolveSource source) {
  switch (source) {
    case ResolveSource::literal:
      return "literal";
    case ResolveSource::override:
      return "--resolve";
    case ResolveSource::dns:
      return "DNS";
  }
  return "?";
}

asio::awaitable<Resolution> resolve(std::string host, std::uint16_t port,
                                    std::vector<ResolveOverride> overrides, AddressFamilies families) {
  Resolution result;
  const auto started = std::chrono::steady_clock::now();

  if (const auto* entry = find_resolve_override(overrides, host, port)) {
    result.source = ResolveSource::override;
    for (const auto& address : entry->addresses) result.endpoints.emplace_back(address, port);
    keep_families(result, families);
    co_return result;
  }

  boost::system::error_code literal_error;
  const auto literal = asio::ip::make_address(host, literal_error);
  if (!literal_error) {
    result.source = ResolveSource::literal;
    result.endpoints.emplace_back(literal, port);
    keep_families(result, families);
    co_return result;
  }

  result.source = ResolveSource::dns;
  tcp::resolver resolver(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  const auto entries =
      co_await resolver.async_resolve(host, std::to_string(port), tcp::resolver::numeric_service,
                                      asio::redirect_error(asio::use_awaitable, ec));
  result.elapsed = std::chrono::steady_clock::now() - started;
  if (ec) {
    result.error = ec;
    co_return result;
  }
  for (const auto& entry : entries) {
    // getaddrinfo may list one address several times (one per socket type).
    const auto endpoint = entry.endpoint();
    bool seen = false;
    for (const auto& known : result.endpoints) seen = seen || known == endpoint;
    if (!seen) result.endpoints.push_back(endpoint);
  }
  if (result.endpoints.empty()) result.error = make_error_code(Errc::no_addresses);
  keep_families(result, families);
  co_return result;
}

}  // namespace edgefetch::net
