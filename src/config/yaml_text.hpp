#pragma once
// YAML text → the JSON document the same input written as JSON would give, so
// that one reader handles both. CloudFormation templates are more often YAML
// than JSON, and `aws ... --output yaml` writes distribution configs and
// policies in YAML.
//
// libyaml does the YAML grammar; this turns its events into a document:
//   - CloudFormation's short forms become the long ones: `!Ref X` is
//     {"Ref": "X"}, `!Sub ...` is {"Fn::Sub": ...}, `!GetAtt A.B` is
//     {"Fn::GetAtt": "A.B"}; a tag CloudFormation does not define is a problem;
//   - plain scalars are typed as YAML 1.1 (CloudFormation's YAML) types them:
//     null, booleans (true/false/yes/no/on/off), decimal integers, floats;
//     quoted scalars and everything else are strings;
//   - aliases are expanded; a duplicate key, a key that is not a scalar, more
//     than one document, nesting deeper than kMaxJsonDepth or more than
//     kMaxYamlValues values (an alias bomb) is a problem, with a line and column.

#include <nlohmann/json.hpp>
#include <string_view>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

/// Values (scalars, sequences, mappings) one input may produce, aliases expanded.
inline constexpr std::size_t kMaxYamlValues = 1u << 20;

/// `what` names the expected document in messages ("a distribution config").
base::Expected<nlohmann::json, Problem> parse_yaml_text(std::string_view text, std::string_view what);

}  // namespace edgefetch::config::detail
