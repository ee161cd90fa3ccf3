#include "edgefetch/check/certificate_audit.hpp"

#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <string>

#include "edgefetch/net/url.hpp"

namespace edgefetch::check {
namespace {

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::string days_text(long days) {
  const long magnitude = days < 0 ? -days : days;
  return std::to_string(magnitude) + (magnitude == 1 ? " day" : " days");
}

// The moment the trust pass verifies at: now when every sent certificate is
// valid now; else a moment inside every sent certificate's validity window,
// so that the trust pass is not cut short by a date the date pass reports on
// its own; now when the windows do not overlap.
std::time_t trust_moment(const std::vector<crypto::CertificateInfo>& chain, std::time_t now) {
  std::time_t latest_start = 0;
  std::time_t earliest_end = std::numeric_limits<std::time_t>::max();
  for (const auto& info : chain) {
    latest_start = std::max(latest_start, info.not_before_time);
    earliest_end = std::min(earliest_end, info.not_after_time);
  }
  if (latest_start <= now && now <= earliest_end) return now;
  if (latest_start > earliest_end) return now;
  // A minute in, when the window allows: X509 time comparisons are inclusive at both ends.
  return std::min(latest_start + 60, earliest_end);
}

bool is_date_error(const crypto::CertificateError& error) {
  using Kind = crypto::CertificateError::Kind;
  return error.kind == Kind::expired || error.kind == Kind::not_yet_valid;
}

bool was_sent(const std::vector<crypto::CertificateInfo>& chain, std::string_view subject) {
  return std::any_of(chain.begin(), chain.end(),
                     [subject](const crypto::CertificateInfo& info) { return info.subject == subject; });
}

std::optional<ReasonCode> reason_for(crypto::CertificateError::Kind kind) {
  using Kind = crypto::CertificateError::Kind;
  switch (kind) {
    case Kind::untrusted:
      return ReasonCode::cert_untrusted;
    case Kind::expired:
      return ReasonCode::cert_expired;
    case Kind::not_yet_valid:
      return ReasonCode::cert_not_yet_valid;
    case Kind::name_mismatch:
      return ReasonCode::cert_name_mismatch;
    case Kind::incomplete_chain:
      return ReasonCode::cert_incomplete_chain;
    case Kind::key_unsupported:
      return ReasonCode::cert_key_unsupported;
    case Kind::invalid:
      return ReasonCode::cert_invalid;
  }
  return std::nullopt;
}

void trust_pass(std::span<const std::vector<std::uint8_t>> chain, const crypto::TrustStore& store,
                std::time_t now, CertificateAudit& audit) {
  const std::time_t at = trust_moment(audit.chain, now);
  auto verified = crypto::verify_chain(chain, store, "", at);
  if (!verified && at != now && is_date_error(verified.error())) {
    // At `at` every sent certificate is valid, so the date is a trust store
    // certificate's (a root made after the leaf expired, say): those are
    // judged now. What fails now on a sent certificate's date is the date
    // pass's to report.
    verified = crypto::verify_chain(chain, store, "", now);
    if (!verified && is_date_error(verified.error()) &&
        was_sent(audit.chain, verified.error().certificate_subject)) {
      return;
    }
  }
  if (verified) {
    audit.verified_path = verified->chain_subjects;
    return;
  }
  const crypto::CertificateError& error = verified.error();
  CertificateFinding finding;
  finding.code = reason_for(error.kind).value_or(ReasonCode::cert_invalid);
  finding.message = error.message;
  finding.subject =
      error.certificate_subject.empty() ? audit.chain.front().subject : error.certificate_subject;
  finding.missing_issuer = error.missing_issuer;
  finding.date = error.certificate_date;
  finding.purpose_refused = error.purpose_refused;
  const auto& leaf = audit.chain.front();
  finding.self_signed =
      finding.code == ReasonCode::cert_untrusted && leaf.self_issued && leaf.subject == leaf.issuer;
  audit.findings.push_back(std::move(finding));
}

void date_pass(std::time_t now, CertificateAudit& audit) {
  constexpr long long kDay = 86400;
  for (const auto& info : audit.chain) {
    const bool leaf = &info == &audit.chain.front();
    const std::string which = leaf ? "certificate " : "chain certificate ";
    if (now > info.not_after_time) {
      CertificateFinding finding;
      finding.code = ReasonCode::cert_expired;
      finding.subject = info.subject;
      finding.date = info.not_after;
      finding.days = info.days_to_expiry(now);
      finding.message = which + quoted(info.subject) + " expired on " + info.not_after + " (" +
                        days_text(finding.days) + " ago)";
      audit.findings.push_back(std::move(finding));
    } else if (now < info.not_before_time) {
      CertificateFinding finding;
      finding.code = ReasonCode::cert_not_yet_valid;
      finding.subject = info.subject;
      finding.date = info.not_before;
      finding.days =
          static_cast<long>((static_cast<long long>(info.not_before_time) - now + kDay - 1) / kDay);
      finding.message = which + quoted(info.subject) + " is not valid before " + info.not_before + " (in " +
                        days_text(finding.days) + ")";
      audit.findings.push_back(std::move(finding));
    }
  }
}

void name_pass(const crypto::Certificate& leaf, std::string_view name, CertificateAudit& audit) {
  if (name.empty() || crypto::certificate_matches_name(leaf, name)) return;
  const auto& info = audit.chain.front();
  CertificateFinding finding;
  finding.code = ReasonCode::cert_name_mismatch;
  finding.subject = info.subject;
  finding.checked_name = std::string(name);
  for (const auto& san : info.san) {
    if (san.starts_with("DNS:") || san.starts_with("IP:")) finding.names.push_back(san);
  }
  if (finding.names.empty()) finding.names.push_back(info.subject);
  std::string list;
  for (const auto& n : finding.names) list += (list.empty() ? "" : ", ") + n;
  if (net::is_ip_literal(name)) {
    // A CN (or a DNS entry) spelling the address looks like a match but is
    // none: RFC 6125 matches an address only against the SAN's IP entries.
    const bool has_ip_entry = std::any_of(finding.names.begin(), finding.names.end(),
                                          [](const std::string& n) { return n.starts_with("IP:"); });
    finding.message =
        "certificate " + quoted(info.subject) + " is not valid for the IP address " + quoted(name) +
        ": an IP address is matched only against the IP address entries of the "
        "subjectAltName (RFC 6125; the CN is not used for addresses), and " +
        (has_ip_entry ? "none of them is " + std::string(name) : "it has none") + " (it names " + list + ")";
  } else {
    finding.message = "certificate " + quoted(info.subject) + " is not valid for " + quoted(name) +
                      " (it names " + list + ")";
  }
  audit.findings.push_back(std::move(finding));
}

// The extended key usages of `x509` as "TLS Web Client Authentication
// (clientAuth)", or the OID where OpenSSL has no name for it.
std::vector<std::string> extended_key_usage_names(X509* x509) {
  std::vector<std::string> out;
  const std::unique_ptr<EXTENDED_KEY_USAGE, decltype(&EXTENDED_KEY_USAGE_free)> usages(
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(x509, NID_ext_key_usage, nullptr, nullptr)),
      &EXTENDED_KEY_USAGE_free);
  if (!usages) return out;
  for (int i = 0; i < sk_ASN1_OBJECT_num(usages.get()); ++i) {
    const ASN1_OBJECT* object = sk_ASN1_OBJECT_value(usages.get(), i);
    const int nid = OBJ_obj2nid(object);
    if (nid != NID_undef) {
      out.push_back(std::string(OBJ_nid2ln(nid)) + " (" + OBJ_nid2sn(nid) + ")");
    } else {
      std::array<char, 80> oid{};
      OBJ_obj2txt(oid.data(), static_cast<int>(oid.size()), object, 1);
      out.emplace_back(oid.data());
    }
  }
  return out;
}

// A sent certificate with an extended key usage that lacks serverAuth (or
// the old Server Gated Crypto, which OpenSSL's TLS server purpose also takes)
// cannot serve TLS, whether it is the leaf or an intermediate that restricts
// what it issues. The trust pass reports that only when the chain otherwise
// verifies (purpose_refused, in OpenSSL's words "unsuitable certificate
// purpose"); this pass says what is missing, and says it also when trust
// fails for another reason.
void purpose_pass(const std::vector<crypto::Certificate>& parsed, CertificateAudit& audit) {
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    auto* x509 = static_cast<X509*>(parsed[i].x509());
    if ((X509_get_extension_flags(x509) & EXFLAG_XKUSAGE) == 0) continue;
    if ((X509_get_extended_key_usage(x509) & (XKU_SSL_SERVER | XKU_SGC)) != 0) continue;
    const auto& info = audit.chain[i];
    const std::vector<std::string> usages = extended_key_usage_names(x509);
    std::string list;
    for (const auto& u : usages) list += (list.empty() ? "" : ", ") + u;
    const std::string message =
        (i == 0 ? "certificate " : "intermediate certificate ") + quoted(info.subject) +
        " is not for TLS servers: its extended key usage lists " + (list.empty() ? "nothing" : list) +
        " but not TLS Web Server Authentication (serverAuth)";
    const auto existing =
        std::find_if(audit.findings.begin(), audit.findings.end(), [&info](const CertificateFinding& f) {
          return f.code == ReasonCode::cert_invalid && f.subject == info.subject && f.purpose_refused;
        });
    CertificateFinding* finding = nullptr;
    if (existing != audit.findings.end()) {
      finding = &*existing;
    } else {
      audit.findings.emplace_back();
      finding = &audit.findings.back();
      finding->code = ReasonCode::cert_invalid;
      finding->subject = info.subject;
    }
    finding->message = message;
    finding->lacks_server_auth = true;
    finding->extended_key_usage = usages;
  }
}

