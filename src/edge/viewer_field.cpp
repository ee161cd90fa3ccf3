#include "viewer_field.hpp"

#include "edgefetch/config/forwarding.hpp"
#include "edgefetch/edge/http_fields.hpp"

namespace edgefetch::edge {

// By length first, as is_replaced_by_edge: most names match no length.
// Dropped: Host and Content-Length (the edge writes them), Expect (the edge
// answers it), the edge's own X-Amz-Cf-Id and X-Edge-*, and CloudFront-*
// (the edge writes those the behavior asks for; a viewer must not forge
// them). Hop-by-hop fields are removed before this is asked.
// Pass-through: edgefetch has no cache, so it lets the origin answer
// conditionals and ranges as the CDN would answer them from its cache.
ViewerField classify_viewer_field(std::string_view name) {
  using enum ViewerField;
  switch (name.size()) {
    case 3:
      if (iequals(name, "Via")) return via;
      break;
    case 4:
      if (iequals(name, "Host")) return dropped;
      break;
    case 5:
      if (iequals(name, "Range")) return pass_through;
      break;
    case 6:
      if (iequals(name, "Cookie")) return cookie;
      if (iequals(name, "Accept")) return legacy_removed;
      if (iequals(name, "Expect")) return dropped;
      break;
    case 7:
      if (iequals(name, "Referer")) return legacy_removed;
      break;
    case 8:
      if (iequals(name, "If-Match") || iequals(name, "If-Range")) return pass_through;
      break;
    case 9:
      if (iequals(name, "X-Real-IP")) return legacy_removed;
      break;
    case 10:
      if (iequals(name, "User-Agent")) return user_agent;
      break;
    case 11:
      if (iequals(name, "X-Amz-Cf-Id")) return dropped;
      if (iequals(name, "Content-MD5")) return pass_through;
      break;
    case 12:
      if (iequals(name, "Content-Type")) return pass_through;
      break;
    case 13:
      if (iequals(name, "Authorization")) return authorization;
      if (iequals(name, "If-None-Match") || iequals(name, "Request-Range")) return pass_through;
      break;
    case 14:
      if (iequals(name, "Content-Length")) return dropped;
      if (iequals(name, "Accept-Charset")) return legacy_removed;
      break;
    case 15:
      if (iequals(name, "Accept-Encoding")) return accept_encoding;
      if (iequals(name, "X-Forwarded-For")) return forwarded_for;
      if (iequals(name, "Accept-Language")) return legacy_removed;
      break;
    case 16:
      if (iequals(name, "Content-Encoding")) return pass_through;
      break;
    case 17:
      if (iequals(name, "If-Modified-Since")) return pass_through;
      if (iequals(name, "X-Forwarded-Proto")) return legacy_removed;
      break;
    case 19:
      if (iequals(name, "If-Unmodified-Since")) return pass_through;
      break;
    case 22:
      if (iequals(name, "X-HTTP-Method-Override")) return legacy_removed;
      break;
    default:
      break;
  }
  if (istarts_with(name, "X-Edge-") || config::is_cloudfront_header(name)) return dropped;
  if (istarts_with(name, "Sec-WebSocket-")) return websocket;
  return other;
}

}  // namespace edgefetch::edge
