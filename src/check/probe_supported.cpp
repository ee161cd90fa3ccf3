#include <algorithm>

#include "edgefetch/check/supported.hpp"

namespace edgefetch::check {

std::string_view tristate_name(Tristate value) {
  switch (value) {
    case Tristate::unknown:
      return "unknown";
    case Tristate::yes:
      return "yes";
    case Tristate::no:
      return "no";
  }
  return "unknown";
}

std::string_view refusal_name(Refusal refusal) {
  switch (refusal) {
    case Refusal::none:
      return "none";
    case Refusal::alert:
      return "alert";
    case Refusal::lower_version:
      return "lower_version";
    case Refusal::closed:
      return "closed";
    case Refusal::not_tls:
      return "not_tls";
    case Refusal::timeout:
      return "timeout";
    case Refusal::connect_failed:
      return "connect_failed";
    case Refusal::malformed:
      return "malformed";
  }
  return "none";
}

std::vector<std::uint16_t> SupportedSummary::signature_schemes() const {
  std::vector<std::uint16_t> out = signature_schemes_rsa;
  for (std::uint16_t code : signature_schemes_ecdsa) {
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  }
  return out;
}

const VersionSupport* SupportedSummary::find(policy::ProtocolVersion version) const {
  const auto it = std::find_if(versions.begin(), versions.end(),
                               [version](const VersionSupport& v) { return v.version == version; });
  return it != versions.end() ? &*it : nullptr;
}

bool SupportedSummary::accepts(policy::ProtocolVersion version) const {
  const VersionSupport* support = find(version);
  return support != nullptr && support->accepted;
}

std::vector<policy::ProtocolVersion> SupportedSummary::accepted_versions() const {
  std::vector<policy::ProtocolVersion> out;
  for (const VersionSupport& v : versions) {
    if (v.accepted) out.push_back(v.version);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace edgefetch::check
