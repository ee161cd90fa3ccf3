#include "check/diagnosis_reasons.hpp"

#include <algorithm>

#include "check/diagnosis_fixes.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/check/profile_comparison.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/net/url.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/tls/alert_description.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::check::detail {
namespace {

using policy::ProtocolVersion;

std::string version_text(ProtocolVersion v) {
  return std::string(policy::info(v).openssl_name);
}

// Capitalised, ending in a full stop.
std::string sentence(std::string text) {
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') {
    text.front() = static_cast<char>(text.front() - 'a' + 'A');
  }
  if (!text.empty() && text.back() != '.') text += '.';
  return text;
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
         std::to_string(endpoint.port());
}

std::string seconds_text(long long s) {
  return std::to_string(s) + (s == 1 ? " second" : " seconds");
}

std::vector<std::string> accepted_version_names(const SupportedSummary& summary) {
  std::vector<std::string> names;
  for (ProtocolVersion v : summary.accepted_versions()) names.push_back(version_text(v));
  return names;
}

// "ECDHE-RSA-CHACHA20-POLY1305 (not in the edge's policy)"
std::string suite_text(std::uint16_t code, const policy::Offer& offer) {
  std::string text = openssl_name_or_code(code);
  if (!offer.offers_suite(code)) {
    const auto names = suite_names(code);
    text += names && names->in_policy ? " (not offered under this profile)" : " (outside the edge's policy)";
  }
  return text;
}

std::vector<std::string> suite_texts(const std::vector<std::uint16_t>& codes, const policy::Offer& offer) {
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (std::uint16_t code : codes) out.push_back(suite_text(code, offer));
  return out;
}

std::vector<std::string> group_texts(const std::vector<std::uint16_t>& codes) {
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (std::uint16_t code : codes) out.push_back(group_name_or_code(code));
  return out;
}

std::vector<std::string> offered_group_texts(const policy::Offer& offer) {
  std::vector<std::string> out;
  for (const policy::NamedGroup* group : offer.groups) out.emplace_back(group->name);
  return out;
}

std::vector<std::string> scheme_texts(const std::vector<std::uint16_t>& codes) {
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (std::uint16_t code : codes) out.push_back(signature_scheme_name_or_code(code));
  return out;
}

// The version the origin answers the edge's ClientHello with, if enumeration found one.
std::optional<ProtocolVersion> origin_version(const ReasonContext& ctx) {
  if (ctx.prediction && ctx.prediction->version) return ctx.prediction->version;
  if (!ctx.summary) return std::nullopt;
  std::optional<ProtocolVersion> pick;
  for (ProtocolVersion v : ctx.summary->accepted_versions()) {
    if (v <= ctx.offer.max_version) pick = v;
  }
  return pick;
}

// The audited leaf, or null.
const crypto::CertificateInfo* leaf_of(const ReasonContext& ctx) {
  return ctx.certificate && !ctx.certificate->chain.empty() ? &ctx.certificate->chain.front() : nullptr;
}

// For a refusal in TLS 1.3 by an origin that also speaks older versions: why
// that does not help (`step`: what it refused after choosing the version).
std::string no_fallback_text(const ReasonContext& ctx, ProtocolVersion version, std::string_view step) {
  if (version != ProtocolVersion::tls1_3 || !ctx.summary || ctx.summary->accepted_versions().size() < 2) {
    return "";
  }
  return " The origin settles on TLS 1.3 before the " + std::string(step) +
         ", so it does not fall back to an older version.";
}

fixes::KeyKind certificate_key_kind(const ReasonContext& ctx) {
  const auto from_type = [](crypto::KeyType type) {
    if (type == crypto::KeyType::rsa) return fixes::KeyKind::rsa;
    if (type == crypto::KeyType::ec) return fixes::KeyKind::ecdsa;
    return fixes::KeyKind::unknown;
  };
  if (const crypto::CertificateInfo* leaf = leaf_of(ctx)) return from_type(leaf->key_type);
  if (ctx.summary) {
    bool rsa = false;
    bool ecdsa = false;
    for (const auto& v : ctx.summary->versions) {
      for (std::uint16_t code : v.cipher_suites) {
        const auto names = suite_names(code);
        if (!names) continue;
        rsa = rsa || names->authentication == SuiteAuthentication::rsa;
        ecdsa = ecdsa || names->authentication == SuiteAuthentication::ecdsa;
      }
    }
    if (rsa != ecdsa) return rsa ? fixes::KeyKind::rsa : fixes::KeyKind::ecdsa;
  }
  return fixes::KeyKind::unknown;
}

std::string working_setting_text(const ReasonContext& ctx) {
  const auto floor = best_working_floor(ctx.rows);
  if (!floor || *floor >= ctx.offer.min_version) return "";
  const auto row = std::find_if(ctx.rows.begin(), ctx.rows.end(),
                                [&floor](const SettingPrediction& r) { return r.floor == *floor; });
  std::string text = "set OriginSslProtocols to " + std::string(policy::info(*floor).origin_ssl_protocol);
  if (row != ctx.rows.end() && row->prediction.version && row->prediction.cipher_suite) {
    text += " (the edge would then negotiate " + version_text(*row->prediction.version) + " with " +
            openssl_name_or_code(*row->prediction.cipher_suite) + ")";
  }
  return text;
}

