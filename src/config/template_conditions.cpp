// Conditions, Fn::If, Fn::FindInMap, Fn::Select, Fn::Split and list
// parameters, resolved before the distribution reader runs.

#include "config/template_conditions.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <variant>

#include "config/json_text.hpp"
#include "config/object_reader.hpp"
#include "config/paths.hpp"
#include "config/rules.hpp"

namespace edgefetch::config::detail {
namespace {

using Json = nlohmann::json;

// The resources whose Properties the reader reads.
constexpr auto kReadResourceTypes =
    std::to_array<std::string_view>({"AWS::CloudFront::Distribution", "AWS::CloudFront::CachePolicy",
                                     "AWS::CloudFront::OriginRequestPolicy"});
constexpr std::string_view kDistributionType = "AWS::CloudFront::Distribution";
constexpr std::string_view kNoValue = "AWS::NoValue";

// Fn::And and Fn::Or take 2 to 10 conditions (CloudFormation's rule).
constexpr std::size_t kMinConditionOperands = 2;
constexpr std::size_t kMaxConditionOperands = 10;
// Conditions nest functions and name other conditions; a real template goes
// a few levels deep. Bounds the recursion an input can cause.
constexpr int kMaxConditionDepth = 32;
// Functions within the arguments of functions (a Fn::FindInMap key that is a
// Fn::FindInMap, ...): as deep as intrinsics.cpp allows and then some.
constexpr int kMaxFunctionNesting = 32;
// Every value visited counts; the input is at most kMaxInputBytes, so this is
// reached only by a template built to be slow.
constexpr std::size_t kMaxSteps = 1u << 23;
// Values copied from Mappings, list parameters and Fn::Split may be copied
// again at each use: their total size (bytes of strings, plus one per value)
// is bounded like the input's.
constexpr std::size_t kMaxExpandedBytes = kMaxInputBytes;
// Items Fn::Split may make of one text.
constexpr std::size_t kMaxSplitItems = 1000;

enum class Truth { no, yes, unknown, refused };

// What a condition (or one of its functions) comes to.
struct Verdict {
  Truth truth = Truth::unknown;
  Unresolved cause;   // unknown: the value that needs a deployed stack
  Resolved defaults;  // parameters whose Default went into it
};

struct Condition {
  enum class Stage { pending, evaluating, done };
  const Json* definition = nullptr;
  Stage stage = Stage::pending;
  Verdict verdict;
  bool defaults_warned = false;
  bool cycle_reported = false;
};

// A function's argument that must be a single value (a key, an index, a text).
using Scalar = std::variant<std::string, Unresolved, std::monostate>;  // monostate: refused (reported)

void merge_defaults(Resolved& into, const Resolved& from) {
  for (const auto& name : from.defaults_used) {
    if (std::find(into.defaults_used.begin(), into.defaults_used.end(), name) != into.defaults_used.end()) {
      continue;
    }
    if (into.defaults_used.size() == kMaxDefaultsNamed) {
      into.more_defaults = true;
      break;
    }
    into.defaults_used.push_back(name);
  }
  into.more_defaults = into.more_defaults || from.more_defaults;
}

std::optional<std::string> scalar_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

std::string quoted_names(const Json& object) {
  std::string out;
  std::size_t shown = 0;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (shown == 10) return out + ", ...";
    out += (shown++ == 0 ? "" : ", ") + quote(it.key());
  }
  return out;
}

std::optional<std::string> nearest_key(std::string_view name, const Json& object) {
  std::vector<std::string_view> keys;
  for (auto it = object.begin(); it != object.end() && keys.size() < 1000; ++it) keys.emplace_back(it.key());
  const auto meant = near_miss(name, keys);
  return meant ? std::optional<std::string>(std::string(*meant)) : std::nullopt;
}

using NameSet = std::set<std::string, std::less<>>;

// The names Ref and Fn::Sub may use besides pseudo parameters: the template's
// Parameters and its resources' logical ids. Nothing (no check) when a
// Transform may add names (SAM's implicit resources, Fn::ForEach) or a
// section is malformed (reported elsewhere).
std::optional<NameSet> declared_names(const Json& root) {
  if (member(root, "Transform") != nullptr) return std::nullopt;
  const Json* parameters = member(root, "Parameters");
  const Json* resources = member(root, "Resources");
  if ((parameters != nullptr && !parameters->is_object()) || resources == nullptr ||
      !resources->is_object()) {
    return std::nullopt;
  }
  NameSet names;
  for (const Json* section : {parameters, resources}) {
    if (section == nullptr) continue;
    for (auto it = section->begin(); it != section->end(); ++it) names.insert(it.key());
  }
  return names;
}

class TemplateFunctions {
 public:
  TemplateFunctions(const Json& root, ParameterScope& parameters, std::vector<Problem>& problems,
                    std::vector<Problem>& warnings)
      : parameters_(parameters), problems_(problems), warnings_(warnings), declared_(declared_names(root)) {
    const Json* mappings = member(root, "Mappings");
    if (mappings != nullptr && !mappings->is_object()) {
      problems_.push_back({"Mappings", "must be an object, not " + kind_of(*mappings)});
    } else {
      mappings_ = mappings;
    }
    declare_conditions(member(root, "Conditions"));
  }

