#include <algorithm>

#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/check/report.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::check {
namespace {

using json = nlohmann::ordered_json;
using policy::ProtocolVersion;

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
         std::to_string(endpoint.port());
}

json version_json(ProtocolVersion v) {
  return json{{"name", policy::info(v).openssl_name}, {"code", policy::format_code_point(policy::wire(v))}};
}

// Every catalogued profile's offer under the report's OriginSslProtocols, in
// catalogue order: the same policy::Offer the text report's "<profile>
// offers" column and its "(<other profile> does)" remark ask
// (offers_suite / offers_group / offers_signature_scheme).
using ProfileOffers = std::vector<policy::Offer>;

ProfileOffers profile_offers(const EdgeSettings& settings) {
  ProfileOffers out;
  for (const policy::Profile& profile : policy::all_profiles()) {
    out.push_back(policy::narrow(profile, settings.origin_ssl_protocols));
  }
  return out;
}

// `offered_by`: the names of the profiles whose offer has `code`.
json offered_by(const ProfileOffers& offers, bool (policy::Offer::*offers_item)(std::uint16_t) const,
                std::uint16_t code) {
  json out = json::array();
  for (const policy::Offer& offer : offers) {
    if ((offer.*offers_item)(code)) out.push_back(offer.profile->name);
  }
  return out;
}

// `in_policy` keeps its historic meaning per kind (suites: in the policy's
// suite catalogue; groups: one of the documented curves; signature schemes:
// in the documented table); `offered_by` says which profiles offer the item.
json suite_json(std::uint16_t code, const ProfileOffers& offers) {
  const auto names = suite_names(code);
  return json{{"openssl", openssl_name_or_code(code)},
              {"rfc", rfc_name_or_code(code)},
              {"code", policy::format_code_point(code)},
              {"in_policy", names && names->in_policy},
              {"offered_by", offered_by(offers, &policy::Offer::offers_suite, code)}};
}

json group_json(std::uint16_t code, const ProfileOffers& offers) {
  const policy::NamedGroup* group = policy::named_group_by_code(code);
  return json{{"name", group_name_or_code(code)},
              {"code", policy::format_code_point(code)},
              {"in_policy", group != nullptr && group->in_policy},
              {"offered_by", offered_by(offers, &policy::Offer::offers_group, code)}};
}

json scheme_json(std::uint16_t code, const ProfileOffers& offers) {
  const policy::SignatureScheme* scheme = policy::signature_scheme_by_code(code);
  return json{{"name", signature_scheme_name_or_code(code)},
              {"code", policy::format_code_point(code)},
              {"in_policy", scheme != nullptr && scheme->in_seed_table},
              {"offered_by", offered_by(offers, &policy::Offer::offers_signature_scheme, code)}};
}

// {name, code} only, as `edgefetch get --json` spells negotiated values.
json named_code(std::string_view name, std::uint16_t code) {
  return json{{"name", name}, {"code", policy::format_code_point(code)}};
}

json code_list(const std::vector<std::uint16_t>& codes, json (*one)(std::uint16_t, const ProfileOffers&),
               const ProfileOffers& offers) {
  json out = json::array();
  for (std::uint16_t code : codes) out.push_back(one(code, offers));
  return out;
}

json strings(const std::vector<std::string>& items) {
  json out = json::array();
  for (const auto& item : items) out.push_back(item);
  return out;
}

json target_json(const CheckReport& report) {
  const auto& t = report.target;
  const auto& h = report.handshake;
  json addresses = json::array();
  for (const auto& endpoint : h.addresses) addresses.push_back(endpoint_text(endpoint));
  return json{{"host", t.host},
              {"port", t.port},
              {"server_name", t.server_name()},
              {"host_header", t.host_header ? json(*t.host_header) : json(nullptr)},
              {"addresses", addresses},
              {"resolved_by", net::resolve_source_name(h.resolve_source)},
              {"connected_to", h.remote ? json(endpoint_text(*h.remote)) : json(nullptr)}};
}

