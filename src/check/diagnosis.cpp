#include "edgefetch/check/diagnosis.hpp"

#include <algorithm>

#include "check/diagnosis_reasons.hpp"
#include "check/diagnosis_warnings.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/tls/alert_description.hpp"
#include "edgefetch/tls/error.hpp"

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
    case ReasonCode::connection_reset:
      return true;
    case ReasonCode::server_alert:
      if (!handshake.error.alert) return false;
      switch (*handshake.error.alert) {
        case tls::alert_description::kHandshakeFailure:
        case tls::alert_description::kInsufficientSecurity:
        case tls::alert_description::kProtocolVersion:
        case tls::alert_description::kIllegalParameter:
          return true;
        default:
          return false;
      }
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

// An origin that asks for a client certificate and still serves the edge,
// which sends none: worth knowing, since enforcing it later breaks the edge.
std::string client_certificate_note(const VerdictHandshake& handshake) {
  using Answer = VerdictHandshake::ClientCertificateAnswer;
  switch (handshake.client_certificate) {
    case Answer::accepted:
      return "The origin asks for a client certificate (CertificateRequest) but accepts the edge without one "
             "(optional client authentication); making it required would break the edge unless origin mTLS "
             "is configured.";
    case Answer::no_answer:
      return "The origin asks for a client certificate (CertificateRequest); in the moments after the TLS "
             "1.3 "
             "handshake it neither refused the edge's empty answer nor sent a session ticket, so it appears "
             "to accept connections without one.";
    default:
      return "";
  }
}

// The curve of an ECDSA certificate (audited, from any handshake or probe)
// when the offer lacks it and cannot use TLS 1.3, where the key_share and the
// signature scheme decide instead: such a certificate is unusable for the edge.
std::optional<std::uint16_t> unoffered_certificate_curve(const CertificateAudit* audit,
                                                         const VerdictHandshake& handshake,
                                                         const policy::Offer& offer) {
  if (audit == nullptr || audit->chain.empty()) return std::nullopt;
  const auto& leaf = audit->chain.front();
  if (leaf.key_type != crypto::KeyType::ec || leaf.key_curve.empty()) return std::nullopt;
  if (offer.max_version >= ProtocolVersion::tls1_3 && handshake.negotiated.cipher_suite == nullptr) {
    return std::nullopt;  // it may have refused for another reason than the curve
  }
  const policy::NamedGroup* group = policy::find_named_group(leaf.key_curve);
  if (group == nullptr || offer.offers_group(group->code)) return std::nullopt;
  return group->code;
}

// Every OriginSslProtocols floor sends the same ClientHello (the floor is
// checked on the ServerHello only; facts Appendix B), so the origin answers
// every row as it answered the verdict handshake. Enumeration's prediction
// stands only where the verdict cannot speak: rows whose lower floor accepts
// the version the checked setting refused.
void align_rows_with_verdict(Diagnosis& diagnosis, const VerdictHandshake& handshake) {
  if (handshake.verdict == Verdict::unreachable || diagnosis.settings.empty()) return;
  if (handshake.error.code == tls::ErrorCode::version_not_allowed) return;
  const tls::Negotiated& n = handshake.negotiated;
  const bool server_hello = n.cipher_suite != nullptr;
  if (handshake.verdict == Verdict::compatible && !server_hello) return;  // nothing to align with
  std::vector<ReasonCode> codes;
  for (const Reason& r : diagnosis.reasons) {
    if (std::find(codes.begin(), codes.end(), r.code) == codes.end()) codes.push_back(r.code);
  }
  const std::string version = std::string(policy::info(n.version).openssl_name);
  for (SettingPrediction& row : diagnosis.settings) {
    PredictedNegotiation aligned;
    if (server_hello && row.floor > n.version) {
      aligned.failures = {ReasonCode::no_shared_version};
      aligned.version = n.version;
      aligned.detail = "the origin chooses " + version + ", below the floor " +
                       std::string(policy::info(row.floor).openssl_name);
    } else if (handshake.verdict == Verdict::compatible && server_hello) {
      aligned.compatible = true;
      aligned.version = n.version;
      aligned.cipher_suite = n.cipher_suite->code;
      if (n.group != nullptr) aligned.group = n.group->code;
      if (n.signature_scheme != nullptr) aligned.signature_scheme = n.signature_scheme->code;
      aligned.detail =
          version + " with " + std::string(n.cipher_suite->openssl_name) + " (as the edge's handshake)";
    } else {
      aligned.failures = codes;
      if (server_hello) {
        aligned.version = n.version;
        aligned.cipher_suite = n.cipher_suite->code;
      }
      std::string list;
      for (ReasonCode code : codes) list += (list.empty() ? "" : ", ") + std::string(reason_code_name(code));
      aligned.detail = "the edge's handshake (the same ClientHello) failed: " + list;
    }
    row.prediction = std::move(aligned);
  }
}

