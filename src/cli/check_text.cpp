#include "check_text.hpp"

#include <algorithm>
#include <optional>
#include <ostream>
#include <sstream>

#include "check_verdicts_text.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/net/url.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::cli::check_cmd {
namespace {

using check::Verdict;
using policy::ProtocolVersion;
using terminal::Style;

constexpr std::size_t kWidth = 100;

// The SNI the edge sends: none for an IP address (RFC 6066 3), which is
// still the name the certificate is checked against.
std::string sni_text(const std::string& server_name) {
  return net::is_ip_literal(server_name)
             ? "none (an IP address; the certificate must name " + server_name + ")"
             : server_name;
}

// The comparison profile's name ("the other profile" when there is none).
std::string comparison_name(const check::CheckReport& report) {
  return report.comparison && report.comparison->profile != nullptr
             ? std::string(report.comparison->profile->name)
             : std::string("the other profile");
}

std::string connections_text(int count) {
  return std::to_string(count) + (count == 1 ? " connection" : " connections");
}

std::string version_text(ProtocolVersion v) {
  return std::string(policy::info(v).openssl_name);
}

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
         std::to_string(endpoint.port());
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

std::string join_codes(const std::vector<check::Reason>& reasons) {
  std::vector<std::string> codes;
  for (const auto& r : reasons) {
    std::string code(check::reason_code_name(r.code));
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  return terminal::join(codes, ", ");
}

std::string verdict_summary(const check::CheckReport& report) {
  const auto& d = report.diagnosis;
  switch (d.verdict) {
    case Verdict::compatible: {
      const auto& n = report.handshake.negotiated;
      std::string text = "the edge connects: " + version_text(n.version);
      if (n.cipher_suite) text += ", " + std::string(n.cipher_suite->openssl_name);
      if (n.group) text += ", " + std::string(n.group->name);
      return text;
    }
    case Verdict::incompatible:
      return "the edge cannot connect: " + join_codes(d.reasons);
    case Verdict::unreachable:
      return "the edge cannot reach the origin: " + join_codes(d.reasons);
  }
  return "";
}

std::string settings_line(const check::CheckReport& report) {
  const auto& s = report.settings;
  const auto offer = s.offer();
  std::string protocols;
  for (auto v : s.origin_ssl_protocols) {
    protocols += (protocols.empty() ? "" : ",") + std::string(policy::info(v).origin_ssl_protocol);
  }
  const std::string range = offer.min_version == offer.max_version
                                ? version_text(offer.min_version)
                                : version_text(offer.min_version) + "-" + version_text(offer.max_version);
  std::string line =
      "OriginSslProtocols " + protocols + " (accepts " + range + "), profile " +
      std::string(s.effective_profile().name) + ", SNI " + sni_text(report.target.server_name()) +
      ", ConnectionTimeout " + std::to_string(s.connection_timeout.count()) + " s x " +
      std::to_string(s.connection_attempts) + (s.connection_attempts == 1 ? " attempt" : " attempts");
  if (report.handshake.remote) {
    line += ", " + endpoint_text(*report.handshake.remote);
    if (report.handshake.resolve_source == net::ResolveSource::override) line += " (--resolve)";
  }
  return line;
}

void heading(std::ostream& out, const terminal::Painter& paint, std::string_view title) {
  out << "\n" << paint.paint(title, Style::bold) << "\n";
}

// wrap() for each '\n'-separated line of `text`.
std::string wrap_lines(std::string_view text, std::size_t width, std::string_view indent) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (start > 0) out += "\n" + std::string(indent);
    out += wrap(text.substr(start, end - start), width, indent);
    start = end + 1;
  }
  return out;
}

struct Fact {
  std::string key;
  std::string value;
  Style style = Style::plain;
};

// "Key   value" lines with values wrapped under themselves.
void render_facts(std::ostream& out, const std::vector<Fact>& facts, const terminal::Painter& paint) {
  std::size_t key_width = 0;
  for (const auto& f : facts) key_width = std::max(key_width, terminal::display_width(f.key));
  const std::string indent(2 + key_width + 2, ' ');
  for (const auto& f : facts) {
    out << "  " << f.key << std::string(key_width - terminal::display_width(f.key) + 2, ' ')
        << paint.paint(wrap_lines(f.value, kWidth - indent.size(), indent), f.style) << "\n";
  }
}

