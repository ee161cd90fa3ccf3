#pragma once
// The text of each reason: what the origin did, in plain language with the
// values involved, and the fix. One function per reason family; diagnose()
// decides which apply.

#include <cstdint>
#include <vector>

#include "edgefetch/check/certificate_audit.hpp"
#include "edgefetch/check/diagnosis_prediction.hpp"
#include "edgefetch/check/reason.hpp"
#include "edgefetch/check/supported.hpp"
#include "edgefetch/check/verdict.hpp"

namespace edgefetch::check::detail {

struct ReasonContext {
  const OriginTarget& target;
  const EdgeSettings& settings;
  const policy::Offer& offer;
  const VerdictHandshake& handshake;
  const SupportedSummary* summary;             // may be null
  const std::vector<SettingPrediction>& rows;  // empty without a summary
  const PredictedNegotiation* prediction;      // for the checked setting; may be null
  const CertificateAudit* certificate;         // may be null
};

Reason no_shared_version_reason(const ReasonContext& ctx);
Reason tls13_only_reason(const ReasonContext& ctx);
Reason no_shared_cipher_reason(const ReasonContext& ctx);
Reason no_shared_group_reason(const ReasonContext& ctx);
Reason no_shared_signature_scheme_reason(const ReasonContext& ctx);
/// no_shared_group from the certificate alone: an ECDSA key on `curve`, which
/// the offer lacks (TLS 1.2 and earlier use such a certificate only on a
/// curve the client offers).
Reason certificate_curve_reason(const ReasonContext& ctx, std::uint16_t curve);
Reason not_tls_reason(const ReasonContext& ctx);
Reason certificate_reason(const ReasonContext& ctx, const CertificateFinding& finding);
/// A reason from the handshake error alone (server_alert, connection_closed,
/// protocol_error, and the others when enumeration has nothing to add).
Reason handshake_error_reason(const ReasonContext& ctx, ReasonCode code);
/// The reason the origin could not be reached (verdict unreachable).
Reason unreachable_reason(const ReasonContext& ctx);

/// Whether `schemes` has an rsa_pss_pss_* scheme: the only ones an RSA-PSS
/// (id-RSASSA-PSS) key can sign with.
bool has_rsa_pss_pss_scheme(const std::vector<const policy::SignatureScheme*>& schemes);

/// "TLSv1.2" / "SSLv3 to TLSv1.2": the versions the setting lets the edge accept.
std::string accepted_range_text(const policy::Offer& offer);
/// The OriginSslProtocols value as the user would write it ("TLSv1,TLSv1.1").
std::string setting_text(const EdgeSettings& settings);

}  // namespace edgefetch::check::detail
