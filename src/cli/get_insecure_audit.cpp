#include "get_insecure_audit.hpp"

#include "edgefetch/check/certificate_audit.hpp"
#include "edgefetch/check/reason.hpp"
#include "edgefetch/crypto/x509.hpp"

namespace edgefetch::cli::get {

std::optional<std::string> insecure_audit(const origin::FetchResult& result, const std::string& ca_file,
                                          std::time_t now) {
  if (!result.tls || result.tls->certificate_chain.empty()) return std::nullopt;
  auto store =
      ca_file.empty() ? crypto::TrustStore::system_default() : crypto::TrustStore::from_pem_file(ca_file);
  if (!store) {
    return "the certificate could not be audited: the trust store did not load (" + store.error().message +
           ")";
  }
  const auto audit =
      check::audit_certificate_chain(result.tls->certificate_chain, **store, result.server_name, now);
  if (audit.findings.empty()) {
    return "with verification on, as at the edge, this certificate chain would be accepted for " +
           result.server_name;
  }
  std::string text = "with verification on, as at the edge, this origin would be refused (502):";
  for (const auto& finding : audit.findings) {
    text += " " + std::string(check::reason_code_name(finding.code)) + " (" + finding.message + ");";
  }
  text.back() = '.';
  return text;
}

}  // namespace edgefetch::cli::get
