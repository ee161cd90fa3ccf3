#pragma once
// What of a viewer's request a cache behavior lets through to the origin: its
// headers, its cookies and its query string parameters (facts 5.1, 5.2). A
// behavior says it one of two ways, and the CDN requires one of them:
//   - legacy cache settings (ForwardedValues): the headers it lists (or '*'),
//     Cookies.Forward none / whitelist / all, QueryString true or false. Viewer
//     headers it does not list keep the legacy default: the ones the CDN's
//     table says it removes are removed, the others are forwarded.
//   - policies: a cache policy (what is in the cache key is also forwarded)
//     and an origin request policy, by id. Viewer headers neither names are
//     not forwarded, except the ones the CDN always forwards.
// The rules are resolved once, when the config is read (managed policies from
// a built-in table, custom ones from the template or from policy files), so
// the edge only looks names up.

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace edgefetch::config {

/// How many of one kind of viewer value reach the origin.
enum class ForwardScope {
  none,        // none of them
  listed,      // only the names listed
  all_except,  // all but the names listed
  all,         // every one
};

/// One kind of viewer value (headers, cookies or query string parameters) and
/// which of its names go through.
struct ForwardedNames {
  ForwardScope scope = ForwardScope::none;
  /// For listed / all_except. Headers compare without regard to case; cookie
  /// and query string names compare exactly. Legacy cookie whitelists may
  /// hold '*' (any run) and '?' (one character) wildcards.
  std::vector<std::string> names;
  bool names_have_wildcards = false;

  [[nodiscard]] bool includes(std::string_view name, bool ignore_case) const;
  [[nodiscard]] bool includes_header(std::string_view name) const { return includes(name, true); }
  /// The union of two policies' choices: what either lets through.
  [[nodiscard]] ForwardedNames merged_with(const ForwardedNames& other, bool ignore_case) const;
};

/// Where a behavior's rules came from.
enum class ForwardingSource {
  unspecified,        // neither ForwardedValues nor a cache policy: everything, as AllViewer
  forwarded_values,   // legacy cache settings
  policies,           // a cache policy and/or an origin request policy, all of them known
  unresolved_policy,  // a custom policy whose settings are not at hand: everything but Host
};

struct ForwardingRules {
  ForwardingSource source = ForwardingSource::unspecified;
  /// Viewer headers the behavior names (legacy Headers, or the policies'
  /// header settings), without the CloudFront-* ones the edge generates.
  ForwardedNames headers{ForwardScope::all, {}, false};
  ForwardedNames cookies{ForwardScope::all, {}, false};
  ForwardedNames query_strings{ForwardScope::all, {}, false};
  /// The CloudFront-* headers the policies ask the edge to add, as the
  /// policies spell them ("CloudFront-Viewer-Address").
  std::vector<std::string> cloudfront_headers;
  /// The cache policy normalizes Accept-Encoding to gzip / br
  /// (EnableAcceptEncodingGzip / EnableAcceptEncodingBrotli).
  bool accept_encoding_gzip = false;
  bool accept_encoding_brotli = false;
  /// The names of the policies, for messages ("Managed-CachingOptimized").
  std::string cache_policy_name;
  std::string origin_request_policy_name;

  /// Viewer headers the behavior does not name are forwarded (legacy
  /// settings) unless the CDN's table removes them; with policies they are not.
  [[nodiscard]] bool forwards_unnamed_headers() const { return source == ForwardingSource::forwarded_values; }
  /// Host is forwarded (then SNI and the certificate name check use it).
  [[nodiscard]] bool forwards_host() const;
};

/// What a behavior without settings of its own (`unspecified`), or with a
/// policy whose settings are not at hand (`unresolved_policy`), forwards:
/// every viewer header but Host, with the CDN's User-Agent, every cookie and
/// the whole query string, as edgefetch did before it read policies.
ForwardingRules permissive_forwarding_rules(ForwardingSource source);

/// A cache policy or an origin request policy's origin-facing settings.
struct PolicySettings {
  std::string id;
  std::string name;
  bool is_cache_policy = false;
  ForwardedNames headers;
  ForwardedNames cookies;
  ForwardedNames query_strings;
  std::vector<std::string> cloudfront_headers;
  bool accept_encoding_gzip = false;
  bool accept_encoding_brotli = false;
};

/// The CDN's managed policy with this id, or nullptr.
const PolicySettings* find_managed_policy(std::string_view id);

/// Whether `name` is one of the CloudFront-* headers the CDN adds itself when a
/// policy lists it (CloudFront-Viewer-Country, CloudFront-Forwarded-Proto, ...).
bool is_cloudfront_header(std::string_view name);

/// The CloudFront-* headers the edge can add, in the order it writes them:
/// those that follow from the viewer's connection and request. Location,
/// device, ASN and fingerprint headers need data it does not have.
inline constexpr std::array<std::string_view, 6> kEdgeGeneratedCloudFrontHeaders{
    "CloudFront-Forwarded-Proto", "CloudFront-Viewer-Address",      "CloudFront-Viewer-Http-Version",
    "CloudFront-Viewer-TLS",      "CloudFront-Viewer-Header-Order", "CloudFront-Viewer-Header-Count"};

/// Whether `name` (any case) is one of kEdgeGeneratedCloudFrontHeaders.
bool edge_generates_cloudfront_header(std::string_view name);

}  // namespace edgefetch::config
