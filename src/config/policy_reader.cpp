// Custom policies from the CLI's get-/list- outputs and from templates.

#include "edgefetch/config/policy_reader.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <string_view>

#include "config/json_text.hpp"
#include "config/object_reader.hpp"
#include "config/rules.hpp"
#include "config/template_policies.hpp"

namespace edgefetch::config {
namespace {

using Json = nlohmann::json;
using detail::member;

/// A policy file is a few KiB; a list of every custom policy a few hundred.
constexpr std::size_t kMaxPolicyFileBytes = 4u << 20;

// The two kinds, as the API names their parts.
struct PolicyKind {
  const char* object;  // "CachePolicy"
  const char* config;  // "CachePolicyConfig"
  const char* list;    // "CachePolicyList"
  bool cache_policy;
};
constexpr PolicyKind kCachePolicy{"CachePolicy", "CachePolicyConfig", "CachePolicyList", true};
constexpr PolicyKind kRequestPolicy{"OriginRequestPolicy", "OriginRequestPolicyConfig",
                                    "OriginRequestPolicyList", false};

// A policy and where it is defined ("CachePolicyList.Items[1].CachePolicy",
// "policies.json: CachePolicy"), to name both places when an id comes twice.
struct DefinedPolicy {
  PolicySettings settings;
  std::string at;
};

// Policies read so far, and what reading them found.
struct PolicyDefinitions {
  std::vector<DefinedPolicy> policies;
  std::vector<Problem> warnings;
  std::vector<Problem> problems;
};

// `names` sorted, and lowercased when they compare without regard to case:
// the order of a policy's list does not change what it forwards.
std::vector<std::string> as_set(std::vector<std::string> names, bool ignore_case) {
  if (ignore_case) {
    for (auto& name : names) {
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool same_names(const ForwardedNames& a, const ForwardedNames& b, bool ignore_case) {
  return a.scope == b.scope && as_set(a.names, ignore_case) == as_set(b.names, ignore_case);
}

// The first part in which two definitions of one policy id differ, as the
// API names it; nullopt when they are the same.
std::optional<std::string_view> first_difference(const PolicySettings& a, const PolicySettings& b) {
  if (a.is_cache_policy != b.is_cache_policy) return "kind";
  if (a.name != b.name) return "Name";
  if (!same_names(a.headers, b.headers, true) ||
      as_set(a.cloudfront_headers, true) != as_set(b.cloudfront_headers, true)) {
    return "HeadersConfig";
  }
  if (!same_names(a.cookies, b.cookies, false)) return "CookiesConfig";
  if (!same_names(a.query_strings, b.query_strings, false)) return "QueryStringsConfig";
  if (a.accept_encoding_gzip != b.accept_encoding_gzip) return "EnableAcceptEncodingGzip";
  if (a.accept_encoding_brotli != b.accept_encoding_brotli) return "EnableAcceptEncodingBrotli";
  return std::nullopt;
}

// Adds `policy` unless its id is managed (the built-in settings stay) or
// defined already. The same definition again (a file given twice) is
// harmless; a different one is a problem, since which of the two applied
// would depend on the order the files (or a list's items) are in.
void add_policy(PolicyDefinitions& defined, DefinedPolicy policy) {
  const std::string& id = policy.settings.id;
  if (find_managed_policy(id) != nullptr) {
    defined.warnings.push_back(
        {policy.at, detail::quote(id) + " is a managed policy; the built-in settings are used"});
    return;
  }
  const auto earlier = std::find_if(defined.policies.begin(), defined.policies.end(),
                                    [&id](const DefinedPolicy& p) { return p.settings.id == id; });
  if (earlier == defined.policies.end()) {
    defined.policies.push_back(std::move(policy));
    return;
  }
  if (const auto difference = first_difference(earlier->settings, policy.settings)) {
    defined.problems.push_back(
        {policy.at,
         detail::quote(id) + " is defined differently at " + earlier->at + " (its " +
             std::string(*difference) +
             " differs); which one applied would depend on the order they are given in; keep one"});
    return;
  }
  defined.warnings.push_back({policy.at, detail::quote(id) + " is given more than once (the same as at " +
                                             earlier->at + "); the first is used"});
}

// {"Id": ..., "<Kind>Config": {...}} at `at`.
void read_policy_object(const Json& object, const PolicyKind& kind, const std::string& at,
                        detail::ObjectReader& reader, PolicyDefinitions& defined) {
  std::vector<Problem>& problems = defined.problems;
  const Json* id = member(object, "Id");
  if (id == nullptr || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    problems.push_back({at + ".Id", "required: the policy's id, as the distribution names it"});
    return;
  }
  const Json* config = member(object, kind.config);
  if (config == nullptr) {
    problems.push_back({at + "." + kind.config, "required but missing"});
    return;
  }
  if (auto policy = reader.read_policy_config(*config, kind.cache_policy, id->get<std::string>(),
                                              at + "." + kind.config)) {
    add_policy(defined, {std::move(*policy), at});
  }
}

void read_policy_document(const Json& root, PolicyDefinitions& defined) {
  std::vector<Problem>& problems = defined.problems;
  detail::ObjectReader reader(Spelling::api, "", problems, defined.warnings);
  for (const PolicyKind* kind : {&kCachePolicy, &kRequestPolicy}) {
    if (const Json* object = member(root, kind->object)) {
      read_policy_object(*object, *kind, kind->object, reader, defined);
      return;
    }
    if (const Json* list = member(root, kind->list)) {
      const Json* items = member(*list, "Items");
      if (items == nullptr || !items->is_array()) {
        problems.push_back({std::string(kind->list) + ".Items", "missing or not a list"});
        return;
      }
      for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string at = std::string(kind->list) + ".Items[" + std::to_string(i) + "]";
        const Json* object = member((*items)[i], kind->object);
        if (object == nullptr) {
          problems.push_back({at + "." + kind->object, "required but missing"});
          continue;
        }
        // `--type managed` lists hold the managed policies, already built in.
        const Json* type = member((*items)[i], "Type");
        if (type != nullptr && *type == "managed") continue;
        read_policy_object(*object, *kind, at + "." + kind->object, reader, defined);
      }
      return;
    }
  }
  problems.push_back({"",
                      "not a cache or origin request policy: expected the output of `aws cloudfront "
                      "get-cache-policy`, `get-origin-request-policy`, `list-cache-policies` or "
                      "`list-origin-request-policies`"});
}

base::Unexpected<ReadFailure> fail(std::vector<Problem> problems) {
  return base::unexpected(ReadFailure{std::move(problems)});
}

// One file's text: its policies with where each is defined, and its warnings.
base::Expected<PolicyDefinitions, ReadFailure> read_policy_text(std::string_view text) {
  try {
    PolicyDefinitions defined;
    auto parsed = detail::parse_json_text(text, "a cache or origin request policy", &defined.warnings);
    if (!parsed) return fail({std::move(parsed.error())});
    read_policy_document(*parsed, defined);
    if (!defined.problems.empty()) return fail(std::move(defined.problems));
    return defined;
  } catch (const std::exception& e) {
    // Not expected: every access is type-checked first.
    return fail({Problem{"", std::string("internal error while reading the policy: ") + e.what()}});
  }
}

PolicyCatalogue catalogue_of(PolicyDefinitions defined) {
  PolicyCatalogue catalogue;
  catalogue.policies.reserve(defined.policies.size());
  for (auto& policy : defined.policies) catalogue.policies.push_back(std::move(policy.settings));
  catalogue.warnings = std::move(defined.warnings);
  return catalogue;
}

}  // namespace

const PolicySettings* PolicyCatalogue::find(std::string_view id) const {
  const auto found =
      std::find_if(policies.begin(), policies.end(), [&](const PolicySettings& p) { return p.id == id; });
  return found == policies.end() ? nullptr : &*found;
}

base::Expected<PolicyCatalogue, ReadFailure> read_policies(std::string_view text) {
  auto defined = read_policy_text(text);
  if (!defined) return fail(std::move(defined.error().problems));
  return catalogue_of(std::move(*defined));
}

base::Expected<PolicyCatalogue, ReadFailure> load_policies(const std::vector<std::filesystem::path>& files) {
  PolicyDefinitions all;
  std::vector<Problem>& problems = all.problems;
  for (const auto& file : files) {
    const std::string name = file.string();
    const auto named = [&name](Problem problem) {
      problem.path = problem.path.empty() ? name : name + ": " + problem.path;
      return problem;
    };
    auto text = detail::read_text_file(file, kMaxPolicyFileBytes, "a policy");
    if (!text) {
      problems.push_back(std::move(text.error()));
      continue;
    }
    auto read = read_policy_text(*text);
    if (!read) {
      for (auto& problem : read.error().problems) problems.push_back(named(std::move(problem)));
      continue;
    }
    for (auto& warning : read->warnings) all.warnings.push_back(named(std::move(warning)));
    for (auto& policy : read->policies) {
      add_policy(all, {std::move(policy.settings), name + ": " + policy.at});
    }
  }
  if (!problems.empty()) return fail(std::move(problems));
  return catalogue_of(std::move(all));
}

namespace detail {

PolicyCatalogue read_template_policies(const Json& resources, std::vector<Problem>& problems,
                                       std::vector<Problem>& warnings, const ParameterScope* parameters) {
  PolicyDefinitions defined;
  ObjectReader reader(Spelling::cloudformation, "Resources", problems, warnings, nullptr, nullptr,
                      parameters);
  for (auto it = resources.begin(); it != resources.end(); ++it) {
    const Json* type = member(it.value(), "Type");
    if (type == nullptr || !type->is_string()) continue;
    const auto& name = type->get_ref<const std::string&>();
    const PolicyKind* kind = name == "AWS::CloudFront::CachePolicy"           ? &kCachePolicy
                             : name == "AWS::CloudFront::OriginRequestPolicy" ? &kRequestPolicy
                                                                              : nullptr;
    if (kind == nullptr) continue;
    const std::string at = "Resources." + it.key() + ".Properties." + kind->config;
    const Json* properties = member(it.value(), "Properties");
    const Json* config = properties == nullptr ? nullptr : member(*properties, kind->config);
    if (config == nullptr) {
      problems.push_back({at, "required but missing"});
      continue;
    }
    if (auto policy = reader.read_policy_config(*config, kind->cache_policy, it.key(), at)) {
      add_policy(defined, {std::move(*policy), at});
    }
  }
  // Logical ids are the keys of Resources, so none comes twice here; what
  // add_policy can report is a logical id that is also a managed policy's.
  for (auto& problem : defined.problems) problems.push_back(std::move(problem));
  for (auto& warning : defined.warnings) warnings.push_back(std::move(warning));
  defined.warnings.clear();
  return catalogue_of(std::move(defined));
}

}  // namespace detail
}  // namespace edgefetch::config
