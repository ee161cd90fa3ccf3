#pragma once
// A CloudFormation template's AWS::CloudFront::CachePolicy and
// AWS::CloudFront::OriginRequestPolicy resources, by logical id, so that a
// distribution in the same template can name them with Ref or Fn::GetAtt.

#include <nlohmann/json.hpp>
#include <vector>

#include "config/intrinsics.hpp"
#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

/// `parameters`: the template's parameters, for Ref and Fn::Sub in the policies' fields.
PolicyCatalogue read_template_policies(const nlohmann::json& resources, std::vector<Problem>& problems,
                                       std::vector<Problem>& warnings, const ParameterScope* parameters);

}  // namespace edgefetch::config::detail