  // Every condition, as CloudFormation checks them all, used or not.
  void decide_all_conditions() {
    for (auto& [name, condition] : conditions_) decide(name);
  }

  // Whether the resource at `at` with {"Condition": `value`} is created.
  Truth resource_condition(const Json& value, const std::string& at) {
    if (!value.is_string()) {
      problems_.push_back({at + ".Condition", "must be the name of a condition, not " + kind_of(value)});
      return Truth::refused;
    }
    const auto& name = value.get_ref<const std::string&>();
    const Truth truth = use_condition(name, at + ".Condition");
    if (truth == Truth::unknown) {
      const Unresolved* why = parameters_.undecided_condition(name);
      std::string message = "Condition " + path_segment(name) + " cannot be decided here";
      if (why != nullptr) {
        message += " (it uses " + why->description + (why->hint.empty() ? "" : ": " + why->hint) + ")";
      }
      warnings_.push_back({at + ".Condition", message + "; the resource is read as if it were created"});
    }
    return truth;
  }

  // `value` (a property's value, at `path`) as CloudFormation deploys it;
  // nothing for AWS::NoValue, which leaves the property or item out. At
  // `nesting` 0 the value is a property and `path` grows with its fields;
  // within a function's arguments it stays the path of the field.
  std::optional<Json> rewrite(const Json& value, const std::string& path, int nesting) {
    if (!step(path)) return value;
    if (value.is_array()) {
      Json out = Json::array();
      for (const auto& item : value) {
        const std::string at = nesting == 0 ? path + index(out.size()) : path;
        if (auto rewritten = rewrite(item, at, nesting)) out.push_back(std::move(*rewritten));
      }
      return out;
    }
    if (!value.is_object()) return value;
    if (is_intrinsic(value)) return rewrite_function(value, path, nesting);
    Json out = Json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string at = nesting == 0 ? path + "." + path_segment(it.key()) : path;
      if (auto rewritten = rewrite(it.value(), at, nesting)) out[it.key()] = std::move(*rewritten);
    }
    return out;
  }

  [[nodiscard]] std::vector<std::string> reported_elsewhere() const { return reported_elsewhere_; }

  // The warnings for Defaults that went into fields through lookups.
  void finish() {
    for (const auto& [path, defaults] : field_defaults_) {
      if (auto message = defaults_warning(defaults, parameters_); !message.empty()) {
        warnings_.push_back({path, std::move(message)});
      }
    }
  }

 private:
  void problem(const std::string& path, std::string message) {
    problems_.push_back({path, std::move(message)});
  }

  bool step(const std::string& path) {
    if (++steps_ <= kMaxSteps) return true;
    if (!out_of_steps_reported_) {
      out_of_steps_reported_ = true;
      problem(path, "the template's functions take more than " + std::to_string(kMaxSteps) +
                        " steps to resolve; edgefetch refuses it");
    }
    return false;
  }

