// Offline resolution of the CloudFormation intrinsics that need no stack.

#include "config/intrinsics.hpp"

#include <string_view>

#include "config/rules.hpp"

namespace edgefetch::config::detail {
namespace {

// Fn::Join may nest; real templates nest a level or two.
constexpr int kMaxNesting = 8;

// "${!Name}" is the literal "${Name}"; any other "${" is a variable.
std::variant<std::string, Unresolved> substitute_without_variables(std::string_view text) {
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
      return Unresolved{"Fn::Sub with the variable " + quote(variable)};
    }
    out += text[i];
  }
  return out;
}

std::variant<std::string, Unresolved> resolve(const nlohmann::json& value, int depth) {
  if (value.is_string()) return value.get<std::string>();
  if (!is_intrinsic(value)) return Unresolved{"a value that is not a string"};
  if (depth >= kMaxNesting) return Unresolved{"intrinsic functions nested too deeply"};
  const std::string& name = value.begin().key();
  const nlohmann::json& argument = value.begin().value();
  if (name == "Fn::Sub") {
    if (argument.is_string()) return substitute_without_variables(argument.get_ref<const std::string&>());
    if (argument.is_array() && !argument.empty() && argument[0].is_string()) {
      return substitute_without_variables(argument[0].get_ref<const std::string&>());
    }
    return Unresolved{"Fn::Sub with an argument that is not a string"};
  }
  if (name == "Fn::Join") {
    if (!argument.is_array() || argument.size() != 2 || !argument[0].is_string() || !argument[1].is_array()) {
      return Unresolved{"Fn::Join whose argument is not [delimiter, [values]]"};
    }
    const auto& delimiter = argument[0].get_ref<const std::string&>();
    std::string out;
    bool first = true;
    for (const auto& part : argument[1]) {
      auto resolved = resolve(part, depth + 1);
      if (auto* unresolved = std::get_if<Unresolved>(&resolved)) return std::move(*unresolved);
      if (!first) out += delimiter;
      out += std::get<std::string>(resolved);
      first = false;
    }
    return out;
  }
  if (name == "Ref" && argument.is_string()) return Unresolved{"Ref " + quote(argument.get<std::string>())};
  if (name == "Fn::GetAtt") {
    if (argument.is_string()) return Unresolved{"Fn::GetAtt " + quote(argument.get<std::string>())};
    if (argument.is_array() && argument.size() == 2 && argument[0].is_string() && argument[1].is_string()) {
      return Unresolved{"Fn::GetAtt " +
                        quote(argument[0].get<std::string>() + "." + argument[1].get<std::string>())};
    }
  }
  return Unresolved{std::string(name)};
}

}  // namespace

bool is_intrinsic(const nlohmann::json& value) {
  if (!value.is_object() || value.size() != 1) return false;
  const std::string& key = value.begin().key();
  return key == "Ref" || key.starts_with("Fn::");
}

std::variant<std::string, Unresolved> resolve_string(const nlohmann::json& value) {
  return resolve(value, 0);
}

}  // namespace edgefetch::config::detail