// A multi-line text: prose lines wrapped, lines starting with two spaces
// (configuration lines) kept verbatim so they can be copied. The first line is
// assumed to start at column indent.size(); the others get `indent`.
std::string block(std::string_view text, std::string_view indent) {
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (!first) out += "\n" + std::string(indent);
    if (line.starts_with("  ")) {
      out += line;
    } else {
      out += wrap(line, kWidth - indent.size(), indent);
    }
    first = false;
    start = end + 1;
  }
  return out;
}

// The reasons behind `verdict`, each coloured as the verdict it causes: a code
// such as connection_reset means "unreachable" while connecting but
// "incompatible" during the handshake, so the code alone cannot say.
void render_reason_list(std::ostream& out, const std::string& title, Verdict verdict,
                        const std::vector<check::Reason>& reasons, const terminal::Painter& paint) {
  if (reasons.empty()) return;
  heading(out, paint,
          reasons.size() == 1 ? title : title + " (" + std::to_string(reasons.size()) + " reasons)");
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const auto& r = reasons[i];
    out << "  " << std::to_string(i + 1) << ". "
        << paint.paint(check::reason_code_name(r.code), verdict_style(verdict)) << "\n";
    out << "     " << block(r.message, "     ") << "\n";
    out << "     " << paint.paint("Fix: ", Style::cyan) << block(r.fix, "          ") << "\n";
  }
}

void render_reasons(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  render_reason_list(out, "Why", report.diagnosis.verdict, report.diagnosis.reasons, paint);
}

// The second profile's reasons, with their fixes, when they are not the
// primary's over again (e.g. only today's edge fails).
void render_comparison_reasons(std::ostream& out, const check::CheckReport& report,
                               const terminal::Painter& paint) {
  if (!report.comparison || !report.comparison->tried()) return;
  const auto& c = *report.comparison;
  if (c.verdict == Verdict::compatible || join_codes(c.reasons) == join_codes(report.diagnosis.reasons)) {
    return;
  }
  render_reason_list(out, "Why not under " + std::string(c.profile->name), c.verdict, c.reasons, paint);
}

void render_negotiated(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  if (report.handshake.verdict != Verdict::compatible) return;
  const auto& n = report.handshake.negotiated;
  heading(out, paint, "Negotiated (the edge's handshake)");
  std::vector<Fact> list;
  list.push_back({"Version", version_text(n.version)});
  if (n.cipher_suite) {
    list.push_back({"Cipher", std::string(n.cipher_suite->openssl_name) + "  (" +
                                  std::string(n.cipher_suite->rfc_name) + ", " +
                                  policy::format_code_point(n.cipher_suite->code) + ")"});
  }
  list.push_back({"Group", n.group ? std::string(n.group->name) : "none (RSA key exchange)"});
  list.push_back({"Signature", n.signature_scheme ? std::string(n.signature_scheme->iana_name)
                                                  : (n.group ? "legacy (fixed by the version)" : "none")});
  if (n.version == policy::ProtocolVersion::tls1_3) {
    // RFC 8446 builds both into the key schedule and drops renegotiation.
    list.push_back({"Extensions", "n/a (TLS 1.3)"});
    list.push_back(
        {"Hello retry", n.hello_retry_request ? "yes (the server asked for another key share)" : "no"});
  } else {
    list.push_back({"Extensions", std::string("extended_master_secret ") +
                                      (n.extended_master_secret ? "yes" : "no") + ", secure renegotiation " +
                                      (n.secure_renegotiation ? "yes" : "no")});
  }
  render_facts(out, list, paint);
}

