// A template's Parameters → the values Ref and Fn::Sub give (intrinsics.cpp).

#include "config/template_parameters.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "config/json_text.hpp"
#include "config/object_reader.hpp"
#include "config/rules.hpp"

namespace edgefetch::config::detail {
namespace {

using Json = nlohmann::json;

// CloudFormation refuses a template with more; it also bounds the work below.
constexpr std::size_t kMaxParameters = 200;
// std::regex backtracks and recurses: AllowedPattern is matched only while
// the pattern and the value are short (a domain name is at most 253 bytes),
// and only so many times per template.
constexpr std::size_t kMaxPatternBytes = 256;
constexpr std::size_t kMaxPatternValueBytes = 512;
constexpr std::size_t kMaxPatternChecks = 32;
// Items of a CommaDelimitedList or List<...> value; each is checked like a
// String's value, and Fn::Select and Fn::Join copy them.
constexpr std::size_t kMaxListItems = 1000;
// Names listed in a message before "and N more".
constexpr std::size_t kMaxNamesListed = 20;

constexpr auto kSettablePseudoParameters = std::to_array<std::string_view>(
    {"AWS::AccountId", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"});

enum class Kind { string, number, list, ssm };

// CloudFormation's parameter types: String, Number, the AWS-specific ones
// (AWS::EC2::VPC::Id, ...), which are strings too, lists, and values read
// from the SSM Parameter Store at deploy time.
Kind kind_of_type(std::string_view type) {
  if (type.starts_with("AWS::SSM::Parameter::Value<")) return Kind::ssm;
  if (type == "CommaDelimitedList" || type.starts_with("List<")) return Kind::list;
  if (type == "Number") return Kind::number;
  return Kind::string;
}

// CloudFormation's rule for logical ids; it also keeps names printable in messages.
bool is_parameter_name(std::string_view name) {
  return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
}

std::optional<double> number_of(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A Default, an AllowedValues entry: CloudFormation takes numbers for strings.
std::optional<std::string> scalar_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return std::nullopt;
}

std::optional<double> number_field(const Json& parameter, const char* key) {
  const Json* value = member(parameter, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_number()) return value->get<double>();
  if (value->is_string()) return number_of(value->get_ref<const std::string&>());
  return std::nullopt;
}

// MinValue and the like as written, for a message.
std::string bound_text(const Json& parameter, const char* key) {
  const Json* value = member(parameter, key);
  if (value == nullptr) return {};
  return value->is_string() ? quote(value->get<std::string>()) : value->dump();
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxNamesListed; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  if (names.size() > kMaxNamesListed) {
    out += " and " + std::to_string(names.size() - kMaxNamesListed) + " more";
  }
  return out;
}

// Whether `value` matches all of `pattern`, or why that cannot be told here.
std::variant<bool, std::string> full_match(const std::string& pattern, const std::string& value) {
  if (pattern.size() > kMaxPatternBytes) {
    return "it is longer than " + std::to_string(kMaxPatternBytes) + " bytes";
  }
  if (value.size() > kMaxPatternValueBytes) {
    return "the value is longer than " + std::to_string(kMaxPatternValueBytes) + " bytes";
  }
  try {
    auto flags = std::regex::ECMAScript;
#ifdef __GLIBCXX__
    // libstdc++'s breadth-first matcher: time linear in the value, no
    // recursion per character (no backreferences, which CloudFormation's
    // patterns do not need).
    flags |= std::regex_constants::__polynomial;
#endif
    const std::regex compiled(pattern, flags);
    return std::regex_match(value, compiled);
  } catch (const std::regex_error& e) {
    return std::string("std::regex: ") + e.what();
  }
}

class ParameterReader {
 public:
  ParameterReader(std::vector<Problem>& problems, std::vector<Problem>& warnings)
      : problems_(problems), warnings_(warnings) {}

  ParameterScope read(const Json* section, const TemplateParameters& given) {
    ParameterScope scope;
    if (section != nullptr && !section->is_object()) {
      problems_.push_back({"Parameters", "must be an object, not " + kind_of(*section)});
      section = nullptr;
    } else if (section != nullptr && section->size() > kMaxParameters) {
      problems_.push_back({"Parameters", "declares " + std::to_string(section->size()) +
                                             " parameters; CloudFormation accepts at most " +
                                             std::to_string(kMaxParameters)});
      section = nullptr;
    }
    std::vector<std::string> declared;
    if (section != nullptr) {
      for (auto it = section->begin(); it != section->end(); ++it) {
        if (is_parameter_name(it.key())) declared.push_back(it.key());
      }
    }
    const auto overrides = check_overrides(given, declared);
    if (section != nullptr) {
      for (auto it = section->begin(); it != section->end(); ++it) {
        const auto found = overrides.find(it.key());
        declare(scope, it.key(), it.value(), found == overrides.end() ? nullptr : &found->second);
      }
    }
    for (const auto& [name, value] : overrides) {
      if (is_settable_pseudo_parameter(name)) {
        scope.bind(name, ParameterBinding{value, false, false, {}, std::nullopt});
      }
    }
    return scope;
  }

 private:
  // The values given, by name: each once, each for a declared or pseudo parameter.
  std::map<std::string, std::string, std::less<>> check_overrides(const TemplateParameters& given,
                                                                  const std::vector<std::string>& declared) {
    std::map<std::string, std::string, std::less<>> chosen;
    for (const auto& [name, value] : given.overrides) {
      const std::string flag = "--template-parameter " + quote_name(name);
      if (const auto earlier = chosen.find(name); earlier != chosen.end()) {
        problems_.push_back(
            {"Parameters",
             flag + " is given twice (" + quote(earlier->second) + " and " + quote(value) + "); give it once",
             true});
        continue;
      }
      const bool is_declared = std::find(declared.begin(), declared.end(), name) != declared.end();
      if (!is_declared && is_pseudo_parameter(name) && !is_settable_pseudo_parameter(name)) {
        std::string message = flag;
        message += ": " + name +
                   " is not a single value a field can take; the pseudo parameters that can be given are ";
        message += listed({kSettablePseudoParameters.begin(), kSettablePseudoParameters.end()});
        problems_.push_back({"Parameters", std::move(message), true});
        continue;
      }
      if (!is_declared && !is_pseudo_parameter(name)) {
        problems_.push_back({"Parameters", unknown_message(flag, name, declared), true});
        continue;
      }
      chosen.emplace(name, value);
    }
    return chosen;
  }

  static std::string quote_name(std::string_view name) {
    return is_parameter_name(name) || is_pseudo_parameter(name) ? std::string(name) : quote(name);
  }

  static std::string unknown_message(const std::string& flag, std::string_view name,
                                     const std::vector<std::string>& declared) {
    std::vector<std::string_view> candidates(declared.begin(), declared.end());
    candidates.insert(candidates.end(), kSettablePseudoParameters.begin(), kSettablePseudoParameters.end());
    std::string message = flag + " names no parameter of this template";
    if (const auto meant = near_miss(name, candidates)) {
      message += " (did you mean " + std::string(*meant) + "?)";
    }
    message += declared.empty() ? "; it declares no Parameters" : "; it declares " + listed(declared);
    if (name.starts_with("AWS::")) {
      message += "; the pseudo parameters that can be given are " +
                 listed({kSettablePseudoParameters.begin(), kSettablePseudoParameters.end()});
    }
    return message;
  }

  void declare(ParameterScope& scope, const std::string& name, const Json& parameter,
               const std::string* override_value) {
    if (!is_parameter_name(name)) {
      problems_.push_back({"Parameters." + quote(name),
                           "is not a valid parameter name; CloudFormation takes letters and digits only"});
      return;
    }
    const std::string at = "Parameters." + name;
    if (!parameter.is_object()) {
      problems_.push_back({at, "must be an object with a Type, not " + kind_of(parameter)});
      return;
    }
    const Json* type = member(parameter, "Type");
    if (type == nullptr || !type->is_string()) {
      problems_.push_back({at + ".Type", type == nullptr ? "required but missing; e.g. String or Number"
                                                         : "must be a string, e.g. String or Number"});
      return;
    }
    const auto& type_name = type->get_ref<const std::string&>();
    const Kind kind = kind_of_type(type_name);
    ParameterBinding binding;
    if (const Json* no_echo = member(parameter, "NoEcho")) {
      binding.no_echo = *no_echo == true || *no_echo == "true" || *no_echo == "True";
    }
    std::optional<std::string> value;
    if (override_value != nullptr) {
      value = *override_value;
    } else if (const Json* fallback = member(parameter, "Default")) {
      value = scalar_text(*fallback);
      if (!value) {
        problems_.push_back({at + ".Default", "must be a string or a number, not " + kind_of(*fallback)});
        return;
      }
      binding.from_default = true;
    }
    if (kind == Kind::list && !value) {
      binding.unresolved_hint = "Parameter " + name + " is a " + type_name +
                                " with no Default; give its values with --template-parameter " + name +
                                "=VALUE,VALUE";
    } else if (kind == Kind::list) {
      // Ref of it is a list wherever a list may stand (template_conditions.cpp);
      // this is what is said where a single value is needed.
      binding.unresolved_hint = "Parameter " + name + " is a " + type_name +
                                ": Ref gives a list, not the single value this field takes";
    } else if (kind == Kind::ssm) {
      binding.unresolved_hint = "Parameter " + name +
                                " is read from the SSM Parameter Store when the stack is deployed (its "
                                "Default and --template-parameter name the SSM parameter, not its value)";
    } else if (!value) {
      binding.unresolved_hint = "Parameter " + name +
                                " has no Default; give its value with --template-parameter " + name +
                                "=VALUE";
    }
    if (value && (kind == Kind::string || kind == Kind::number)) {
      check_value(at, name, parameter, kind, *value, binding, nullptr);
      binding.value = std::move(value);
    } else if (value && kind == Kind::list) {
      binding.list_value = list_items(at, name, parameter, type_name, *value, binding);
    }
    scope.bind(name, std::move(binding));
  }

  // A list parameter's value: the text split at commas, each item trimmed of
  // spaces (as CloudFormation documents it), each checked as CloudFormation
  // checks items (List<Number>: a number; AllowedValues and AllowedPattern
  // apply to each item). Nothing when there are too many to keep.
  std::optional<std::vector<std::string>> list_items(const std::string& at, const std::string& name,
                                                     const Json& parameter, const std::string& type_name,
                                                     const std::string& text,
                                                     const ParameterBinding& binding) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
      if (items.size() == kMaxListItems) {
        problems_.push_back({at, "has more than " + std::to_string(kMaxListItems) +
                                     " items; edgefetch reads lists of at most that many"});
        return std::nullopt;
      }
      const std::size_t comma = text.find(',', start);
      std::string_view item(text);
      item = item.substr(start, comma == std::string::npos ? std::string_view::npos : comma - start);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      items.emplace_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    const Kind item_kind = type_name == "List<Number>" ? Kind::number : Kind::string;
    for (const auto& item : items) check_value(at, name, parameter, item_kind, item, binding, &text);
    return items;
  }

  // The checks CloudFormation makes before a deploy; each broken one is a problem.
  // `list`: the whole value when `value` is one item of a list parameter's
  // (lengths are checked for String parameters only).
  void check_value(const std::string& at, const std::string& name, const Json& parameter, Kind kind,
                   const std::string& value, const ParameterBinding& binding, const std::string* list) {
    const std::string& whole = list != nullptr ? *list : value;
    const std::string shown = binding.no_echo ? std::string("(NoEcho)") : quote(whole);
    std::string subject = binding.from_default
                              ? "its Default " + shown
                              : "the value " + shown + " given with --template-parameter " + name;
    if (list != nullptr) {
      subject = "the item " + (binding.no_echo ? std::string("(NoEcho)") : quote(value)) + " of " + subject;
    }
    std::string constraint;
    if (const Json* description = member(parameter, "ConstraintDescription");
        description != nullptr && description->is_string()) {
      constraint = " (ConstraintDescription: " + quote(description->get<std::string>()) + ")";
    }
    const auto refuse = [&](const std::string& why) {
      problems_.push_back(
          {at, subject + " " + why + "; CloudFormation refuses it" + constraint, !binding.from_default});
    };
    if (kind == Kind::number) {
      const auto number = number_of(value);
      if (!number) {
        refuse(list != nullptr ? "is not a number (the parameter's Type is List<Number>)"
                               : "is not a number (the parameter's Type is Number)");
        return;
      }
      if (const auto lowest = number_field(parameter, "MinValue"); lowest && *number < *lowest) {
        refuse("is below its MinValue " + bound_text(parameter, "MinValue"));
      }
      if (const auto highest = number_field(parameter, "MaxValue"); highest && *number > *highest) {
        refuse("is above its MaxValue " + bound_text(parameter, "MaxValue"));
      }
    } else if (list == nullptr) {
      if (const auto shortest = number_field(parameter, "MinLength");
          shortest && static_cast<double>(value.size()) < *shortest) {
        refuse("is shorter than its MinLength " + bound_text(parameter, "MinLength"));
      }
      if (const auto longest = number_field(parameter, "MaxLength");
          longest && static_cast<double>(value.size()) > *longest) {
        refuse("is longer than its MaxLength " + bound_text(parameter, "MaxLength"));
      }
    }
    if (const Json* allowed = member(parameter, "AllowedValues"); allowed != nullptr && allowed->is_array()) {
      std::vector<std::string> values;
      bool found = false;
      for (const auto& item : *allowed) {
        const auto text = scalar_text(item);
        if (!text) continue;
        // A Number's 8443 is allowed by "8443" and by 8443.0.
        const auto a = kind == Kind::number ? number_of(*text) : std::nullopt;
        const auto b = kind == Kind::number ? number_of(value) : std::nullopt;
        found = found || *text == value || (a && b && *a == *b);
        values.push_back(quote(*text));
      }
      if (!found) refuse("is not one of its AllowedValues: " + listed(values));
    }
    if (const Json* pattern = member(parameter, "AllowedPattern");
        pattern != nullptr && pattern->is_string()) {
      const auto& text = pattern->get_ref<const std::string&>();
      if (pattern_checks_ == kMaxPatternChecks) {
        warnings_.push_back({at + ".AllowedPattern", "not checked: the template has more than " +
                                                         std::to_string(kMaxPatternChecks) +
                                                         " AllowedPatterns to check"});
        return;
      }
      ++pattern_checks_;
      const auto matched = full_match(text, value);
      if (const auto* why = std::get_if<std::string>(&matched)) {
        warnings_.push_back({at + ".AllowedPattern",
                             "cannot be checked here (" + *why + "); the value is not checked against it"});
      } else if (!std::get<bool>(matched)) {
        refuse("does not match its AllowedPattern " + quote(text));
      }
    }
  }

  std::vector<Problem>& problems_;
  std::vector<Problem>& warnings_;
  std::size_t pattern_checks_ = 0;
};

}  // namespace

ParameterScope read_template_parameters(const Json* section, const TemplateParameters& given,
                                        std::vector<Problem>& problems, std::vector<Problem>& warnings) {
  return ParameterReader(problems, warnings).read(section, given);
}

}  // namespace edgefetch::config::detail
