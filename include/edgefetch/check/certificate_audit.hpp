#pragma once
// Every problem of a certificate chain, not just the first. The TLS engine
// stops at the first failed check (X509_verify_cert reports one error); a
// report that says "expired" and hides "and it names another host" sends the
// user round twice. So the chain is judged in independent passes: trust and
// completeness at a moment inside every certificate's validity window (so
// dates cannot mask them), the dates of each certificate against now, the
// leaf's names against the checked name, and the leaf's key.

#include <cstdint>
#include <ctime>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/check/reason.hpp"
#include "edgefetch/crypto/x509.hpp"

namespace edgefetch::check {

struct CertificateFinding {
  ReasonCode code = ReasonCode::cert_invalid;  // one of the cert_* codes
  std::string message;                         // one line, names the certificate and the values
  std::string subject;                         // the certificate concerned
  std::string date;                            // cert_expired / cert_not_yet_valid: the date passed / to come
  long days = 0;                               // ... and how many whole days from now (negative: ago)
  std::vector<std::string> names;              // cert_name_mismatch: SAN entries, or "CN=..." without SANs
  std::string checked_name;                    // cert_name_mismatch
  std::string missing_issuer;                  // cert_incomplete_chain / cert_untrusted: the issuer not found
  bool self_signed = false;                    // cert_untrusted: the leaf signs itself
  bool leaf = false;                           // `subject` is the leaf the origin sent
  bool sent = false;  // `subject` is a certificate the origin sent (false: one of the trust store's)
  /// cert_invalid: the certificate has an extended key usage without serverAuth
  /// (TLS Web Server Authentication), so it cannot serve TLS; `extended_key_usage`
  /// holds what it lists instead ("TLS Web Client Authentication (clientAuth)").
  bool lacks_server_auth = false;
  std::vector<std::string> extended_key_usage;
  /// cert_invalid from path verification: OpenSSL refused `subject` for TLS
  /// servers ("unsuitable certificate purpose"); the purpose pass says why.
  bool purpose_refused = false;
};

struct CertificateAudit {
  std::vector<crypto::CertificateInfo> chain;  // as sent, leaf first (those that parsed)
  std::vector<CertificateFinding> findings;    // empty: the edge accepts the chain for the name
  /// Subjects of the verified path, leaf to trust anchor, when the chain
  /// verifies apart from dates and name.
  std::vector<std::string> verified_path;
  std::optional<long> days_to_expiry;  // the leaf's
  std::string checked_name;

  [[nodiscard]] bool acceptable() const { return findings.empty(); }
  [[nodiscard]] bool has(ReasonCode code) const;
};

/// Audits `chain` (DER, leaf first, as the server sent it) for `name` (DNS
/// name or IP literal; empty: no name check) against `store` at `now`.
CertificateAudit audit_certificate_chain(std::span<const std::vector<std::uint8_t>> chain,
                                         const crypto::TrustStore& store, std::string_view name,
                                         std::time_t now);

}  // namespace edgefetch::check
