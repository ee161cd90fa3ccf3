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
//   - aliases are expanded; a duplicate key, a key that is not a scalar, an
//     alias inside the node it names, more than one document, nesting deeper
//     than kMaxJsonDepth or more than kMaxYamlValues values (an alias bomb) is
//     a problem, with a line and column;
//   - merge keys (`<<: *anchor`, `<<: [*a, *b]`) are expanded with YAML 1.1's
//     rules, as the AWS CLI's YAML reader (`aws cloudformation package` and
//     `deploy`) does: the mapping's own fields win over merged ones, and an
//     earlier mapping in a list over a later one. CloudFormation itself takes
//     no merge keys (cfn-lint W1100), so a file that has them gets a warning.

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

/// Values (scalars, sequences, mappings) one input may produce, aliases expanded.
inline constexpr std::size_t kMaxYamlValues = 1u << 20;

/// `what` names the expected document in messages ("a distribution config").
/// `warnings`, when given, receives what is accepted but worth telling the
/// user (merge keys: one warning for the whole text).
base::Expected<nlohmann::json, Problem> parse_yaml_text(std::string_view text, std::string_view what,
                                                        std::vector<Problem>* warnings = nullptr);

}  // namespace edgefetch::config::detail