// "an" before a vowel sound, as spelled by key descriptions ("an Ed25519",
// "an RSA-PSS", "a DSA").
std::string indefinite_article(std::string_view word) {
  if (word.empty()) return "a";
  const char first = word.front();
  const bool vowel = std::string_view("AEIOUaeiou").find(first) != std::string_view::npos;
  const bool spelled_letter = word.starts_with("RSA") || word.starts_with("X") || word.starts_with("SM");
  return vowel || spelled_letter ? "an" : "a";
}

void key_pass(const crypto::Certificate& leaf, CertificateAudit& audit) {
  const auto& info = audit.chain.front();
  std::string problem;
  auto key = leaf.public_key();
  if (!key) {
    problem = "its key cannot be decoded: " + key.error().message;
  } else if (key->type() == crypto::KeyType::rsa) {
    if (key->bits() < 1024) {
      problem = "it has an " + key->description() + " key; at least 1024 bits are needed";
    }
  } else if (key->type() == crypto::KeyType::ec) {
    if (!key->curve_group()) {
      problem = "its EC key is on curve " + key->curve_name() + ", which TLS cannot use";
    }
  } else {
    const std::string description = key->description();
    problem = "it has " + indefinite_article(description) + " " + description +
              " key; the edge (TLS 1.2 and earlier) can use only RSA and ECDSA P-256/P-384 certificates";
  }
  if (problem.empty()) return;
  const std::string message = "certificate " + quoted(info.subject) + ": " + problem;
  if (audit.has(ReasonCode::cert_key_unsupported)) {
    // The chain verification said it first, in fewer words: say which keys work.
    for (auto& finding : audit.findings) {
      if (finding.code == ReasonCode::cert_key_unsupported) finding.message = message;
    }
    return;
  }
  CertificateFinding finding;
  finding.code = ReasonCode::cert_key_unsupported;
  finding.subject = info.subject;
  finding.message = message;
  audit.findings.push_back(std::move(finding));
}

}  // namespace

