// DistributionConfig JSON object → model, in either spelling.

#include "config/object_reader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <string_view>

#include "config/intrinsics.hpp"
#include "config/rules.hpp"
#include "edgefetch/base/edit_distance.hpp"

namespace edgefetch::config::detail {
namespace {

using Json = nlohmann::json;

// The fields of the objects whose every field the reader knows, in each
// spelling (the API's, then CloudFormation's where it differs). A key outside
// them is warned about: a misspelt optional field would otherwise leave its
// default in place without a word.
// clang-format off
constexpr auto kApiOriginFields = std::to_array<std::string_view>({
    "Id", "DomainName", "OriginPath", "CustomHeaders", "S3OriginConfig", "CustomOriginConfig",
    "VpcOriginConfig", "ConnectionAttempts", "ConnectionTimeout", "ResponseCompletionTimeout", "OriginShield",
    "OriginAccessControlId"});
constexpr auto kCfnOriginFields = std::to_array<std::string_view>({
    "Id", "DomainName", "OriginPath", "OriginCustomHeaders", "S3OriginConfig", "CustomOriginConfig",
    "VpcOriginConfig", "ConnectionAttempts", "ConnectionTimeout", "ResponseCompletionTimeout", "OriginShield",
    "OriginAccessControlId"});
// Of those, the ones the reader ignores: "the default applies" would be beside the point.
constexpr auto kOriginFieldsNotRead = std::to_array<std::string_view>({"OriginShield", "OriginAccessControlId"});
constexpr auto kApiCustomOriginFields = std::to_array<std::string_view>({
    "HTTPPort", "HTTPSPort", "OriginProtocolPolicy", "OriginSslProtocols", "OriginReadTimeout",
    "OriginKeepaliveTimeout", "IpAddressType", "OriginMtlsConfig"});
constexpr auto kCfnCustomOriginFields = std::to_array<std::string_view>({
    "HTTPPort", "HTTPSPort", "OriginProtocolPolicy", "OriginSSLProtocols", "OriginReadTimeout",
    "OriginKeepaliveTimeout", "IpAddressType", "OriginMtlsConfig"});
// Origin mTLS: the same in both spellings.
constexpr auto kOriginMtlsFields = std::to_array<std::string_view>({"ClientCertificateArn"});
constexpr auto kCustomHeaderFields = std::to_array<std::string_view>({"HeaderName", "HeaderValue"});

// Cache behaviors have many fields the reader does not read and the API keeps
// adding more, so only a near miss of a field it reads is worth a warning.
constexpr auto kApiBehaviorFields = std::to_array<std::string_view>({
    "PathPattern", "TargetOriginId", "TrustedSigners", "TrustedKeyGroups", "ViewerProtocolPolicy",
    "AllowedMethods", "SmoothStreaming", "Compress", "LambdaFunctionAssociations", "FunctionAssociations",
    "FieldLevelEncryptionId", "RealtimeLogConfigArn", "CachePolicyId", "OriginRequestPolicyId",
    "ResponseHeadersPolicyId", "GrpcConfig", "ForwardedValues", "MinTTL", "DefaultTTL", "MaxTTL"});
constexpr auto kCfnBehaviorFields = std::to_array<std::string_view>({
    "PathPattern", "TargetOriginId", "TrustedSigners", "TrustedKeyGroups", "ViewerProtocolPolicy",
    "AllowedMethods", "CachedMethods", "SmoothStreaming", "Compress", "LambdaFunctionAssociations",
    "FunctionAssociations", "FieldLevelEncryptionId", "RealtimeLogConfigArn", "CachePolicyId",
    "OriginRequestPolicyId", "ResponseHeadersPolicyId", "GrpcConfig", "ForwardedValues", "MinTTL",
    "DefaultTTL", "MaxTTL"});
// What the reader reads of a behavior. In the API's JSON CachedMethods sits
// inside AllowedMethods; at the behavior's level it is in the wrong place.
constexpr auto kBehaviorFieldsRead = std::to_array<std::string_view>({
    "PathPattern", "TargetOriginId", "ViewerProtocolPolicy", "AllowedMethods", "CachedMethods",
    "ForwardedValues", "OriginRequestPolicyId", "CachePolicyId"});
// clang-format on

constexpr FieldNames kApiOrigin{kApiOriginFields, kApiOriginFields, kOriginFieldsNotRead, false};
constexpr FieldNames kCfnOrigin{kCfnOriginFields, kCfnOriginFields, kOriginFieldsNotRead, false};
constexpr FieldNames kApiCustomOrigin{kApiCustomOriginFields, kApiCustomOriginFields, {}, false};
constexpr FieldNames kCfnCustomOrigin{kCfnCustomOriginFields, kCfnCustomOriginFields, {}, false};
constexpr FieldNames kCustomHeader{kCustomHeaderFields, kCustomHeaderFields, {}, false};
constexpr FieldNames kOriginMtls{kOriginMtlsFields, kOriginMtlsFields, {}, false};
constexpr FieldNames kApiBehavior{kApiBehaviorFields, kBehaviorFieldsRead, {}, true};
constexpr FieldNames kCfnBehavior{kCfnBehaviorFields, kBehaviorFieldsRead, {}, true};

// Unknown keys looked at per distribution: bounds the edit distances a hostile
// input can cause. A real config has a handful (fields newer than edgefetch).
constexpr std::size_t kMaxUnknownFieldsExamined = 1000;

bool contains(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string unresolved_message(const Unresolved& unresolved) {
  // A parameter without a value: say how to give one.
  if (!unresolved.hint.empty()) return "uses " + unresolved.description + ": " + unresolved.hint;
  return "uses " + unresolved.description +
         ", which only a deployed stack can resolve; pass the config the CDN has (`aws cloudfront "
         "get-distribution-config --id ID`) or a template with the resolved value (Fn::Sub, Fn::Join, "
         "Fn::If, Fn::FindInMap, Fn::Select and Fn::Split of literals, Mappings, Conditions and the "
         "template's Parameters are resolved here)";
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lx = (x >= 'A' && x <= 'Z') ? static_cast<char>(x - 'A' + 'a') : x;
           const auto ly = (y >= 'A' && y <= 'Z') ? static_cast<char>(y - 'A' + 'a') : y;
           return lx == ly;
         });
}

std::string too_many_unknown_fields_message() {
  return "has more than " + std::to_string(kMaxUnknownFieldsExamined) +
         " fields edgefetch does not know; the rest are not checked for misspellings";
}

// `key` names no field of its object; `meant` is the field it is nearest to.
std::string unknown_field_message(std::string_view key, std::optional<std::string_view> meant,
                                  bool meant_is_set, bool meant_is_read) {
  const std::string start = "unknown field " + quote(key);
  if (!meant) return start + "; it is ignored";
  if (*meant == key) {
    // Only CachedMethods at a behavior's level in the API's JSON: right name, wrong place.
    return start + " at this level (in the API's JSON it goes inside AllowedMethods); it is ignored";
  }
  const std::string hint = start + " (did you mean " + std::string(*meant) + "?); it is ignored";
  if (meant_is_set) return hint + " (" + std::string(*meant) + " is set as well)";
  return meant_is_read ? hint + ", so the default applies" : hint;
}

}  // namespace

