#include "ciphers_translate.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ostream>
#include <variant>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::cli::ciphers {
namespace {

// "0x" and hex digits: a code point's spelling, however long.
bool is_hex_number(std::string_view query) {
  if (query.size() < 3 || query[0] != '0' || (query[1] != 'x' && query[1] != 'X')) return false;
  return std::all_of(query.begin() + 2, query.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

constexpr std::string_view kNotOffered =
    "none: no profile of the CDN offers it; edgefetch knows it so that check can name what an origin speaks";

std::string version_name(policy::ProtocolVersion v) {
  return std::string(policy::info(v).openssl_name);
}

bool has_cipher_suite(const std::vector<policy::CatalogEntry>& entries) {
  for (const policy::CatalogEntry& entry : entries) {
    if (std::holds_alternative<const policy::CipherSuite*>(entry)) return true;
  }
  return false;
}

bool has_signature_scheme(const std::vector<policy::CatalogEntry>& entries) {
  for (const policy::CatalogEntry& entry : entries) {
    if (std::holds_alternative<const policy::SignatureScheme*>(entry)) return true;
  }
  return false;
}

bool names_renegotiation_scsv(std::string_view query) {
  const auto code = policy::parse_code_point(query);
  if (code) return *code == policy::kEmptyRenegotiationInfoScsv;
  const auto first = query.find_first_not_of(" \t");
  const auto last = query.find_last_not_of(" \t");
  return first != std::string_view::npos &&
         base::iequals(query.substr(first, last - first + 1), policy::kEmptyRenegotiationInfoScsvName);
}

void heading(std::ostream& out, std::string_view query, std::string_view kind,
             const terminal::Painter& painter) {
  out << painter.paint(std::string(query), terminal::Style::bold) << "  (" << kind << ")\n";
}

void print_other_suite(std::ostream& out, std::string_view query, const check::SuiteNames& s,
                       const terminal::Painter& painter) {
  terminal::KeyValueList list;
  list.set_indent("  ");
  list.add("OpenSSL", std::string(s.openssl_name), terminal::Style::bold);
  list.add("RFC/IANA", std::string(s.rfc_name));
  list.add("Code point", policy::format_code_point(s.code) + " (" + byte_pair(s.code) + ")");
  list.add("Key exchange", std::string(check::name(s.key_exchange)));
  list.add("Authentication", std::string(check::name(s.authentication)));
  list.add("Versions", policy::version_range_name(s.min_version, s.max_version));
  list.add("Offered by", std::string(kNotOffered), terminal::Style::yellow);
  heading(out, query, "cipher suite the CDN does not offer", painter);
  list.render(out, painter);
}

void print_renegotiation_scsv(std::ostream& out, std::string_view query, const terminal::Painter& painter) {
  const std::uint16_t code = policy::kEmptyRenegotiationInfoScsv;
  terminal::KeyValueList list;
  list.set_indent("  ");
  list.add("RFC/IANA", std::string(policy::kEmptyRenegotiationInfoScsvName), terminal::Style::bold);
  list.add("Code point", policy::format_code_point(code) + " (" + byte_pair(code) + ")");
  list.add("Meaning", "the client supports secure renegotiation (RFC 5746); no cipher is chosen with it");
  list.add("Sent by the edge", "after the suites, whenever it offers a suite below TLS 1.3");
  heading(out, query, "signalling value in the cipher suite list, not a cipher suite", painter);
  list.render(out, painter);
}

void print_other_scheme(std::ostream& out, std::string_view query, const OtherSignatureScheme& scheme,
                        const terminal::Painter& painter) {
  terminal::KeyValueList list;
  list.set_indent("  ");
  list.add("IANA name", std::string(scheme.name), terminal::Style::bold);
  list.add("Code point", policy::format_code_point(scheme.code) + " (" + byte_pair(scheme.code) + ")");
  list.add("Offered by", std::string(kNotOffered), terminal::Style::yellow);
  heading(out, query, "signature scheme the CDN does not offer", painter);
  list.render(out, painter);
}

Json other_suite_json(const check::SuiteNames& s) {
  return Json{{"kind", "other_cipher_suite"},
              {"other_cipher_suite", Json{{"openssl", s.openssl_name},
                                          {"rfc", s.rfc_name},
                                          {"code", policy::format_code_point(s.code)},
                                          {"key_exchange", check::name(s.key_exchange)},
                                          {"authentication", check::name(s.authentication)},
                                          {"min_version", version_name(s.min_version)},
                                          {"max_version", version_name(s.max_version)}}}};
}

Json renegotiation_scsv_json() {
  return Json{{"kind", "scsv"},
              {"scsv", Json{{"rfc", policy::kEmptyRenegotiationInfoScsvName},
                            {"code", policy::format_code_point(policy::kEmptyRenegotiationInfoScsv)}}}};
}

Json other_scheme_json(const OtherSignatureScheme& scheme) {
  return Json{{"kind", "other_signature_scheme"},
              {"other_signature_scheme",
               Json{{"name", scheme.name}, {"code", policy::format_code_point(scheme.code)}}}};
}

}  // namespace

Translation translate(std::string_view query) {
  Translation found;
  found.catalogued = policy::find_any(query);
  if (!has_cipher_suite(found.catalogued)) {
    // Catalogued suites were found above, with more to say about them.
    const auto suite = check::find_suite_names(query);
    if (suite && !suite->in_policy) found.other_suite = suite;
  }
  found.renegotiation_scsv = names_renegotiation_scsv(query);
  if (!has_signature_scheme(found.catalogued)) {
    if (const auto code = check::find_extra_signature_scheme(query)) {
      found.other_scheme = OtherSignatureScheme{*code, check::extra_signature_scheme_name(*code)};
    }
  }
  return found;
}

std::string unknown_query_message(std::string_view query) {
  const std::string start = "unknown name '" + std::string(query) + "'";
  if (policy::is_numeric_spelling(query)) {
    // A code point is near no name: suggesting some ("X448" for "48") would mislead.
    if (policy::parse_code_point(query)) {
      return start + ": not the code point of any cipher suite, group or signature scheme edgefetch knows";
    }
    // A decimal number is a group id (as Wireshark shows groups); suites and
    // schemes are written in hex, so say which hex spelling was perhaps meant.
    unsigned number = 0;
    const auto [end, error] = std::from_chars(query.data(), query.data() + query.size(), number);
    const bool whole = error == std::errc() && end == query.data() + query.size() && number <= 0xFFFF;
    return start + ": no group has the id " + std::string(query) +
           " (a decimal number is read as a group id; cipher suites and signature schemes are written in "
           "hex" +
           (whole ? ": for the code point " + std::string(query) + ", give " +
                        policy::format_code_point(static_cast<std::uint16_t>(number))
                  : std::string(", such as 0xC02F")) +
           ")";
  }
  if (is_hex_number(query)) {
    return start +
           ": not a code point; TLS code points are 16 bits, 0x0000 to 0xFFFF (written 0xC02F or "
           "0xC0,0x2F)";
  }
  const std::vector<std::string> near = policy::closest_names(query, 3);
  if (!near.empty()) return start + "; did you mean: " + terminal::join(near, ", ") + "?";
  return start +
         ": not a cipher suite, group or signature scheme edgefetch knows in any spelling, nor a code point "
         "such as 0xC02F. The names are in 'edgefetch ciphers', 'edgefetch ciphers groups' and 'edgefetch "
         "ciphers sigalgs' (for the TLS 1.3 suites, add --profile CloudFront-Upstream-2025).";
}

Json translation_json(std::string_view query, const Translation& translation) {
  Json matches = Json::array();
  for (const policy::CatalogEntry& entry : translation.catalogued) {
    matches.push_back(catalogue_entry_json(entry));
  }
  if (translation.other_suite) matches.push_back(other_suite_json(*translation.other_suite));
  if (translation.renegotiation_scsv) matches.push_back(renegotiation_scsv_json());
  if (translation.other_scheme) matches.push_back(other_scheme_json(*translation.other_scheme));
  Json result{{"query", query}, {"matches", matches}};
  if (translation.empty()) result["error"] = unknown_query_message(query);
  return result;
}

void print_translation(std::ostream& out, std::string_view query, const Translation& translation,
                       const terminal::Painter& painter) {
  bool first = true;
  const auto separate = [&] {
    if (!first) out << "\n";
    first = false;
  };
  for (const policy::CatalogEntry& entry : translation.catalogued) {
    separate();
    print_catalogue_entry(out, query, entry, painter);
  }
  if (translation.other_suite) {
    separate();
    print_other_suite(out, query, *translation.other_suite, painter);
  }
  if (translation.renegotiation_scsv) {
    separate();
    print_renegotiation_scsv(out, query, painter);
  }
  if (translation.other_scheme) {
    separate();
    print_other_scheme(out, query, *translation.other_scheme, painter);
  }
}

}  // namespace edgefetch::cli::ciphers