void render_certificate(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  const auto& d = report.diagnosis;
  if (!d.certificate || d.certificate->chain.empty()) return;
  const auto& audit = *d.certificate;
  const auto& leaf = audit.chain.front();
  heading(out, paint,
          "Certificate (" +
              std::string(d.certificate_source == "handshake" ? "from the edge's handshake"
                          : d.certificate_source == "comparison"
                              ? "from the handshake under " + comparison_name(report)
                              : "read by enumeration") +
              ")");
  std::vector<Fact> list;
  list.push_back({"Subject", leaf.subject});
  list.push_back({"Issuer", leaf.issuer});
  list.push_back({"Names", leaf.san.empty() ? "(no subjectAltName)" : terminal::join(leaf.san, ", ")});
  list.push_back({"Key", leaf.key});
  if (!leaf.signature_algorithm.empty()) {
    const bool weak = leaf.signature_digest == "SHA1" || leaf.signature_digest == "MD5";
    list.push_back({"Signed with", leaf.signature_algorithm, weak ? Style::yellow : Style::plain});
  }
  std::string validity = leaf.not_before + " to " + leaf.not_after;
  Style validity_style = Style::plain;
  if (audit.days_to_expiry) {
    const long days = *audit.days_to_expiry;
    if (days < 0) {
      validity += " (expired " + std::to_string(-days) + " days ago)";
      validity_style = Style::red;
    } else {
      validity += " (expires in " + std::to_string(days) + (days == 1 ? " day)" : " days)");
      if (days <= check::kExpiryWarningDays) validity_style = Style::yellow;
    }
  }
  list.push_back({"Valid", validity, validity_style});
  if (!audit.verified_path.empty()) {
    list.push_back({"Chain", terminal::join(audit.verified_path, "\n<- ")});
  } else if (audit.chain.size() > 1) {
    std::vector<std::string> subjects;
    for (const auto& info : audit.chain) subjects.push_back(info.subject);
    list.push_back({"Chain sent", terminal::join(subjects, "\n<- ")});
  }
  list.push_back({"Checked for", audit.checked_name + (audit.acceptable() ? "  (accepted)" : ""),
                  audit.acceptable() ? Style::green : Style::plain});
  render_facts(out, list, paint);
}

std::string refusal_text(const check::VersionSupport& v) {
  switch (v.refusal) {
    case check::Refusal::none:
      return "";
    case check::Refusal::alert:
      return "alert " + (v.alert_description ? tls::alert_name(*v.alert_description) : std::string("?"));
    case check::Refusal::lower_version: {
      const auto answered =
          v.answered_version ? policy::version_from_wire(*v.answered_version) : std::nullopt;
      return "answers with " + (answered             ? version_text(*answered)
                                : v.answered_version ? policy::format_code_point(*v.answered_version)
                                                     : std::string("a lower version"));
    }
    default:
      return std::string(check::refusal_name(v.refusal)) + (v.detail.empty() ? "" : ": " + v.detail);
  }
}

// The offers "what the origin supports" is compared with: the primary
// profile's, which the verdict follows, and the comparison profile's, named,
// so that "not offered" never reads as true of a profile that does offer it.
struct Offers {
  policy::Offer primary;
  std::string primary_name;
  std::optional<policy::Offer> comparison;
  std::string comparison_name;
};

Offers offers_of(const check::CheckReport& report) {
  Offers offers{report.settings.offer(), std::string(report.settings.effective_profile().name), std::nullopt,
                ""};
  if (report.comparison && report.comparison->profile != nullptr) {
    offers.comparison = policy::narrow(*report.comparison->profile, report.settings.origin_ssl_protocols);
    offers.comparison_name = report.comparison->profile->name;
  }
  return offers;
}

// "P-256, X25519; not offered by cloudfront: P-521, X448", or with a
// comparison profile "rsa_pkcs1_sha256; offered only by
// CloudFront-Upstream-2025: rsa_pss_rsae_sha256; offered by neither cloudfront
// nor CloudFront-Upstream-2025: ..."
std::string split_by_offer(const std::vector<std::uint16_t>& codes,
                           bool (*offered)(const policy::Offer&, std::uint16_t), const Offers& offers,
                           std::string (*name)(std::uint16_t)) {
  std::vector<std::string> yes;
  std::vector<std::string> only_comparison;
  std::vector<std::string> no;
  for (auto code : codes) {
    if (offered(offers.primary, code)) {
      yes.push_back(name(code));
    } else if (offers.comparison && offered(*offers.comparison, code)) {
      only_comparison.push_back(name(code));
    } else {
      no.push_back(name(code));
    }
  }
  std::string text = terminal::join(yes, ", ");
  const auto add = [&text](const std::string& label, const std::vector<std::string>& names) {
    if (names.empty()) return;
    text += (text.empty() ? "" : "; ") + label + ": " + terminal::join(names, ", ");
  };
  add("offered only by " + offers.comparison_name, only_comparison);
  add(offers.comparison ? "offered by neither " + offers.primary_name + " nor " + offers.comparison_name
                        : "not offered by " + offers.primary_name,
      no);
  return text;
}