// The field `key` is most likely a misspelling of: the nearest of `names`
// within a quarter of that name's length (at least 1, at most 3 edits).
std::optional<std::string_view> near_miss(std::string_view key, std::span<const std::string_view> names) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (const std::string_view name : names) {
    const std::size_t limit = std::clamp<std::size_t>(name.size() / 4, 1, 3);
    // The distance is at least the difference in length; skip the work.
    if (key.size() > name.size() + limit || name.size() > key.size() + limit) continue;
    const std::size_t distance = base::edit_distance(key, name);
    if (distance <= limit && (!best || distance < best_distance)) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

// "must be a string" etc.: what the value is instead, briefly.
std::string kind_of(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "a list";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_float:
      return "a fractional number";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "a number";
    default:
      return "an unexpected value";
  }
}

ObjectReader::ObjectReader(Spelling spelling, std::string root, std::vector<Problem>& problems,
                           std::vector<Problem>& warnings, const PolicyCatalogue* policies,
                           std::vector<Problem>* unresolved, const ParameterScope* parameters)
    : paths_(spelling, std::move(root)),
      problems_(problems),
      warnings_(warnings),
      policies_(policies),
      unresolved_(unresolved),
      parameters_(parameters) {}

void ObjectReader::problem(std::string path, std::string message) {
  reported_.push_back(path);
  problems_.push_back(Problem{std::move(path), std::move(message)});
}