// "RSA 2048" of the audited leaf as " (RSA 2048)", or "".
std::string leaf_key_text(const ReasonContext& ctx) {
  const crypto::CertificateInfo* leaf = leaf_of(ctx);
  return leaf != nullptr && !leaf->key.empty() ? " (" + leaf->key + ")" : "";
}

// An origin that speaks `version` yet refused even enumeration's widest offer
// of suites: whatever suites it enables, it cannot use them with its
// certificate. The usual cause is a cipher list copied from a server with the
// other key type (ECDHE-ECDSA suites on an RSA certificate, or the reverse).
Reason suites_unfit_for_certificate_reason(const ReasonContext& ctx, ProtocolVersion version) {
  Reason reason;
  reason.code = ReasonCode::no_shared_cipher;
  const std::string v = version_text(version);
  const fixes::KeyKind key = certificate_key_kind(ctx);
  reason.message = "The origin speaks " + v +
                   " (it answered handshake_failure, not protocol_version) but accepts none of the cipher "
                   "suites, although enumeration offered every one it knows: ";
  std::string fix_suites;
  switch (key) {
    case fixes::KeyKind::rsa:
      reason.message += "its certificate has an RSA key" + leaf_key_text(ctx) +
                        ", which only suites with RSA authentication (ECDHE-RSA-*, or RSA key exchange) can "
                        "use, so the suites enabled on the origin are most likely all for ECDSA "
                        "certificates (ECDHE-ECDSA-*).";
      fix_suites = "ECDHE-RSA suites, which fit its RSA certificate";
      break;
    case fixes::KeyKind::ecdsa:
      reason.message += "its certificate has an ECDSA key" + leaf_key_text(ctx) +
                        ", which only ECDHE-ECDSA-* suites can use, so the suites enabled on the origin are "
                        "most likely all for RSA certificates (ECDHE-RSA-*, or RSA key exchange).";
      fix_suites = "ECDHE-ECDSA suites, which fit its ECDSA certificate";
      break;
    case fixes::KeyKind::unknown:
      reason.message +=
          "the suites enabled on the origin most likely do not fit its certificate's key type (ECDHE-ECDSA-* "
          "suites need an ECDSA certificate, ECDHE-RSA-* and RSA key-exchange suites an RSA one). No "
          "handshake got far enough to show the certificate.";
      fix_suites =
          "suites for its certificate's key type: ECDHE-RSA for an RSA key, ECDHE-ECDSA for an "
          "ECDSA key";
      break;
  }
  reason.fix = "Enable on the origin " + fix_suites + ", among those the edge offers:" +
               fixes::cipher_lines(fixes::recommended_suites(ctx.offer, version, key, {}));
  return reason;
}

// Some of `groups`, none of which the offer has.
bool none_offered(const std::vector<std::uint16_t>& groups, const policy::Offer& offer) {
  return !groups.empty() && std::none_of(groups.begin(), groups.end(),
                                         [&offer](std::uint16_t g) { return offer.offers_group(g); });
}

// TLS 1.3 agrees on the key-share group apart from the suite, and an ECDSA
// certificate's curve plays no part in it.
Reason tls13_group_reason(const ReasonContext& ctx) {
  Reason reason;
  reason.code = ReasonCode::no_shared_group;
  reason.message = "In TLSv1.3 the origin accepts only the key-exchange groups " +
                   fixes::list_text(group_texts(ctx.summary->tls13_groups)) + "; the edge offers " +
                   fixes::list_text(offered_group_texts(ctx.offer)) + " (supported_groups and key_share)." +
                   no_fallback_text(ctx, ProtocolVersion::tls1_3, "group");
  reason.fix = "Enable one of the edge's curves on the origin:" + fixes::curve_lines(ctx.offer);
  return reason;
}

// An RSA-PSS key is not unusable as such: it signs with the rsa_pss_pss_*
// schemes, which this profile does not offer (diagnose() drops the finding
// for the profiles that do).
Reason rsa_pss_key_reason(const ReasonContext& ctx, const CertificateFinding& finding) {
  const policy::Profile& profile = ctx.settings.effective_profile();
  const policy::Profile& other = default_comparison_profile();
  const bool other_offers = &other != &profile && has_rsa_pss_pss_scheme(other.signature_schemes);
  Reason reason;
  reason.code = ReasonCode::cert_key_unsupported;
  reason.message = "Certificate " + quoted(finding.subject) + " has an RSA-PSS key" + leaf_key_text(ctx) +
                   ", which can sign only with the rsa_pss_pss_* signature schemes; " +
                   profile_label(profile) + " offers none of them" +
                   (other_offers ? ", while " + profile_label(other) + " does" : "") + ".";
  reason.fix =
      "Use a certificate with an ordinary RSA key (rsaEncryption, 2048 bits or more) or an ECDSA key on "
      "P-256 or P-384: every profile of the edge can use those.";
  return reason;
}

