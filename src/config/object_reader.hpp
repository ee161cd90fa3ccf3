#pragma once
// Reads one DistributionConfig JSON object, in the API's or CloudFormation's
// spelling, into the model: checks types, shapes, required fields and enum
// values, resolves the CloudFormation intrinsic functions that need no stack
// (a template's Parameters included), and remembers which paths it already reported so that the value
// rules (validate_into) run afterwards do not report them again.

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/intrinsics.hpp"
#include "config/paths.hpp"
#include "edgefetch/config/distribution.hpp"
#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

/// "an object", "a list", ...: what a value is instead of what it should be.
std::string kind_of(const nlohmann::json& value);

/// The name in `names` that `key` is most likely a misspelling of, if any.
std::optional<std::string_view> near_miss(std::string_view key, std::span<const std::string_view> names);

/// The field names of one kind of object, for warnings about keys outside them.
struct FieldNames {
  std::span<const std::string_view> known;      // every field the object may have
  std::span<const std::string_view> suggested;  // what an unknown key may be a misspelling of
  std::span<const std::string_view> not_read;   // known fields the reader ignores all the same
  bool near_misses_only;                        // warn only about keys near a suggested field
};

class ObjectReader {
 public:
  /// `policies`: the custom cache and origin request policies behaviors may
  /// name (policy files, or a template's policy resources by logical id).
  /// `unresolved` (if given) collects the policy references found in neither.
  /// `parameters`: a template's parameters, for Ref and Fn::Sub (nullptr: none).
  ObjectReader(Spelling spelling, std::string root, std::vector<Problem>& problems,
               std::vector<Problem>& warnings, const PolicyCatalogue* policies = nullptr,
               std::vector<Problem>* unresolved = nullptr, const ParameterScope* parameters = nullptr);

  /// Reads and validates; problems and warnings are appended to the vectors
  /// given at construction.
  DistributionConfig read(const nlohmann::json& object);

  /// Reads a CachePolicyConfig (`cache_policy`) or an OriginRequestPolicyConfig
  /// object at `at`; nothing when it has problems (they are reported).
  std::optional<PolicySettings> read_policy_config(const nlohmann::json& config, bool cache_policy,
                                                   std::string id, const std::string& at);

 private:
  using Json = nlohmann::json;
  struct Item {
    const Json* value;
    std::string path;
  };
  /// A field the input may leave out: how important its exact value is when
  /// it is written as an intrinsic function we cannot resolve.
  enum class Need { essential, informational };

  void problem(std::string path, std::string message);
  void warning(std::string path, std::string message);
  /// Warns about each key of `object` (at `at`) outside `names.known`, naming
  /// the field it is nearest to; keys already reported as problems are skipped.
  void warn_unknown_fields(const Json& object, const std::string& at, const FieldNames& names);
  /// Whether the field `key` of the object at `at` has been reported as a problem.
  [[nodiscard]] bool reported_field(std::string_view at, std::string_view key) const;
  [[nodiscard]] bool cfn() const { return paths_.spelling() == Spelling::cloudformation; }

  /// Warns at `path` when `resolved` took a parameter's Default (a deployed
  /// stack may be given another value).
  void note_defaults(const std::string& path, const Resolved& resolved);
  /// An intrinsic function at `path`, resolved, or nothing (`need` decides
  /// whether that is a problem or a warning).
  std::optional<std::string> resolve_intrinsic(const Json& value, const std::string& path, Need need);

  /// A Fn::If, Fn::FindInMap, ... left in place (template_conditions.hpp)
  /// where an object or a list belongs: reported as unresolved, with why.
  bool undecided_function(const Json& value, const std::string& path);

  static const Json* field(const Json& object, const char* key);
  /// For a field named in the other spelling, a problem that points at the right name.
  void reject_other_spelling(const Json& object, const std::string& at, const char* wrong, const char* right);

  std::optional<std::string> string_value(const Json& value, const std::string& path, Need need);
  std::optional<long long> int_value(const Json& value, const std::string& path);
  std::optional<bool> bool_value(const Json& value, const std::string& path, Need need);
  /// The items of a list field: {Quantity, Items} in the API, a plain array
  /// in CloudFormation. Absent: empty, and a problem when `required`.
  /// `always_quantity`: {Quantity, Items} in both spellings (CloudFormation
  /// keeps that shape for OriginGroups and what they hold).
  std::vector<Item> list(const Json& object, const char* key, const std::string& path, bool required,
                         bool always_quantity = false);
  std::vector<std::string> string_list(const Json& object, const char* key, const std::string& path);

  void store_port(const Json& object, const char* key, const std::string& at, std::uint16_t& out);
  void store_int(const Json& object, const char* key, const std::string& at, int lowest, int highest,
                 bool seconds, int& out);

  Origin read_origin(const Json& value, std::size_t index);
  OriginGroup read_origin_group(const Json& value, const std::string& at);
  void read_custom_origin(const Json& value, std::size_t index, Origin& origin);
  /// CustomOriginConfig.OriginMtlsConfig at `at`: checked, and warned about,
  /// since edgefetch cannot present an ACM certificate.
  void read_origin_mtls(const Json& value, const std::string& at);
  CacheBehavior read_behavior(const Json& value, std::optional<std::size_t> index);
  /// Warns about each cache behavior whose PathPattern an earlier one has, naming both.
  void warn_duplicate_path_patterns(const std::vector<CacheBehavior>& behaviors);
  // Which viewer values a behavior forwards (policy_object_reader.cpp).
  void read_forwarding(const Json& value, const std::string& at, CacheBehavior& behavior);
  void read_forwarded_values(const Json& forwarded, const std::string& at, CacheBehavior& behavior);
  /// A behavior's CachePolicyId / OriginRequestPolicyId: the policy's id (a
  /// template's Ref or Fn::GetAtt gives the logical id), or nothing.
  std::optional<std::string> policy_reference(const Json& value, const std::string& path);
  const PolicySettings* find_policy(std::string_view id) const;
  ForwardedNames read_names(const Json& config, const char* behavior_key, const char* list_key,
                            std::span<const std::string_view> behaviors, const std::string& at, bool& ok);
  /// Problems and warnings about the header names a policy lists.
  void check_policy_headers(const ForwardedNames& headers, bool cache_policy, const std::string& at,
                            bool& ok);
  /// "required but missing", naming the key of `object` that looks like a misspelling of `key`.
  static std::string missing_message(const Json& object, std::string_view key);

  Paths paths_;
  std::vector<Problem>& problems_;
  std::vector<Problem>& warnings_;
  std::vector<std::string> reported_;
  std::size_t unknown_fields_examined_ = 0;
  const PolicyCatalogue* policies_ = nullptr;
  std::vector<Problem>* unresolved_ = nullptr;
  const ParameterScope* parameters_ = nullptr;
};

}  // namespace edgefetch::config::detail