void ObjectReader::warning(std::string path, std::string message) {
  warnings_.push_back(Problem{std::move(path), std::move(message)});
}

bool ObjectReader::reported_field(std::string_view at, std::string_view key) const {
  return std::any_of(reported_.begin(), reported_.end(), [&](std::string_view path) {
    return path.size() == at.size() + 1 + key.size() && path.starts_with(at) && path[at.size()] == '.' &&
           path.ends_with(key);
  });
}

void ObjectReader::warn_unknown_fields(const Json& object, const std::string& at, const FieldNames& names) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    if (contains(names.known, key)) continue;
    if (unknown_fields_examined_ >= kMaxUnknownFieldsExamined) {
      if (unknown_fields_examined_++ == kMaxUnknownFieldsExamined) {
        warning(paths_.root(), too_many_unknown_fields_message());
      }
      return;
    }
    ++unknown_fields_examined_;
    if (reported_field(at, key)) continue;  // named in the other spelling: a problem already
    const auto meant = near_miss(key, names.suggested);
    if (!meant && names.near_misses_only) continue;
    const bool meant_is_set = meant && *meant != key && field(object, std::string(*meant).c_str()) != nullptr;
    const bool meant_is_read = meant && !contains(names.not_read, *meant);
    warning(at, unknown_field_message(key, meant, meant_is_set, meant_is_read));
  }
}

const Json* ObjectReader::field(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

void ObjectReader::reject_other_spelling(const Json& object, const std::string& at, const char* wrong,
                                         const char* right) {
  if (field(object, wrong) == nullptr) return;
  const std::string shape = cfn() ? "CloudFormation" : "the API's JSON";
  problem(at + "." + wrong, std::string("is not a field in ") + shape + "; it is spelled " + right);
}

void ObjectReader::note_defaults(const std::string& path, const Resolved& resolved) {
  if (parameters_ == nullptr) return;
  if (auto message = defaults_warning(resolved, *parameters_); !message.empty()) {
    warning(path, std::move(message));
  }
}

std::optional<std::string> ObjectReader::resolve_intrinsic(const Json& value, const std::string& path,
                                                           Need need) {
  auto resolved = resolve_string(value, parameters_);
  if (auto* text = std::get_if<Resolved>(&resolved)) {
    note_defaults(path, *text);
    return std::move(text->text);
  }
  const auto& unresolved = std::get<Unresolved>(resolved);
  if (need == Need::essential) {
    problem(path, unresolved_message(unresolved));
  } else if (unresolved.hint.empty()) {
    warning(path, "uses " + unresolved.description + ", which cannot be resolved here; ignored");
  } else {
    warning(path, "uses " + unresolved.description + " (" + unresolved.hint + "); ignored");
  }
  return std::nullopt;
}

bool ObjectReader::undecided_function(const Json& value, const std::string& path) {
  if (!cfn() || !is_template_function(value, parameters_)) return false;
  resolve_intrinsic(value, path, Need::essential);
  return true;
}

std::optional<std::string> ObjectReader::string_value(const Json& value, const std::string& path, Need need) {
  if (value.is_string()) return value.get<std::string>();
  if (cfn() && is_intrinsic(value)) return resolve_intrinsic(value, path, need);
  problem(path, "must be a string, not " + kind_of(value));
  return std::nullopt;
}

std::optional<long long> ObjectReader::int_value(const Json& value, const std::string& path) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<unsigned long long>();
    if (v <= static_cast<unsigned long long>(LLONG_MAX)) return static_cast<long long>(v);
    // Clamped, it would be echoed back as 9223372036854775807.
    problem(path, value.dump() + " is out of range (far too large)");
    return std::nullopt;
  }
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_number_float()) {
    // JSON has one number type; the parser keeps 1e20 or 30.0 as a double.
    const double v = value.get<double>();
    const bool integral = std::isfinite(v) && std::floor(v) == v;
    problem(path, integral && std::fabs(v) >= 9.2e18
                      ? value.dump() + " is out of range (far too large)"
                      : "must be a whole number written without a fraction or exponent, not " + value.dump());
    return std::nullopt;
  }
  if (cfn() && value.is_string()) {
    // CloudFormation takes numbers written as strings ("443") and converts them.
    const auto& text = value.get_ref<const std::string&>();
    long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return v;
    problem(path, quote(text) + " is not a whole number");
    return std::nullopt;
  }
  if (cfn() && is_intrinsic(value)) {
    const auto resolved = resolve_intrinsic(value, path, Need::essential);
    if (!resolved) return std::nullopt;
    const std::string& text = *resolved;
    long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return v;
    problem(path, quote(text) + " is not a whole number");
    return std::nullopt;
  }
  problem(path, "must be a whole number, not " + kind_of(value));
  return std::nullopt;
}

