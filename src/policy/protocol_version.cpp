// The protocol-version table and its spellings.

#include "edgefetch/policy/protocol_version.hpp"

#include <array>
#include <cassert>
#include <string>

#include "policy/text.hpp"

namespace edgefetch::policy {
namespace {

constexpr auto kVersions = std::to_array<VersionInfo>({
    {ProtocolVersion::ssl3, "SSL 3.0", "SSLv3", "SSLv3"},
    {ProtocolVersion::tls1_0, "TLS 1.0", "TLSv1", "TLSv1"},
    {ProtocolVersion::tls1_1, "TLS 1.1", "TLSv1.1", "TLSv1.1"},
    {ProtocolVersion::tls1_2, "TLS 1.2", "TLSv1.2", "TLSv1.2"},
    // The CDN's OriginSslProtocols has no TLS 1.3 value (API model, 2026).
    {ProtocolVersion::tls1_3, "TLS 1.3", "TLSv1.3", ""},
});

// Extra spellings, compared after normalize() below.
struct VersionSpelling {
  std::string_view normalized;
  ProtocolVersion version;
};
constexpr auto kSpellings = std::to_array<VersionSpelling>({
    {"ssl3", ProtocolVersion::ssl3},
    {"ssl3.0", ProtocolVersion::ssl3},
    {"3.0", ProtocolVersion::ssl3},
    {"tls1", ProtocolVersion::tls1_0},
    {"tls1.0", ProtocolVersion::tls1_0},
    {"1.0", ProtocolVersion::tls1_0},
    {"tls1.1", ProtocolVersion::tls1_1},
    {"1.1", ProtocolVersion::tls1_1},
    {"tls1.2", ProtocolVersion::tls1_2},
    {"1.2", ProtocolVersion::tls1_2},
    {"tls1.3", ProtocolVersion::tls1_3},
    {"1.3", ProtocolVersion::tls1_3},
});

// "TLS 1.2", "TLSv1.2", "tls1_2", "TLS1.2" all become "tls1.2"; "SSLv3" and
// "SSL 3.0" become "ssl3" and "ssl3.0".
std::string normalize(std::string_view text) {
  const std::string lowered = detail::to_lower(detail::trim_whitespace(text));
  std::string out;
  for (const char c : lowered) {
    if (c == ' ' || c == '-') {
      continue;
    }
    // The 'v' of "TLSv1"/"SSLv3" right after the protocol name.
    if (c == 'v' && (out == "tls" || out == "ssl")) {
      continue;
    }
    out.push_back(c == '_' ? '.' : c);
  }
  return out;
}

}  // namespace

std::span<const VersionInfo> all_versions() {
  return kVersions;
}

const VersionInfo& info(ProtocolVersion version) {
  for (const VersionInfo& v : kVersions) {
    if (v.version == version) {
      return v;
    }
  }
  // Every enumerator is in the table; an out-of-range value is a caller bug.
  assert(false && "ProtocolVersion not in the catalogue");
  return kVersions.back();
}

std::string version_range_name(ProtocolVersion lowest, ProtocolVersion highest) {
  std::string out(info(lowest).openssl_name);
  if (lowest != highest) {
    out += '-';
    out += info(highest).openssl_name;
  }
  return out;
}

std::optional<ProtocolVersion> version_from_wire(std::uint16_t code) {
  for (const VersionInfo& v : kVersions) {
    if (wire(v.version) == code) {
      return v.version;
    }
  }
  return std::nullopt;
}

std::optional<ProtocolVersion> parse_version(std::string_view text) {
  for (const VersionInfo& v : kVersions) {
    if (detail::iequals(text, v.name) || detail::iequals(text, v.openssl_name) ||
        (!v.origin_ssl_protocol.empty() && detail::iequals(text, v.origin_ssl_protocol))) {
      return v.version;
    }
  }
  const std::string normalized = normalize(text);
  for (const VersionSpelling& s : kSpellings) {
    if (normalized == s.normalized) {
      return s.version;
    }
  }
  if (const auto code = detail::parse_code_point(text)) {
    return version_from_wire(*code);
  }
  return std::nullopt;
}

}  // namespace edgefetch::policy