// The certificate the origin sent with `subject`, or null.
const crypto::CertificateInfo* sent_certificate(const ReasonContext& ctx, std::string_view subject) {
  if (ctx.certificate == nullptr) return nullptr;
  const auto& chain = ctx.certificate->chain;
  const auto it = std::find_if(chain.begin(), chain.end(),
                               [subject](const crypto::CertificateInfo& c) { return c.subject == subject; });
  return it == chain.end() ? nullptr : &*it;
}

// An IP address (an IP URL or `check ADDRESS:PORT`) matches only the SAN's IP
// entries: a CN or DNS entry that spells it looks like a match and is none.
Reason ip_name_mismatch_reason(const ReasonContext& ctx, const CertificateFinding& finding) {
  const std::string& address = finding.checked_name;
  const bool has_ip_entry = std::any_of(finding.names.begin(), finding.names.end(),
                                        [](const std::string& n) { return n.starts_with("IP:"); });
  Reason reason;
  reason.code = ReasonCode::cert_name_mismatch;
  reason.message = "The edge checks the IP address " + quoted(address) +
                   ", and an IP address is matched only against the IP address entries of the certificate's "
                   "subjectAltName (RFC 6125; the CN is not used for addresses). The certificate names " +
                   fixes::list_text(finding.names) +
                   (has_ip_entry ? ", but none of its IP address entries is " + address
                                 : " and has no IP address entry in its subjectAltName") +
                   ", so it does not match.";
  const std::string port = std::to_string(ctx.target.port);
  reason.fix =
      "The CDN requires a DNS name as the origin domain (it does not accept an IP address) and checks the "
      "certificate against that name: give the origin a DNS name, use a certificate that lists it as a "
      "subjectAltName DNS entry, and check it with `edgefetch check NAME:" +
      port + " --resolve NAME:" + port + ":" + address + "`. (Only a subjectAltName entry IP:" + address +
      " would make the certificate valid for the address itself.)";
  return reason;
}

// A certificate whose extended key usage lacks serverAuth: the leaf must be
// reissued; an intermediate so restricted cannot issue TLS server certificates.
std::string server_auth_fix(const CertificateFinding& finding) {
  if (finding.sent && !finding.leaf) {
    return "The intermediate " + quoted(finding.subject) +
           " restricts the certificates it issues to other purposes than TLS servers: install the "
           "CA's intermediate for TLS server certificates (its chain file), or get a certificate from such "
           "a chain. The edge refuses the chain (viewers get 502).";
  }
  return "Reissue the certificate with serverAuth (TLS Web Server Authentication) in its extended key "
         "usage (OpenSSL extension file: `extendedKeyUsage = serverAuth`; at a CA: a TLS / web server "
         "certificate, not a client-authentication one). The edge refuses a certificate that is not for "
         "TLS servers (viewers get 502).";
}

}  // namespace

bool has_rsa_pss_pss_scheme(const std::vector<const policy::SignatureScheme*>& schemes) {
  return std::any_of(schemes.begin(), schemes.end(), [](const policy::SignatureScheme* scheme) {
    return scheme->algorithm == policy::SignatureAlgorithm::rsa_pss_pss;
  });
}

std::string accepted_range_text(const policy::Offer& offer) {
  if (offer.min_version == offer.max_version) return version_text(offer.min_version);
  return version_text(offer.min_version) + " to " + version_text(offer.max_version);
}

std::string setting_text(const EdgeSettings& settings) {
  std::string out;
  for (ProtocolVersion v : settings.origin_ssl_protocols) {
    if (!out.empty()) out += ",";
    out += std::string(policy::info(v).origin_ssl_protocol);
  }
  return out.empty() ? "(none)" : out;
}

Reason no_shared_version_reason(const ReasonContext& ctx) {
  Reason reason;
  reason.code = ReasonCode::no_shared_version;
  const std::string edge = "the edge, with OriginSslProtocols " + setting_text(ctx.settings) + ", accepts " +
                           accepted_range_text(ctx.offer);
  if (ctx.summary && !ctx.summary->accepted_versions().empty()) {
    reason.message = "The origin speaks only " + fixes::list_text(accepted_version_names(*ctx.summary)) +
                     "; " + edge + ".";
  } else if (ctx.summary) {
    reason.message = "The origin refused every protocol version from SSLv3 to TLSv1.3; " + edge + ".";
  } else {
    reason.message =
        sentence("the origin and the edge share no protocol version: " + ctx.handshake.error.message) +
        " With OriginSslProtocols " + setting_text(ctx.settings) + " the edge accepts " +
        accepted_range_text(ctx.offer) + ".";
  }
  reason.fix = "Enable TLS 1.2 on the origin:" + fixes::protocol_lines(ProtocolVersion::tls1_2);
  if (const std::string setting = working_setting_text(ctx); !setting.empty()) {
    reason.fix += "\nOr " + setting + ", which lets the edge use an older protocol.";
  } else if (!ctx.summary) {
    reason.fix += "\nRun without --no-enumerate to see which OriginSslProtocols setting would work.";
  }
  return reason;
}

