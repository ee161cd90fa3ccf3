#include "edgefetch/check/diagnosis.hpp"

#include <algorithm>

#include "check/diagnosis_reasons.hpp"
#include "check/diagnosis_warnings.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::check {
namespace {

using policy::ProtocolVersion;

// A failure the engine reports before the certificate arrives, which several
// different server-side causes produce alike (handshake_failure means "no
// suite", "no curve" and "no signature scheme" at once).
bool is_negotiation_failure(const VerdictHandshake& handshake, ReasonCode primary) {
  if (!handshake.negotiated.certificate_chain.empty()) return false;
  switch (primary) {
    case ReasonCode::no_shared_version:
    case ReasonCode::no_shared_cipher:
    case ReasonCode::no_shared_group:
    case ReasonCode::no_shared_signature_scheme:
    case ReasonCode::connection_closed:
      return true;
    case ReasonCode::server_alert:
      // handshake_failure, insufficient_security, protocol_version, illegal_parameter.
      return handshake.error.alert && (*handshake.error.alert == 40 || *handshake.error.alert == 71 ||
                                       *handshake.error.alert == 70 || *handshake.error.alert == 47);
    default:
      return false;
  }
}

// The chain the edge sees: the handshake's when it got that far, else the one
// enumeration read with the same SNI (for the key type the edge would use).
std::optional<std::vector<std::vector<std::uint8_t>>> chain_to_audit(const VerdictHandshake& handshake,
                                                                     const SupportedSummary* summary,
                                                                     const PredictedNegotiation* prediction,
                                                                     const VerdictHandshake* comparison,
                                                                     std::string* source) {
  if (!handshake.negotiated.certificate_chain.empty()) {
    *source = "handshake";
    return handshake.negotiated.certificate_chain;
  }
  const auto from_comparison = [&]() -> std::optional<std::vector<std::vector<std::uint8_t>>> {
    if (comparison == nullptr || comparison->negotiated.certificate_chain.empty()) return std::nullopt;
    *source = "comparison";
    return comparison->negotiated.certificate_chain;
  };
  if (summary == nullptr) return from_comparison();
  std::optional<policy::Authentication> wanted;
  if (prediction && prediction->cipher_suite) {
    if (const auto* suite = policy::cipher_suite_by_code(*prediction->cipher_suite)) {
      wanted = suite->authentication;
    }
  }
  const CertificateObservation* first = nullptr;
  const CertificateObservation* fitting = nullptr;
  for (const auto& observation : summary->certificates) {
    if (!observation.with_sni || observation.chain_der.empty()) continue;
    if (first == nullptr) first = &observation;
    const auto names = suite_names(observation.cipher_suite);
    if (wanted && names &&
        ((*wanted == policy::Authentication::rsa && names->authentication == SuiteAuthentication::rsa) ||
         (*wanted == policy::Authentication::ecdsa && names->authentication == SuiteAuthentication::ecdsa))) {
      fitting = &observation;
      break;
    }
  }
  const CertificateObservation* best = fitting != nullptr ? fitting : first;
  if (best == nullptr) return from_comparison();
  *source = "enumeration";
  return best->chain_der;
}

void add_reason(std::vector<Reason>& reasons, Reason reason) {
  const bool seen = std::any_of(reasons.begin(), reasons.end(),
                                [&reason](const Reason& r) { return r.code == reason.code; });
  if (!seen || is_certificate_reason(reason.code)) reasons.push_back(std::move(reason));
}

}  // namespace

bool Diagnosis::has_reason(ReasonCode code) const {
  return std::any_of(reasons.begin(), reasons.end(), [code](const Reason& r) { return r.code == code; });
}

bool Diagnosis::has_warning(WarningCode code) const {
  return std::any_of(warnings.begin(), warnings.end(), [code](const Warning& w) { return w.code == code; });
}

ReasonCode reason_for_tls_error(const tls::Error& error) {
  using tls::ErrorCode;
  switch (error.code) {
    case ErrorCode::no_shared_version:
    case ErrorCode::version_not_allowed:
      return ReasonCode::no_shared_version;
    case ErrorCode::no_shared_cipher:
      return ReasonCode::no_shared_cipher;
    case ErrorCode::no_shared_group:
      return ReasonCode::no_shared_group;
    case ErrorCode::no_shared_signature_scheme:
      return ReasonCode::no_shared_signature_scheme;
    case ErrorCode::cert_untrusted:
      return ReasonCode::cert_untrusted;
    case ErrorCode::cert_expired:
      return ReasonCode::cert_expired;
    case ErrorCode::cert_not_yet_valid:
      return ReasonCode::cert_not_yet_valid;
    case ErrorCode::cert_name_mismatch:
      return ReasonCode::cert_name_mismatch;
    case ErrorCode::cert_incomplete_chain:
      return ReasonCode::cert_incomplete_chain;
    case ErrorCode::cert_key_unsupported:
      return ReasonCode::cert_key_unsupported;
    case ErrorCode::cert_invalid:
      return ReasonCode::cert_invalid;
    case ErrorCode::not_tls:
      return ReasonCode::not_tls;
    case ErrorCode::server_alert:
      return ReasonCode::server_alert;
    case ErrorCode::unexpected_eof:
      return ReasonCode::connection_closed;
    default:
      return ReasonCode::protocol_error;
  }
}

