#pragma once
// Warnings (not failures) and notes: certificate expiry and key size, legacy
// parameters the edge negotiated, and what enumeration noticed on the way.

#include "edgefetch/check/certificate_audit.hpp"
#include "edgefetch/check/diagnosis.hpp"
#include "edgefetch/check/supported.hpp"
#include "edgefetch/check/verdict.hpp"

namespace edgefetch::check::detail {

/// Certificate warnings from `audit` (may be null), the warning alerts the
/// origin sent, and, when the handshake completed, legacy-parameter warnings
/// from what it negotiated.
void add_warnings(Diagnosis& diagnosis, const VerdictHandshake& handshake, const CertificateAudit* audit,
                  const OriginTarget& target);

/// Notes from enumeration: SNI behaviour, unsolicited signature schemes, limits hit.
void add_summary_notes(Diagnosis& diagnosis, const SupportedSummary& summary, const OriginTarget& target);

}  // namespace edgefetch::check::detail
