#include "ciphers_views.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <utility>
#include <variant>

namespace edgefetch::cli::ciphers {
namespace {

using policy::ProtocolVersion;

std::string version_name(ProtocolVersion v) {
  return std::string(policy::info(v).openssl_name);
}

std::vector<std::string> strings(std::span<const std::string_view> views) {
  return {views.begin(), views.end()};
}

std::string group_kind(const policy::NamedGroup& g) {
  return g.is_ecdh ? "ECDHE" : "FFDHE";
}

template <class T>
std::size_t catalogue_position(std::span<const T> table, const T* entry) {
  return static_cast<std::size_t>(entry - table.data()) + 1;
}

constexpr std::string_view kOfferedByNone = "none (catalogued only)";

// "cloudfront #11, CloudFront-Upstream #11 (also CloudFront-Upstream-TLS-1-0, ...)": the
// profiles that offer a suite (group, signature scheme) and its position in
// that profile's `list`; profiles whose list equals an earlier one's are folded into it.
template <class T>
std::string offered_by(const T& wanted, std::vector<const T*> policy::Profile::*list) {
  struct Entry {
    const policy::Profile* profile;
    std::string text;
    std::vector<std::string> same_as_this;
  };
  std::vector<Entry> entries;
  for (const policy::Profile& p : policy::all_profiles()) {
    const auto& offered = p.*list;
    const auto it = std::find(offered.begin(), offered.end(), &wanted);
    if (it == offered.end()) {
      continue;
    }
    const auto twin = std::find_if(entries.begin(), entries.end(),
                                   [&p, list](const Entry& e) { return (*e.profile).*list == p.*list; });
    if (twin != entries.end()) {
      // In full, as --profile takes it.
      twin->same_as_this.emplace_back(p.name);
      continue;
    }
    entries.push_back({&p, std::string(p.name) + " #" + std::to_string(it - offered.begin() + 1), {}});
  }
  if (entries.empty()) {
    return std::string(kOfferedByNone);
  }
  std::vector<std::string> out;
  out.reserve(entries.size());
  for (const Entry& e : entries) {
    out.push_back(e.same_as_this.empty() ? e.text
                                         : e.text + " (also " + terminal::join(e.same_as_this, ", ") + ")");
  }
  return terminal::join(out, ", ");
}

std::string seed_note(const policy::CipherSuite& s) {
  if (!s.in_seed_table) {
    return "no";
  }
  return s.authentication == policy::Authentication::ecdsa ? "yes (ECDSA table)" : "yes (RSA table)";
}

// The table's "legacy" note needs its legend only when a row carries it.
bool offers_legacy_suite(const policy::Offer& offer) {
  return std::any_of(offer.cipher_suites.begin(), offer.cipher_suites.end(),
                     [](const policy::CipherSuite* s) { return s->legacy; });
}

std::string join_selection(std::span<const ProtocolVersion> selection) {
  std::vector<std::string> names;
  for (const ProtocolVersion v : selection) {
    names.emplace_back(policy::info(v).origin_ssl_protocol);
  }
  return terminal::join(names, ",");
}

// The versions in which `suite` can be negotiated under `offer` (lowest >
// highest when none).
std::pair<ProtocolVersion, ProtocolVersion> usable_versions(const policy::CipherSuite& suite,
                                                            const policy::Offer& offer) {
  return {std::max(suite.min_version, offer.min_version), std::min(suite.max_version, offer.max_version)};
}

}  // namespace

std::string byte_pair(std::uint16_t code) {
  const std::string hex = policy::format_code_point(code);
  return "0x" + hex.substr(2, 2) + ",0x" + hex.substr(4, 2);
}

Json suite_json(const policy::CipherSuite& s, std::size_t order) {
  return Json{
      {"order", order},
      {"openssl", s.openssl_name},
      {"rfc", s.rfc_name},
      {"gnutls", s.gnutls_name},
      {"jsse", s.jsse_name},
      {"code", policy::format_code_point(s.code)},
      {"key_exchange", policy::name(s.key_exchange)},
      {"authentication", policy::name(s.authentication)},
      {"cipher", policy::info(s.cipher).name},
      {"mac", policy::info(s.mac).name},
      {"prf_hash", policy::name(s.prf_hash)},
      {"min_version", version_name(s.min_version)},
      {"max_version", version_name(s.max_version)},
      {"legacy", s.legacy},
      {"in_seed_table", s.in_seed_table},
  };
}

Json group_json(const policy::NamedGroup& g, std::size_t order) {
  return Json{
      {"order", order},
      {"name", g.name},
      {"iana_name", g.iana_name},
      {"code", policy::format_code_point(g.code)},
      {"id", g.code},
      {"aliases", strings(g.aliases)},
      {"kind", group_kind(g)},
      {"in_policy", g.in_policy},
  };
}

Json scheme_json(const policy::SignatureScheme& s, std::size_t order) {
  return Json{
      {"order", order},
      {"iana_name", s.iana_name},
      {"seed_name", s.seed_name},
      {"openssl", s.openssl_name},
      {"gnutls", s.gnutls_name},
      {"aliases", strings(s.aliases)},
      {"code", policy::format_code_point(s.code)},
      {"algorithm", policy::name(s.algorithm)},
      {"hash", policy::name(s.hash)},
      {"max_version", version_name(s.max_version)},
      {"in_seed_table", s.in_seed_table},
  };
}

Json offer_json(const policy::Offer& offer, std::span<const ProtocolVersion> selection) {
  Json selection_json = Json::array();
  for (const ProtocolVersion v : selection) {
    selection_json.push_back(policy::info(v).origin_ssl_protocol);
  }
  Json suites = Json::array();
  for (std::size_t i = 0; i < offer.cipher_suites.size(); ++i) {
    const policy::CipherSuite& suite = *offer.cipher_suites[i];
    Json entry = suite_json(suite, i + 1);
    // The table's "Versions": where the suite can be negotiated under this offer.
    const auto [lowest, highest] = usable_versions(suite, offer);
    entry["usable_min_version"] = lowest <= highest ? Json(version_name(lowest)) : Json(nullptr);
    entry["usable_max_version"] = lowest <= highest ? Json(version_name(highest)) : Json(nullptr);
    suites.push_back(std::move(entry));
  }
  Json groups = Json::array();
  for (std::size_t i = 0; i < offer.groups.size(); ++i) {
    groups.push_back(group_json(*offer.groups[i], i + 1));
  }
  Json schemes = Json::array();
  for (std::size_t i = 0; i < offer.signature_schemes.size(); ++i) {
    schemes.push_back(scheme_json(*offer.signature_schemes[i], i + 1));
  }
  return Json{
      {"profile", offer.profile->name},
      {"description", offer.profile->description},
      {"origin_ssl_protocols", selection_json},
      {"selection_had_gaps", offer.selection_had_gaps},
      {"min_version", version_name(offer.min_version)},
      {"max_version", version_name(offer.max_version)},
      {"cipher_suites", suites},
      {"groups", groups},
      {"signature_schemes", schemes},
      {"renegotiation_scsv",
       offer.sends_renegotiation_scsv()
           ? Json{{"rfc", policy::kEmptyRenegotiationInfoScsvName},
                  {"code", policy::format_code_point(policy::kEmptyRenegotiationInfoScsv)}}
           : Json(nullptr)},
      {"floor_raised_by_profile",
       !selection.empty() && offer.min_version > *std::min_element(selection.begin(), selection.end())},
  };
}

Json profiles_json() {
  Json profiles = Json::array();
  for (const policy::Profile& p : policy::all_profiles()) {
    Json suites = Json::array();
    for (const policy::CipherSuite* s : p.cipher_suites) {
      suites.push_back(policy::format_code_point(s->code));
    }
    Json groups = Json::array();
    for (const policy::NamedGroup* g : p.groups) {
      groups.push_back(g->name);
    }
    Json schemes = Json::array();
    for (const policy::SignatureScheme* s : p.signature_schemes) {
      schemes.push_back(s->iana_name);
    }
    profiles.push_back(Json{
        {"name", p.name},
        {"aliases", std::vector<std::string>(p.aliases.begin(), p.aliases.end())},
        {"description", p.description},
        {"min_version", version_name(p.min_version)},
        {"max_version", version_name(p.max_version)},
        {"default", &p == &policy::default_profile()},
        {"cipher_suites", suites},
        {"groups", groups},
        {"signature_schemes", schemes},
    });
  }
  return Json{{"default", policy::kDefaultProfileName}, {"profiles", profiles}};
}

Json catalogue_entry_json(const policy::CatalogEntry& entry) {
  if (const auto* const* suite = std::get_if<const policy::CipherSuite*>(&entry)) {
    return Json{
        {"kind", "cipher_suite"},
        {"cipher_suite", suite_json(**suite, catalogue_position(policy::all_cipher_suites(), *suite))}};
  }
  if (const auto* const* group = std::get_if<const policy::NamedGroup*>(&entry)) {
    return Json{{"kind", "group"},
                {"group", group_json(**group, catalogue_position(policy::all_named_groups(), *group))}};
  }
  const policy::SignatureScheme* scheme = std::get<const policy::SignatureScheme*>(entry);
  return Json{{"kind", "signature_scheme"},
              {"signature_scheme",
               scheme_json(*scheme, catalogue_position(policy::all_signature_schemes(), scheme))}};
}

void print_offer(std::ostream& out, const policy::Offer& offer, std::span<const ProtocolVersion> selection,
                 const terminal::Painter& painter) {
  const policy::Profile& profile = *offer.profile;
  out << painter.paint("Profile " + std::string(profile.name), terminal::Style::bold)
      << (&profile == &policy::default_profile() ? " (default)" : "") << ": " << profile.description << "\n";
  if (selection.empty()) {
    out << "Versions " << policy::version_range_name(offer.min_version, offer.max_version) << "; "
        << offer.cipher_suites.size() << " cipher suites in the order the client offers them.\n";
  } else {
    const ProtocolVersion lowest_selected = *std::min_element(selection.begin(), selection.end());
    out << "OriginSslProtocols " << join_selection(selection) << ": floor "
        << version_name(offer.min_version);
    if (offer.min_version > lowest_selected) {
      out << " (raised from " << version_name(lowest_selected)
          << " by the profile, which refuses versions below " << version_name(profile.min_version) << ")";
    }
    out << ", ceiling " << version_name(offer.max_version)
        << " (the floor is enforced on the server's choice; every setting sends the same ClientHello, "
           "which offers up to the ceiling).\n";
    if (offer.selection_had_gaps) {
      out << painter.paint("note:", terminal::Style::yellow)
          << " the selection has gaps; it is treated as its floor, "
          << "so every version " << policy::version_range_name(offer.min_version, offer.max_version)
          << " is accepted.\n";
    }
  }
  out << "\n";

  terminal::Table table(
      {{"#", terminal::Align::right}, {"OpenSSL/s2n name"}, {"RFC name"}, {"Code"}, {"Versions"}, {"Notes"}});
  for (std::size_t i = 0; i < offer.cipher_suites.size(); ++i) {
    const policy::CipherSuite& s = *offer.cipher_suites[i];
    const auto [lowest, highest] = usable_versions(s, offer);
    const std::string versions = lowest <= highest ? policy::version_range_name(lowest, highest) : "-";
    std::vector<std::string> notes;
    if (s.legacy) {
      notes.emplace_back("legacy");
    }
    if (!s.in_seed_table) {
      notes.emplace_back("not in the documented table");
    }
    table.add_row({{std::to_string(i + 1)},
                   {std::string(s.openssl_name), s.legacy ? terminal::Style::yellow : terminal::Style::plain},
                   {std::string(s.rfc_name)},
                   {policy::format_code_point(s.code)},
                   {versions},
                   {terminal::join(notes, "; "), terminal::Style::yellow}});
  }
  table.render(out, painter);

  std::vector<std::string> groups;
  for (const policy::NamedGroup* g : offer.groups) {
    groups.push_back(std::string(g->name) + " (" + std::string(g->iana_name) + ")");
  }
  std::vector<std::string> schemes;
  for (const policy::SignatureScheme* s : offer.signature_schemes) {
    schemes.emplace_back(s->iana_name);
  }
  out << "\n";
  terminal::KeyValueList summary;
  summary.add("Groups:", terminal::join(groups, ", "));
  summary.add("Signature schemes:", terminal::join(schemes, ", "));
  if (offer.sends_renegotiation_scsv()) {
    summary.add("Also sent:", std::string(policy::kEmptyRenegotiationInfoScsvName) + " (" +
                                  policy::format_code_point(policy::kEmptyRenegotiationInfoScsv) +
                                  ") after the suites");
  }
  summary.render(out, painter);
  out << "\n"
      << (offers_legacy_suite(offer) ? "legacy = 3DES or RC4. " : "")
      << "More: edgefetch ciphers groups, edgefetch ciphers sigalgs, edgefetch ciphers profiles, "
         "edgefetch ciphers translate NAME...\n";
}

std::string openssl_cipher_string(const policy::Offer& offer) {
  std::vector<std::string> names;
  for (const policy::CipherSuite* s : offer.cipher_suites) {
    if (s->max_version < ProtocolVersion::tls1_3) {
      names.emplace_back(s->openssl_name);
    }
  }
  return terminal::join(names, ":");
}

std::string openssl_legacy_note(const policy::Offer& offer) {
  std::vector<std::string> notes;
  for (const policy::CipherSuite* s : offer.cipher_suites) {
    if (s->cipher == policy::BulkCipher::des_ede3_cbc) {
      notes.push_back(std::string(s->openssl_name) + " only with ':@SECLEVEL=0' added to the string");
    } else if (s->cipher == policy::BulkCipher::rc4_128) {
      notes.push_back(std::string(s->openssl_name) + " not at all in most builds (Debian's has no RC4)");
    }
  }
  if (notes.empty()) return "";
  return "OpenSSL 3 leaves legacy suites out of a cipher string without an error: it takes " +
         terminal::join(notes, ", and ") + ". Check what it kept with 'openssl ciphers -V STRING'.";
}

std::string openssl_tls13_ciphersuites(const policy::Offer& offer) {
  std::vector<std::string> names;
  for (const policy::CipherSuite* s : offer.cipher_suites) {
    if (s->min_version >= ProtocolVersion::tls1_3) {
      names.emplace_back(s->openssl_name);
    }
  }
  return terminal::join(names, ":");
}

void print_groups(std::ostream& out, const std::vector<const policy::NamedGroup*>& groups,
                  bool show_policy_column, const terminal::Painter& painter) {
  std::vector<terminal::Column> columns = {{"#", terminal::Align::right},  {"Name"}, {"IANA name"}, {"Code"},
                                           {"Id", terminal::Align::right}, {"Kind"}};
  if (show_policy_column) {
    columns.push_back({"In policy"});
  }
  columns.push_back({"Other names"});
  terminal::Table table(std::move(columns));
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const policy::NamedGroup& g = *groups[i];
    std::vector<std::string> others;
    for (const std::string_view alias : g.aliases) {
      if (alias != g.name && alias != g.iana_name) {
        others.emplace_back(alias);
      }
    }
    std::vector<terminal::Cell> row = {{std::to_string(i + 1)},    {std::string(g.name)},
                                       {std::string(g.iana_name)}, {policy::format_code_point(g.code)},
                                       {std::to_string(g.code)},   {group_kind(g)}};
    if (show_policy_column) {
      row.push_back(
          {g.in_policy ? "yes" : "no", g.in_policy ? terminal::Style::green : terminal::Style::dim});
    }
    row.push_back({terminal::join(others, ", ")});
    table.add_row(std::move(row));
  }
  table.render(out, painter);
}