Diagnosis diagnose(const OriginTarget& target, const EdgeSettings& settings,
                   const VerdictHandshake& handshake, const SupportedSummary* summary, std::time_t now,
                   const VerdictHandshake* comparison) {
  Diagnosis diagnosis;
  diagnosis.verdict = handshake.verdict;
  const policy::Offer offer = settings.offer();
  if (offer.selection_had_gaps) {
    diagnosis.notes.push_back("The OriginSslProtocols selection " + detail::setting_text(settings) +
                              " has gaps; like the CDN, the check uses every version from its lowest (" +
                              detail::accepted_range_text(offer) + ").");
  }
  if (target.host_header && !target.host_header->empty() && *target.host_header != target.host) {
    diagnosis.notes.push_back(
        "The Host header " + *target.host_header +
        " is forwarded: the edge sends it as SNI and checks the certificate against it.");
  }

  if (summary != nullptr) {
    const ProtocolVersion floor = std::min(offer.min_version, ProtocolVersion::tls1_2);
    diagnosis.settings = predict_each_setting(*summary, settings.effective_profile(), floor);
    diagnosis.prediction = predict_negotiation(*summary, offer);
  }
  const PredictedNegotiation* prediction = diagnosis.prediction ? &*diagnosis.prediction : nullptr;

  if (handshake.verdict != Verdict::unreachable && target.trust_store) {
    if (auto chain =
            chain_to_audit(handshake, summary, prediction, comparison, &diagnosis.certificate_source)) {
      diagnosis.certificate = audit_certificate_chain(*chain, *target.trust_store, target.server_name(), now);
    }
  }
  const CertificateAudit* audit = diagnosis.certificate ? &*diagnosis.certificate : nullptr;
  const detail::ReasonContext ctx{target,  settings,           offer,      handshake,
                                  summary, diagnosis.settings, prediction, audit};

  switch (handshake.verdict) {
    case Verdict::unreachable:
      diagnosis.reasons.push_back(detail::unreachable_reason(ctx));
      break;
    case Verdict::compatible:
      if (prediction && !prediction->compatible && !prediction->failures.empty()) {
        diagnosis.notes.push_back(
            "Enumeration predicted a failure (" + prediction->detail +
            "), but the edge's handshake succeeded: the origin answers inconsistently.");
      }
      if (audit && !audit->acceptable()) {
        for (const auto& finding : audit->findings) {
          diagnosis.notes.push_back("Certificate: " + finding.message +
                                    " (the edge's own verification passed).");
        }
      }
      break;
    case Verdict::incompatible: {
      const ReasonCode primary = reason_for_tls_error(handshake.error);
      const bool explained = prediction && !prediction->compatible && !prediction->failures.empty();
      if (is_negotiation_failure(handshake, primary) && explained) {
        for (ReasonCode code : prediction->failures) {
          add_reason(diagnosis.reasons, detail::handshake_error_reason(ctx, code));
        }
      } else if (!is_certificate_reason(primary)) {
        add_reason(diagnosis.reasons, detail::handshake_error_reason(ctx, primary));
        if (is_negotiation_failure(handshake, primary) && prediction && prediction->compatible) {
          diagnosis.notes.push_back("Enumeration found a combination the edge accepts (" +
                                    prediction->detail +
                                    "), yet the edge's handshake failed: the origin answers inconsistently.");
        }
      }
      if (audit) {
        for (const auto& finding : audit->findings) {
          add_reason(diagnosis.reasons, detail::certificate_reason(ctx, finding));
        }
      }
      if (is_certificate_reason(primary) &&
          std::none_of(diagnosis.reasons.begin(), diagnosis.reasons.end(),
                       [](const Reason& r) { return is_certificate_reason(r.code); })) {
        // The engine's verdict stands even where the audit saw nothing more.
        add_reason(diagnosis.reasons, detail::handshake_error_reason(ctx, primary));
      }
      if (diagnosis.reasons.empty()) {
        add_reason(diagnosis.reasons, detail::handshake_error_reason(ctx, primary));
      }
      break;
    }
  }

  detail::add_warnings(diagnosis, handshake, audit);
  if (summary != nullptr) detail::add_summary_notes(diagnosis, *summary, target);
  return diagnosis;
}

}  // namespace edgefetch::check