Reason tls13_only_reason(const ReasonContext& ctx) {
  Reason reason;
  reason.code = ReasonCode::tls13_only;
  reason.message = "The origin speaks only TLSv1.3. The edge's documented policy offers at most " +
                   version_text(ctx.offer.max_version) +
                   " (OriginSslProtocols has no TLSv1.3 value), so the origin refuses its ClientHello.";
  const auto suites =
      fixes::recommended_suites(ctx.offer, ProtocolVersion::tls1_2, certificate_key_kind(ctx), {});
  reason.fix =
      "Enable TLS 1.2 next to TLS 1.3 on the origin:" + fixes::protocol_lines(ProtocolVersion::tls1_2) +
      "\nwith suites the edge offers:" + fixes::cipher_lines(suites);
  // TLS 1.2's ECDHE needs a shared curve too, and the groups the origin takes
  // in TLS 1.3 say it has none yet.
  if (ctx.summary && none_offered(ctx.summary->tls13_groups, ctx.offer)) {
    reason.fix += "\nand one of the edge's curves (the origin's TLS 1.3 groups, " +
                  fixes::list_text(group_texts(ctx.summary->tls13_groups)) +
                  ", are none the edge offers):" + fixes::curve_lines(ctx.offer);
  }
  return reason;
}

Reason no_shared_cipher_reason(const ReasonContext& ctx) {
  Reason reason;
  reason.code = ReasonCode::no_shared_cipher;
  const auto version = origin_version(ctx);
  const VersionSupport* support = ctx.summary && version ? ctx.summary->find(*version) : nullptr;
  const ProtocolVersion fix_version = version.value_or(ProtocolVersion::tls1_2);
  if (support && !support->accepted) return suites_unfit_for_certificate_reason(ctx, *version);
  std::vector<std::uint16_t> keep;
  if (support) {
    keep = support->cipher_suites;
    std::size_t offered_in_version = 0;
    for (const policy::CipherSuite* suite : ctx.offer.cipher_suites) {
      if (suite->valid_in(*version)) ++offered_in_version;
    }
    reason.message =
        "In " + version_text(*version) + " the origin accepts only " +
        fixes::list_text(suite_texts(support->cipher_suites, ctx.offer)) +
        (support->cipher_suites.size() == 1 ? ", which is not among the " : "; none of them is among the ") +
        std::to_string(offered_in_version) + " suites the edge offers in " + version_text(*version) + ".";
    const bool dhe = std::any_of(keep.begin(), keep.end(), [](std::uint16_t code) {
      const auto names = suite_names(code);
      return names && names->key_exchange == SuiteKeyExchange::dhe;
    });
    if (dhe) reason.message += " Finite-field DHE suites are not in the edge's policy.";
    reason.message += no_fallback_text(ctx, *version, "suite");
  } else {
    // A refusal of the whole ClientHello: handshake_failure means "no suite",
    // "no curve", "no signature scheme" and "no usable certificate" alike.
    reason.message = "The origin refused the edge's ClientHello (" + ctx.handshake.error.message +
                     "): it accepts none of the edge's cipher suites, or none it can use with the edge's "
                     "curves, signature schemes and its certificate; the refusal alone does not tell which" +
                     (ctx.summary ? "." : " (run without --no-enumerate to find out).");
    const auto suites = fixes::recommended_suites(ctx.offer, fix_version, certificate_key_kind(ctx), {});
    reason.fix =
        "Make sure the origin accepts one of the suites the edge offers, with an RSA (2048 bits or more) or "
        "ECDSA P-256/P-384 certificate and one of the edge's curves (`edgefetch ciphers` lists them all), "
        "e.g.:" +
        (fix_version == ProtocolVersion::tls1_3 ? fixes::tls13_cipher_lines(suites)
                                                : fixes::cipher_lines(suites));
    return reason;
  }
  const auto suites = fixes::recommended_suites(ctx.offer, fix_version, certificate_key_kind(ctx), keep);
  reason.fix = "Add suites the edge offers to the origin's list, keeping the current ones:" +
               (fix_version == ProtocolVersion::tls1_3 ? fixes::tls13_cipher_lines(suites)
                                                       : fixes::cipher_lines(suites));
  return reason;
}