void print_signature_schemes(std::ostream& out, const std::vector<const policy::SignatureScheme*>& schemes,
                             bool show_seed_column, const terminal::Painter& painter) {
  std::vector<terminal::Column> columns = {
      {"#", terminal::Align::right}, {"Seed / s2n name"}, {"IANA name"}, {"OpenSSL"}, {"Code"}, {"Up to"}};
  if (show_seed_column) {
    columns.push_back({"In seed"});
  }
  terminal::Table table(std::move(columns));
  for (std::size_t i = 0; i < schemes.size(); ++i) {
    const policy::SignatureScheme& s = *schemes[i];
    std::vector<terminal::Cell> row = {
        {std::to_string(i + 1)},       {std::string(s.seed_name)},          {std::string(s.iana_name)},
        {std::string(s.openssl_name)}, {policy::format_code_point(s.code)}, {version_name(s.max_version)}};
    if (show_seed_column) {
      row.push_back(
          {s.in_seed_table ? "yes" : "no", s.in_seed_table ? terminal::Style::green : terminal::Style::dim});
    }
    table.add_row(std::move(row));
  }
  table.render(out, painter);
}

void print_profiles(std::ostream& out, const terminal::Painter& painter) {
  terminal::Table table(
      {{"Name"}, {"Aliases"}, {"Versions"}, {"Suites", terminal::Align::right}, {"Description"}});
  for (const policy::Profile& p : policy::all_profiles()) {
    const bool is_default = &p == &policy::default_profile();
    const std::vector<std::string> aliases(p.aliases.begin(), p.aliases.end());
    table.add_row({{std::string(p.name) + (is_default ? " (default)" : ""),
                    is_default ? terminal::Style::bold : terminal::Style::plain},
                   {terminal::join(aliases, ", ")},
                   {policy::version_range_name(p.min_version, p.max_version)},
                   {std::to_string(p.cipher_suites.size())},
                   {std::string(p.description)}});
  }
  table.render(out, painter);
  out << "\nAn alias stands for the profile on its row: --profile cloudfront-2025 is --profile "
         "CloudFront-Upstream-2025.\n"
         "The CloudFront-Upstream policies send the same ClientHello; only the lowest version they accept "
         "differs.\nShow one with: edgefetch ciphers --profile NAME\n";
}