// The suites table's last column: whether the primary profile offers the
// suite, and when it does not, whether another profile does.
std::string suite_offer_cell(const Offers& offers, std::uint16_t code) {
  if (offers.primary.offers_suite(code)) return "yes";
  if (offers.comparison && offers.comparison->offers_suite(code)) {
    return "no (" + offers.comparison_name + " does)";
  }
  const auto profiles = policy::all_profiles();
  const bool in_some_profile =
      std::any_of(profiles.begin(), profiles.end(), [code](const policy::Profile& p) {
        return std::any_of(p.cipher_suites.begin(), p.cipher_suites.end(),
                           [code](const policy::CipherSuite* s) { return s->code == code; });
      });
  return in_some_profile ? "no (another profile does)" : "no (no profile does)";
}

bool offers_group(const policy::Offer& offer, std::uint16_t code) {
  return offer.offers_group(code);
}
bool offers_scheme(const policy::Offer& offer, std::uint16_t code) {
  return offer.offers_signature_scheme(code);
}

std::string preference_text(check::Tristate preference) {
  switch (preference) {
    case check::Tristate::yes:
      return "server's order";
    case check::Tristate::no:
      return "client's order";
    case check::Tristate::unknown:
      return "order unknown";
  }
  return "";
}

void render_supported(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  if (!report.supported) return;
  const auto& s = *report.supported;
  const Offers offers = offers_of(report);
  heading(out, paint, "What the origin supports");
  terminal::Table versions(
      {{"Version"}, {"Accepted"}, {"Suites", terminal::Align::right}, {"Chooses by"}, {"Refused with"}});
  versions.set_indent("  ");
  for (const auto& v : s.versions) {
    versions.add_row({{version_text(v.version)},
                      {v.accepted ? "yes" : "no", v.accepted ? Style::green : Style::dim},
                      {v.accepted ? std::to_string(v.cipher_suites.size()) + (v.complete ? "" : "+") : ""},
                      {v.accepted ? preference_text(v.server_preference) : ""},
                      {refusal_text(v), Style::dim}});
  }
  versions.render(out, paint);
  for (const auto& v : s.versions) {
    if (!v.accepted || v.cipher_suites.empty()) continue;
    out << "\n  " << paint.paint(version_text(v.version) + " suites", Style::bold)
        << (v.server_preference == check::Tristate::yes ? " (server's order)" : "") << "\n";
    terminal::Table suites({{"#", terminal::Align::right},
                            {"OpenSSL name"},
                            {"RFC name"},
                            {"Code"},
                            {offers.primary_name + " offers"}});
    suites.set_indent("    ");
    int index = 1;
    for (auto code : v.cipher_suites) {
      const bool offered = offers.primary.offers_suite(code);
      suites.add_row({{std::to_string(index++)},
                      {check::openssl_name_or_code(code)},
                      {check::rfc_name_or_code(code)},
                      {policy::format_code_point(code), Style::dim},
                      {suite_offer_cell(offers, code), offered ? Style::green : Style::dim}});
    }
    suites.render(out, paint);
  }
  out << "\n";
  std::vector<Fact> facts;
  if (!s.groups.empty()) {
    facts.push_back({"Groups", split_by_offer(s.groups, &offers_group, offers, &check::group_name_or_code) +
                                   "  (" + preference_text(s.groups_server_preference) + ")"});
  } else {
    facts.push_back({"Groups", "none seen (no ECDHE suite accepted in TLS 1.2 and below)", Style::dim});
  }
  if (!s.tls13_groups.empty()) {
    facts.push_back({"TLS 1.3 groups",
                     split_by_offer(s.tls13_groups, &offers_group, offers, &check::group_name_or_code)});
  }
  if (!s.signature_schemes_rsa.empty()) {
    facts.push_back({"Signatures (RSA)", split_by_offer(s.signature_schemes_rsa, &offers_scheme, offers,
                                                        &check::signature_scheme_name_or_code)});
  }
  if (!s.signature_schemes_ecdsa.empty()) {
    facts.push_back({"Signatures (ECDSA)", split_by_offer(s.signature_schemes_ecdsa, &offers_scheme, offers,
                                                          &check::signature_scheme_name_or_code)});
  }
  if (s.ecdsa_certificate_curve) {
    facts.push_back({"ECDSA certificate", "on " + check::group_name_or_code(*s.ecdsa_certificate_curve)});
  }
  switch (s.sni_changes_certificate) {
    case check::Tristate::yes:
      facts.push_back({"SNI", "a different certificate without SNI", Style::yellow});
      break;
    case check::Tristate::no:
      facts.push_back({"SNI", "the same certificate with and without SNI"});
      break;
    case check::Tristate::unknown:
      facts.push_back({"SNI",
                       "not compared" +
                           (s.without_sni_detail.empty() ? std::string() : " (" + s.without_sni_detail + ")"),
                       Style::dim});
      break;
  }
  facts.push_back({"Renegotiation info", std::string(check::tristate_name(s.secure_renegotiation))});
  facts.push_back({"Extended master secret", std::string(check::tristate_name(s.extended_master_secret))});
  render_facts(out, facts, paint);
}