Reason no_shared_group_reason(const ReasonContext& ctx) {
  const auto& s = ctx.summary;
  if (s && origin_version(ctx) == ProtocolVersion::tls1_3 && none_offered(s->tls13_groups, ctx.offer)) {
    return tls13_group_reason(ctx);
  }
  Reason reason;
  reason.code = ReasonCode::no_shared_group;
  const std::string offered = fixes::list_text(offered_group_texts(ctx.offer));
  const bool curve_problem =
      s && s->ecdsa_certificate_curve && !ctx.offer.offers_group(*s->ecdsa_certificate_curve);
  const bool group_problem = s && none_offered(s->groups, ctx.offer);
  std::vector<std::string> messages;
  std::vector<std::string> fix;
  if (group_problem) {
    messages.push_back("For ECDHE the origin uses only " + fixes::list_text(group_texts(s->groups)) +
                       "; the edge offers " + offered + ".");
    fix.push_back("Enable one of the edge's curves on the origin:" + fixes::curve_lines(ctx.offer));
  }
  if (curve_problem) {
    messages.push_back("The origin's ECDSA certificate is on " +
                       group_name_or_code(*s->ecdsa_certificate_curve) +
                       "; in TLS 1.2 and earlier an ECDSA certificate is usable only on a curve the client "
                       "offers, and the edge offers " +
                       offered + ".");
    fix.emplace_back("Use an ECDSA certificate on P-256 or P-384 (or add an RSA certificate next to it).");
  }
  if (messages.empty()) {
    messages.push_back("The origin and the edge share no elliptic curve for ECDHE (" +
                       ctx.handshake.error.message + "); the edge offers " + offered + ".");
    fix.push_back("Enable one of the edge's curves on the origin:" + fixes::curve_lines(ctx.offer));
  }
  for (const auto& m : messages) reason.message += (reason.message.empty() ? "" : " ") + m;
  for (const auto& f : fix) reason.fix += (reason.fix.empty() ? "" : "\n") + f;
  return reason;
}

Reason certificate_curve_reason(const ReasonContext& ctx, std::uint16_t curve) {
  Reason reason;
  reason.code = ReasonCode::no_shared_group;
  reason.message = "The origin refused the edge's ClientHello (" + ctx.handshake.error.message +
                   "), and its ECDSA certificate is on " + group_name_or_code(curve) +
                   ": in TLS 1.2 and earlier an ECDSA certificate is usable only on a curve the client "
                   "offers, and the edge offers " +
                   fixes::list_text(offered_group_texts(ctx.offer)) + ".";
  reason.fix = "Use an ECDSA certificate on P-256 or P-384 (or add an RSA certificate next to it).";
  return reason;
}

Reason no_shared_signature_scheme_reason(const ReasonContext& ctx) {
  Reason reason;
  reason.code = ReasonCode::no_shared_signature_scheme;
  std::vector<std::string> offered;
  for (const policy::SignatureScheme* scheme : ctx.offer.signature_schemes) {
    offered.emplace_back(scheme->iana_name);
  }
  const auto& s = ctx.summary;
  fixes::KeyKind key = certificate_key_kind(ctx);
  std::vector<std::uint16_t> used;
  if (s) {
    const bool rsa_shared =
        std::any_of(s->signature_schemes_rsa.begin(), s->signature_schemes_rsa.end(),
                    [&](std::uint16_t c) { return ctx.offer.offers_signature_scheme(c); });
    if (!s->signature_schemes_rsa.empty() && !rsa_shared) {
      used = s->signature_schemes_rsa;
      key = fixes::KeyKind::rsa;
    } else if (!s->signature_schemes_ecdsa.empty()) {
      used = s->signature_schemes_ecdsa;
      key = fixes::KeyKind::ecdsa;
    }
    if (s->unsolicited_signature_scheme) used = {*s->unsolicited_signature_scheme};
  }
  // A leaf whose key is neither RSA nor ECDSA (Ed25519, RSA-PSS) signs with
  // schemes of its own: enabling the edge's RSA or ECDSA schemes cannot help.
  const crypto::CertificateInfo* leaf = leaf_of(ctx);
  const bool other_key =
      leaf != nullptr && leaf->key_type != crypto::KeyType::rsa && leaf->key_type != crypto::KeyType::ec;
  std::string label;
  if (other_key) {
    label = " (" + leaf->key + " certificate)";
  } else if (key == fixes::KeyKind::rsa) {
    label = " (RSA certificate)";
  } else if (key == fixes::KeyKind::ecdsa) {
    label = " (ECDSA certificate)";
  }
  if (!used.empty()) {
    reason.message = "In TLS 1.2 the origin signs its key exchange only with " +
                     fixes::list_text(scheme_texts(used)) + label + "; the edge offers " +
                     fixes::list_text(offered) + ".";
  } else {
    reason.message = "The origin signs with a scheme the edge does not offer (" +
                     ctx.handshake.error.message + "); the edge offers " + fixes::list_text(offered) + ".";
  }
  if (other_key) {
    reason.fix =
        "Use a certificate with an RSA key (2048 bits or more) or an ECDSA key on P-256 or P-384: a " +
        leaf->key + " key cannot sign with any scheme the edge offers.";
  } else {
    reason.fix =
        "Allow one of the edge's signature schemes on the origin:" + fixes::sigalg_lines(ctx.offer, key);
  }
  return reason;
}

