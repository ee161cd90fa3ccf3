#include "edgefetch/edge/routing.hpp"

#include <algorithm>

#include "edgefetch/edge/viewer_values.hpp"

namespace edgefetch::edge {

std::string_view target_path(std::string_view target) {
  const auto query = target.find('?');
  return query == std::string_view::npos ? target : target.substr(0, query);
}

std::string_view origin_form(std::string_view target, std::string& storage) {
  if (target.empty() || target.front() == '/') return target;
  const auto scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return target;
  const auto path = target.find_first_of("/?", scheme_end + 3);
  if (path == std::string_view::npos) return "/";
  if (target[path] == '/') return target.substr(path);
  // RFC 9112 3.2.1: an empty path is "/" in origin-form, before the query too.
  storage.assign("/").append(target.substr(path));
  return storage;
}

namespace {

// The Host header without a port, for the https:// redirect and nothing else.
std::string_view host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  const auto colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

Route route_to(const config::Origin& origin, const config::CacheBehavior& behavior,
               const ViewerRequestLine& request) {
  Route result;
  result.behavior = &behavior;
  result.origin = &origin;
  if (origin.custom) {
    result.https = origin.custom->uses_https(request.https);
    result.port = origin.custom->port(result.https);
  } else {
    // S3 and VPC origins: the CDN always speaks HTTPS on 443 to them.
    result.https = true;
    result.port = config::kDefaultHttpsPort;
  }
  result.host_forwarded = behavior.forwards_host_header && !request.host.empty();
  result.host = result.host_forwarded ? std::string(request.host) : origin.domain_name;
  result.target.reserve(origin.origin_path.size() + request.target.size());
  result.target = origin.origin_path;
  append_forwarded_target(result.target, request.target, behavior.forwarding.query_strings);
  return result;
}

}  // namespace

RouteResult route(const config::DistributionConfig& config, const ViewerRequestLine& request) {
  const config::CacheBehavior& behavior = config.behavior_for_path(target_path(request.target));

  // The CDN checks the viewer protocol policy before anything else reaches
  // the origin: redirect-to-https answers 301, https-only answers 403.
  if (!request.https) {
    if (behavior.viewer_protocol_policy == config::ViewerProtocolPolicy::redirect_to_https) {
      if (request.host.empty()) {
        // HTTP/1.0 may leave Host out; "https:///path" would be no URL.
        return Refusal{400, "an HTTP/1.0 request without Host cannot be redirected to HTTPS", {}};
      }
      if (request.method == "GET" || request.method == "HEAD") {
        std::string location = "https://" + std::string(host_without_port(request.host));
        if (request.https_port != 443) location += ":" + std::to_string(request.https_port);
        return Refusal{301, "the cache behavior redirects HTTP viewers to HTTPS",
                       location + std::string(request.target)};
      }
      return Refusal{403, "the cache behavior requires HTTPS", {}};
    }
    if (behavior.viewer_protocol_policy == config::ViewerProtocolPolicy::https_only) {
      return Refusal{403, "the cache behavior requires HTTPS", {}};
    }
  }
  if (!behavior.allows_method(request.method)) {
    return Refusal{
        403, "the cache behavior does not allow the " + std::string(request.method) + " method", {}};
  }
  // An origin without a vector to say so: this runs for every request.
  if (const config::Origin* origin = config.find_origin(behavior.target_origin_id)) {
    return route_to(*origin, behavior, request);
  }
  const std::vector<const config::Origin*> origins = config.target_origins(behavior.target_origin_id);
  if (origins.empty()) {
    return Refusal{502, "the cache behavior names an origin that does not exist", {}};
  }
  Route result = route_to(*origins.front(), behavior, request);
  if (const config::OriginGroup* group = config.find_origin_group(behavior.target_origin_id);
      group != nullptr && origins.size() > 1) {
    result.group = group;
    result.secondary.push_back(route_to(*origins[1], behavior, request));
  }
  return result;
}

}  // namespace edgefetch::edge