void print_catalogue_entry(std::ostream& out, std::string_view query, const policy::CatalogEntry& match,
                           const terminal::Painter& painter) {
  terminal::KeyValueList list;
  list.set_indent("  ");
  std::string kind;
  std::string offered;
  if (const auto* const* suite_ptr = std::get_if<const policy::CipherSuite*>(&match)) {
    const policy::CipherSuite& s = **suite_ptr;
    kind = "cipher suite";
    list.add("OpenSSL/s2n", std::string(s.openssl_name), terminal::Style::bold);
    list.add("RFC/IANA", std::string(s.rfc_name));
    list.add("GnuTLS", std::string(s.gnutls_name));
    list.add("Java JSSE", std::string(s.jsse_name));
    list.add("Code point", policy::format_code_point(s.code) + " (" + byte_pair(s.code) + ")");
    list.add("Key exchange", std::string(policy::name(s.key_exchange)));
    list.add("Authentication", std::string(policy::name(s.authentication)));
    list.add("Cipher", std::string(policy::info(s.cipher).name));
    list.add("MAC", std::string(policy::info(s.mac).name));
    // The hash the TLS 1.2 PRF (and TLS 1.3's HKDF) uses; before TLS 1.2 every suite's PRF is MD5+SHA-1.
    std::string prf(policy::name(s.prf_hash));
    if (s.min_version < policy::ProtocolVersion::tls1_2) prf += " (TLS 1.2; MD5+SHA-1 before)";
    list.add("PRF hash", prf);
    list.add("Versions", policy::version_range_name(s.min_version, s.max_version));
    list.add("Legacy", s.legacy ? "yes (weak by today's standards)" : "no",
             s.legacy ? terminal::Style::yellow : terminal::Style::plain);
    list.add("Seed table", seed_note(s));
    offered = offered_by(s, &policy::Profile::cipher_suites);
    list.add("Offered by", offered);
  } else if (const auto* const* group_ptr = std::get_if<const policy::NamedGroup*>(&match)) {
    const policy::NamedGroup& g = **group_ptr;
    kind = "named group";
    list.add("Name", std::string(g.name), terminal::Style::bold);
    list.add("IANA name", std::string(g.iana_name));
    list.add("Aliases", terminal::join(strings(g.aliases), ", "));
    list.add("Code point", policy::format_code_point(g.code) + " (" + std::to_string(g.code) + ")");
    list.add("Kind", group_kind(g));
    list.add("In policy", g.in_policy ? "yes (offered to origins)" : "no (catalogued for diagnosis)");
    offered = offered_by(g, &policy::Profile::groups);
    list.add("Offered by", offered);
  } else if (const auto* const* scheme_ptr = std::get_if<const policy::SignatureScheme*>(&match)) {
    const policy::SignatureScheme& s = **scheme_ptr;
    kind = "signature scheme";
    list.add("IANA name", std::string(s.iana_name), terminal::Style::bold);
    list.add("Seed / s2n", std::string(s.seed_name));
    list.add("OpenSSL", std::string(s.openssl_name));
    list.add("GnuTLS", std::string(s.gnutls_name));
    if (!s.aliases.empty()) {
      list.add("Aliases", terminal::join(strings(s.aliases), ", "));
    }
    list.add("Code point", policy::format_code_point(s.code) + " (" + byte_pair(s.code) + ")");
    list.add("Algorithm", std::string(policy::name(s.algorithm)));
    list.add("Hash", std::string(policy::name(s.hash)));
    list.add("Versions", "up to " + version_name(s.max_version));
    list.add("Seed table", s.in_seed_table ? "yes" : "no");
    offered = offered_by(s, &policy::Profile::signature_schemes);
    list.add("Offered by", offered);
  }
  // As translate heads what lies beyond the catalogue ("cipher suite the CDN does not offer").
  if (offered == kOfferedByNone) kind += " the CDN does not offer";
  out << painter.paint(std::string(query), terminal::Style::bold) << "  (" << kind << ")\n";
  list.render(out, painter);
}

}  // namespace edgefetch::cli::ciphers
