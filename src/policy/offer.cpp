// Narrowing a profile by an OriginSslProtocols selection into the exact offer.

#include <algorithm>
#include <string>
#include <vector>

#include "edgefetch/policy/profile.hpp"
#include "policy/text.hpp"

namespace edgefetch::policy {
namespace {

std::string valid_origin_ssl_protocols() {
  std::string out;
  for (const VersionInfo& v : all_versions()) {
    if (v.origin_ssl_protocol.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += ", ";
    }
    out += v.origin_ssl_protocol;
  }
  return out;
}

std::optional<ProtocolVersion> origin_ssl_protocol(std::string_view token) {
  for (const VersionInfo& v : all_versions()) {
    if (!v.origin_ssl_protocol.empty() && detail::iequals(token, v.origin_ssl_protocol)) {
      return v.version;
    }
  }
  return std::nullopt;
}

std::string bad_token_message(std::string_view token) {
  std::string message = "'" + std::string(token) + "' is not an OriginSslProtocols value";
  if (const auto version = parse_version(token)) {
    const std::string_view proper = info(*version).origin_ssl_protocol;
    if (proper.empty()) {
      message += " (the CDN's OriginSslProtocols has no value for " + std::string(info(*version).name) + ")";
    } else {
      message += " (did you mean '" + std::string(proper) + "'?)";
    }
  }
  return message + "; valid values: " + valid_origin_ssl_protocols();
}

// Index of a version in all_versions() (lowest first).
std::size_t rank(ProtocolVersion v) {
  const auto versions = all_versions();
  const auto it =
      std::find_if(versions.begin(), versions.end(), [v](const VersionInfo& i) { return i.version == v; });
  return static_cast<std::size_t>(it - versions.begin());
}

bool is_contiguous(std::vector<ProtocolVersion> selection) {
  std::sort(selection.begin(), selection.end());
  selection.erase(std::unique(selection.begin(), selection.end()), selection.end());
  for (std::size_t i = 1; i < selection.size(); ++i) {
    if (rank(selection[i]) != rank(selection[i - 1]) + 1) {
      return false;
    }
  }
  return true;
}

template <class T>
bool contains_code(const std::vector<const T*>& entries, std::uint16_t code) {
  return std::any_of(entries.begin(), entries.end(), [code](const T* e) { return e->code == code; });
}

}  // namespace

bool Offer::offers_suite(std::uint16_t code) const {
  return contains_code(cipher_suites, code);
}
bool Offer::offers_group(std::uint16_t code) const {
  return contains_code(groups, code);
}
bool Offer::offers_signature_scheme(std::uint16_t code) const {
  return contains_code(signature_schemes, code);
}
bool Offer::sends_renegotiation_scsv() const {
  return std::any_of(cipher_suites.begin(), cipher_suites.end(),
                     [](const CipherSuite* s) { return s->key_exchange != KeyExchange::tls13; });
}

base::Expected<std::vector<ProtocolVersion>, std::string> parse_origin_ssl_protocols(std::string_view text) {
  std::vector<ProtocolVersion> selection;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find_first_of(", \t\r\n", pos);
    const std::string_view token =
        text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (token.empty()) {
      continue;
    }
    const auto version = origin_ssl_protocol(token);
    if (!version) {
      return base::unexpected(bad_token_message(token));
    }
    if (std::find(selection.begin(), selection.end(), *version) == selection.end()) {
      selection.push_back(*version);
    }
  }
  if (selection.empty()) {
    return base::unexpected("no OriginSslProtocols value given; valid values: " +
                            valid_origin_ssl_protocols());
  }
  return selection;
}

Offer narrow(const Profile& profile, std::span<const ProtocolVersion> origin_ssl_protocols) {
  Offer offer;
  offer.profile = &profile;
  offer.max_version = profile.max_version;
  offer.min_version = profile.min_version;
  if (!origin_ssl_protocols.empty()) {
    const ProtocolVersion lowest =
        *std::min_element(origin_ssl_protocols.begin(), origin_ssl_protocols.end());
    offer.min_version = std::clamp(lowest, profile.min_version, profile.max_version);
    offer.selection_had_gaps = !is_contiguous(
        std::vector<ProtocolVersion>(origin_ssl_protocols.begin(), origin_ssl_protocols.end()));
  }
  for (const CipherSuite* suite : profile.cipher_suites) {
    if (suite->min_version <= offer.max_version) {
      offer.cipher_suites.push_back(suite);
    }
  }
  offer.groups = profile.groups;
  offer.signature_schemes = profile.signature_schemes;
  return offer;
}

}  // namespace edgefetch::policy