  // Whether `name`, which `user` (a Ref, a Fn::Sub variable) at `path` names,
  // is declared; a problem when it is not, as CloudFormation refuses such a
  // template (an unresolved reference) before it deploys. A resource's id
  // passes: only a deployed stack knows what Ref of it gives.
  bool declared(std::string_view name, const std::string& path, const std::string& user) {
    if (!declared_ || is_pseudo_parameter(name) || declared_->contains(name)) return true;
    std::string message = user + " names no Parameter, pseudo parameter or resource of the template";
    std::vector<std::string_view> names;
    for (const auto& known : *declared_) {
      if (names.size() == 1000) break;
      names.emplace_back(known);
    }
    if (const auto meant = near_miss(name, names)) message += " (did you mean " + std::string(*meant) + "?)";
    problem(path, message + "; CloudFormation refuses the template (unresolved reference)");
    return false;
  }

  // The "${Name}" variables of a Fn::Sub that its own map does not give.
  void check_sub_variables(const Json& argument, const std::string& path) {
    const Json* text = &argument;
    const Json* variables = nullptr;
    if (argument.is_array() && !argument.empty()) {
      text = &argument[0];
      if (argument.size() == 2 && argument[1].is_object()) variables = &argument[1];
    }
    if (!text->is_string()) return;  // malformed: the reader says so
    const std::string_view sub = text->get_ref<const std::string&>();
    for (std::size_t start = sub.find("${"); start != std::string_view::npos;
         start = sub.find("${", start + 2)) {
      if (start + 2 < sub.size() && sub[start + 2] == '!') continue;  // "${!Literal}"
      const auto end = sub.find('}', start);
      if (end == std::string_view::npos) return;  // unfinished: the reader says so
      const std::string_view variable = sub.substr(start + 2, end - start - 2);
      if (variables != nullptr && variables->contains(std::string(variable))) continue;
      // "${Resource.Attribute}" is a Fn::GetAtt of that resource.
      const std::string_view name = variable.substr(0, variable.find('.'));
      if (!declared(name, path, "Fn::Sub with the variable " + quote(variable))) return;
    }
  }

  // Counts `value`, about to be copied, against kMaxExpandedBytes.
  bool spend(const Json& value, const std::string& path) {
    std::size_t size = 1;
    if (value.is_string()) size += value.get_ref<const std::string&>().size();
    if (value.is_structured()) {
      for (const auto& item : value) {
        if (!spend(item, path)) return false;
      }
    }
    expanded_bytes_ += size;
    if (expanded_bytes_ <= kMaxExpandedBytes) return true;
    if (!expansion_reported_) {
      expansion_reported_ = true;
      problem(path, "Fn::FindInMap, Fn::Split and list parameters here expand to more than " +
                        std::to_string(kMaxExpandedBytes) + " bytes in all; edgefetch refuses it");
    }
    return false;
  }

  // Parameters whose Default went into a lookup: into the condition being
  // decided, else a warning at the field.
  void used_defaults(const std::string& path, const Resolved& resolved) {
    if (resolved.defaults_used.empty()) return;
    if (condition_defaults_ != nullptr) {
      merge_defaults(*condition_defaults_, resolved);
      return;
    }
    if (field_defaults_.empty() || field_defaults_.back().first != path) {
      field_defaults_.emplace_back(path, Resolved{});
    }
    merge_defaults(field_defaults_.back().second, resolved);
  }

  // --- Conditions ---------------------------------------------------------

  void declare_conditions(const Json* section) {
    if (section == nullptr) return;
    if (!section->is_object()) {
      problem("Conditions", "must be an object, not " + kind_of(*section));
      return;
    }
    for (auto it = section->begin(); it != section->end(); ++it) {
      conditions_[it.key()].definition = &it.value();
    }
  }

  static std::string condition_path(const std::string& name) { return "Conditions." + path_segment(name); }