json settings_json(const CheckReport& report) {
  const auto& s = report.settings;
  json protocols = json::array();
  for (ProtocolVersion v : s.origin_ssl_protocols) protocols.push_back(policy::info(v).origin_ssl_protocol);
  const policy::Offer offer = s.offer();
  const std::string range = offer.min_version == offer.max_version
                                ? std::string(policy::info(offer.min_version).openssl_name)
                                : std::string(policy::info(offer.min_version).openssl_name) + " to " +
                                      std::string(policy::info(offer.max_version).openssl_name);
  return json{{"origin_ssl_protocols", protocols},
              {"accepted_versions", range},
              {"profile", s.effective_profile().name},
              {"connection_timeout_s", s.connection_timeout.count()},
              {"connection_attempts", s.connection_attempts},
              {"trust_store", report.target.trust_description}};
}

json negotiated_json(const VerdictHandshake& handshake) {
  if (handshake.verdict != Verdict::compatible) return nullptr;
  const tls::Negotiated& n = handshake.negotiated;
  json out;
  out["version"] = version_json(n.version);
  out["cipher"] = n.cipher_suite ? json{{"openssl", n.cipher_suite->openssl_name},
                                        {"rfc", n.cipher_suite->rfc_name},
                                        {"code", policy::format_code_point(n.cipher_suite->code)}}
                                 : json(nullptr);
  out["group"] = n.group ? named_code(n.group->name, n.group->code) : json(nullptr);
  out["signature_scheme"] = n.signature_scheme
                                ? named_code(n.signature_scheme->iana_name, n.signature_scheme->code)
                                : json(nullptr);
  // TLS 1.3 has neither extension (both are built in): null, not false.
  const bool tls13 = n.version == policy::ProtocolVersion::tls1_3;
  out["extended_master_secret"] = tls13 ? json(nullptr) : json(n.extended_master_secret);
  out["secure_renegotiation"] = tls13 ? json(nullptr) : json(n.secure_renegotiation);
  out["hello_retry_request"] = n.hello_retry_request;
  return out;
}

json reasons_json(const std::vector<Reason>& reasons) {
  json out = json::array();
  for (const Reason& r : reasons) {
    out.push_back(json{{"code", reason_code_name(r.code)}, {"message", r.message}, {"fix", r.fix}});
  }
  return out;
}

// The primary verdict first (the one `verdict` and the exit code follow), then
// the comparison's, when there is one.
json verdicts_json(const CheckReport& report) {
  json out = json::array();
  out.push_back(json{{"profile", report.settings.effective_profile().name},
                     {"role", "primary"},
                     {"verdict", verdict_name(report.diagnosis.verdict)},
                     {"reasons", reasons_json(report.diagnosis.reasons)},
                     {"negotiated", negotiated_json(report.handshake)},
                     {"not_tried", nullptr}});
  if (report.comparison) {
    const ComparedVerdict& c = *report.comparison;
    out.push_back(json{{"profile", c.profile->name},
                       {"role", "comparison"},
                       {"verdict", verdict_name(c.verdict)},
                       {"reasons", reasons_json(c.reasons)},
                       {"negotiated", c.tried() ? negotiated_json(c.handshake) : json(nullptr)},
                       {"not_tried", c.tried() ? json(nullptr) : json(c.not_tried)}});
  }
  return out;
}

json certificate_json(const Diagnosis& diagnosis) {
  if (!diagnosis.certificate || diagnosis.certificate->chain.empty()) return nullptr;
  const CertificateAudit& audit = *diagnosis.certificate;
  const crypto::CertificateInfo& leaf = audit.chain.front();
  json chain = json::array();
  for (const auto& info : audit.chain) {
    chain.push_back(json{{"subject", info.subject},
                         {"issuer", info.issuer},
                         {"not_after", info.not_after},
                         {"signature_algorithm", info.signature_algorithm}});
  }
  json problems = json::array();
  for (const auto& finding : audit.findings) {
    problems.push_back(json{{"code", reason_code_name(finding.code)}, {"message", finding.message}});
  }
  return json{{"source", diagnosis.certificate_source},
              {"subject", leaf.subject},
              {"issuer", leaf.issuer},
              {"not_before", leaf.not_before},
              {"not_after", leaf.not_after},
              {"days_to_expiry", audit.days_to_expiry ? json(*audit.days_to_expiry) : json(nullptr)},
              {"san", strings(leaf.san)},
              {"key", leaf.key},
              {"signature_algorithm", leaf.signature_algorithm},
              {"checked_name", audit.checked_name},
              {"chain", chain},
              {"verified_path", strings(audit.verified_path)},
              {"problems", problems}};
}

