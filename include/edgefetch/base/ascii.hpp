#pragma once
// Locale-independent ASCII case-insensitive comparison, for header names,
// host names and policy names in every layer.

#include <cstddef>
#include <string_view>

namespace edgefetch::base {

/// ASCII case-insensitive equality. Inline: the proxy compares every field
/// name of every message against a dozen names.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i];
    const char y = b[i];
    if (x == y) continue;
    const char folded = static_cast<char>(x | 0x20);
    if (folded != static_cast<char>(y | 0x20) || folded < 'a' || folded > 'z') return false;
  }
  return true;
}

}  // namespace edgefetch::base
