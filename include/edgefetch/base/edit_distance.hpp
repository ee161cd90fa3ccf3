#pragma once
// The edit distance behind every "did you mean": cipher suite and group names
// (policy) and distribution-config field names (config). Header-only so that
// each layer can use it without depending on another's private helpers.

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace edgefetch::base {

/// Levenshtein distance, ASCII case-insensitive: "OriginReadTimout" is one
/// edit from "OriginReadTimeout", "x25519" none from "X25519".
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  // Two rows of the classic dynamic programme.
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace edgefetch::base