json supported_json(const SupportedSummary& s, const EdgeSettings& settings) {
  const ProfileOffers offers = profile_offers(settings);
  json versions = json::array();
  json suites = json::object();
  json preference = json::object();
  bool complete = s.groups_complete && s.tls13_groups_complete && s.signature_schemes_complete;
  for (const VersionSupport& v : s.versions) {
    const std::string name(policy::info(v.version).openssl_name);
    versions.push_back(
        json{{"name", name},
             {"code", policy::format_code_point(policy::wire(v.version))},
             {"accepted", v.accepted},
             {"refusal", refusal_name(v.refusal)},
             {"alert", v.alert_description ? json(tls::alert_name(*v.alert_description)) : json(nullptr)},
             {"detail", v.detail},
             {"complete", v.complete}});
    complete = complete && v.complete;
    if (!v.accepted) continue;
    suites[name] = code_list(v.cipher_suites, &suite_json, offers);
    preference[name] = tristate_name(v.server_preference);
  }
  return json{{"versions", versions},
              {"suites_by_version", suites},
              {"server_preference", preference},
              {"groups", code_list(s.groups, &group_json, offers)},
              {"groups_server_preference", tristate_name(s.groups_server_preference)},
              {"tls13_groups", code_list(s.tls13_groups, &group_json, offers)},
              {"signature_schemes", code_list(s.signature_schemes(), &scheme_json, offers)},
              {"signature_schemes_by_key",
               json{{"rsa", code_list(s.signature_schemes_rsa, &scheme_json, offers)},
                    {"ecdsa", code_list(s.signature_schemes_ecdsa, &scheme_json, offers)}}},
              {"ecdsa_certificate_curve",
               s.ecdsa_certificate_curve
                   ? named_code(group_name_or_code(*s.ecdsa_certificate_curve), *s.ecdsa_certificate_curve)
                   : json(nullptr)},
              {"sni", json{{"changes_certificate", tristate_name(s.sni_changes_certificate)},
                           {"without_sni_detail", s.without_sni_detail}}},
              {"secure_renegotiation", tristate_name(s.secure_renegotiation)},
              {"extended_master_secret", tristate_name(s.extended_master_secret)},
              {"complete", complete}};
}

json prediction_json(const SettingPrediction& row) {
  const PredictedNegotiation& p = row.prediction;
  json reasons = json::array();
  for (ReasonCode code : p.failures) reasons.push_back(reason_code_name(code));
  const char* result = p.compatible ? "compatible" : (p.failures.empty() ? "unknown" : "incompatible");
  json out{{"origin_ssl_protocols", policy::info(row.floor).origin_ssl_protocol},
           {"selected", row.selected},
           {"result", result},
           {"reasons", reasons}};
  out["version"] = p.version && p.compatible ? version_json(*p.version) : json(nullptr);
  if (p.compatible && p.cipher_suite) {
    out["cipher"] = json{{"openssl", openssl_name_or_code(*p.cipher_suite)},
                         {"rfc", rfc_name_or_code(*p.cipher_suite)},
                         {"code", policy::format_code_point(*p.cipher_suite)}};
  } else {
    out["cipher"] = nullptr;
  }
  out["group"] = p.group && p.compatible ? named_code(group_name_or_code(*p.group), *p.group) : json(nullptr);
  out["signature_scheme"] =
      p.signature_scheme && p.compatible
          ? named_code(signature_scheme_name_or_code(*p.signature_scheme), *p.signature_scheme)
          : json(nullptr);
  out["certain"] = p.certain;
  out["detail"] = p.detail;
  return out;
}

