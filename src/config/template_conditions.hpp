#pragma once
// A CloudFormation template's Conditions, and the functions that choose or
// look up values (Fn::If, Fn::FindInMap, Fn::Select, Fn::Split, Ref of a list
// parameter), resolved offline before the distribution reader runs, as
// CloudFormation resolves them when it deploys:
//   - every condition is checked and decided from the template's Parameters
//     (--template-parameter values, else Defaults);
//   - a CloudFront resource whose "Condition" is false is left out;
//   - the Properties of the others are rewritten: a Fn::If becomes its chosen
//     branch, {"Ref": "AWS::NoValue"} removes its property or list item, a
//     Fn::FindInMap becomes its Mappings value, a Fn::Select its list item, a
//     Fn::Split and a Ref of a CommaDelimitedList or List<...> parameter
//     their list.
// Nothing that needs a deployed stack is guessed (a pseudo parameter nobody
// gave, Fn::GetAtt, Fn::GetAZs, ...): such a function stays as written, and
// a condition that depends on one is noted in the ParameterScope, so that the
// reader reports each field that needs it with why and how to give a value.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/intrinsics.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

struct DeployedResources {
  /// The template's distribution, cache policy and origin request policy
  /// resources that are created, by logical id, each with its Type and its
  /// Properties as deployed; the other resources are not here.
  nlohmann::json resources = nlohmann::json::object();
  /// "Cdn (its Condition IsProd is false)": distributions left out.
  std::vector<std::string> skipped_distributions;
  /// What CloudFormation would refuse (a circular condition, a Mappings key
  /// that is not there, a Fn::Select index out of range, ...), at the path of
  /// the field it concerns, as the reader names that field.
  std::vector<Problem> problems;
  /// Fields left as written because a condition they use is in error: that
  /// is reported at the condition, so the reader's word on them is not news.
  std::vector<std::string> reported_elsewhere;
};

/// `root`: the whole template. Undecided conditions are noted in
/// `parameters`; warnings (a Default that decided a condition or a lookup, a
/// resource left out or read although its Condition is undecided) are
/// appended to `warnings`.
DeployedResources deployed_resources(const nlohmann::json& root, ParameterScope& parameters,
                                     std::vector<Problem>& warnings);

}  // namespace edgefetch::config::detail