  std::string unknown_condition(const std::string& name) const {
    std::string message = "names the condition " + quote(name) + ", which Conditions does not declare";
    std::vector<std::string_view> names;
    for (const auto& entry : conditions_) {
      if (names.size() == 1000) break;
      names.emplace_back(entry.first);
    }
    if (const auto meant = near_miss(name, names)) {
      message += " (did you mean " + path_segment(std::string(*meant)) + "?)";
    }
    return message + "; CloudFormation refuses the template";
  }

  // A condition used at `path` (a Fn::If, a resource's Condition): its truth,
  // with a warning, once, when Defaults decided it.
  Truth use_condition(const std::string& name, const std::string& path) {
    const auto found = conditions_.find(name);
    if (found == conditions_.end()) {
      problem(path, unknown_condition(name));
      return Truth::refused;
    }
    const Verdict& verdict = decide(name);
    Condition& condition = found->second;
    if (!condition.defaults_warned && (verdict.truth == Truth::yes || verdict.truth == Truth::no)) {
      condition.defaults_warned = true;
      if (auto message = defaults_warning(verdict.defaults, parameters_); !message.empty()) {
        warnings_.push_back({condition_path(name), std::move(message)});
      }
    }
    return verdict.truth;
  }

  const Verdict& decide(const std::string& name) {
    Condition& condition = conditions_.at(name);
    if (condition.stage == Condition::Stage::done) return condition.verdict;
    condition.stage = Condition::Stage::evaluating;
    deciding_.push_back(name);
    Resolved* outer_defaults = std::exchange(condition_defaults_, &condition.verdict.defaults);
    Verdict verdict =
        evaluate(*condition.definition, condition_path(name), static_cast<int>(deciding_.size()));
    condition_defaults_ = outer_defaults;
    merge_defaults(verdict.defaults, condition.verdict.defaults);
    deciding_.pop_back();
    condition.verdict = std::move(verdict);
    condition.stage = Condition::Stage::done;
    if (condition.verdict.truth == Truth::unknown) {
      parameters_.note_undecided_condition(name, condition.verdict.cause);
    } else if (condition.verdict.truth == Truth::refused) {
      // Reported where the error is (this condition, or one it names).
      parameters_.note_undecided_condition(name,
                                           Unresolved{"a condition that is in error (see Conditions)", {}});
    }
    return condition.verdict;
  }

  // {"Condition": name} within a condition at `at`.
  Verdict reference(const std::string& name, const std::string& at) {
    const auto found = conditions_.find(name);
    if (found == conditions_.end()) {
      problem(at, unknown_condition(name));
      return Verdict{Truth::refused, {}, {}};
    }
    Condition& condition = found->second;
    if (condition.stage == Condition::Stage::evaluating) {
      if (!condition.cycle_reported) {
        condition.cycle_reported = true;
        std::string chain;
        const auto first = std::find(deciding_.begin(), deciding_.end(), name);
        for (auto it = first; it != deciding_.end(); ++it) chain += path_segment(*it) + " -> ";
        problem(condition_path(name), "refers to itself (" + chain + path_segment(name) +
                                          "); CloudFormation refuses circular conditions");
      }
      return Verdict{Truth::refused, {}, {}};
    }
    if (deciding_.size() >= static_cast<std::size_t>(kMaxConditionDepth)) return too_deep();
    return decide(name);
  }

  Verdict too_deep() {
    if (!too_deep_reported_) {
      too_deep_reported_ = true;
      problem(condition_path(deciding_.front()),
              "nests condition functions and the conditions they name more than " +
                  std::to_string(kMaxConditionDepth) + " deep; edgefetch refuses it");
    }
    return Verdict{Truth::refused, {}, {}};
  }