std::optional<bool> ObjectReader::bool_value(const Json& value, const std::string& path, Need need) {
  if (value.is_boolean()) return value.get<bool>();
  if (cfn() && value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (equals_ignoring_case(text, "true")) return true;
    if (equals_ignoring_case(text, "false")) return false;
  }
  if (cfn() && is_intrinsic(value)) {
    // A parameter ("Enabled": {"Ref": "EnableCdn"}) may give "true" or "false".
    auto resolved = resolve_string(value, parameters_);
    if (const auto* text = std::get_if<Resolved>(&resolved)) {
      if (equals_ignoring_case(text->text, "true") || equals_ignoring_case(text->text, "false")) {
        note_defaults(path, *text);
        return equals_ignoring_case(text->text, "true");
      }
    }
    if (need == Need::informational) {
      warning(path, "uses an intrinsic function, which cannot be resolved here; assumed true");
      return std::nullopt;
    }
  }
  problem(path, "must be true or false, not " + kind_of(value));
  return std::nullopt;
}

std::vector<ObjectReader::Item> ObjectReader::list(const Json& object, const char* key,
                                                   const std::string& path, bool required,
                                                   bool always_quantity) {
  std::vector<Item> items;
  const Json* value = field(object, key);
  if (value == nullptr) {
    if (required) problem(path, "required but missing");
    return items;
  }
  if (undecided_function(*value, path)) return items;
  if (cfn() && !always_quantity) {
    if (!value->is_array()) {
      problem(path, "must be a list, not " + kind_of(*value));
      return items;
    }
    for (std::size_t i = 0; i < value->size(); ++i) items.push_back({&(*value)[i], path + index(i)});
    return items;
  }
  if (!value->is_object()) {
    problem(path, "must be an object with Quantity and Items, not " + kind_of(*value));
    return items;
  }
  const Json* items_value = field(*value, "Items");
  if (items_value != nullptr && !items_value->is_array()) {
    problem(path + ".Items", "must be a list, not " + kind_of(*items_value));
    return items;
  }
  const std::size_t count = items_value == nullptr ? 0 : items_value->size();
  const Json* quantity = field(*value, "Quantity");
  if (quantity == nullptr) {
    problem(path + ".Quantity", "required; give the number of Items (" + std::to_string(count) + ")");
  } else if (const auto q = int_value(*quantity, path + ".Quantity")) {
    if (*q < 0 || static_cast<unsigned long long>(*q) != count) {
      problem(path + ".Quantity", std::to_string(*q) + " does not match the " + std::to_string(count) +
                                      (count == 1 ? " item" : " items") + " in Items");
    }
  }
  for (std::size_t i = 0; i < count; ++i) items.push_back({&(*items_value)[i], path + ".Items" + index(i)});
  return items;
}

std::vector<std::string> ObjectReader::string_list(const Json& object, const char* key,
                                                   const std::string& path) {
  std::vector<std::string> out;
  for (const auto& item : list(object, key, path, false)) {
    if (auto text = string_value(*item.value, item.path, Need::essential)) out.push_back(std::move(*text));
  }
  return out;
}

void ObjectReader::store_port(const Json& object, const char* key, const std::string& at,
                              std::uint16_t& out) {
  const Json* value = field(object, key);
  if (value == nullptr) return;
  const std::string path = at + "." + key;
  const auto v = int_value(*value, path);
  if (!v) return;
  if (*v < 0 || *v > 65535) {
    problem(path, *port_problem(*v));
    return;
  }
  out = static_cast<std::uint16_t>(*v);
}

void ObjectReader::store_int(const Json& object, const char* key, const std::string& at, int lowest,
                             int highest, bool seconds, int& out) {
  const Json* value = field(object, key);
  if (value == nullptr) return;
  const std::string path = at + "." + key;
  const auto v = int_value(*value, path);
  if (!v) return;
  if (*v < INT_MIN || *v > INT_MAX) {
    problem(path, *range_problem(*v, lowest, highest, seconds));
    return;
  }
  out = static_cast<int>(*v);
}

