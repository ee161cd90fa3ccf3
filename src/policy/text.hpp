#pragma once
// Text helpers shared by the catalogue lookups: case-insensitive comparison,
// code-point parsing in the spellings people paste ("0xC02F", "{0xC0,0x2F}"),
// and the edit distance behind "did you mean".

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/base/edit_distance.hpp"

namespace edgefetch::policy::detail {

/// ASCII-only lower-casing: every catalogued name is ASCII.
std::string to_lower(std::string_view text);
using base::iequals;
/// Without leading and trailing blanks (space, tab, CR, LF).
using base::trim_whitespace;

/// A 16-bit code point written as "0xC02F", "0XC02F", "C02F" (exactly four hex
/// digits), "0xC0,0x2F", "0xC0, 0x2F", "0xC0 0x2F" or "{0xC0,0x2F}". Returns
/// nothing for anything else (including a bare decimal number).
std::optional<std::uint16_t> parse_code_point(std::string_view text);

/// A short decimal number such as "23" (named groups are often written so).
std::optional<std::uint16_t> parse_small_decimal(std::string_view text);

/// Levenshtein distance, case-insensitive (shared with config's field-name hints).
using base::edit_distance;

/// "0xC02F": the code point as the tables print it (upper-case, four digits).
std::string format_code_point(std::uint16_t code);

}  // namespace edgefetch::policy::detail
