#include "check/diagnosis_warnings.hpp"

#include <algorithm>
#include <cctype>

#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/url.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "edgefetch/tls/alert_description.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::check::detail {
namespace {

using policy::ProtocolVersion;

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

void warn(Diagnosis& diagnosis, WarningCode code, std::string message) {
  diagnosis.warnings.push_back(Warning{code, std::move(message)});
}

// RFC 5246 7.4.2: after the leaf, each certificate certifies the one before
// it. Path building (OpenSSL's, which s2n uses) finds the path in any order,
// but the CDN's guidance lists a chain out of order as a cause of 502.
void chain_order_warning(Diagnosis& diagnosis, const std::vector<crypto::CertificateInfo>& chain) {
  for (std::size_t i = 1; i < chain.size(); ++i) {
    if (chain[i].subject == chain[i - 1].issuer) continue;
    std::string order;
    for (const auto& certificate : chain) order += (order.empty() ? "" : ", ") + quoted(certificate.subject);
    warn(diagnosis, WarningCode::chain_order,
         "The origin sends its chain out of order: " + order + "; certificate " + std::to_string(i + 1) +
             ", " + quoted(chain[i].subject) + ", is not the issuer of the one before it (" +
             quoted(chain[i - 1].issuer) +
             " is). The edge's path building finds the path anyway, but the CDN's guidance lists an "
             "out-of-order chain as a cause of 502: send the leaf, then each certificate's issuer in turn "
             "(the root may be left out).");
    return;
  }
}

// s2n's CloudFront policies set no certificate signature preferences, so the
// edge's library takes a SHA-1 chain, as edgefetch does; whether CloudFront
// itself does is not documented. A self-signed certificate's own signature
// proves nothing and is not checked, so a root is left out.
void certificate_signature_warnings(Diagnosis& diagnosis, const std::vector<crypto::CertificateInfo>& chain) {
  for (const auto& certificate : chain) {
    const std::string& digest = certificate.signature_digest;
    if (digest != "SHA1" && digest != "MD5") continue;
    if (certificate.self_issued && certificate.subject == certificate.issuer) continue;
    warn(diagnosis, WarningCode::weak_certificate_signature,
         std::string(&certificate == &chain.front() ? "The certificate " : "The chain certificate ") +
             quoted(certificate.subject) + " is signed with " + certificate.signature_algorithm + " (" +
             (digest == "SHA1" ? "SHA-1" : "MD5") +
             "). The CDN's TLS library (s2n) does not restrict certificate signatures in its CloudFront "
             "policies, so the edge's handshake took it here, but CloudFront does not document that it "
             "accepts such chains and public CAs stopped issuing them in 2016: have it reissued signed with "
             "SHA-256.");
  }
}

// AWS documents RSA keys of 1024 to 4096 bits and 256-bit ECDSA keys for
// origin certificates. A P-384 key works in the edge's handshake (s2n offers
// its signature schemes), but nothing promises it does at CloudFront.
void undocumented_key_warning(Diagnosis& diagnosis, const crypto::CertificateInfo& leaf) {
  std::string instead;
  if (leaf.key_type == crypto::KeyType::ec && !leaf.key_curve.empty() && leaf.key_curve != "P-256" &&
      policy::find_named_group(leaf.key_curve) != nullptr) {
    instead = "AWS documents only 256-bit ECDSA keys (prime256v1, P-256) for origin certificates";
  } else if (leaf.key_type == crypto::KeyType::rsa && leaf.key_bits > kLargestDocumentedRsaBits) {
    instead = "AWS documents RSA keys of up to 4096 bits for origin certificates";
  }
  if (instead.empty()) return;
  warn(diagnosis, WarningCode::undocumented_key,
       "The certificate " + quoted(leaf.subject) + " has an " + leaf.key + " key, but " + instead +
           ". The edge's handshake worked with it here, but CloudFront does not promise it will: a P-256 "
           "or RSA 2048 key stays within what is documented.");
}

void certificate_warnings(Diagnosis& diagnosis, const CertificateAudit& audit) {
  if (audit.chain.empty()) return;
  chain_order_warning(diagnosis, audit.chain);
  certificate_signature_warnings(diagnosis, audit.chain);
  const crypto::CertificateInfo& leaf = audit.chain.front();
  undocumented_key_warning(diagnosis, leaf);
  if (audit.days_to_expiry && *audit.days_to_expiry >= 0 && *audit.days_to_expiry <= kExpiryWarningDays) {
    const long days = *audit.days_to_expiry;
    warn(diagnosis, WarningCode::cert_expiring_soon,
         "The certificate " + quoted(leaf.subject) + " expires on " + leaf.not_after + ", in " +
             std::to_string(days) + (days == 1 ? " day" : " days") +
             ": renew it before then, or the edge will refuse it (502).");
  }
  if (leaf.key_type == crypto::KeyType::rsa && leaf.key_bits > 0 && leaf.key_bits < kWeakRsaBits) {
    warn(diagnosis, WarningCode::weak_rsa_key,
         "The certificate " + quoted(leaf.subject) + " has an RSA key of " + std::to_string(leaf.key_bits) +
             " bits; use 2048 bits or more (public CAs no longer issue smaller keys).");
  }
}

void negotiation_warnings(Diagnosis& diagnosis, const tls::Negotiated& negotiated) {
  if (negotiated.version == ProtocolVersion::ssl3) {
    warn(diagnosis, WarningCode::legacy_version,
         "The edge negotiated SSLv3, which is broken (POODLE): enable TLS 1.2 on the origin and raise "
         "OriginSslProtocols to TLSv1.2.");
  }
  const policy::CipherSuite* suite = negotiated.cipher_suite;
  if (suite != nullptr && suite->legacy) {
    warn(diagnosis, WarningCode::legacy_cipher,
         "The edge negotiated " + std::string(suite->openssl_name) + " (" +
             std::string(policy::info(suite->cipher).name) +
             "), a legacy cipher: give the origin an AES-GCM ECDHE suite and prefer it.");
  }
  if (suite != nullptr && !suite->legacy && suite->key_exchange == policy::KeyExchange::rsa) {
    // The policy's only suites without ECDHE; the edge falls back to them when the
    // origin takes none of its ECDHE suites, or none with a curve it offers.
    warn(diagnosis, WarningCode::no_forward_secrecy,
         "The edge negotiated " + std::string(suite->openssl_name) +
             ", an RSA key exchange without forward secrecy: whoever gets the origin's private key later can "
             "decrypt recorded traffic. Enable an ECDHE suite on the origin, such as "
             "ECDHE-RSA-AES128-GCM-SHA256 "
             "(for an ECDSA certificate ECDHE-ECDSA-AES128-GCM-SHA256), with the curve P-256 or X25519.");
  }
  const policy::SignatureScheme* scheme = negotiated.signature_scheme;
  if (scheme != nullptr && scheme->hash == policy::HashAlgorithm::sha1) {
    warn(diagnosis, WarningCode::legacy_signature,
         "The origin signed the key exchange with " + std::string(scheme->iana_name) +
             " (SHA-1): allow SHA-256 signature schemes on the origin.");
  } else if (suite != nullptr && suite->key_exchange == policy::KeyExchange::ecdhe &&
             negotiated.version < ProtocolVersion::tls1_2) {
    warn(diagnosis, WarningCode::legacy_signature,
         std::string("In ") + std::string(policy::info(negotiated.version).openssl_name) +
             " the key exchange is signed with " +
             (suite->authentication == policy::Authentication::rsa ? "MD5+SHA-1" : "SHA-1") +
             ": TLS 1.2 on the origin lets it use SHA-256.");
  }
}

// Warning alerts the edge's handshake went on after, whatever its verdict:
// the edge may not go on (tls::warning_alerts_text), and unrecognized_name
// also says the origin has no site for the name, which explains a wrong certificate.
void warning_alert_warnings(Diagnosis& diagnosis, const tls::Negotiated& negotiated,
                            const OriginTarget& target) {
  if (negotiated.warning_alerts.empty()) return;
  const std::string name = target.server_name();
  std::string message =
      tls::warning_alerts_text(negotiated.warning_alerts, net::is_ip_literal(name) ? "" : name);
  message.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(message.front())));
  message += ". Configure the origin so that it sends none";
  if (std::find(negotiated.warning_alerts.begin(), negotiated.warning_alerts.end(),
                tls::alert_description::kUnrecognizedName) != negotiated.warning_alerts.end()) {
    message += " (for unrecognized_name: serve " + quoted(name) +
               " by name, e.g. nginx server_name, Apache ServerName or ServerAlias)";
  }
  warn(diagnosis, WarningCode::warning_alert, message + ".");
}

}  // namespace