DistributionConfig ObjectReader::read(const Json& object) {
  DistributionConfig config;
  const std::string& root = paths_.root();
  if (!object.is_object()) {
    problem(root, "must be an object, not " + kind_of(object));
    return config;
  }
  std::size_t o = 0;
  for (const auto& item : list(object, "Origins", paths_.origins(), true)) {
    config.origins.push_back(read_origin(*item.value, o++));
  }

  if (const Json* behavior = field(object, "DefaultCacheBehavior")) {
    config.default_cache_behavior = read_behavior(*behavior, std::nullopt);
  } else {
    problem(paths_.behavior(std::nullopt), "required but missing");
  }
  std::size_t b = 0;
  for (const auto& item : list(object, "CacheBehaviors", root + ".CacheBehaviors", false)) {
    config.cache_behaviors.push_back(read_behavior(*item.value, b++));
  }
  warn_duplicate_path_patterns(config.cache_behaviors);

  for (const auto& item : list(object, "OriginGroups", root + ".OriginGroups", false, true)) {
    config.origin_groups.push_back(read_origin_group(*item.value, item.path));
  }

  if (const Json* comment = field(object, "Comment")) {
    if (auto text = string_value(*comment, root + ".Comment", Need::informational)) config.comment = *text;
  }
  if (const Json* enabled = field(object, "Enabled")) {
    if (auto flag = bool_value(*enabled, root + ".Enabled", Need::informational)) config.enabled = *flag;
  }

  // The value rules, minus what has been reported already (a field that could
  // not be read keeps its default, which must not be blamed a second time).
  std::vector<Problem> rules;
  validate_into(config, paths_, rules);
  for (auto& rule : rules) {
    const bool already = std::any_of(reported_.begin(), reported_.end(), [&](const std::string& path) {
      return rule.path == path || (rule.path.starts_with(path) &&
                                   (rule.path[path.size()] == '.' || rule.path[path.size()] == '['));
    });
    if (!already) problems_.push_back(std::move(rule));
  }
  return config;
}

void ObjectReader::warn_duplicate_path_patterns(const std::vector<CacheBehavior>& behaviors) {
  // Routing takes the first behavior whose pattern matches, and compares
  // patterns without their leading '/': a later behavior with the same
  // pattern is never used. The facts do not say whether the CDN refuses such
  // a config, so it is a warning, not a problem.
  std::map<std::string_view, std::size_t> first_with;
  for (std::size_t b = 0; b < behaviors.size(); ++b) {
    const std::string_view pattern = behaviors[b].path_pattern;
    if (pattern.empty()) continue;  // missing or unresolved: reported already
    const std::string_view matched = pattern.front() == '/' ? pattern.substr(1) : pattern;
    const auto [earlier, inserted] = first_with.emplace(matched, b);
    if (inserted) continue;
    const std::string& earlier_pattern = behaviors[earlier->second].path_pattern;
    const std::string earlier_path = paths_.behavior(earlier->second) + ".PathPattern";
    warning(paths_.behavior(b) + ".PathPattern",
            (earlier_pattern == pattern ? quote(pattern) + " is also the PathPattern of " + earlier_path
                                        : quote(pattern) + " matches the same paths as " + earlier_path +
                                              " (" + quote(earlier_pattern) + ")") +
                ", which comes first, so no request reaches this behavior");
  }
}