void render_settings(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  const auto& rows = report.diagnosis.settings;
  if (rows.empty()) return;
  heading(out, paint, "What the edge would negotiate under each OriginSslProtocols setting");
  terminal::Table table(
      {{"OriginSslProtocols"}, {"Result"}, {"Version"}, {"Cipher"}, {"Group"}, {"Signature"}});
  table.set_indent("  ");
  for (const auto& row : rows) {
    const auto& p = row.prediction;
    std::string result = p.compatible ? "compatible" : (p.failures.empty() ? "unknown" : "incompatible");
    if (!p.compatible && !p.failures.empty()) {
      std::vector<std::string> codes;
      for (auto code : p.failures) codes.emplace_back(check::reason_code_name(code));
      result += " (" + terminal::join(codes, ", ") + ")";
    }
    if (p.compatible && !p.certain) result += " (likely)";
    std::string setting(policy::info(row.floor).origin_ssl_protocol);
    if (row.selected) setting += " (checked)";
    table.add_row(
        {{setting, row.selected ? Style::bold : Style::plain},
         {result, p.compatible ? Style::green : Style::red},
         {p.compatible && p.version ? version_text(*p.version) : ""},
         {p.compatible && p.cipher_suite ? check::openssl_name_or_code(*p.cipher_suite) : ""},
         {p.compatible && p.group ? check::group_name_or_code(*p.group) : ""},
         {p.compatible && p.signature_scheme ? check::signature_scheme_name_or_code(*p.signature_scheme)
                                             : ""}});
  }
  table.render(out, paint);
  out << "  "
      << paint.paint(
             "A setting is a floor: the edge offers up to its maximum version and refuses an answer below "
             "the floor.",
             Style::dim)
      << "\n";
}

void render_warnings_and_notes(std::ostream& out, const check::CheckReport& report,
                               const terminal::Painter& paint) {
  const auto& d = report.diagnosis;
  if (!d.warnings.empty()) {
    heading(out, paint, "Warnings");
    for (const auto& w : d.warnings) {
      out << "  " << paint.paint(check::warning_code_name(w.code), Style::yellow) << "  "
          << wrap(w.message, kWidth - 4, "    ") << "\n";
    }
  }
  if (!d.notes.empty()) {
    heading(out, paint, "Notes");
    for (const auto& note : d.notes) out << "  - " << wrap(note, kWidth - 4, "    ") << "\n";
  }
}

void render_body(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  render_reasons(out, report, paint);
  render_comparison_reasons(out, report, paint);
  render_negotiated(out, report, paint);
  render_certificate(out, report, paint);
  render_supported(out, report, paint);
  render_settings(out, report, paint);
  render_warnings_and_notes(out, report, paint);
  out << "\n"
      << paint.paint(connections_text(report.probes) + ", " + std::to_string(report.elapsed_ms) + " ms" +
                         (report.enumeration_skipped.empty()
                              ? ""
                              : "; enumeration skipped: " + report.enumeration_skipped),
                     Style::dim)
      << "\n";
}

