// Offline resolution of the CloudFormation intrinsics that need no stack.

#include "config/intrinsics.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "config/rules.hpp"

namespace edgefetch::config::detail {
namespace {

using Json = nlohmann::json;

// Fn::Join and Fn::Sub variable maps may nest; real templates nest a level or two.
constexpr int kMaxNesting = 8;
// A field's value (a domain name, a header value, a policy id) is short; a
// Fn::Sub repeating a long Default must not grow without bound.
constexpr std::size_t kMaxResolvedBytes = 64u << 10;
// Variables of a Fn::Sub variable map are resolved at each use, so nested
// maps could multiply the work (1000 uses of a variable whose value uses
// another 1000 times, ...): every value resolved and every variable looked
// up counts against this, per field.
constexpr std::size_t kMaxSteps = 1u << 20;

constexpr auto kPseudoParameters = std::to_array<std::string_view>(
    {"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
     "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"});
// Not values a deployed stack has for a string field: NoValue removes the
// property, NotificationARNs is a list.
constexpr auto kUnsettablePseudoParameters =
    std::to_array<std::string_view>({"AWS::NotificationARNs", "AWS::NoValue"});

using Outcome = std::variant<std::string, Unresolved>;

class Resolver {
 public:
  explicit Resolver(const ParameterScope* parameters) : parameters_(parameters) {}

  Outcome resolve(const Json& value, int depth) {
    if (++steps_ > kMaxSteps) return Unresolved{"intrinsic functions that expand too much", {}};
    if (value.is_string()) return value.get<std::string>();
    if (!is_intrinsic(value)) return Unresolved{"a value that is not a string", {}};
    if (depth >= kMaxNesting) return Unresolved{"intrinsic functions nested too deeply", {}};
    const std::string& name = value.begin().key();
    const Json& argument = value.begin().value();
    if (name == "Fn::Sub") {
      if (argument.is_string()) return substitute(argument.get_ref<const std::string&>(), nullptr, depth);
      if (argument.is_array() && !argument.empty() && argument[0].is_string()) {
        const Json* variables = argument.size() >= 2 ? &argument[1] : nullptr;
        if (argument.size() > 2 || (variables != nullptr && !variables->is_object())) {
          return Unresolved{"Fn::Sub whose argument is not [text, {variables}]", {}};
        }
        return substitute(argument[0].get_ref<const std::string&>(), variables, depth);
      }
      return Unresolved{"Fn::Sub with an argument that is not a string", {}};
    }
    if (name == "Fn::Join") return join(argument, depth);
    if (name == "Ref" && argument.is_string()) {
      const auto& referenced = argument.get_ref<const std::string&>();
      return reference(referenced, "Ref " + quote(referenced));
    }
    if (name == "Fn::If") return undecided_if(argument);
    // Left in place by template_conditions.cpp: something in them needs a
    // deployed stack (or was reported there already); say what.
    if (name == "Fn::FindInMap" || name == "Fn::Select" || name == "Fn::Split") {
      return undecided_function(name, argument, depth);
    }
    if (name == "Fn::GetAtt") {
      if (argument.is_string()) return Unresolved{"Fn::GetAtt " + quote(argument.get<std::string>()), {}};
      if (argument.is_array() && argument.size() == 2 && argument[0].is_string() && argument[1].is_string()) {
        return Unresolved{
            "Fn::GetAtt " + quote(argument[0].get<std::string>() + "." + argument[1].get<std::string>()), {}};
      }
    }
    return Unresolved{std::string(name), {}};
  }

  Resolved finish(std::string text) {
    return Resolved{std::move(text), std::move(defaults_used_), more_defaults_};
  }

 private:
  // What Ref of `name` gives (also a "${name}" of Fn::Sub not in its map).
  Outcome reference(std::string_view name, std::string description) {
    if (const ParameterBinding* binding = parameters_ == nullptr ? nullptr : parameters_->find(name)) {
      if (!binding->value) return Unresolved{std::move(description), binding->unresolved_hint};
      if (binding->from_default) used_default(name);
      return *binding->value;
    }
    if (is_pseudo_parameter(name)) {
      if (!is_settable_pseudo_parameter(name)) return Unresolved{std::move(description), {}};
      return Unresolved{std::move(description),
                        std::string(name) +
                            " is a pseudo parameter, known only to a deployed stack; give its value with "
                            "--template-parameter " +
                            std::string(name) + "=VALUE"};
    }
    return Unresolved{std::move(description), {}};  // a resource: its id exists once deployed
  }

