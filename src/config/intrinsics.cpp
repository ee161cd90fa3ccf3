// Offline resolution of the CloudFormation intrinsics that need no stack.

#include "config/intrinsics.hpp"

#include <algorithm>
#include <array>

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
        std::string description = "Fn::Sub with the variable " + quote(variable);
        if (end == std::string_view::npos) return Unresolved{std::move(description), {}};
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
    const bool shown = binding != nullptr && binding->value && !binding->no_echo;
    list += names[i] + " (" + (shown ? quote(*binding->value) : std::string("a NoEcho value")) + ")";
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
