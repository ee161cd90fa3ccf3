// Enum spellings, lookups and the CDN's PathPattern routing rule.

#include "edgefetch/config/distribution.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace edgefetch::config {
namespace {

template <class E>
struct Spelled {
  E value;
  std::string_view text;
};

constexpr auto kOriginProtocolPolicies = std::to_array<Spelled<OriginProtocolPolicy>>({
    {OriginProtocolPolicy::http_only, "http-only"},
    {OriginProtocolPolicy::match_viewer, "match-viewer"},
    {OriginProtocolPolicy::https_only, "https-only"},
});
constexpr auto kIpAddressTypes = std::to_array<Spelled<IpAddressType>>({
    {IpAddressType::ipv4, "ipv4"},
    {IpAddressType::ipv6, "ipv6"},
    {IpAddressType::dualstack, "dualstack"},
});
constexpr auto kViewerProtocolPolicies = std::to_array<Spelled<ViewerProtocolPolicy>>({
    {ViewerProtocolPolicy::allow_all, "allow-all"},
    {ViewerProtocolPolicy::redirect_to_https, "redirect-to-https"},
    {ViewerProtocolPolicy::https_only, "https-only"},
});
constexpr auto kSslProtocols = std::to_array<Spelled<policy::ProtocolVersion>>({
    {policy::ProtocolVersion::ssl3, "SSLv3"},
    {policy::ProtocolVersion::tls1_0, "TLSv1"},
    {policy::ProtocolVersion::tls1_1, "TLSv1.1"},
    {policy::ProtocolVersion::tls1_2, "TLSv1.2"},
});

template <class E, std::size_t N>
std::string_view spell(const std::array<Spelled<E>, N>& table, E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.text;
  }
  return "?";
}

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<Spelled<E>, N>& table, std::string_view text) {
  for (const auto& entry : table) {
    if (entry.text == text) return entry.value;
  }
  return std::nullopt;
}

std::string_view strip_leading_slash(std::string_view text) {
  if (!text.empty() && text.front() == '/') text.remove_prefix(1);
  return text;
}

}  // namespace

std::string_view to_string(OriginKind kind) {
  switch (kind) {
    case OriginKind::custom:
      return "custom";
    case OriginKind::s3:
      return "s3";
    case OriginKind::vpc:
      return "vpc";
  }
  return "?";
}
std::string_view to_string(OriginProtocolPolicy policy) {
  return spell(kOriginProtocolPolicies, policy);
}
std::string_view to_string(IpAddressType type) {
  return spell(kIpAddressTypes, type);
}
std::string_view to_string(ViewerProtocolPolicy policy) {
  return spell(kViewerProtocolPolicies, policy);
}

std::optional<OriginProtocolPolicy> parse_origin_protocol_policy(std::string_view text) {
  return lookup(kOriginProtocolPolicies, text);
}
std::optional<IpAddressType> parse_ip_address_type(std::string_view text) {
  return lookup(kIpAddressTypes, text);
}
std::optional<ViewerProtocolPolicy> parse_viewer_protocol_policy(std::string_view text) {
  return lookup(kViewerProtocolPolicies, text);
}
std::optional<policy::ProtocolVersion> parse_origin_ssl_protocol(std::string_view text) {
  return lookup(kSslProtocols, text);
}

bool CacheBehavior::allows_method(std::string_view method) const {
  return std::find(allowed_methods.begin(), allowed_methods.end(), method) != allowed_methods.end();
}

const Origin* DistributionConfig::find_origin(std::string_view id) const {
  for (const auto& origin : origins) {
    if (origin.id == id) return &origin;
  }
  return nullptr;
}

namespace {

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A "." or ".." segment, or a "//", anywhere in the path: the cases that
// need the slow path (a '%' is checked separately).
bool has_dot_segment_or_double_slash(std::string_view path) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '/') continue;
    const std::string_view rest = path.substr(i + 1);
    if (rest.starts_with('/')) return true;
    const std::size_t dots = rest.starts_with("..") ? 2 : rest.starts_with('.') ? 1 : 0;
    if (dots > 0 && (rest.size() == dots || rest[dots] == '/')) return true;
  }
  return false;
}

// RFC 3986 5.2.4, on a path whose runs of '/' are already single.
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  const auto drop_last_segment = [&out] {
    const auto slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./") || in.starts_with("/./")) {
      in.remove_prefix(2);  // "./x" -> "x", "/./x" -> "/x"
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      drop_last_segment();
    } else if (in == "/..") {
      in = "/";
      drop_last_segment();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const std::size_t end = in.find('/', in.front() == '/' ? 1 : 0);
      const std::size_t length = end == std::string_view::npos ? in.size() : end;
      out.append(in.substr(0, length));
      in.remove_prefix(length);
    }
  }
  return out;
}

}  // namespace

std::string_view normalize_path_for_matching(std::string_view path, std::string& storage) {
  if (path.find('%') == std::string_view::npos && !has_dot_segment_or_double_slash(path)) return path;
  std::string decoded;
  decoded.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    const int high = c == '%' && i + 2 < path.size() ? hex_value(path[i + 1]) : -1;
    const int low = high >= 0 ? hex_value(path[i + 2]) : -1;
    if (low < 0) {
      // A single '/' for a run of them.
      if (!(c == '/' && !decoded.empty() && decoded.back() == '/')) decoded += c;
      continue;
    }
    const char byte = static_cast<char>(high * 16 + low);
    if (is_unreserved(byte)) {
      decoded += byte;
    } else {
      static constexpr std::string_view kHex = "0123456789ABCDEF";
      decoded += '%';
      decoded += kHex[static_cast<std::size_t>(high)];
      decoded += kHex[static_cast<std::size_t>(low)];
    }
    i += 2;
  }
  storage = remove_dot_segments(decoded);
  if (storage.empty() || storage.front() != '/') storage.insert(storage.begin(), '/');
  return storage;
}

const OriginGroup* DistributionConfig::find_origin_group(std::string_view id) const {
  for (const auto& group : origin_groups) {
    if (group.id == id) return &group;
  }
  return nullptr;
}

std::vector<const Origin*> DistributionConfig::target_origins(std::string_view target_id) const {
  if (const Origin* origin = find_origin(target_id)) return {origin};
  std::vector<const Origin*> members;
  if (const OriginGroup* group = find_origin_group(target_id)) {
    for (const auto& id : group->member_ids) {
      if (const Origin* member = find_origin(id)) members.push_back(member);
    }
  }
  return members;
}

bool OriginGroup::fails_over_on(int status) const {
  return std::find(failover_status_codes.begin(), failover_status_codes.end(), status) !=
         failover_status_codes.end();
}

const CacheBehavior& DistributionConfig::behavior_for_path(std::string_view raw_path) const {
  std::string storage;
  const std::string_view path = normalize_path_for_matching(raw_path, storage);
  for (const auto& behavior : cache_behaviors) {
    if (path_pattern_matches(behavior.path_pattern, path)) return behavior;
  }
  return default_cache_behavior;
}

bool path_pattern_matches(std::string_view pattern, std::string_view path) {
  // Both are compared without their leading '/', so "images/*" and "/images/*"
  // mean the same, as the CDN documents.
  return wildcard_matches(strip_leading_slash(pattern), strip_leading_slash(path));
}

bool wildcard_matches(std::string_view pattern, std::string_view text) {
  // Greedy wildcard match with one backtrack point (the last '*'): O(n*m) at
  // worst, never exponential.
  std::size_t p = 0;
  std::size_t s = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_s = 0;
  while (s < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_s = s;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[s])) {
      ++p;
      ++s;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++star_s;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace edgefetch::config