void add_warnings(Diagnosis& diagnosis, const VerdictHandshake& handshake, const CertificateAudit* audit,
                  const OriginTarget& target) {
  if (audit != nullptr) certificate_warnings(diagnosis, *audit);
  if (handshake.verdict == Verdict::compatible) negotiation_warnings(diagnosis, handshake.negotiated);
  warning_alert_warnings(diagnosis, handshake.negotiated, target);
}

void add_summary_notes(Diagnosis& diagnosis, const SupportedSummary& summary, const OriginTarget& target) {
  if (summary.sni_changes_certificate == Tristate::yes) {
    std::string other;
    for (const auto& observation : summary.certificates) {
      if (observation.with_sni || observation.chain_der.empty()) continue;
      if (auto leaf = crypto::Certificate::from_der(observation.chain_der.front())) {
        other = leaf->info().subject;
      }
    }
    diagnosis.notes.push_back("Without SNI the origin presents a different certificate" +
                              (other.empty() ? std::string() : " (" + quoted(other) + ")") +
                              "; the edge always sends SNI (" + target.server_name() +
                              "), so only the SNI one counts.");
  }
  if (summary.unsolicited_signature_scheme) {
    diagnosis.notes.push_back("The origin signed with " +
                              signature_scheme_name_or_code(*summary.unsolicited_signature_scheme) +
                              ", a scheme the ClientHello did not offer (RFC 5246 forbids this).");
  }
  const bool incomplete = !summary.groups_complete || !summary.tls13_groups_complete ||
                          !summary.signature_schemes_complete ||
                          std::any_of(summary.versions.begin(), summary.versions.end(),
                                      [](const VersionSupport& v) { return !v.complete; });
  if (incomplete) {
    diagnosis.notes.emplace_back(
        "Some lists of what the origin supports may be incomplete (probes timed out or failed, or the probe "
        "budget ran out).");
  }
  for (const auto& note : summary.notes) diagnosis.notes.push_back("Enumeration: " + note);
}

}  // namespace edgefetch::check::detail
