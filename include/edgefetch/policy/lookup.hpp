#pragma once
// Name translation: any spelling (OpenSSL/s2n, RFC/IANA, GnuTLS, JSSE, hex code
// point "0xC02F" or "0xC0,0x2F"), case-insensitive.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::policy {

const CipherSuite* find_cipher_suite(std::string_view any_spelling);
const NamedGroup* find_named_group(std::string_view any_spelling);
const SignatureScheme* find_signature_scheme(std::string_view any_spelling);

using CatalogEntry = std::variant<const CipherSuite*, const NamedGroup*, const SignatureScheme*>;
/// Looks a name up among suites, then groups, then signature schemes.
std::vector<CatalogEntry> find_any(std::string_view any_spelling);

/// "0xC02F": a code point as the tables print it (upper-case hex, four digits).
std::string format_code_point(std::uint16_t code);
/// The code point `text` spells in hex: "0xC02F", "C02F" (four digits), "0xC0,0x2F",
/// "{0xC0,0x2F}". Nothing for a name or a decimal number.
std::optional<std::uint16_t> parse_code_point(std::string_view text);
/// Whether `text` is a number rather than a name: a code point as parse_code_point
/// reads it, or a decimal group id such as "23".
bool is_numeric_spelling(std::string_view text);

/// Up to `limit` known names closest to `unknown` (edit distance), for "did you mean":
/// only names within about a third of its length, or that complete it; often none,
/// and none for a number (is_numeric_spelling), which no name is a misspelling of.
std::vector<std::string> closest_names(std::string_view unknown, std::size_t limit = 3);

}  // namespace edgefetch::policy