  // One condition function (or {"Condition": name}) of the condition at `at`.
  Verdict evaluate(const Json& function, const std::string& at, int depth) {
    if (depth > kMaxConditionDepth) return too_deep();
    if (!step(at)) return Verdict{Truth::refused, {}, {}};
    if (const Json* name =
            function.is_object() && function.size() == 1 ? member(function, "Condition") : nullptr) {
      if (name->is_string()) return reference(name->get<std::string>(), at);
    }
    if (!is_intrinsic(function)) return not_a_condition(kind_of(function), at);
    const std::string& kind = function.begin().key();
    const Json& argument = function.begin().value();
    if (kind == "Fn::Equals") return equals(argument, at);
    if (kind == "Fn::Not") return negate(argument, at, depth);
    if (kind == "Fn::And" || kind == "Fn::Or") return combine(kind, argument, at, depth);
    return not_a_condition(kind, at);
  }

  Verdict not_a_condition(const std::string& what, const std::string& at) {
    problem(
        at,
        "must be a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not) or {\"Condition\": NAME}, not " +
            what);
    return Verdict{Truth::refused, {}, {}};
  }

  Verdict negate(const Json& argument, const std::string& at, int depth) {
    if (!argument.is_array() || argument.size() != 1) {
      problem(at, "Fn::Not takes a list of one condition");
      return Verdict{Truth::refused, {}, {}};
    }
    Verdict verdict = evaluate(argument[0], at, depth + 1);
    if (verdict.truth == Truth::yes || verdict.truth == Truth::no) {
      verdict.truth = verdict.truth == Truth::yes ? Truth::no : Truth::yes;
    }
    return verdict;
  }

  // Fn::And / Fn::Or: decided when the known operands decide it (a false one
  // for Fn::And, a true one for Fn::Or), whatever the unknown ones are.
  Verdict combine(const std::string& kind, const Json& argument, const std::string& at, int depth) {
    if (!argument.is_array() || argument.size() < kMinConditionOperands ||
        argument.size() > kMaxConditionOperands) {
      problem(at, kind + " takes a list of " + std::to_string(kMinConditionOperands) + " to " +
                      std::to_string(kMaxConditionOperands) + " conditions");
      return Verdict{Truth::refused, {}, {}};
    }
    const Truth deciding = kind == "Fn::And" ? Truth::no : Truth::yes;
    Verdict result{deciding == Truth::no ? Truth::yes : Truth::no, {}, {}};
    bool decided = false;
    for (const auto& operand : argument) {
      Verdict verdict = evaluate(operand, at, depth + 1);
      merge_defaults(result.defaults, verdict.defaults);
      if (verdict.truth == deciding) {
        decided = true;
      } else if (verdict.truth == Truth::refused) {
        result.truth = Truth::refused;
      } else if (verdict.truth == Truth::unknown && result.truth != Truth::refused) {
        if (result.truth != Truth::unknown) result.cause = std::move(verdict.cause);
        result.truth = Truth::unknown;
      }
    }
    if (decided && result.truth != Truth::refused) result.truth = deciding;
    return result;
  }

  Verdict equals(const Json& argument, const std::string& at) {
    if (!argument.is_array() || argument.size() != 2) {
      problem(at, "Fn::Equals takes [value, value]");
      return Verdict{Truth::refused, {}, {}};
    }
    std::array<Json, 2> sides;
    for (std::size_t i = 0; i < 2; ++i) {
      auto side = comparable(argument[i], at);
      if (auto* unresolved = std::get_if<Unresolved>(&side)) {
        return Verdict{Truth::unknown, std::move(*unresolved), {}};
      }
      if (std::holds_alternative<std::monostate>(side)) return Verdict{Truth::refused, {}, {}};
      sides.at(i) = std::move(std::get<Json>(side));
    }
    return Verdict{sides[0] == sides[1] ? Truth::yes : Truth::no, {}, {}};
  }

  // A Fn::Equals operand as CloudFormation compares it: text (numbers and
  // booleans as they are written), or a list of texts.
  std::variant<Json, Unresolved, std::monostate> comparable(const Json& operand, const std::string& at) {
    const std::size_t problems_before = problems_.size();
    auto rewritten = rewrite(operand, at, 1);
    if (!rewritten) {
      problem(at, "Fn::Equals compares values; AWS::NoValue is none");
      return std::monostate{};
    }
    // Something in it CloudFormation refuses (a Ref of an undeclared name, a
    // Mappings key that is not there, ...) was reported: the condition is in
    // error, not undecided.
    if (problems_.size() != problems_before) return std::monostate{};
    return comparable_value(*rewritten, at);
  }