void fill_origin(json& out, const CheckReport& report) {
  const Diagnosis& d = report.diagnosis;
  out["verdict"] = verdict_name(d.verdict);
  out["target"] = target_json(report);
  out["settings"] = settings_json(report);
  out["reasons"] = reasons_json(d.reasons);
  out["negotiated"] = negotiated_json(report.handshake);
  out["verdicts"] = verdicts_json(report);
  out["verdicts_summary"] = report.comparison && !report.comparison->summary.empty()
                                ? json(report.comparison->summary)
                                : json(nullptr);
  out["certificate"] = certificate_json(d);
  out["supported"] = report.supported ? supported_json(*report.supported, report.settings) : json(nullptr);
  if (!report.enumeration_skipped.empty()) out["enumeration_skipped"] = report.enumeration_skipped;
  json rows = json::array();
  for (const auto& row : d.settings) rows.push_back(prediction_json(row));
  out["edge_by_setting"] = rows;
  json warnings = json::array();
  for (const Warning& w : d.warnings) {
    warnings.push_back(json{{"code", warning_code_name(w.code)}, {"message", w.message}});
  }
  out["warnings"] = warnings;
  out["notes"] = strings(d.notes);
  json attempts = json::array();
  for (const auto& a : report.handshake.connect_attempts) {
    attempts.push_back(
        json{{"address", endpoint_text(a.endpoint)},
             {"outcome", net::connect_outcome_name(a.outcome)},
             {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(a.elapsed).count()}});
  }
  out["attempts"] = attempts;
  out["probes"] = report.probes;
  out["elapsed_ms"] = report.elapsed_ms;
}

}  // namespace

int DistributionReport::count(Verdict wanted) const {
  return static_cast<int>(std::count_if(origins.begin(), origins.end(), [wanted](const OriginCheck& o) {
    return o.report && o.report->verdict() == wanted;
  }));
}

int DistributionReport::checked() const {
  return static_cast<int>(std::count_if(origins.begin(), origins.end(),
                                        [](const OriginCheck& o) { return o.report.has_value(); }));
}

std::vector<ProfileCounts> DistributionReport::counts_by_profile() const {
  std::vector<ProfileCounts> out;
  const auto tally = [&out](const policy::Profile* profile, bool primary, Verdict judged) {
    auto it = std::find_if(out.begin(), out.end(), [profile, primary](const ProfileCounts& c) {
      return c.profile == profile && c.primary == primary;
    });
    if (it == out.end()) {
      out.push_back(ProfileCounts{profile, primary});
      it = std::prev(out.end());
    }
    (judged == Verdict::compatible     ? it->compatible
     : judged == Verdict::incompatible ? it->incompatible
                                       : it->unreachable) += 1;
  };
  for (const OriginCheck& origin : origins) {
    if (!origin.report) continue;
    tally(&origin.report->settings.effective_profile(), true, origin.report->verdict());
  }
  for (const OriginCheck& origin : origins) {
    if (!origin.report || !origin.report->comparison) continue;
    tally(origin.report->comparison->profile, false, origin.report->comparison->verdict);
  }
  return out;
}

json report_json(const CheckReport& report) {
  json out;
  fill_origin(out, report);
  return out;
}

json distribution_json(const DistributionReport& report) {
  json origins = json::array();
  int skipped = 0;
  for (const OriginCheck& origin : report.origins) {
    json entry{{"id", origin.id},
               {"domain_name", origin.domain_name},
               {"status", origin.skipped ? "skipped" : "checked"}};
    if (origin.skipped) {
      ++skipped;
      entry["skip_reason"] = origin.skip_reason;
    }
    entry["notes"] = strings(origin.notes);
    if (origin.report) {
      json details;
      fill_origin(details, *origin.report);
      for (auto& [key, value] : details.items()) {
        if (key == "notes") {
          for (const auto& note : value) entry["notes"].push_back(note);
        } else {
          entry[key] = value;
        }
      }
    }
    origins.push_back(std::move(entry));
  }
  json by_profile = json::array();
  for (const ProfileCounts& c : report.counts_by_profile()) {
    by_profile.push_back(json{{"profile", c.profile->name},
                              {"role", c.primary ? "primary" : "comparison"},
                              {"compatible", c.compatible},
                              {"incompatible", c.incompatible},
                              {"unreachable", c.unreachable}});
  }
  return json{{"verdict", verdict_name(report.verdict)},
              {"source", json{{"file", report.file}, {"format", report.format}}},
              {"origins", origins},
              {"counts", json{{"checked", report.checked()},
                              {"skipped", skipped},
                              {"compatible", report.count(Verdict::compatible)},
                              {"incompatible", report.count(Verdict::incompatible)},
                              {"unreachable", report.count(Verdict::unreachable)}}},
              {"counts_by_profile", by_profile},
              {"config_warnings", strings(report.config_warnings)},
              {"probes", report.probes},
              {"elapsed_ms", report.elapsed_ms}};
}

}  // namespace edgefetch::check
