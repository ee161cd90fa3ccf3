#include "edgefetch/check/diagnosis_prediction.hpp"

#include <algorithm>
#include <array>

#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/tls/alert_description.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;

template <class T>
bool contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

void add_failure(PredictedNegotiation& p, ReasonCode code) {
  if (!contains(p.failures, code)) p.failures.push_back(code);
}

std::string version_text(ProtocolVersion v) {
  return std::string(policy::info(v).openssl_name);
}

// `ours` in the order the chooser applies: the origin's list order when it
// follows its own preference, else the edge's.
std::vector<std::uint16_t> shared_in_order(const std::vector<std::uint16_t>& theirs,
                                           const std::vector<std::uint16_t>& ours,
                                           Tristate server_preference) {
  std::vector<std::uint16_t> shared;
  if (server_preference == Tristate::yes) {
    for (std::uint16_t code : theirs) {
      if (contains(ours, code)) shared.push_back(code);
    }
  } else {
    for (std::uint16_t code : ours) {
      if (contains(theirs, code)) shared.push_back(code);
    }
  }
  return shared;
}

// The version an origin answers a ClientHello offering up to `max`: its
// highest accepted version not above it.
std::optional<ProtocolVersion> origin_choice(const SupportedSummary& summary, ProtocolVersion max) {
  std::optional<ProtocolVersion> pick;
  for (ProtocolVersion v : summary.accepted_versions()) {
    if (v <= max) pick = v;
  }
  return pick;
}

bool all_refused_with(const SupportedSummary& summary, Refusal refusal) {
  return !summary.versions.empty() &&
         std::all_of(summary.versions.begin(), summary.versions.end(),
                     [refusal](const VersionSupport& v) { return !v.accepted && v.refusal == refusal; });
}

// The origin said "no" in TLS terms: an alert, or a ServerHello for a lower version.
bool refused_in_tls(const VersionSupport& v) {
  return v.refusal == Refusal::alert || v.refusal == Refusal::lower_version;
}

// The version an origin settles on before refusing every suite: walking down
// from `max`, the first one it answered with handshake_failure rather than
// protocol_version, unless it accepts a version above. A server that does not
// speak a version says protocol_version (or answers a lower one); one that
// speaks it but can use none of its suites (typically: suites for another key
// type than its certificate's) says handshake_failure, even to enumeration's
// widest offer. SSLv3 is left out (servers without it answer
// handshake_failure too), and so is TLS 1.3, where that alert has other causes.
std::optional<ProtocolVersion> version_without_usable_suite(const SupportedSummary& summary,
                                                            ProtocolVersion max) {
  const auto suite_refusal = [](const VersionSupport& v) {
    return v.refusal == Refusal::alert && v.alert_description == tls::alert_description::kHandshakeFailure &&
           v.version >= ProtocolVersion::tls1_0 && v.version <= ProtocolVersion::tls1_2;
  };
  // The highest version up to `max` that was accepted or refused for its suites.
  const auto decisive = std::find_if(
      summary.versions.rbegin(), summary.versions.rend(),
      [&](const VersionSupport& v) { return v.version <= max && (v.accepted || suite_refusal(v)); });
  if (decisive == summary.versions.rend() || decisive->accepted) return std::nullopt;
  return decisive->version;
}

// TLS 1.3 agrees on a key-share group after the suite, whatever the suite:
// when the origin's TLS 1.3 groups (enumerated) share none with the offer it
// refuses there, without falling back to an older version.
bool tls13_groups_unshared(const SupportedSummary& summary, const std::vector<std::uint16_t>& our_groups) {
  return !summary.tls13_groups.empty() &&
         std::none_of(summary.tls13_groups.begin(), summary.tls13_groups.end(),
                      [&our_groups](std::uint16_t g) { return contains(our_groups, g); });
}

}  // namespace

bool PredictedNegotiation::fails_with(ReasonCode code) const {
  return contains(failures, code);
}