// The per-origin part of a distribution report: the facts that explain the
// verdict in a few lines, then the reasons with their fixes.
void render_compact(std::ostream& out, const check::CheckReport& r, const terminal::Painter& paint) {
  std::vector<Fact> facts;
  if (r.verdict() == Verdict::compatible) {
    const auto& n = r.handshake.negotiated;
    std::string text = version_text(n.version);
    if (n.cipher_suite) text += ", " + std::string(n.cipher_suite->openssl_name);
    if (n.group) text += ", " + std::string(n.group->name);
    if (n.signature_scheme) text += ", " + std::string(n.signature_scheme->iana_name);
    facts.push_back({"Negotiated", text});
  }
  const auto& d = r.diagnosis;
  if (d.certificate && !d.certificate->chain.empty()) {
    const auto& leaf = d.certificate->chain.front();
    std::string text = leaf.subject + ", " + leaf.key;
    if (d.certificate->days_to_expiry) {
      const long days = *d.certificate->days_to_expiry;
      text += days < 0 ? ", expired " + std::to_string(-days) + " days ago"
                       : ", expires in " + std::to_string(days) + " days";
    }
    facts.push_back({"Certificate", text});
  }
  if (r.supported) {
    std::vector<std::string> parts;
    for (const auto& v : r.supported->versions) {
      if (!v.accepted) continue;
      std::vector<std::string> names;
      for (std::size_t i = 0; i < v.cipher_suites.size() && i < 4; ++i) {
        names.push_back(check::openssl_name_or_code(v.cipher_suites[i]));
      }
      if (v.cipher_suites.size() > 4) {
        names.push_back("+" + std::to_string(v.cipher_suites.size() - 4) + " more");
      }
      parts.push_back(version_text(v.version) + " (" + terminal::join(names, ", ") + ")");
    }
    facts.push_back(
        {"Origin speaks", parts.empty() ? "no version (see the reasons)" : terminal::join(parts, "; ")});
  }
  if (!d.settings.empty()) {
    std::vector<std::string> working;
    for (const auto& row : d.settings) {
      if (row.prediction.compatible) working.emplace_back(policy::info(row.floor).origin_ssl_protocol);
    }
    facts.push_back({"Settings that work", working.empty()
                                               ? "none: no OriginSslProtocols setting works"
                                               : "OriginSslProtocols " + terminal::join(working, ", ")});
  }
  render_facts(out, facts, paint);
  render_reasons(out, r, paint);
  render_comparison_reasons(out, r, paint);
  render_warnings_and_notes(out, r, paint);
}

}  // namespace

terminal::Style verdict_style(check::Verdict verdict) {
  switch (verdict) {
    case check::Verdict::compatible:
      return terminal::Style::green;
    case check::Verdict::incompatible:
      return terminal::Style::red;
    case check::Verdict::unreachable:
      return terminal::Style::yellow;
  }
  return terminal::Style::plain;
}

void render_report(std::ostream& out, const check::CheckReport& report, const terminal::Painter& paint) {
  const Verdict verdict = report.verdict();
  out << paint.paint(upper(check::verdict_name(verdict)), verdict_style(verdict)) << "  "
      << paint.paint(report.target.display(), Style::bold) << "  " << verdict_summary(report) << "\n";
  out << "  " << paint.paint(wrap(settings_line(report), kWidth - 2, "  "), Style::dim) << "\n";
  render_verdicts(out, report, paint);
  render_body(out, report, paint);
}