OriginGroup ObjectReader::read_origin_group(const Json& value, const std::string& at) {
  OriginGroup group;
  if (undecided_function(value, at)) return group;
  if (!value.is_object()) {
    problem(at, "must be an object with Id, FailoverCriteria and Members, not " + kind_of(value));
    return group;
  }
  if (const Json* id = field(value, "Id")) {
    if (auto text = string_value(*id, at + ".Id", Need::essential)) group.id = *text;
  } else {
    problem(at + ".Id", "required but missing; give the origin group a unique id");
  }
  if (const Json* criteria = field(value, "FailoverCriteria")) {
    if (!criteria->is_object()) {
      problem(at + ".FailoverCriteria", "must be an object with StatusCodes, not " + kind_of(*criteria));
    } else {
      const std::string codes_at = at + ".FailoverCriteria.StatusCodes";
      for (const auto& item : list(*criteria, "StatusCodes", codes_at, true, true)) {
        if (const auto code = int_value(*item.value, item.path)) {
          group.failover_status_codes.push_back(static_cast<int>(*code));
        }
      }
    }
  } else {
    problem(at + ".FailoverCriteria", "required but missing; give the StatusCodes that fail over");
  }
  for (const auto& item : list(value, "Members", at + ".Members", true, true)) {
    if (!item.value->is_object()) {
      problem(item.path, "must be an object with OriginId, not " + kind_of(*item.value));
      continue;
    }
    if (const Json* id = field(*item.value, "OriginId")) {
      if (auto text = string_value(*id, item.path + ".OriginId", Need::essential)) {
        group.member_ids.push_back(*text);
      }
    } else {
      problem(item.path + ".OriginId", "required but missing");
    }
  }
  return group;
}

Origin ObjectReader::read_origin(const Json& value, std::size_t i) {
  Origin origin;
  const std::string at = paths_.origin(i);
  if (undecided_function(value, at)) return origin;
  if (!value.is_object()) {
    problem(at, "must be an object, not " + kind_of(value));
    return origin;
  }
  if (const Json* id = field(value, "Id")) {
    if (auto text = string_value(*id, at + ".Id", Need::essential)) origin.id = *text;
  } else {
    problem(at + ".Id", "required but missing; give the origin a unique id");
  }
  if (const Json* domain = field(value, "DomainName")) {
    if (auto text = string_value(*domain, at + ".DomainName", Need::essential)) origin.domain_name = *text;
  } else {
    problem(at + ".DomainName", "required but missing; give the origin's DNS name");
  }
  if (const Json* path = field(value, "OriginPath")) {
    if (auto text = string_value(*path, at + ".OriginPath", Need::essential)) origin.origin_path = *text;
  }

  if (cfn()) {
    reject_other_spelling(value, at, "CustomHeaders", "OriginCustomHeaders");
  } else {
    reject_other_spelling(value, at, "OriginCustomHeaders", "CustomHeaders");
  }
  warn_unknown_fields(value, at, cfn() ? kCfnOrigin : kApiOrigin);
  const char* headers_key = cfn() ? "OriginCustomHeaders" : "CustomHeaders";
  for (const auto& item : list(value, headers_key, paths_.custom_headers(i), false)) {
    CustomHeader header;
    if (undecided_function(*item.value, item.path)) {
      origin.custom_headers.push_back(std::move(header));
      continue;
    }
    if (!item.value->is_object()) {
      problem(item.path, "must be an object with HeaderName and HeaderValue, not " + kind_of(*item.value));
      origin.custom_headers.push_back(std::move(header));
      continue;
    }
    if (const Json* name = field(*item.value, "HeaderName")) {
      if (auto text = string_value(*name, item.path + ".HeaderName", Need::essential)) header.name = *text;
    } else {
      problem(item.path + ".HeaderName", "required but missing");
    }
    if (const Json* header_value = field(*item.value, "HeaderValue")) {
      if (auto text = string_value(*header_value, item.path + ".HeaderValue", Need::essential)) {
        header.value = *text;
      }
    } else {
      problem(item.path + ".HeaderValue", "required but missing");
    }
    warn_unknown_fields(*item.value, item.path, kCustomHeader);
    origin.custom_headers.push_back(std::move(header));
  }

  store_int(value, "ConnectionAttempts", at, kMinConnectionAttempts, kMaxConnectionAttempts, false,
            origin.connection_attempts);
  store_int(value, "ConnectionTimeout", at, kMinConnectionTimeout, kMaxConnectionTimeout, true,
            origin.connection_timeout_s);
  if (field(value, "ResponseCompletionTimeout") != nullptr) {
    int completion = INT_MIN;  // stays so when the value could not be read (already reported)
    store_int(value, "ResponseCompletionTimeout", at, 1, INT_MAX, true, completion);
    if (completion != INT_MIN) origin.response_completion_timeout_s = completion;
  }

  const Json* custom = field(value, "CustomOriginConfig");
  const Json* s3 = field(value, "S3OriginConfig");
  const Json* vpc = field(value, "VpcOriginConfig");
  const int kinds = (custom != nullptr ? 1 : 0) + (s3 != nullptr ? 1 : 0) + (vpc != nullptr ? 1 : 0);
  if (kinds != 1) {
    problem(at, kinds == 0 ? "needs one of CustomOriginConfig, S3OriginConfig or VpcOriginConfig"
                           : "has more than one of CustomOriginConfig, S3OriginConfig and VpcOriginConfig; "
                             "keep the one that describes this origin");
  }
  if (custom != nullptr) {
    origin.kind = OriginKind::custom;
    read_custom_origin(*custom, i, origin);
  } else if (s3 != nullptr) {
    origin.kind = OriginKind::s3;
  } else if (vpc != nullptr) {
    origin.kind = OriginKind::vpc;
  } else {
    // Keep the model consistent (custom ⇔ config present); already reported.
    origin.kind = OriginKind::custom;
    origin.custom = CustomOriginConfig{};
    reported_.push_back(paths_.custom_origin(i));
  }
  return origin;
}

