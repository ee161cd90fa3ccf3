#pragma once
// From what happened to what it means: the verdict handshake's outcome and
// (when enumeration ran) what the origin supports, combined into the reasons
// the edge cannot connect (every one found, each with a fix), warnings worth
// acting on although the edge connects, and what the edge would negotiate
// under each OriginSslProtocols setting. A pure function: no I/O, the time is
// an input.

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "edgefetch/check/certificate_audit.hpp"
#include "edgefetch/check/diagnosis_prediction.hpp"
#include "edgefetch/check/reason.hpp"
#include "edgefetch/check/supported.hpp"
#include "edgefetch/check/verdict.hpp"

namespace edgefetch::check {

struct Diagnosis {
  Verdict verdict = Verdict::unreachable;
  std::vector<Reason> reasons;  // empty exactly when compatible
  std::vector<Warning> warnings;
  /// Facts worth a line that are neither reasons nor warnings (SNI behaviour,
  /// a setting with gaps, enumeration limits), one sentence each.
  std::vector<std::string> notes;

  /// The chain the edge sees (from the verdict handshake, else from
  /// enumeration with SNI), audited for the name the edge checks.
  std::optional<CertificateAudit> certificate;
  std::string certificate_source;  // "handshake", "enumeration" or "comparison"

  /// With a summary: the prediction for the setting checked, and one row per
  /// OriginSslProtocols floor.
  std::optional<PredictedNegotiation> prediction;
  std::vector<SettingPrediction> settings;

  [[nodiscard]] bool has_reason(ReasonCode code) const;
  [[nodiscard]] bool has_warning(WarningCode code) const;
};

/// `summary` may be null (enumeration skipped or impossible). `now` is the
/// time certificates are judged at.
/// `comparison`: the other profile's handshake, if one was made; its
/// certificate is audited when neither `handshake` nor enumeration read one
/// (a TLS 1.3-only origin under the documented policy).
Diagnosis diagnose(const OriginTarget& target, const EdgeSettings& settings,
                   const VerdictHandshake& handshake, const SupportedSummary* summary, std::time_t now,
                   const VerdictHandshake* comparison = nullptr);

/// The reason a handshake error stands for on its own (without enumeration).
ReasonCode reason_for_tls_error(const tls::Error& error);

}  // namespace edgefetch::check
