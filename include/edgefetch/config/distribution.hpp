#pragma once
// A CDN distribution as its API defines it (reference facts 1.1-1.9): the
// origins and the cache behaviors that route viewer paths to them. Only what
// an origin connection or an edge routing decision needs is modelled; other
// settings (aliases, viewer certificate, TTLs, ...) are read past.
//
// Values are the effective ones: a field the input left out holds the CDN's
// default, and every range below has been checked by the reader (reader.hpp)
// or can be checked with validate() (validate.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/config/forwarding.hpp"
#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::config {

// Ranges and defaults (facts 1.3, 1.5, 1.6, 1.8).
inline constexpr std::uint16_t kDefaultHttpPort = 80;
inline constexpr std::uint16_t kDefaultHttpsPort = 443;
inline constexpr int kMinConnectionAttempts = 1;
inline constexpr int kMaxConnectionAttempts = 3;
inline constexpr int kDefaultConnectionAttempts = 3;
inline constexpr int kMinConnectionTimeout = 1;
inline constexpr int kMaxConnectionTimeout = 10;
inline constexpr int kDefaultConnectionTimeout = 10;
// OriginReadTimeout: the 2026 API model says 1-120 s; the 2023 Developer Guide
// and the 2019 API said 1-60, and the console is said to allow 180 with a quota
// raise (facts 1.6, a conflict). We accept what the current API accepts.
inline constexpr int kMinReadTimeout = 1;
inline constexpr int kMaxReadTimeout = 120;
inline constexpr int kDefaultReadTimeout = 30;
// OriginKeepaliveTimeout: same conflict (facts 1.8); current API 1-120.
inline constexpr int kMinKeepaliveTimeout = 1;
inline constexpr int kMaxKeepaliveTimeout = 120;
inline constexpr int kDefaultKeepaliveTimeout = 5;
/// DomainName limit of the API's Origin shape (facts 1.9, API-2016).
inline constexpr std::size_t kMaxDomainNameLength = 128;
/// Custom header limits (facts 1.9).
inline constexpr std::size_t kMaxCustomHeaders = 10;
inline constexpr std::size_t kMaxCustomHeaderNameLength = 256;
inline constexpr std::size_t kMaxCustomHeaderValueLength = 1783;
inline constexpr std::size_t kMaxCustomHeadersTotalLength = 10240;

/// Managed origin request policies whose effect on the Host header is known.
inline constexpr std::string_view kAllViewerPolicyId = "216adef6-5c7f-47e4-b989-5492eafa07d3";
inline constexpr std::string_view kAllViewerAndCloudFrontHeadersPolicyId =
    "33f36d7e-f396-46d9-90e0-52428a34d9dc";
inline constexpr std::string_view kAllViewerExceptHostHeaderPolicyId = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

/// True for a port the CDN accepts as HTTPPort or HTTPSPort: 80, 443, 1024-65535.
constexpr bool is_allowed_origin_port(long long port) {
  return port == 80 || port == 443 || (port >= 1024 && port <= 65535);
}

enum class OriginKind { custom, s3, vpc };
enum class OriginProtocolPolicy { http_only, match_viewer, https_only };
enum class IpAddressType { ipv4, ipv6, dualstack };
enum class ViewerProtocolPolicy { allow_all, redirect_to_https, https_only };

/// The API's spellings: "custom"/"s3"/"vpc", "http-only", "ipv4", "allow-all".
std::string_view to_string(OriginKind kind);
std::string_view to_string(OriginProtocolPolicy policy);
std::string_view to_string(IpAddressType type);
std::string_view to_string(ViewerProtocolPolicy policy);
/// Exact (case-sensitive) API spellings, as the CDN accepts them.
std::optional<OriginProtocolPolicy> parse_origin_protocol_policy(std::string_view text);
std::optional<IpAddressType> parse_ip_address_type(std::string_view text);
std::optional<ViewerProtocolPolicy> parse_viewer_protocol_policy(std::string_view text);
/// Exactly "SSLv3", "TLSv1", "TLSv1.1" or "TLSv1.2" (the API's SslProtocol enum; no TLS 1.3 value).
std::optional<policy::ProtocolVersion> parse_origin_ssl_protocol(std::string_view text);

struct CustomHeader {
  std::string name;
  std::string value;
};

struct CustomOriginConfig {
  std::uint16_t http_port = kDefaultHttpPort;
  std::uint16_t https_port = kDefaultHttpsPort;
  OriginProtocolPolicy protocol_policy = OriginProtocolPolicy::https_only;
  /// OriginSslProtocols in the order given, without duplicates. When the input
  /// has none, the reader uses [TLSv1.2] for the API's JSON (the console's
  /// default, and `check`'s) and [TLSv1, SSLv3] for CloudFormation (its
  /// documented default); ssl_protocols_defaulted says so.
  std::vector<policy::ProtocolVersion> ssl_protocols{policy::ProtocolVersion::tls1_2};
  bool ssl_protocols_defaulted = false;
  int read_timeout_s = kDefaultReadTimeout;
  int keepalive_timeout_s = kDefaultKeepaliveTimeout;
  /// Which of the origin's addresses the edge connects to. Absent: not set
  /// (the facts give no default; serve uses every address, as for dualstack).
  std::optional<IpAddressType> ip_address_type;