void ObjectReader::read_custom_origin(const Json& value, std::size_t i, Origin& origin) {
  const std::string at = paths_.custom_origin(i);
  CustomOriginConfig& custom = origin.custom.emplace();
  if (undecided_function(value, at)) return;
  if (!value.is_object()) {
    problem(at, "must be an object, not " + kind_of(value));
    return;
  }
  store_port(value, "HTTPPort", at, custom.http_port);
  store_port(value, "HTTPSPort", at, custom.https_port);

  if (const Json* policy = field(value, "OriginProtocolPolicy")) {
    if (auto text = string_value(*policy, at + ".OriginProtocolPolicy", Need::essential)) {
      if (auto parsed = parse_origin_protocol_policy(*text)) {
        custom.protocol_policy = *parsed;
      } else {
        problem(at + ".OriginProtocolPolicy", origin_protocol_policy_problem(*text));
      }
    }
  } else {
    problem(at + ".OriginProtocolPolicy", "required but missing; use http-only, match-viewer or https-only");
  }

  if (cfn()) {
    reject_other_spelling(value, at, "OriginSslProtocols", "OriginSSLProtocols (a plain list)");
  } else {
    reject_other_spelling(value, at, "OriginSSLProtocols", "OriginSslProtocols (with Quantity and Items)");
  }
  warn_unknown_fields(value, at, cfn() ? kCfnCustomOrigin : kApiCustomOrigin);
  const char* protocols_key = cfn() ? "OriginSSLProtocols" : "OriginSslProtocols";
  if (field(value, protocols_key) != nullptr) {
    custom.ssl_protocols.clear();
    const std::size_t problems_before = problems_.size();
    for (const auto& item : list(value, protocols_key, paths_.ssl_protocols(i), false)) {
      const auto text = string_value(*item.value, item.path, Need::essential);
      if (!text) continue;
      const auto version = parse_origin_ssl_protocol(*text);
      if (!version) {
        problem(item.path, ssl_protocol_problem(*text));
      } else if (std::find(custom.ssl_protocols.begin(), custom.ssl_protocols.end(), *version) !=
                 custom.ssl_protocols.end()) {
        problem(item.path, quote(*text) + " is listed twice");
      } else {
        custom.ssl_protocols.push_back(*version);
      }
    }
    // A list whose items were all wrong is not also "empty".
    if (problems_.size() != problems_before) reported_.push_back(paths_.ssl_protocols(i));
  } else {
    // The API's JSON always carries the field; a hand-written config may not.
    // CloudFormation documents TLSv1 and SSLv3 as its default.
    custom.ssl_protocols_defaulted = true;
    if (cfn()) {
      custom.ssl_protocols = {policy::ProtocolVersion::tls1_0, policy::ProtocolVersion::ssl3};
    } else {
      custom.ssl_protocols = {policy::ProtocolVersion::tls1_2};
    }
    if (custom.protocol_policy != OriginProtocolPolicy::http_only) {
      warning(paths_.ssl_protocols(i),
              cfn() ? "not set; CloudFormation's documented default is [TLSv1, SSLv3], which is used"
                    : "not set; [TLSv1.2] is used");
    }
  }

  store_int(value, "OriginReadTimeout", at, kMinReadTimeout, kMaxReadTimeout, true, custom.read_timeout_s);
  store_int(value, "OriginKeepaliveTimeout", at, kMinKeepaliveTimeout, kMaxKeepaliveTimeout, true,
            custom.keepalive_timeout_s);
  if (const Json* type = field(value, "IpAddressType")) {
    if (auto text = string_value(*type, at + ".IpAddressType", Need::essential)) {
      if (auto parsed = parse_ip_address_type(*text)) {
        custom.ip_address_type = *parsed;
      } else {
        problem(at + ".IpAddressType", ip_address_type_problem(*text));
      }
    }
  }
  if (const Json* mtls = field(value, "OriginMtlsConfig")) read_origin_mtls(*mtls, at + ".OriginMtlsConfig");
}

