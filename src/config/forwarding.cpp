#include "edgefetch/config/forwarding.hpp"

#include <algorithm>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/config/distribution.hpp"

namespace edgefetch::config {

namespace {

bool same_name(std::string_view a, std::string_view b, bool ignore_case) {
  return ignore_case ? base::iequals(a, b) : a == b;
}

bool contains(const std::vector<std::string>& names, std::string_view name, bool ignore_case) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& listed) { return same_name(listed, name, ignore_case); });
}

}  // namespace

bool ForwardedNames::includes(std::string_view name, bool ignore_case) const {
  switch (scope) {
    case ForwardScope::none:
      return false;
    case ForwardScope::all:
      return true;
    case ForwardScope::listed:
    case ForwardScope::all_except: {
      bool listed_name = false;
      if (names_have_wildcards) {
        listed_name = std::any_of(names.begin(), names.end(), [&](const std::string& pattern) {
          return wildcard_matches(pattern, name);
        });
      } else {
        listed_name = contains(names, name, ignore_case);
      }
      return scope == ForwardScope::listed ? listed_name : !listed_name;
    }
  }
  return false;
}

ForwardedNames ForwardedNames::merged_with(const ForwardedNames& other, bool ignore_case) const {
  if (scope == ForwardScope::all || other.scope == ForwardScope::all) return {ForwardScope::all, {}, false};
  if (scope == ForwardScope::none) return other;
  if (other.scope == ForwardScope::none) return *this;
  ForwardedNames merged;
  merged.names_have_wildcards = names_have_wildcards || other.names_have_wildcards;
  if (scope == ForwardScope::listed && other.scope == ForwardScope::listed) {
    // Either list: the union.
    merged.scope = ForwardScope::listed;
    merged.names = names;
    for (const auto& name : other.names) {
      if (!contains(merged.names, name, ignore_case)) merged.names.push_back(name);
    }
    return merged;
  }
  // At least one "all except": what is excluded must be excluded by both.
  merged.scope = ForwardScope::all_except;
  const ForwardedNames& except = scope == ForwardScope::all_except ? *this : other;
  const ForwardedNames& second = scope == ForwardScope::all_except ? other : *this;
  for (const auto& name : except.names) {
    const bool second_lets_through = second.scope == ForwardScope::listed
                                         ? contains(second.names, name, ignore_case)
                                         : !contains(second.names, name, ignore_case);
    if (!second_lets_through) merged.names.push_back(name);
  }
  return merged;
}

ForwardingRules permissive_forwarding_rules(ForwardingSource source) {
  ForwardingRules rules;
  rules.source = source;
  rules.headers = {ForwardScope::all_except, {"Host", "User-Agent"}, false};
  rules.cookies = {ForwardScope::all, {}, false};
  rules.query_strings = {ForwardScope::all, {}, false};
  return rules;
}

bool ForwardingRules::forwards_host() const {
  // A legacy '*' or an all-viewer policy lets Host through like any header;
  // the table of always-removed headers does not name it.
  return headers.includes_header("Host");
}

}  // namespace edgefetch::config