  /// Whether a request that reached the edge over HTTPS (or HTTP) goes to this
  /// origin over HTTPS.
  [[nodiscard]] bool uses_https(bool viewer_used_https) const {
    return protocol_policy == OriginProtocolPolicy::https_only ||
           (protocol_policy == OriginProtocolPolicy::match_viewer && viewer_used_https);
  }
  /// The port for that scheme.
  [[nodiscard]] std::uint16_t port(bool https) const { return https ? https_port : http_port; }
};

struct Origin {
  std::string id;
  std::string domain_name;
  std::string origin_path;  // "" or "/prefix" (no trailing '/')
  std::vector<CustomHeader> custom_headers;
  OriginKind kind = OriginKind::custom;
  std::optional<CustomOriginConfig> custom;  // present exactly when kind == custom
  int connection_attempts = kDefaultConnectionAttempts;
  int connection_timeout_s = kDefaultConnectionTimeout;
  std::optional<int> response_completion_timeout_s;  // absent: no limit (facts 1.7)
};

/// An origin group (OriginGroups): a behavior that targets it sends requests
/// to the primary member; for GET, HEAD and OPTIONS the CDN tries the
/// secondary when the primary cannot be reached (after its ConnectionAttempts)
/// or answers one of the failover status codes (facts 1.5).
struct OriginGroup {
  std::string id;
  std::vector<std::string> member_ids;  // primary, secondary (exactly two when valid)
  std::vector<int> failover_status_codes;

  [[nodiscard]] bool fails_over_on(int status) const;
};

/// How a behavior came to forward the viewer's Host header (or not).
enum class HostForwarding {
  none,                    // not forwarded: Host = origin DomainName
  legacy_headers,          // ForwardedValues.Headers lists Host or '*'
  origin_request_policy,   // the behavior's policies (managed, in the template or a policy file) include Host
  unknown_request_policy,  // a custom policy whose settings are not at hand; treated as not forwarded
};

struct CacheBehavior {
  std::string path_pattern;  // "*" for the default behavior
  std::string target_origin_id;
  /// Upper-case methods as listed; defaults GET, HEAD.
  std::vector<std::string> allowed_methods{"GET", "HEAD"};
  std::vector<std::string> cached_methods{"GET", "HEAD"};
  /// The origin sees the viewer's Host, and SNI and the certificate name check
  /// use it (facts 2.2, 2.4). True when ForwardedValues.Headers contains Host
  /// or '*', or OriginRequestPolicyId is AllViewer (216adef6-...) or
  /// AllViewerAndCloudFrontHeaders-2022-06 (33f36d7e-...).
  /// AllViewerExceptHostHeader (b689b0a8-...) does not forward Host, and a
  /// custom policy id is unknowable offline (false, host_forwarding says so).
  /// Cache policies that put Host in the cache key are not considered.
  bool forwards_host_header = false;
  HostForwarding host_forwarding = HostForwarding::none;
  std::optional<std::string> origin_request_policy_id;
  std::optional<std::string> cache_policy_id;
  /// Which viewer headers, cookies and query string parameters reach the origin.
  ForwardingRules forwarding;
  ViewerProtocolPolicy viewer_protocol_policy = ViewerProtocolPolicy::allow_all;

  [[nodiscard]] bool allows_method(std::string_view method) const;
};

struct DistributionConfig {
  std::vector<Origin> origins;
  CacheBehavior default_cache_behavior;        // path_pattern "*"
  std::vector<CacheBehavior> cache_behaviors;  // in precedence order
  std::vector<OriginGroup> origin_groups;
  std::string comment;
  bool enabled = true;

  [[nodiscard]] const Origin* find_origin(std::string_view id) const;
  [[nodiscard]] const OriginGroup* find_origin_group(std::string_view id) const;
  /// The origins a behavior's TargetOriginId sends requests to: the origin,
  /// or a group's members in order (primary first); empty when it names none.
  [[nodiscard]] std::vector<const Origin*> target_origins(std::string_view target_id) const;
  /// The first cache behavior whose PathPattern matches `path` (the URL path,
  /// without the query, as the viewer sent it) once normalized, else the
  /// default behavior — the CDN's routing rule.
  [[nodiscard]] const CacheBehavior& behavior_for_path(std::string_view path) const;
};

/// The path the CDN matches PathPatterns against: it "normalizes URI paths
/// consistent with RFC 3986" (percent-encoded unreserved characters decoded,
/// other percent-encodings upper-cased, runs of '/' made one, "." and ".."
/// segments removed) and then sends the raw path to the origin. Without this,
/// "/public/../admin/x" would match "/public/*" and reach an origin that
/// resolves it to /admin/x past the behavior meant for it. Returns `path`
/// itself when it is already normal, else a view of `storage`.
std::string_view normalize_path_for_matching(std::string_view path, std::string& storage);

/// The CDN's PathPattern match: case-sensitive; '*' matches any run of
/// characters (including '/'), '?' exactly one; a pattern without a leading
/// '/' is treated as if it had one. Linear-time in practice, never exponential.
bool path_pattern_matches(std::string_view pattern, std::string_view path);

/// '*' matches any run of characters, '?' exactly one; everything else is
/// compared exactly. Linear-time in practice, never exponential.
bool wildcard_matches(std::string_view pattern, std::string_view text);

}  // namespace edgefetch::config
