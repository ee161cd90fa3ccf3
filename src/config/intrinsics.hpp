#pragma once
// CloudFormation intrinsic functions in property values. Only those whose
// result needs no deployed stack are resolved: Fn::Sub without ${...}
// variables (its "${!Literal}" escapes included) and Fn::Join of such values.
// Everything else (Ref, Fn::GetAtt, Fn::ImportValue, Fn::If, ...) is reported
// as unresolved, described for the error message.

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

namespace edgefetch::config::detail {

struct Unresolved {
  std::string description;  // e.g. "Fn::GetAtt \"Alb.DNSName\"", "Fn::Sub with variables"
};

/// True for an object with exactly one key that is "Ref" or starts with "Fn::".
bool is_intrinsic(const nlohmann::json& value);

/// `value` must be a string or an intrinsic function object.
std::variant<std::string, Unresolved> resolve_string(const nlohmann::json& value);

}  // namespace edgefetch::config::detail