  // A Fn::If whose Condition could not be decided: why (what the condition
  // compares), with the condition's hint.
  Unresolved undecided_if(const Json& argument) const {
    if (!argument.is_array() || argument.empty() || !argument[0].is_string()) return Unresolved{"Fn::If", {}};
    const auto& condition = argument[0].get_ref<const std::string&>();
    const Unresolved* why = parameters_ == nullptr ? nullptr : parameters_->undecided_condition(condition);
    if (why == nullptr) return Unresolved{"Fn::If on Condition " + quote(condition), {}};
    return Unresolved{"Fn::If on Condition " + quote(condition) + ", which uses " + why->description,
                      why->hint};
  }

  // The first value in `argument` (a function's arguments) that cannot be
  // resolved, named with the function it is in.
  Unresolved undecided_function(const std::string& name, const Json& argument, int depth) {
    if (const auto inner = first_unresolved(argument, depth + 1)) {
      return Unresolved{name + " with " + inner->description, inner->hint};
    }
    return Unresolved{name, {}};
  }

  std::optional<Unresolved> first_unresolved(const Json& value, int depth) {
    if (depth >= kMaxNesting || ++steps_ > kMaxSteps) return std::nullopt;
    if (is_intrinsic(value)) {
      auto outcome = resolve(value, depth);
      if (auto* unresolved = std::get_if<Unresolved>(&outcome)) return std::move(*unresolved);
      return std::nullopt;
    }
    if (value.is_array()) {
      for (const auto& item : value) {
        if (auto found = first_unresolved(item, depth + 1)) return found;
      }
    }
    return std::nullopt;
  }

  // Fn::Sub: "${Name}" is a variable ("${!Name}" the literal "${Name}"),
  // looked up in `variables` (the Fn::Sub's own map) first.
  Outcome substitute(std::string_view text, const Json* variables, int depth) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
        if (i + 2 < text.size() && text[i + 2] == '!') {
          out += "${";
          i += 2;
          continue;
        }
        const auto end = text.find('}', i);
        const std::string_view variable =
            text.substr(i + 2, end == std::string_view::npos ? std::string_view::npos : end - i - 2);
        if (end == std::string_view::npos) {
          // Not a variable a deployed stack could fill: the text itself is unfinished.
          return Unresolved{"Fn::Sub with " + quote(text.substr(i)) + R"(, a "${" with no closing "}")",
                            R"(close it, or write "${!" for a literal "${")"};
        }
        std::string description = "Fn::Sub with the variable " + quote(variable);
        const Json* mapped = nullptr;
        if (variables != nullptr) {
          const auto found = variables->find(std::string(variable));
          if (found != variables->end()) mapped = &*found;
        }
        // "${Resource.Attribute}" (not in the map) is a Fn::GetAtt.
        if (mapped == nullptr && variable.find('.') != std::string_view::npos) {
          return Unresolved{std::move(description), {}};
        }
        if (mapped == nullptr && ++steps_ > kMaxSteps) {
          return Unresolved{"intrinsic functions that expand too much", {}};
        }
        Outcome value =
            mapped != nullptr ? resolve(*mapped, depth + 1) : reference(variable, std::move(description));
        if (auto* unresolved = std::get_if<Unresolved>(&value)) return std::move(*unresolved);
        if (!append(out, std::get<std::string>(value))) return too_long();
        i = end;
        continue;
      }
      if (!append(out, text.substr(i, 1))) return too_long();
    }
    return out;
  }

  Outcome join(const Json& argument, int depth) {
    if (!argument.is_array() || argument.size() != 2 || !argument[0].is_string() || !argument[1].is_array()) {
      return Unresolved{"Fn::Join whose argument is not [delimiter, [values]]", {}};
    }
    const auto& delimiter = argument[0].get_ref<const std::string&>();
    std::string out;
    bool first = true;
    for (const auto& part : argument[1]) {
      auto resolved = resolve(part, depth + 1);
      if (auto* unresolved = std::get_if<Unresolved>(&resolved)) return std::move(*unresolved);
      if ((!first && !append(out, delimiter)) || !append(out, std::get<std::string>(resolved))) {
        return too_long();
      }
      first = false;
    }
    return out;
  }

