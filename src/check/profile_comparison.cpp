#include "edgefetch/check/profile_comparison.hpp"

#include <algorithm>
#include <initializer_list>

#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;

std::string version_text(ProtocolVersion v) {
  return std::string(policy::info(v).openssl_name);
}

std::string capitalised(std::string text) {
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') {
    text.front() = static_cast<char>(text.front() - 'a' + 'A');
  }
  return text;
}

bool has_reason(const VerdictSide& side, ReasonCode code) {
  return side.reasons != nullptr && std::any_of(side.reasons->begin(), side.reasons->end(),
                                                [code](const Reason& r) { return r.code == code; });
}

// True when every reason is one of `codes` (and there is at least one).
bool only_reasons(const VerdictSide& side, std::initializer_list<ReasonCode> codes) {
  return side.reasons != nullptr && !side.reasons->empty() &&
         std::all_of(side.reasons->begin(), side.reasons->end(), [&codes](const Reason& r) {
           return std::find(codes.begin(), codes.end(), r.code) != codes.end();
         });
}

std::string codes_text(const VerdictSide& side) {
  std::string out;
  if (side.reasons == nullptr) return out;
  std::vector<ReasonCode> seen;
  for (const Reason& r : *side.reasons) {
    if (std::find(seen.begin(), seen.end(), r.code) != seen.end()) continue;
    seen.push_back(r.code);
    out += (out.empty() ? "" : ", ") + std::string(reason_code_name(r.code));
  }
  return out;
}

// Why `bad` fails where `good` connects, in a few words, ending with the codes.
std::string why_text(const VerdictSide& bad, const VerdictSide& good) {
  const ProtocolVersion bad_max = bad.profile->max_version;
  std::string codes = codes_text(bad);
  if (has_reason(bad, ReasonCode::tls13_only)) {
    return "the origin speaks only TLSv1.3, and that policy offers at most " + version_text(bad_max) + " (" +
           codes + ")";
  }
  // Without enumeration the refusal is all there is: say what is known.
  const bool good_on_tls13 =
      good.negotiated != nullptr && good.negotiated->version == ProtocolVersion::tls1_3;
  if (good_on_tls13 && bad_max < ProtocolVersion::tls1_3 &&
      only_reasons(
          bad, {ReasonCode::no_shared_version, ReasonCode::server_alert, ReasonCode::connection_closed})) {
    return "it offers at most " + version_text(bad_max) + " and the origin refused that (" + codes + ")";
  }
  return codes;
}

}  // namespace

const policy::Profile& default_comparison_profile() {
  const policy::Profile* profile = policy::profile_by_name("cloudfront-2025");
  // The policy layer defines this alias; its tests keep it there.
  return profile != nullptr ? *profile : policy::default_profile();
}

std::string profile_label(const policy::Profile& profile) {
  const std::string name(profile.name);
  if (&profile == &policy::default_profile()) return "the documented policy (" + name + ")";
  if (name.ends_with("-2025")) return "today's edge (" + name + ")";
  return "profile " + name;
}

std::string comparison_sentence(const VerdictSide& first, const VerdictSide& second) {
  if (first.profile == nullptr || second.profile == nullptr || first.verdict == second.verdict) return "";
  const VerdictSide* good = nullptr;
  if (first.verdict == Verdict::compatible) good = &first;
  if (second.verdict == Verdict::compatible) good = &second;
  if (good == nullptr) return "";  // both fail, differently: the reasons say it all
  const VerdictSide& bad = good == &first ? second : first;

  std::string text = capitalised(profile_label(*good->profile)) + " can connect";
  if (good->negotiated != nullptr) {
    text += " with " + version_text(good->negotiated->version);
    if (good->negotiated->cipher_suite != nullptr) {
      text += " (" + std::string(good->negotiated->cipher_suite->openssl_name) + ")";
    }
  }
  text += "; " + profile_label(*bad.profile);
  text += bad.verdict == Verdict::unreachable ? " could not reach the origin" : " cannot";
  const std::string why = why_text(bad, *good);
  if (!why.empty()) text += ": " + why;
  return text + ".";
}

}  // namespace edgefetch::check