Reason not_tls_reason(const ReasonContext& ctx) {
  Reason reason;
  reason.code = ReasonCode::not_tls;
  // The engine's message names the first bytes, as text when they are printable.
  const std::string detail =
      ctx.handshake.error.code == tls::ErrorCode::not_tls ? ctx.handshake.error.message : "";
  reason.message = "Port " + std::to_string(ctx.target.port) + " of the origin does not speak TLS" +
                   (detail.empty() ? "" : ": " + detail) + ".";
  reason.fix =
      "HTTPSPort " + std::to_string(ctx.target.port) +
      " must be the origin's TLS listener (a plain HTTP server answers here): point HTTPSPort at the "
      "TLS port, or set OriginProtocolPolicy to http-only if the origin has no TLS.";
  return reason;
}

Reason certificate_reason(const ReasonContext& ctx, const CertificateFinding& finding) {
  const crypto::CertificateInfo* leaf = leaf_of(ctx);
  if (finding.code == ReasonCode::cert_key_unsupported && leaf != nullptr &&
      leaf->key_type == crypto::KeyType::rsa_pss) {
    return rsa_pss_key_reason(ctx, finding);
  }
  Reason reason;
  reason.code = finding.code;
  switch (finding.code) {
    case ReasonCode::cert_untrusted:
      if (finding.self_signed) {
        reason.message = "The origin presents the self-signed certificate " + quoted(finding.subject) +
                         ", which " + ctx.target.trust_description + " does not trust.";
      } else {
        reason.message = sentence(finding.message + " (trust store: " + ctx.target.trust_description + ")");
      }
      reason.fix =
          "Install a certificate issued by a publicly trusted CA (on Mozilla's list; ACM for AWS load "
          "balancers, or e.g. Let's Encrypt), together with its intermediates. The edge never accepts "
          "self-signed or private-CA certificates.";
      break;
    case ReasonCode::cert_expired:
      reason.message = sentence(finding.message);
      if (finding.leaf || finding.subject.empty()) {
        reason.fix =
            "Renew the certificate and install it with its intermediates; the edge refuses expired "
            "certificates (viewers get 502).";
      } else if (const crypto::CertificateInfo* sent = sent_certificate(ctx, finding.subject);
                 sent != nullptr && sent->self_issued) {
        reason.fix = "The origin sends the root " + quoted(finding.subject) +
                     " in its chain, and it has expired: remove the root from the chain file (send the "
                     "certificate and its intermediates only; the edge has its own roots), or install the "
                     "CA's current chain. The edge refuses a chain with an expired certificate (viewers "
                     "get 502).";
      } else if (finding.sent) {
        // The leaf may be current: renewing it would not help, the stale
        // intermediate in the chain file is what fails.
        reason.fix = "The expired certificate is the intermediate " + quoted(finding.subject) +
                     " that the origin sends with its certificate, not the origin's certificate itself: "
                     "replace it with the CA's current intermediate, i.e. install the chain file the CA "
                     "issues now (the full chain from the CA's repository, or fullchain.pem from an ACME "
                     "client), leaf first, then the intermediates, and reload the server. The edge refuses "
                     "a chain with an expired certificate (viewers get 502).";
      } else {
        reason.fix = "The chain leads to " + quoted(finding.subject) +
                     " in the trust store, which has expired: install the CA's current chain (with the "
                     "intermediate that leads to a current root), or a certificate from a CA whose root "
                     "is current. The edge refuses a chain with an expired certificate (viewers get 502).";
      }
      break;
    case ReasonCode::cert_not_yet_valid:
      reason.message = sentence(finding.message);
      reason.fix =
          "Install a certificate that is valid now, or check the dates it was issued with (and the "
          "clock of the machine that issued it).";
      break;
    case ReasonCode::cert_name_mismatch: {
      if (net::is_ip_literal(finding.checked_name)) return ip_name_mismatch_reason(ctx, finding);
      const bool host_header = ctx.target.host_header && !ctx.target.host_header->empty();
      reason.message = "The certificate names " + fixes::list_text(finding.names) + ", but the edge checks " +
                       quoted(finding.checked_name) +
                       (host_header ? " (the Host header, which is forwarded to the origin)"
                                    : " (the origin's domain name)") +
                       ".";
      reason.fix =
          "Use a certificate that covers " + quoted(finding.checked_name) +
          " as a subjectAltName, or make the origin's domain name one the certificate covers. Host-header "
          "rule: when a cache behavior forwards the viewer's Host header, the edge sends that Host as "
          "SNI and checks the certificate against it, so the certificate must cover every host name "
          "viewers use.";
      break;
    }
    case ReasonCode::cert_incomplete_chain:
      // The issuer is neither sent nor in the store: most often a missing
      // intermediate, but a leaf issued straight by an untrusted root (a
      // private CA) looks the same from here.
      reason.message = "The origin sends " + quoted(finding.subject) + " without the certificate of " +
                       quoted(finding.missing_issuer) +
                       " that issued it, and the trust store does not have "
                       "it either.";
      reason.fix =
          "If that issuer is an intermediate, configure the full chain, leaf first, then the intermediates: "
          "nginx `ssl_certificate` with the full chain file (fullchain.pem); Apache 2.4.8+ "
          "`SSLCertificateFile` with the leaf followed by the intermediates; HAProxy a `crt` PEM holding the "
          "leaf, the intermediates and the key. If it is a root (a private CA), the edge does not trust it: "
          "use a certificate from a public CA (or test with --ca-file).";
      break;
    case ReasonCode::cert_key_unsupported:
      reason.message = sentence(finding.message);
      reason.fix = "Use a certificate with an RSA key (2048 bits or more) or an ECDSA key on P-256 or P-384.";
      break;
    default:
      reason.message = sentence(finding.message);
      if (finding.lacks_server_auth) {
        reason.fix = server_auth_fix(finding);
      } else {
        reason.fix = "Install a valid X.509 certificate chain for the origin's name.";
      }
      break;
  }
  return reason;
}