void render_distribution(std::ostream& out, const check::DistributionReport& report,
                         const terminal::Painter& paint) {
  const int skipped = static_cast<int>(report.origins.size()) - report.checked();
  std::string counts = std::to_string(report.checked()) + " of " + std::to_string(report.origins.size()) +
                       " origins checked: " + std::to_string(report.count(Verdict::compatible)) +
                       " compatible, " + std::to_string(report.count(Verdict::incompatible)) +
                       " incompatible, " + std::to_string(report.count(Verdict::unreachable)) +
                       " unreachable";
  if (skipped > 0) counts += ", " + std::to_string(skipped) + " skipped";
  const policy::Profile* compared_profile = nullptr;
  for (const auto& c : report.counts_by_profile()) {
    if (c.primary) continue;
    compared_profile = c.profile;
    counts += "; under " + std::string(c.profile->name) + ": " + std::to_string(c.compatible) +
              " compatible, " + std::to_string(c.incompatible) + " incompatible, " +
              std::to_string(c.unreachable) + " unreachable";
  }
  // With no origin the edge reaches over TLS there is no verdict to give, and
  // "COMPATIBLE" would read as a pass for origins nobody checked. (The exit
  // code stays 0: skipped origins do not count, as documented.)
  const std::string headline = report.checked() == 0 ? paint.paint("NOTHING CHECKED", Style::bold)
                                                     : paint.paint(upper(check::verdict_name(report.verdict)),
                                                                   verdict_style(report.verdict));
  out << headline << "  " << counts << "  "
      << paint.paint("(" + report.file + ", " + report.format + ")", Style::dim) << "\n\n";

  // With a comparison, its verdict gets a column after the primary one.
  std::vector<terminal::Column> columns = {
      {"Origin"}, {"Domain"}, {"Port", terminal::Align::right}, {"OriginSslProtocols"}, {"Verdict"}};
  if (compared_profile != nullptr) columns.push_back({std::string(compared_profile->name)});
  columns.push_back({"Why"});
  terminal::Table table(std::move(columns));
  const auto row_with = [compared_profile](std::vector<terminal::Cell> cells, terminal::Cell compared) {
    if (compared_profile != nullptr) cells.insert(cells.end() - 1, std::move(compared));
    return cells;
  };
  for (const auto& origin : report.origins) {
    if (!origin.report) {
      table.add_row(row_with({{terminal::displayable(origin.id)},
                              {origin.domain_name},
                              {"-"},
                              {"-"},
                              {"skipped", Style::dim},
                              {origin.skip_reason, Style::dim}},
                             {"-", Style::dim}));
      continue;
    }
    const auto& r = *origin.report;
    std::string protocols;
    for (auto v : r.settings.origin_ssl_protocols) {
      protocols += (protocols.empty() ? "" : ",") + std::string(policy::info(v).origin_ssl_protocol);
    }
    const Verdict compared = r.comparison ? r.comparison->verdict : r.verdict();
    table.add_row(row_with({{terminal::displayable(origin.id)},
                            {origin.domain_name},
                            {std::to_string(r.target.port)},
                            {protocols},
                            {std::string(check::verdict_name(r.verdict())), verdict_style(r.verdict())},
                            {r.verdict() == Verdict::compatible
                                 ? verdict_summary(r).substr(std::string("the edge connects: ").size())
                                 : join_codes(r.diagnosis.reasons)}},
                           {comparison_cell(r), verdict_style(compared)}));
  }
  table.render(out, paint);

  for (const auto& origin : report.origins) {
    if (!origin.report) continue;
    const auto& r = *origin.report;
    out << "\n"
        << paint.paint("== " + terminal::displayable(origin.id) + "  ", Style::bold)
        << paint.paint(upper(check::verdict_name(r.verdict())), verdict_style(r.verdict())) << "  "
        << paint.paint(r.target.display(), Style::bold) << "  " << verdict_summary(r) << "\n";
    out << "  " << paint.paint(wrap(settings_line(r), kWidth - 2, "  "), Style::dim) << "\n";
    for (const auto& note : origin.notes) {
      out << "  - " << wrap(terminal::displayable(note), kWidth - 4, "    ") << "\n";
    }
    render_verdicts(out, r, paint);
    render_compact(out, r, paint);
  }
  if (!report.config_warnings.empty()) {
    out << "\n" << paint.paint("Config warnings", Style::bold) << "\n";
    for (const auto& w : report.config_warnings) out << "  - " << wrap(w, kWidth - 4, "    ") << "\n";
  }
  out << "\n"
      << paint.paint(
             wrap(connections_text(report.probes) + " in all, " + std::to_string(report.elapsed_ms) +
                      " ms. The full report of one origin (every suite, group and signature scheme, the "
                      "certificate): edgefetch check DOMAIN:PORT --origin-ssl-protocols LIST "
                      "--connect-timeout "
                      "SECONDS --connection-attempts N, with the values on that origin's settings line above "
                      "(and --host-header VIEWER-HOST where a note says a behavior forwards Host), plus this "
                      "run's --resolve, --ca-file and --profile options.",
                  kWidth, ""),
             Style::dim)
      << "\n";
}

}  // namespace edgefetch::cli::check_cmd
