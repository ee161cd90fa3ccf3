// libFuzzer harness: the URL parser of `edgefetch get` (net::parse_url) and
// the --resolve override parser (net::parse_resolve_override) on arbitrary
// text. Beyond "no crash, no hang, no leak", it checks the parsers' promises:
//   - an accepted URL has a host of its kind (a valid DNS name, or an address
//     that parses), a port other than 0, and a target that starts with '/'
//     and is visible ASCII (what the origin client writes);
//   - to_string() parses back to the same URL;
//   - an error message is never empty;
//   - an accepted override has a host and at least one address.

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/net/resolve.hpp"
#include "edgefetch/net/url.hpp"
#include "fuzz_require.hpp"

using namespace edgefetch;
using fuzz::require;

namespace {

bool same(const net::Url& a, const net::Url& b) {
  return a.scheme == b.scheme && a.host == b.host && a.host_kind == b.host_kind && a.port == b.port &&
         a.port_explicit == b.port_explicit && a.target == b.target;
}

void check_url(std::string_view text) {
  const auto url = net::parse_url(text);
  if (!url) {
    require(!url.error().empty());
    return;
  }
  require(url->port != 0 && !url->host.empty());
  require(url->target.front() == '/' && base::is_visible_ascii(url->target));
  if (url->host_kind == net::HostKind::dns_name) {
    require(net::is_valid_dns_name(url->host));
  } else {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(url->host, ec);
    require(!ec && address.is_v6() == (url->host_kind == net::HostKind::ipv6));
  }
  const auto again = net::parse_url(url->to_string());
  require(again.has_value() && same(*url, *again));
}

void check_override(std::string_view text) {
  const auto entry = net::parse_resolve_override(text);
  if (!entry) {
    require(!entry.error().empty());
    return;
  }
  require(!entry->host.empty() && entry->port != 0 && !entry->addresses.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_url(text);
  check_override(text);
  return 0;
}