namespace {

// The edge presents a client certificate only with origin mTLS (facts §2.5).
std::string client_certificate_fix() {
  return "The edge sends a client certificate only when the origin is configured for origin mTLS "
         "(CustomOriginConfig.OriginMtlsConfig.ClientCertificateArn: a certificate in ACM us-east-1 whose "
         "extended key usage includes TLS client authentication); otherwise it answers the origin's "
         "CertificateRequest with none and viewers get 502. Configure origin mTLS for this origin, or make "
         "client certificates optional on the origin:\n"
         "  ssl_verify_client optional;   # nginx\n"
         "  SSLVerifyClient optional      # Apache\n"
         "  verify optional               # HAProxy, on the bind line";
}

Reason client_certificate_required_reason(const ReasonContext& ctx) {
  const tls::Error& error = ctx.handshake.error;
  Reason reason;
  reason.code = ReasonCode::client_certificate_required;
  const std::string alert = error.alert ? tls::alert_name(*error.alert) : "an alert";
  const bool tls13 = ctx.handshake.negotiated.cipher_suite != nullptr &&
                     ctx.handshake.negotiated.version == ProtocolVersion::tls1_3;
  reason.message =
      "The origin requires a client certificate: it sent a CertificateRequest, and when the "
      "edge answered with none it refused the connection with the fatal alert " +
      alert +
      (tls13 ? " right after the TLS 1.3 handshake (so the edge's first request fails)."
             : " before completing the handshake.");
  reason.fix = client_certificate_fix();
  return reason;
}

}  // namespace

Reason handshake_error_reason(const ReasonContext& ctx, ReasonCode code) {
  const tls::Error& error = ctx.handshake.error;
  switch (code) {
    case ReasonCode::no_shared_version:
      return no_shared_version_reason(ctx);
    case ReasonCode::tls13_only:
      return tls13_only_reason(ctx);
    case ReasonCode::no_shared_cipher:
      return no_shared_cipher_reason(ctx);
    case ReasonCode::no_shared_group:
      return no_shared_group_reason(ctx);
    case ReasonCode::no_shared_signature_scheme:
      return no_shared_signature_scheme_reason(ctx);
    case ReasonCode::not_tls:
      return not_tls_reason(ctx);
    default:
      break;
  }
  Reason reason;
  reason.code = code;
  if (is_certificate_reason(code)) {
    reason.message = sentence(error.message);
    reason.fix = "Install a valid certificate chain for " + quoted(ctx.target.server_name()) +
                 " from a publicly trusted CA.";
    if (code == ReasonCode::cert_invalid) {
      // Also what the CDN's s2n cannot read: a chain of more than 7
      // certificates, or a Certificate message over 64 KiB.
      reason.fix = "Install a certificate chain for " + quoted(ctx.target.server_name()) +
                   " that the CDN's TLS library can read: well-formed, from a publicly trusted CA, at most 7 "
                   "certificates and 64 KiB sent in all (leaf and intermediates, no root).";
    }
    return reason;
  }
  switch (code) {
    case ReasonCode::server_alert: {
      const std::string alert = error.alert ? tls::alert_name(*error.alert) : "an alert";
      reason.message =
          "The origin aborted the handshake with the fatal alert " + alert + " (" + error.message + ").";
      if (error.alert && *error.alert == tls::alert_description::kUnrecognizedName) {
        reason.fix = "The origin has no site for the SNI name " + quoted(ctx.target.server_name()) +
                     ": add a server block / virtual host for that name. The edge always sends the origin's "
                     "domain name (or the forwarded Host) as SNI.";
      } else {
        reason.fix = "Look in the origin's TLS error log for why it sent " + alert +
                     " to the edge's standard ClientHello (compare 'what the origin supports' with "
                     "`edgefetch ciphers`).";
      }
      break;
    }
    case ReasonCode::client_certificate_required:
      return client_certificate_required_reason(ctx);
    case ReasonCode::connection_reset:
      reason.message = sentence(error.message);
      reason.fix =
          "Servers and the firewalls or load balancers in front of them reset connections whose ClientHello "
          "they refuse (some TLS stacks do so instead of sending an alert); compare 'what the origin "
          "supports' with `edgefetch ciphers` and check the origin's TLS error log and any filtering in "
          "front of it. The edge answers 502.";
      break;
    case ReasonCode::connection_closed:
      if (ctx.handshake.client_certificate == VerdictHandshake::ClientCertificateAnswer::closed) {
        reason.message =
            "The origin asked the edge for a client certificate and closed the connection right "
            "after the handshake, in which the edge sent none.";
        reason.fix = client_certificate_fix();
        break;
      }
      reason.message =
          "The origin closed the connection during the handshake without an alert (" + error.message + ").";
      reason.fix =
          "Servers do this when they find nothing acceptable in the ClientHello, or when a firewall or "
          "load balancer in front of them filters TLS; compare 'what the origin supports' with "
          "`edgefetch ciphers` and check the origin's TLS error log.";
      break;
    default:
      reason.code = ReasonCode::protocol_error;
      reason.message = "The origin broke the TLS protocol (" + std::string(tls::error_code_name(error.code)) +
                       ": " + error.message + ").";
      reason.fix =
          "This is a defect of the origin's TLS stack or of a middlebox in front of it; update it, or "
          "check what rewrites the traffic.";
      break;
  }
  return reason;
}