  std::variant<Json, Unresolved, std::monostate> comparable_value(const Json& value, const std::string& at) {
    if (auto text = scalar_text(value)) return Json(std::move(*text));
    if (value.is_array()) {
      Json out = Json::array();
      for (const auto& item : value) {
        auto side = comparable_value(item, at);
        if (!std::holds_alternative<Json>(side)) return side;
        out.push_back(std::move(std::get<Json>(side)));
      }
      return out;
    }
    if (is_intrinsic(value)) {
      auto resolved = resolve_string(value, &parameters_);
      if (auto* unresolved = std::get_if<Unresolved>(&resolved)) return std::move(*unresolved);
      auto& text = std::get<Resolved>(resolved);
      used_defaults(at, text);
      return Json(std::move(text.text));
    }
    problem(at, "Fn::Equals compares texts or lists, not " + kind_of(value));
    return std::monostate{};
  }

  // --- Functions in property values ---------------------------------------

  std::optional<Json> rewrite_function(const Json& value, const std::string& path, int nesting) {
    if (nesting >= kMaxFunctionNesting) {
      problem(path, "intrinsic functions nested more than " + std::to_string(kMaxFunctionNesting) +
                        " deep; edgefetch refuses it");
      return value;
    }
    const std::string& name = value.begin().key();
    const Json& argument = value.begin().value();
    if (name == "Ref") return rewrite_ref(value, path);
    if (name == "Fn::If") return rewrite_if(value, path, nesting);
    if (name == "Fn::FindInMap") return find_in_map(value, path, nesting);
    if (name == "Fn::Select") return select(value, path, nesting);
    if (name == "Fn::Split") return split(value, path, nesting);
    if (name == "Fn::Sub") check_sub_variables(argument, path);
    // Any other function (Fn::Sub, Fn::Join, ...): its arguments may hold those above.
    Json out = Json::object();
    out[name] = rewrite(argument, path, nesting + 1).value_or(argument);
    return out;
  }

  std::optional<Json> rewrite_ref(const Json& value, const std::string& path) {
    const Json& argument = value.begin().value();
    if (!argument.is_string()) return value;
    const auto& name = argument.get_ref<const std::string&>();
    if (name == kNoValue) return std::nullopt;
    if (!declared(name, path, "Ref " + quote(name))) return value;
    const ParameterBinding* binding = parameters_.find(name);
    if (binding == nullptr || !binding->list_value) return value;
    Json list(*binding->list_value);
    if (!spend(list, path)) return value;
    if (binding->from_default) used_defaults(path, Resolved{{}, {name}, false});
    return list;
  }

  std::optional<Json> rewrite_if(const Json& value, const std::string& path, int nesting) {
    const Json& argument = value.begin().value();
    if (!argument.is_array() || argument.size() != 3 || !argument[0].is_string()) {
      problem(path, "Fn::If takes [condition name, value if true, value if false]");
      return value;
    }
    const Truth truth = use_condition(argument[0].get<std::string>(), path);
    // Undecided: the reader says what it needs. In error: said already.
    if (truth == Truth::refused) reported_elsewhere_.push_back(path);
    if (truth != Truth::yes && truth != Truth::no) return value;
    return rewrite(argument[truth == Truth::yes ? 1 : 2], path, nesting);
  }