void ObjectReader::read_origin_mtls(const Json& value, const std::string& at) {
  if (undecided_function(value, at)) return;
  if (!value.is_object()) {
    problem(at, "must be an object with ClientCertificateArn, not " + kind_of(value));
    return;
  }
  warn_unknown_fields(value, at, kOriginMtls);
  const std::string arn_at = at + ".ClientCertificateArn";
  const Json* arn = field(value, "ClientCertificateArn");
  if (arn == nullptr) {
    problem(arn_at, missing_message(value, "ClientCertificateArn") +
                        "; the ARN of the client certificate in ACM (us-east-1) that the CDN presents to the "
                        "origin");
    return;
  }
  // Only named in the message: edgefetch has no way to use it.
  const auto text = string_value(*arn, arn_at, Need::informational);
  // The CDN presents the certificate when the origin asks for one (facts
  // 2.5); edgefetch answers such a request with none.
  warning(arn_at, "edgefetch cannot use an ACM certificate ARN" + (text ? " (" + quote(*text) + ")" : "") +
                      " and sends no client certificate: an origin that requires one gets none, and viewers "
                      "get 502 (client_certificate_required)");
}

CacheBehavior ObjectReader::read_behavior(const Json& value, std::optional<std::size_t> i) {
  CacheBehavior behavior;
  behavior.path_pattern = "*";
  const std::string at = paths_.behavior(i);
  if (undecided_function(value, at)) return behavior;
  if (!value.is_object()) {
    problem(at, "must be an object, not " + kind_of(value));
    return behavior;
  }
  if (i) {
    behavior.path_pattern.clear();
    if (const Json* pattern = field(value, "PathPattern")) {
      if (auto text = string_value(*pattern, at + ".PathPattern", Need::essential)) {
        behavior.path_pattern = *text;
      }
    } else {
      problem(at + ".PathPattern", "required but missing (e.g. \"/images/*\")");
    }
  }
  if (const Json* target = field(value, "TargetOriginId")) {
    if (auto text = string_value(*target, at + ".TargetOriginId", Need::essential)) {
      behavior.target_origin_id = *text;
    }
  } else {
    problem(at + ".TargetOriginId", "required but missing; give the Id of one of the origins");
  }
  if (const Json* policy = field(value, "ViewerProtocolPolicy")) {
    if (auto text = string_value(*policy, at + ".ViewerProtocolPolicy", Need::essential)) {
      if (auto parsed = parse_viewer_protocol_policy(*text)) {
        behavior.viewer_protocol_policy = *parsed;
      } else {
        problem(at + ".ViewerProtocolPolicy", viewer_protocol_policy_problem(*text));
      }
    }
  } else {
    problem(at + ".ViewerProtocolPolicy",
            "required but missing; use allow-all, redirect-to-https or https-only");
  }

  const std::string allowed_path = paths_.allowed_methods(at);
  if (const Json* allowed = field(value, "AllowedMethods")) {
    behavior.allowed_methods = string_list(value, "AllowedMethods", allowed_path);
    if (cfn()) {
      if (field(value, "CachedMethods") != nullptr) {
        behavior.cached_methods = string_list(value, "CachedMethods", paths_.cached_methods(at));
      }
    } else if (allowed->is_object() && field(*allowed, "CachedMethods") != nullptr) {
      behavior.cached_methods = string_list(*allowed, "CachedMethods", paths_.cached_methods(at));
    }
  } else if (cfn() && field(value, "CachedMethods") != nullptr) {
    behavior.cached_methods = string_list(value, "CachedMethods", paths_.cached_methods(at));
  }
  read_forwarding(value, at, behavior);
  warn_unknown_fields(value, at, cfn() ? kCfnBehavior : kApiBehavior);
  return behavior;
}

}  // namespace edgefetch::config::detail