Reason unreachable_reason(const ReasonContext& ctx) {
  const VerdictHandshake& h = ctx.handshake;
  Reason reason;
  if (!h.resolve_error.empty()) {
    reason.code = ReasonCode::dns_failure;
    reason.message = "The name " + quoted(ctx.target.host) + " did not resolve: " + h.resolve_error + ".";
    reason.fix =
        "The origin's domain name must resolve in public DNS (the edge resolves it itself); check its "
        "A/AAAA or CNAME record. The edge answers 502 (NonS3OriginDnsError).";
    return reason;
  }
  const long long timeout = ctx.settings.connection_timeout.count();
  const int attempts = ctx.settings.connection_attempts;
  if (h.handshake_timed_out) {
    reason.code = ReasonCode::tls_handshake_timeout;
    reason.message = "TCP connected to " + (h.remote ? endpoint_text(*h.remote) : ctx.target.display()) +
                     ", but the origin did not complete the TLS handshake within the connection timeout of " +
                     seconds_text(timeout) + ".";
    reason.fix =
        "The origin accepts connections but does not answer TLS in time: check that the port serves TLS "
        "(a service that waits for the client to speak first looks like this) and that the server is "
        "not overloaded. The edge answers 504.";
    return reason;
  }
  if (h.connect_attempts.empty()) {
    reason.code = ReasonCode::connect_failed;
    reason.message = "No connection was attempted.";
    reason.fix = "Check the origin's address.";
    return reason;
  }
  const auto& last = h.connect_attempts.back();
  const std::string where = endpoint_text(last.endpoint);
  const std::string tries =
      std::to_string(h.connect_attempts.size()) + (h.connect_attempts.size() == 1 ? " attempt" : " attempts");
  switch (last.outcome) {
    case net::ConnectOutcome::refused:
      reason.code = ReasonCode::connection_refused;
      reason.message = "The connection to " + where + " was refused (" + tries + ").";
      reason.fix =
          "Nothing listens on port " + std::to_string(ctx.target.port) +
          ", or a firewall rejects the connection: check HTTPSPort and that the server listens on it "
          "for the edge's addresses. The edge answers 502.";
      break;
    case net::ConnectOutcome::timed_out:
      reason.code = ReasonCode::connect_timeout;
      reason.message = "No answer from " + where + " within the connection timeout of " +
                       seconds_text(timeout) + " (" + tries + ", " + seconds_text(timeout * attempts) +
                       " in all).";
      reason.fix =
          "The origin is down, or a firewall / security group silently drops the edge's packets: allow "
          "the CDN's origin-facing address ranges (for CloudFront, the managed prefix list "
          "com.amazonaws.global.cloudfront.origin-facing). The edge gives up after ConnectionAttempts x "
          "ConnectionTimeout and answers 504.";
      break;
    case net::ConnectOutcome::unreachable:
      reason.code = ReasonCode::host_unreachable;
      reason.message = where + " is unreachable (" + tries + "): " + last.error.message() + ".";
      reason.fix = "Check the origin's address and routing; the edge answers 504.";
      break;
    case net::ConnectOutcome::reset:
      reason.code = ReasonCode::connection_reset;
      reason.message = "The connection to " + where + " was reset while connecting (" + tries + ").";
      reason.fix =
          "A firewall or load balancer in front of the origin resets the connection; check its rules.";
      break;
    default:
      reason.code = ReasonCode::connect_failed;
      reason.message = "Could not connect to " + where + " (" + tries + "): " + last.error.message() + ".";
      reason.fix = "Check the origin's address and port.";
      break;
  }
  return reason;
}

}  // namespace edgefetch::check::detail
