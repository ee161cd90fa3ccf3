#pragma once
// Where a viewer request goes: the cache behavior its path selects (the CDN's
// PathPattern rules, config::DistributionConfig::behavior_for_path), whether the
// behavior lets the method and the viewer's scheme through, and the origin
// request it becomes: scheme and port from OriginProtocolPolicy, the Host the
// origin sees (and the name SNI and the certificate check use), and the target
// with OriginPath in front and only the query parameters the behavior forwards.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "edgefetch/config/distribution.hpp"

namespace edgefetch::edge {

struct ViewerRequestLine {
  std::string_view method;  // as sent, case-sensitive
  std::string_view target;  // origin-form: path and query
  std::string_view host;    // the viewer's Host header ("" when absent)
  bool https = false;       // the viewer connected over TLS
  /// The edge's HTTPS port, for redirects: the CDN's is 443; a local edge's
  /// --listen-tls port may be another, which the Location then names.
  std::uint16_t https_port = 443;
};

struct Route {
  const config::CacheBehavior* behavior = nullptr;
  const config::Origin* origin = nullptr;
  bool https = false;      // scheme to the origin
  std::uint16_t port = 0;  // HTTPPort or HTTPSPort
  /// The Host header the origin receives; also the SNI and certificate name
  /// (facts 2.2, 2.4): the viewer's Host when the behavior forwards it, else
  /// the origin's DomainName.
  std::string host;
  bool host_forwarded = false;
  /// OriginPath + the viewer's path and the query parameters the behavior
  /// forwards (all of the query, as sent, when it forwards them all).
  std::string target;
  /// When the behavior targets an origin group: the group, and the route to
  /// its secondary member (one entry; `origin` is then the primary). The CDN
  /// tries the secondary for GET, HEAD and OPTIONS when the primary cannot be
  /// reached, times out or answers one of the failover status codes.
  const config::OriginGroup* group = nullptr;
  std::vector<Route> secondary;
};

/// Why the edge answers the viewer itself instead of going to the origin.
struct Refusal {
  int status = 403;      // 403 (method not allowed / HTTPS required), 301 (redirect to HTTPS)
  std::string reason;    // for the error page and the log
  std::string location;  // for 301: the https:// URL
};

using RouteResult = std::variant<Route, Refusal>;

/// The origin-form (path and query) of a request target: itself when it
/// starts with '/', the path and query of an absolute-form target
/// ("http://host/a?b" -> "/a?b", "http://host" -> "/"). A view of `target`,
/// or of `storage` when the absolute form has a query and no path
/// ("http://host?q" -> "/?q"). check_request_head() lets only these two forms
/// through; anything else is returned as it is.
std::string_view origin_form(std::string_view target, std::string& storage);

/// The path of an origin-form target (before '?').
std::string_view target_path(std::string_view target);

/// Routes one request. The config must have passed validation (every behavior
/// names an existing origin); a dangling origin id gives a 502 refusal.
RouteResult route(const config::DistributionConfig& config, const ViewerRequestLine& request);

}  // namespace edgefetch::edge
