// Custom policies from the CLI's get-/list- outputs and from templates.

#include "edgefetch/config/policy_reader.hpp"

#include <algorithm>
#include <exception>

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

void add_policy(PolicyCatalogue& catalogue, PolicySettings policy, const std::string& at) {
  const bool known = catalogue.find(policy.id) != nullptr;
  if (known || find_managed_policy(policy.id) != nullptr) {
    catalogue.warnings.push_back(
        {at, detail::quote(policy.id) + (known ? " is given more than once; the first is used"
                                               : " is a managed policy; the built-in settings are used")});
    return;
  }
  catalogue.policies.push_back(std::move(policy));
}

// {"Id": ..., "<Kind>Config": {...}} at `at`.
void read_policy_object(const Json& object, const PolicyKind& kind, const std::string& at,
                        detail::ObjectReader& reader, PolicyCatalogue& catalogue,
                        std::vector<Problem>& problems) {
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
    add_policy(catalogue, std::move(*policy), at);
  }
}

void read_policy_document(const Json& root, PolicyCatalogue& catalogue, std::vector<Problem>& problems) {
  detail::ObjectReader reader(Spelling::api, "", problems, catalogue.warnings);
  for (const PolicyKind* kind : {&kCachePolicy, &kRequestPolicy}) {
    if (const Json* object = member(root, kind->object)) {
      read_policy_object(*object, *kind, kind->object, reader, catalogue, problems);
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
        read_policy_object(*object, *kind, at + "." + kind->object, reader, catalogue, problems);
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

}  // namespace

const PolicySettings* PolicyCatalogue::find(std::string_view id) const {
  const auto found =
      std::find_if(policies.begin(), policies.end(), [&](const PolicySettings& p) { return p.id == id; });
  return found == policies.end() ? nullptr : &*found;
}

base::Expected<PolicyCatalogue, ReadFailure> read_policies(std::string_view text) {
  try {
    auto parsed = detail::parse_json_text(text, "a cache or origin request policy");
    if (!parsed) return fail({std::move(parsed.error())});
    PolicyCatalogue catalogue;
    std::vector<Problem> problems;
    read_policy_document(*parsed, catalogue, problems);
    if (!problems.empty()) return fail(std::move(problems));
    return catalogue;
  } catch (const std::exception& e) {
    // Not expected: every access is type-checked first.
    return fail({Problem{"", std::string("internal error while reading the policy: ") + e.what()}});
  }
}

base::Expected<PolicyCatalogue, ReadFailure> load_policies(const std::vector<std::filesystem::path>& files) {
  PolicyCatalogue all;
  std::vector<Problem> problems;
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
    auto read = read_policies(*text);
    if (!read) {
      for (auto& problem : read.error().problems) problems.push_back(named(std::move(problem)));
      continue;
    }
    for (auto& warning : read->warnings) all.warnings.push_back(named(std::move(warning)));
    for (auto& policy : read->policies) add_policy(all, std::move(policy), name);
  }
  if (!problems.empty()) return fail(std::move(problems));
  return all;
}

namespace detail {

PolicyCatalogue read_template_policies(const Json& resources, std::vector<Problem>& problems,
                                       std::vector<Problem>& warnings, const ParameterScope* parameters) {
  PolicyCatalogue catalogue;
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
      add_policy(catalogue, std::move(*policy), at);
    }
  }
  for (auto& warning : catalogue.warnings) warnings.push_back(std::move(warning));
  catalogue.warnings.clear();
  return catalogue;
}

}  // namespace detail
}  // namespace edgefetch::config
