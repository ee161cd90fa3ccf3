#pragma once
// The viewer values a cache behavior filters on their way to the origin, each
// as a pure function of the viewer's bytes and the behavior's rules
// (config::ForwardingRules): the query string, the cookies, Accept-Encoding
// (normalized to the codings the CDN caches by) and the CloudFront-* headers
// the edge writes about the viewer.

#include <boost/beast/http/message.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/config/distribution.hpp"
#include "edgefetch/config/forwarding.hpp"
#include "edgefetch/edge/message_rewrite.hpp"

namespace edgefetch::edge {

/// Appends the origin-form `target` (path and query) to `out`, its query
/// reduced to the parameters `query_strings` lets through. Names are the raw
/// bytes before the first '=' (not percent-decoded) and compare exactly; kept
/// parameters keep their order and bytes. Scope all keeps the target as it is
/// (a bare trailing '?' included); otherwise empty parameters are dropped, and
/// so is the '?' when nothing is left.
void append_forwarded_target(std::string& out, std::string_view target,
                             const config::ForwardedNames& query_strings);

/// The Cookie value the origin gets for the viewer's cookies `joined` (all of
/// its Cookie fields joined with "; ") under a listed / all_except scope: the
/// "name=value" pairs whose name `cookies` lets through (names and values
/// compare exactly), sorted by name as the CDN does, joined with "; ". Pairs
/// without '=' or with an empty name are dropped. Empty when none is kept.
std::string filter_cookies(std::string_view joined, const config::ForwardedNames& cookies);

/// The codings of the viewer's Accept-Encoding fields that the CDN normalizes
/// to (RFC 9110 12.5.3: a coding with q=0 is not acceptable).
struct AcceptedCodings {
  bool gzip = false;
  bool br = false;

  /// Adds the codings one Accept-Encoding field value lists (case-insensitive).
  void add_field_value(std::string_view value);
};

/// The normalized Accept-Encoding ("br,gzip", "gzip", "br"), or "" when the
/// viewer accepts neither enabled coding (the origin then gets none).
std::string_view normalized_accept_encoding(AcceptedCodings accepted, bool gzip_enabled, bool brotli_enabled);

/// Appends the CloudFront-* headers `requested` names (any case) that the edge
/// can write (config::kEdgeGeneratedCloudFrontHeaders), in that list's order
/// and spelling, unless an origin custom header of the same name replaces them.
void append_generated_headers(std::vector<origin::Header>& out, const std::vector<std::string>& requested,
                              const boost::beast::http::request_header<>& viewer, const ViewerInfo& info,
                              const std::vector<config::CustomHeader>& custom);

/// The most CloudFront-Viewer-Header-Order holds; the CDN truncates the rest.
constexpr std::size_t kMaxHeaderOrderSize = 7680;

}  // namespace edgefetch::edge