PredictedNegotiation predict_negotiation(const SupportedSummary& summary, const policy::Offer& offer,
                                         PredictionRules rules) {
  PredictedNegotiation p;
  if (const auto spoken = version_without_usable_suite(summary, offer.max_version);
      spoken && *spoken >= offer.min_version) {
    p.version = spoken;
    add_failure(p, ReasonCode::no_shared_cipher);
    p.detail = "the origin speaks " + version_text(*spoken) +
               " but refused every suite offered (handshake_failure, not protocol_version)";
    return p;
  }
  const auto accepted = summary.accepted_versions();
  if (accepted.empty()) {
    if (all_refused_with(summary, Refusal::not_tls)) {
      add_failure(p, ReasonCode::not_tls);
      p.detail = "the origin does not answer in TLS";
    } else if (std::none_of(summary.versions.begin(), summary.versions.end(), refused_in_tls)) {
      // Closed connections, silence or garbage: not a statement about versions.
      p.certain = false;
      p.detail = "no version could be established (the origin closed, timed out or answered malformed)";
    } else {
      add_failure(p, ReasonCode::no_shared_version);
      p.detail = "the origin refused every protocol version";
    }
    return p;
  }

  const auto pick = origin_choice(summary, offer.max_version);
  if (!pick) {
    add_failure(p, accepted.front() == ProtocolVersion::tls1_3 ? ReasonCode::tls13_only
                                                               : ReasonCode::no_shared_version);
    p.detail = "the origin accepts only " + version_text(accepted.front()) +
               " and above; the edge offers up to " + version_text(offer.max_version);
    return p;
  }
  p.version = pick;
  if (*pick < offer.min_version) {
    add_failure(p, ReasonCode::no_shared_version);
    p.detail = "the origin would choose " + version_text(*pick) + ", below the setting's floor " +
               version_text(offer.min_version);
    return p;
  }

  const VersionSupport* support = summary.find(*pick);
  if (!support->complete) p.certain = false;
  std::vector<std::uint16_t> our_suites;
  for (const policy::CipherSuite* suite : offer.cipher_suites) {
    if (suite->valid_in(*pick)) our_suites.push_back(suite->code);
  }
  const auto shared_suites = shared_in_order(support->cipher_suites, our_suites, support->server_preference);
  if (shared_suites.empty()) {
    add_failure(p, ReasonCode::no_shared_cipher);
    p.detail = "no cipher suite in " + version_text(*pick) + " is accepted by both";
    return p;
  }
  if (support->server_preference != Tristate::yes && shared_suites.size() > 1 &&
      support->server_preference == Tristate::unknown) {
    p.certain = false;
  }

  std::vector<std::uint16_t> our_groups;
  for (const policy::NamedGroup* group : offer.groups) our_groups.push_back(group->code);
  if (*pick == ProtocolVersion::tls1_3 && tls13_groups_unshared(summary, our_groups)) {
    add_failure(p, ReasonCode::no_shared_group);
    p.detail = "no TLSv1.3 key-share group is accepted by both";
    return p;
  }
  std::vector<std::uint16_t> our_schemes;
  for (const policy::SignatureScheme* scheme : offer.signature_schemes) our_schemes.push_back(scheme->code);
  const auto shared_groups = shared_in_order(summary.groups, our_groups, summary.groups_server_preference);

  std::vector<std::string> rejected;
  for (std::uint16_t code : shared_suites) {
    const policy::CipherSuite* suite = policy::cipher_suite_by_code(code);
    if (suite == nullptr) continue;
    std::optional<std::uint16_t> group;
    std::optional<std::uint16_t> scheme;
    if (rules.certificate_needs_shared_scheme && *pick == ProtocolVersion::tls1_2 &&
        suite->key_exchange == policy::KeyExchange::rsa && !summary.signature_schemes_rsa.empty() &&
        std::none_of(summary.signature_schemes_rsa.begin(), summary.signature_schemes_rsa.end(),
                     [&our_schemes](std::uint16_t s) { return contains(our_schemes, s); })) {
      add_failure(p, ReasonCode::no_shared_signature_scheme);
      rejected.push_back(std::string(suite->openssl_name) +
                         ": the RSA certificate has no signature scheme in common");
      continue;
    }
    if (suite->key_exchange == policy::KeyExchange::ecdhe) {
      if (!summary.groups.empty() && shared_groups.empty()) {
        add_failure(p, ReasonCode::no_shared_group);
        rejected.push_back(std::string(suite->openssl_name) + ": no curve in common");
        continue;
      }
      if (summary.groups.empty()) p.certain = false;
      if (!shared_groups.empty()) group = shared_groups.front();
      if (suite->authentication == policy::Authentication::ecdsa && summary.ecdsa_certificate_curve &&
          !contains(our_groups, *summary.ecdsa_certificate_curve)) {
        add_failure(p, ReasonCode::no_shared_group);
        rejected.push_back(std::string(suite->openssl_name) + ": the ECDSA certificate is on " +
                           group_name_or_code(*summary.ecdsa_certificate_curve));
        continue;
      }
      if (*pick == ProtocolVersion::tls1_2) {
        const auto& theirs = suite->authentication == policy::Authentication::ecdsa
                                 ? summary.signature_schemes_ecdsa
                                 : summary.signature_schemes_rsa;
        std::vector<std::uint16_t> shared_schemes;
        for (std::uint16_t s : theirs) {
          if (contains(our_schemes, s)) shared_schemes.push_back(s);
        }
        if (!theirs.empty() && shared_schemes.empty()) {
          add_failure(p, ReasonCode::no_shared_signature_scheme);
          rejected.push_back(std::string(suite->openssl_name) + ": no signature scheme in common");
          continue;
        }
        if (theirs.empty()) p.certain = false;
        if (!shared_schemes.empty()) scheme = shared_schemes.front();
      }
    }
    p.compatible = true;
    p.failures.clear();
    p.cipher_suite = code;
    p.group = group;
    p.signature_scheme = scheme;
    p.detail = version_text(*pick) + " with " + std::string(suite->openssl_name);
    return p;
  }
  p.detail.clear();
  for (const auto& line : rejected) p.detail += (p.detail.empty() ? "" : "; ") + line;
  return p;
}

std::vector<SettingPrediction> predict_each_setting(const SupportedSummary& summary,
                                                    const policy::Profile& profile,
                                                    ProtocolVersion selected_floor) {
  constexpr std::array kFloors = {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1,
                                  ProtocolVersion::tls1_2};
  std::vector<SettingPrediction> rows;
  for (ProtocolVersion floor : kFloors) {
    const std::array selection = {floor};
    SettingPrediction row;
    row.floor = floor;
    const policy::Offer offer = policy::narrow(profile, selection);
    row.selected = floor == selected_floor;
    row.prediction = predict_negotiation(summary, offer);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<ProtocolVersion> best_working_floor(const std::vector<SettingPrediction>& rows) {
  std::optional<ProtocolVersion> best;
  for (const auto& row : rows) {
    if (row.prediction.compatible && (!best || *best < row.floor)) best = row.floor;
  }
  return best;
}

}  // namespace edgefetch::check