bool CertificateAudit::has(ReasonCode code) const {
  return std::any_of(findings.begin(), findings.end(),
                     [code](const CertificateFinding& f) { return f.code == code; });
}

CertificateAudit audit_certificate_chain(std::span<const std::vector<std::uint8_t>> chain,
                                         const crypto::TrustStore& store, std::string_view name,
                                         std::time_t now) {
  CertificateAudit audit;
  audit.checked_name = std::string(name);
  if (chain.empty()) {
    CertificateFinding finding;
    finding.code = ReasonCode::cert_invalid;
    finding.message = "the server sent no certificate";
    audit.findings.push_back(std::move(finding));
    return audit;
  }
  std::vector<crypto::Certificate> parsed;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    auto certificate = crypto::Certificate::from_der(chain[i]);
    if (!certificate) {
      CertificateFinding finding;
      finding.code = ReasonCode::cert_invalid;
      finding.message = (i == 0 ? std::string("the server's certificate")
                                : "certificate " + std::to_string(i) + " of the chain") +
                        " cannot be parsed: " + certificate.error().message;
      audit.findings.push_back(std::move(finding));
      if (i == 0) return audit;
      continue;
    }
    audit.chain.push_back(certificate->info());
    parsed.push_back(std::move(certificate.value()));
  }
  audit.days_to_expiry = audit.chain.front().days_to_expiry(now);

  trust_pass(chain, store, now, audit);
  // The trust pass may already have reported a date of a certificate from the
  // store (e.g. an expired root); the sent ones are judged here.
  date_pass(now, audit);
  name_pass(parsed.front(), name, audit);
  key_pass(parsed.front(), audit);
  // `parsed` matches `audit.chain` one to one; a certificate that did not
  // parse shifts them, so the pass then looks at none.
  if (parsed.size() == chain.size()) purpose_pass(parsed, audit);

  // One finding per (code, certificate).
  std::vector<CertificateFinding> unique;
  for (auto& finding : audit.findings) {
    const bool seen = std::any_of(unique.begin(), unique.end(), [&finding](const CertificateFinding& f) {
      return f.code == finding.code && f.subject == finding.subject;
    });
    if (!seen) unique.push_back(std::move(finding));
  }
  audit.findings = std::move(unique);
  for (auto& finding : audit.findings) {
    finding.leaf = !finding.subject.empty() && finding.subject == audit.chain.front().subject;
    finding.sent = !finding.subject.empty() && was_sent(audit.chain, finding.subject);
    const bool dates =
        finding.code == ReasonCode::cert_expired || finding.code == ReasonCode::cert_not_yet_valid;
    if (dates && finding.sent && !finding.leaf) {
      // Say which certificate of the chain it is: "certificate 'X' expired"
      // reads as the origin's own.
      const auto info =
          std::find_if(audit.chain.begin(), audit.chain.end(),
                       [&finding](const crypto::CertificateInfo& c) { return c.subject == finding.subject; });
      const std::string which = info->self_issued ? "root certificate " : "intermediate certificate ";
      for (std::string_view prefix : {"chain certificate ", "certificate "}) {
        if (finding.message.starts_with(prefix)) {
          finding.message = which + finding.message.substr(prefix.size());
          break;
        }
      }
    }
  }
  return audit;
}

}  // namespace edgefetch::check
