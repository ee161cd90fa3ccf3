#pragma once
// The origin as the CDN models it (a CustomOriginConfig, minus what a single
// fetch does not need) and one request to it.
//
// Timeouts follow the CDN (reference facts 1.5, 1.6):
//   connection_timeout   1-10 s, default 10: per TCP connection attempt; also
//                        bounds the TLS handshake that follows the connect.
//   connection_attempts  1-3, default 3: attempt N uses the N-th resolved
//                        address. For GET and HEAD, also the number of tries
//                        when the origin does not answer within read_timeout.
//   read_timeout         1-120 s, default 30: the time to the first response
//                        byte after the request is sent, and the longest gap
//                        between two reads of the response.
//   response_completion_timeout  unset (no cap) or >= read_timeout (facts 1.7):
//                        the wall-clock cap on the whole exchange, from the
//                        start of the request (connecting included) to the
//                        last byte of the response. Used by OriginClient.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/base/expected.hpp"
#include "edgefetch/net/resolve.hpp"
#include "edgefetch/net/url.hpp"
#include "edgefetch/origin/http_message.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::crypto {
class TrustStore;
}

namespace edgefetch::origin {

inline constexpr std::chrono::seconds kMinConnectionTimeout{1};
inline constexpr std::chrono::seconds kMaxConnectionTimeout{10};
inline constexpr std::chrono::seconds kDefaultConnectionTimeout{10};
inline constexpr int kMinConnectionAttempts = 1;
inline constexpr int kMaxConnectionAttempts = 3;
inline constexpr int kDefaultConnectionAttempts = 3;
inline constexpr std::chrono::seconds kMinReadTimeout{1};
inline constexpr std::chrono::seconds kMaxReadTimeout{120};
inline constexpr std::chrono::seconds kDefaultReadTimeout{30};
/// The CDN's cap on an origin response's status line and headers (facts 1.9).
inline constexpr std::uint32_t kMaxResponseHeaderBytes = 20480;
/// Interim (1xx) responses taken before the final one. The facts are silent
/// past one 100 Continue; real origins send one or two (100, 103 Early
/// Hints), and without a bound an origin trickling 102s within the read
/// timeout would hold a request open forever. edgefetch's choice.
inline constexpr int kMaxInterimResponses = 32;
/// The User-Agent the CDN sends to origins unless the viewer's is forwarded (facts 5.1).
inline constexpr std::string_view kCdnUserAgent = "Amazon CloudFront";

struct OriginConfig {
  std::string domain_name;  // DNS name or IP literal (IPv6 without brackets)
  net::Scheme protocol = net::Scheme::https;
  std::uint16_t port = 443;
  std::vector<policy::ProtocolVersion> origin_ssl_protocols{policy::ProtocolVersion::tls1_2};
  const policy::Profile* profile = nullptr;  // nullptr: policy::default_profile()
  std::chrono::seconds connection_timeout = kDefaultConnectionTimeout;
  int connection_attempts = kDefaultConnectionAttempts;
  std::chrono::seconds read_timeout = kDefaultReadTimeout;
  std::optional<std::chrono::seconds> response_completion_timeout;
  /// IpAddressType: the origin's addresses (from --resolve or DNS) of these
  /// families are connected to; none left is a dns_failure.
  net::AddressFamilies address_families = net::AddressFamilies::ipv4_and_ipv6;

  // How this client reaches and trusts the origin (not CDN settings).
  std::shared_ptr<const crypto::TrustStore> trust_store;  // nullptr: the system store
  bool verify_certificates = true;  // false only when the user explicitly asked (--insecure)
  std::vector<std::string> alpn;    // empty: no ALPN extension, as the CDN
  std::vector<net::ResolveOverride> resolve_overrides;
};

struct Request {
  std::string method = "GET";
  std::string target = "/";  // path and query
  /// Sent as Host, and used for SNI and certificate name checks, as the CDN
  /// does when the viewer's Host header is forwarded. Empty: the domain name.
  std::optional<std::string> host_header;
  /// What the edge adds to every origin request, sent after User-Agent when
  /// not empty: Via ("1.1 <id>.cloudfront.net (CloudFront)"; origins such as
  /// nginx compress only for proxies with gzip_proxied when they see one) and
  /// X-Amz-Cf-Id (the request id).
  std::string via;
  std::string request_id;
  /// Extra headers in order. A header named like a default one (User-Agent,
  /// Via, X-Amz-Cf-Id, Connection) replaces it; one with an empty value
  /// removes it. Host is not allowed here (use host_header).
  std::vector<Header> headers;
  std::string body;  // sent with Content-Length when not empty (or for POST/PUT/PATCH)
};

/// Checks ranges and names; the message says which value and what is allowed.
base::Expected<void, std::string> validate(const OriginConfig& config);
base::Expected<void, std::string> validate(const Request& request);

/// True for an RFC 9110 token (methods, header names): base::is_http_token,
/// kept in the origin API that `edgefetch get` and library users call.
inline bool is_http_token(std::string_view text) {
  return base::is_http_token(text);
}

/// The name the origin's certificate is checked against and sent as SNI.
std::string tls_server_name(const OriginConfig& config, const Request& request);
/// The same for a forwarded Host value ("name", "name:port", "[v6]:port"), or the domain name.
std::string tls_server_name(const OriginConfig& config, const std::optional<std::string>& host_header);

}  // namespace edgefetch::origin