  // A key, an index, a text: resolved to a string, or why not.
  Scalar scalar_argument(const std::string& function, const Json& value, const std::string& path,
                         int nesting) {
    auto rewritten = rewrite(value, path, nesting + 1);
    if (!rewritten) {
      problem(path, function + ": AWS::NoValue is not a value it can take");
      return std::monostate{};
    }
    if (auto text = scalar_text(*rewritten)) return std::move(*text);
    if (is_intrinsic(*rewritten)) {
      auto resolved = resolve_string(*rewritten, &parameters_);
      if (auto* unresolved = std::get_if<Unresolved>(&resolved)) return std::move(*unresolved);
      auto& text = std::get<Resolved>(resolved);
      used_defaults(path, text);
      return std::move(text.text);
    }
    problem(path, function + " takes a single value here, not " + kind_of(*rewritten));
    return std::monostate{};
  }

  // Fn::FindInMap [map, top-level key, second-level key] (and, as the
  // AWS::LanguageExtensions transform allows, {"DefaultValue": value}).
  std::optional<Json> find_in_map(const Json& value, const std::string& path, int nesting) {
    const Json& argument = value.begin().value();
    const Json* fallback = nullptr;
    if (argument.is_array() && argument.size() == 4) fallback = member(argument[3], "DefaultValue");
    if (!argument.is_array() || (argument.size() != 3 && fallback == nullptr)) {
      problem(path, "Fn::FindInMap takes [map name, top-level key, second-level key]");
      return value;
    }
    std::array<std::string, 3> keys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto key = scalar_argument("Fn::FindInMap", argument[i], path, nesting);
      if (!std::holds_alternative<std::string>(key)) return value;  // undecided, or reported
      keys.at(i) = std::move(std::get<std::string>(key));
    }
    const Json* found = lookup(keys, path, fallback == nullptr);
    if (found == nullptr) return fallback == nullptr ? value : rewrite(*fallback, path, nesting + 1);
    if (!spend(*found, path)) return value;
    return *found;
  }

  // Mappings.map.top.second, or nothing (a problem when `required`).
  const Json* lookup(const std::array<std::string, 3>& keys, const std::string& path, bool required) {
    const Json* level = mappings_;
    std::string where = "Mappings";
    if (level == nullptr) {
      if (required) problem(path, "Fn::FindInMap: the template has no Mappings; CloudFormation refuses it");
      return nullptr;
    }
    for (const auto& key : keys) {
      const Json* next = level->is_object() ? member(*level, key.c_str()) : nullptr;
      if (next == nullptr) {
        if (!required) return nullptr;
        std::string message = "Fn::FindInMap: " + where + " has no " + quote(key);
        if (level->is_object()) {
          if (const auto meant = nearest_key(key, *level)) {
            message += " (did you mean " + quote(*meant) + "?)";
          }
          message += level->empty() ? "" : "; it has " + quoted_names(*level);
        }
        problem(path, message + "; CloudFormation refuses the stack");
        return nullptr;
      }
      where += "." + path_segment(key);
      level = next;
    }
    return level;
  }

  std::optional<Json> select(const Json& value, const std::string& path, int nesting) {
    const Json& argument = value.begin().value();
    if (!argument.is_array() || argument.size() != 2) {
      problem(path, "Fn::Select takes [index, list]");
      return value;
    }
    auto index_text = scalar_argument("Fn::Select", argument[0], path, nesting);
    if (!std::holds_alternative<std::string>(index_text)) return value;
    const auto& text = std::get<std::string>(index_text);
    std::size_t position = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), position);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      problem(path, "Fn::Select: the index " + quote(text) + " is not a whole number of 0 or more");
      return value;
    }
    auto list = rewrite(argument[1], path, nesting + 1);
    if (!list) {
      problem(path, "Fn::Select: its list is AWS::NoValue");
      return value;
    }
    if (is_intrinsic(*list)) return value;  // Fn::GetAZs, a list parameter without a value, ...
    if (!list->is_array()) {
      problem(path, "Fn::Select takes [index, list]; its list is " + kind_of(*list));
      return value;
    }
    if (position >= list->size()) {
      problem(path, "Fn::Select: index " + text + " is out of range for a list of " +
                        std::to_string(list->size()) + (list->size() == 1 ? " item" : " items") +
                        "; CloudFormation refuses it");
      return value;
    }
    return std::move((*list)[position]);
  }

  std::optional<Json> split(const Json& value, const std::string& path, int nesting) {
    const Json& argument = value.begin().value();
    if (!argument.is_array() || argument.size() != 2 || !argument[0].is_string() ||
        argument[0].get_ref<const std::string&>().empty()) {
      problem(path, "Fn::Split takes [delimiter, text], the delimiter a text of one or more characters");
      return value;
    }
    auto source = scalar_argument("Fn::Split", argument[1], path, nesting);
    if (!std::holds_alternative<std::string>(source)) return value;
    const auto& delimiter = argument[0].get_ref<const std::string&>();
    const std::string_view text = std::get<std::string>(source);
    Json out = Json::array();
    std::size_t start = 0;
    while (true) {
      if (out.size() == kMaxSplitItems) {
        problem(path, "Fn::Split makes more than " + std::to_string(kMaxSplitItems) +
                          " items; edgefetch refuses it");
        return value;
      }
      const std::size_t found = text.find(delimiter, start);
      out.push_back(std::string(text.substr(start, found == std::string_view::npos ? found : found - start)));
      if (found == std::string_view::npos) break;
      start = found + delimiter.size();
    }
    if (!spend(out, path)) return value;
    return out;
  }

  ParameterScope& parameters_;
  std::vector<Problem>& problems_;
  std::vector<Problem>& warnings_;
  const std::optional<NameSet> declared_;
  const Json* mappings_ = nullptr;
  std::map<std::string, Condition, std::less<>> conditions_;
  std::vector<std::string> deciding_;  // the conditions being decided, outermost first
  Resolved* condition_defaults_ = nullptr;
  std::vector<std::pair<std::string, Resolved>> field_defaults_;
  std::vector<std::string> reported_elsewhere_;
  std::size_t steps_ = 0;
  std::size_t expanded_bytes_ = 0;
  bool out_of_steps_reported_ = false;
  bool expansion_reported_ = false;
  bool too_deep_reported_ = false;
};