  static bool append(std::string& out, std::string_view text) {
    if (out.size() + text.size() > kMaxResolvedBytes) return false;
    out += text;
    return true;
  }
  static Unresolved too_long() {
    return Unresolved{
        "intrinsic functions whose result is longer than " + std::to_string(kMaxResolvedBytes) + " bytes",
        {}};
  }

  void used_default(std::string_view name) {
    if (std::find(defaults_used_.begin(), defaults_used_.end(), name) != defaults_used_.end()) return;
    if (defaults_used_.size() == kMaxDefaultsNamed) {
      more_defaults_ = true;
      return;
    }
    defaults_used_.emplace_back(name);
  }

  const ParameterScope* parameters_;
  std::vector<std::string> defaults_used_;
  bool more_defaults_ = false;
  std::size_t steps_ = 0;
};

}  // namespace

const ParameterBinding* ParameterScope::find(std::string_view name) const {
  const auto it = bindings_.find(name);
  return it == bindings_.end() ? nullptr : &it->second;
}

void ParameterScope::bind(std::string name, ParameterBinding binding) {
  bindings_.insert_or_assign(std::move(name), std::move(binding));
}

const Unresolved* ParameterScope::undecided_condition(std::string_view name) const {
  const auto it = undecided_conditions_.find(name);
  return it == undecided_conditions_.end() ? nullptr : &it->second;
}

void ParameterScope::note_undecided_condition(std::string name, Unresolved why) {
  undecided_conditions_.insert_or_assign(std::move(name), std::move(why));
}

bool is_pseudo_parameter(std::string_view name) {
  return std::find(kPseudoParameters.begin(), kPseudoParameters.end(), name) != kPseudoParameters.end();
}

bool is_settable_pseudo_parameter(std::string_view name) {
  return is_pseudo_parameter(name) &&
         std::find(kUnsettablePseudoParameters.begin(), kUnsettablePseudoParameters.end(), name) ==
             kUnsettablePseudoParameters.end();
}

bool is_intrinsic(const nlohmann::json& value) {
  if (!value.is_object() || value.size() != 1) return false;
  const std::string& key = value.begin().key();
  return key == "Ref" || key.starts_with("Fn::");
}

bool is_template_function(const nlohmann::json& value, const ParameterScope* parameters) {
  if (!is_intrinsic(value)) return false;
  const std::string& name = value.begin().key();
  if (name == "Ref") {
    const Json& argument = value.begin().value();
    // A parameter with no single value: a list without one, an SSM parameter, no Default.
    const ParameterBinding* binding = argument.is_string() && parameters != nullptr
                                          ? parameters->find(argument.get_ref<const std::string&>())
                                          : nullptr;
    return binding != nullptr && !binding->value;
  }
  return name == "Fn::If" || name == "Fn::FindInMap" || name == "Fn::Select" || name == "Fn::Split";
}

std::variant<Resolved, Unresolved> resolve_string(const nlohmann::json& value,
                                                  const ParameterScope* parameters) {
  Resolver resolver(parameters);
  auto outcome = resolver.resolve(value, 0);
  if (auto* unresolved = std::get_if<Unresolved>(&outcome)) return std::move(*unresolved);
  return resolver.finish(std::move(std::get<std::string>(outcome)));
}

std::string defaults_warning(const Resolved& resolved, const ParameterScope& parameters) {
  const auto& names = resolved.defaults_used;
  if (names.empty()) return {};
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) list += i + 1 == names.size() && !resolved.more_defaults ? " and " : ", ";
    const ParameterBinding* binding = parameters.find(names[i]);
    std::optional<std::string> value = binding == nullptr || binding->no_echo ? std::nullopt : binding->value;
    if (binding != nullptr && !binding->no_echo && binding->list_value) {
      // A list parameter's items, as they were given.
      value.emplace();
      for (const auto& item : *binding->list_value) *value += (value->empty() ? "" : ",") + item;
    }
    list += names[i] + " (" + (value ? quote(*value) : std::string("a NoEcho value")) + ")";
  }
  if (resolved.more_defaults) list += " and others";
  if (names.size() == 1 && !resolved.more_defaults) {
    return "uses the Default of Parameter " + list +
           "; a deployed stack may pass another value (--template-parameter " + names.front() + "=VALUE)";
  }
  return "uses the Defaults of Parameters " + list +
         "; a deployed stack may pass other values (--template-parameter NAME=VALUE)";
}

}  // namespace edgefetch::config::detail
