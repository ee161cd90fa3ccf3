// Name translation across every spelling in the catalogue.

#include "edgefetch/policy/lookup.hpp"

#include <algorithm>
#include <tuple>

#include "policy/text.hpp"

namespace edgefetch::policy {
namespace {

template <class Callback>
void for_each_suite_name(const CipherSuite& s, Callback&& callback) {
  for (const std::string_view n : {s.openssl_name, s.rfc_name, s.gnutls_name, s.jsse_name}) {
    callback(n);
  }
}

template <class Callback>
void for_each_group_name(const NamedGroup& g, Callback&& callback) {
  callback(g.name);
  callback(g.iana_name);
  for (const std::string_view alias : g.aliases) {
    callback(alias);
  }
}

template <class Callback>
void for_each_scheme_name(const SignatureScheme& s, Callback&& callback) {
  for (const std::string_view n : {s.iana_name, s.seed_name, s.openssl_name, s.gnutls_name}) {
    if (!n.empty()) {
      callback(n);
    }
  }
  for (const std::string_view alias : s.aliases) {
    callback(alias);
  }
}

template <class T, class ForEachName>
const T* find_by_name(std::span<const T> table, std::string_view wanted, ForEachName for_each_name) {
  for (const T& entry : table) {
    bool found = false;
    for_each_name(entry, [&](std::string_view n) { found = found || detail::iequals(n, wanted); });
    if (found) {
      return &entry;
    }
  }
  return nullptr;
}

}  // namespace

std::string format_code_point(std::uint16_t code) {
  return detail::format_code_point(code);
}

std::optional<std::uint16_t> parse_code_point(std::string_view text) {
  return detail::parse_code_point(text);
}

bool is_numeric_spelling(std::string_view text) {
  return detail::parse_code_point(text).has_value() || detail::parse_small_decimal(text).has_value();
}

const CipherSuite* find_cipher_suite(std::string_view any_spelling) {
  const std::string_view wanted = detail::trim_whitespace(any_spelling);
  if (const CipherSuite* s = find_by_name(
          all_cipher_suites(), wanted, [](const CipherSuite& e, auto&& cb) { for_each_suite_name(e, cb); })) {
    return s;
  }
  if (const auto code = detail::parse_code_point(wanted)) {
    return cipher_suite_by_code(*code);
  }
  return nullptr;
}

const NamedGroup* find_named_group(std::string_view any_spelling) {
  const std::string_view wanted = detail::trim_whitespace(any_spelling);
  if (const NamedGroup* g = find_by_name(
          all_named_groups(), wanted, [](const NamedGroup& e, auto&& cb) { for_each_group_name(e, cb); })) {
    return g;
  }
  // Groups are often written as decimal numbers ("23"), sometimes in hex ("0x0017").
  if (const auto code = detail::parse_small_decimal(wanted)) {
    return named_group_by_code(*code);
  }
  if (const auto code = detail::parse_code_point(wanted)) {
    return named_group_by_code(*code);
  }
  return nullptr;
}

const SignatureScheme* find_signature_scheme(std::string_view any_spelling) {
  const std::string_view wanted = detail::trim_whitespace(any_spelling);
  if (const SignatureScheme* s =
          find_by_name(all_signature_schemes(), wanted,
                       [](const SignatureScheme& e, auto&& cb) { for_each_scheme_name(e, cb); })) {
    return s;
  }
  if (const auto code = detail::parse_code_point(wanted)) {
    return signature_scheme_by_code(*code);
  }
  return nullptr;
}

std::vector<CatalogEntry> find_any(std::string_view any_spelling) {
  std::vector<CatalogEntry> out;
  if (const CipherSuite* s = find_cipher_suite(any_spelling)) {
    out.emplace_back(s);
  }
  if (const NamedGroup* g = find_named_group(any_spelling)) {
    out.emplace_back(g);
  }
  if (const SignatureScheme* s = find_signature_scheme(any_spelling)) {
    out.emplace_back(s);
  }
  return out;
}

std::vector<std::string> closest_names(std::string_view unknown, std::size_t limit) {
  const std::string_view wanted = detail::trim_whitespace(unknown);
  // "48" is not a misspelt "X448": a number is a code point or nothing.
  if (is_numeric_spelling(wanted)) {
    return {};
  }
  // (rank, distance, lower-cased name, name as catalogued); sorted, then
  // de-duplicated case-insensitively ("X25519" and "x25519" are one suggestion).
  // A name that starts with what was typed ranks as if two edits away, so an
  // incomplete name ("ECDHE-RSA-AES128-GCM") suggests its completions first.
  const std::string wanted_lower = detail::to_lower(wanted);
  std::vector<std::tuple<std::size_t, std::size_t, std::string, std::string_view>> scored;
  const auto score = [&](std::string_view n) {
    std::string lowered = detail::to_lower(n);
    const std::size_t distance = detail::edit_distance(wanted_lower, lowered);
    const bool completes = !wanted_lower.empty() && lowered.starts_with(wanted_lower);
    scored.emplace_back(completes ? std::min<std::size_t>(distance, 2) : distance, distance,
                        std::move(lowered), n);
  };
  for (const CipherSuite& s : all_cipher_suites()) {
    for_each_suite_name(s, score);
  }
  for (const NamedGroup& g : all_named_groups()) {
    for_each_group_name(g, score);
  }
  for (const SignatureScheme& s : all_signature_schemes()) {
    for_each_scheme_name(s, score);
  }
  std::sort(scored.begin(), scored.end());
  // Beyond about a third of what was typed a "suggestion" is a different name
  // that merely has the same length ("bogus" is five edits from "P-256"), and
  // offering it suggests the catalogue is close to what the user meant.
  const std::size_t farthest = std::max<std::size_t>(2, wanted.size() / 3);
  std::vector<std::string> out;
  std::vector<std::string> seen;
  for (const auto& entry : scored) {
    if (out.size() >= limit || std::get<0>(entry) > farthest) {
      break;
    }
    const std::string& lowered = std::get<2>(entry);
    if (std::find(seen.begin(), seen.end(), lowered) != seen.end()) {
      continue;
    }
    seen.push_back(lowered);
    out.emplace_back(std::get<3>(entry));
  }
  return out;
}

}  // namespace edgefetch::policy