bool is_read_type(const Json& resource) {
  const Json* type = member(resource, "Type");
  return type != nullptr && type->is_string() &&
         std::find(kReadResourceTypes.begin(), kReadResourceTypes.end(),
                   type->get_ref<const std::string&>()) != kReadResourceTypes.end();
}

}  // namespace

DeployedResources deployed_resources(const Json& root, ParameterScope& parameters,
                                     std::vector<Problem>& warnings) {
  DeployedResources deployed;
  TemplateFunctions functions(root, parameters, deployed.problems, warnings);
  functions.decide_all_conditions();
  const Json* resources = member(root, "Resources");
  if (resources == nullptr || !resources->is_object()) return deployed;
  for (auto it = resources->begin(); it != resources->end(); ++it) {
    const Json& resource = it.value();
    if (!is_read_type(resource)) continue;
    const std::string at = "Resources." + path_segment(it.key());
    const bool distribution = *member(resource, "Type") == kDistributionType;
    if (const Json* condition = member(resource, "Condition")) {
      const Truth truth = functions.resource_condition(*condition, at);
      if (truth == Truth::no) {
        const std::string name = condition->get<std::string>();
        warnings.push_back({at, "not read: its Condition " + path_segment(name) +
                                    " is false with these parameters, so CloudFormation does not create it"});
        if (distribution) {
          deployed.skipped_distributions.push_back(path_segment(it.key()) + " (its Condition " +
                                                   path_segment(name) + " is false)");
        }
        continue;
      }
    }
    Json copy = Json::object();
    copy["Type"] = *member(resource, "Type");
    if (const Json* properties = member(resource, "Properties")) {
      if (auto rewritten = functions.rewrite(*properties, at + ".Properties", 0)) {
        copy["Properties"] = std::move(*rewritten);
      }
    }
    deployed.resources[it.key()] = std::move(copy);
  }
  functions.finish();
  deployed.reported_elsewhere = functions.reported_elsewhere();
  return deployed;
}

}  // namespace edgefetch::config::detail