// The audit, which knows no offer, calls an RSA-PSS key unusable; it is so
// only for an offer without an rsa_pss_pss_* scheme (the documented policy),
// not for one with them (the 2025 policy connects with it).
void accept_rsa_pss_key_if_offered(CertificateAudit& audit, const policy::Offer& offer) {
  if (audit.chain.empty() || audit.chain.front().key_type != crypto::KeyType::rsa_pss) return;
  if (!detail::has_rsa_pss_pss_scheme(offer.signature_schemes)) return;
  std::erase_if(audit.findings,
                [](const CertificateFinding& f) { return f.code == ReasonCode::cert_key_unsupported; });
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
    case ErrorCode::client_certificate_required:
      return ReasonCode::client_certificate_required;
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
      accept_rsa_pss_key_if_offered(*diagnosis.certificate, offer);
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
      if (const std::string note = client_certificate_note(handshake); !note.empty()) {
        diagnosis.notes.push_back(note);
      }
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
      // A reset is a socket error the engine sees as an end of stream.
      const ReasonCode primary =
          handshake.connection_reset ? ReasonCode::connection_reset : reason_for_tls_error(handshake.error);
      const bool negotiation_failure = is_negotiation_failure(handshake, primary);
      if (negotiation_failure && summary != nullptr && prediction && prediction->compatible) {
        // The common model says the edge connects, the origin refused it:
        // OpenSSL's stricter rule (no certificate without a shared signature
        // scheme, RSA key exchange included) may be what it applies.
        PredictionRules strict;
        strict.certificate_needs_shared_scheme = true;
        PredictedNegotiation stricter = predict_negotiation(*summary, offer, strict);
        if (!stricter.compatible && !stricter.failures.empty()) diagnosis.prediction = std::move(stricter);
      }
      const bool explained = prediction && !prediction->compatible && !prediction->failures.empty();
      const std::optional<std::uint16_t> unoffered_curve =
          unoffered_certificate_curve(audit, handshake, offer);
      if (negotiation_failure && audit && audit->has(ReasonCode::cert_key_unsupported)) {
        // A key the edge cannot use at all explains the refusal by itself; the
        // suites, curves and schemes that fail with it are its consequences,
        // and their fixes (other suites, other schemes) would not help.
      } else if (negotiation_failure && explained) {
        for (ReasonCode code : prediction->failures) {
          add_reason(diagnosis.reasons, detail::handshake_error_reason(ctx, code));
        }
      } else if (negotiation_failure && unoffered_curve) {
        // Without enumeration, the certificate read by the other profile's
        // handshake still shows an ECDSA key on a curve this offer lacks.
        add_reason(diagnosis.reasons, detail::certificate_curve_reason(ctx, *unoffered_curve));
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

  align_rows_with_verdict(diagnosis, handshake);
  detail::add_warnings(diagnosis, handshake, audit, target);
  if (summary != nullptr) detail::add_summary_notes(diagnosis, *summary, target);
  return diagnosis;
}

}  // namespace edgefetch::check
