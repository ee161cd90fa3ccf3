#pragma once
// A CloudFormation template's AWS::CloudFront::CachePolicy and
// AWS::CloudFront::OriginRequestPolicy resources, by logical id, so that a
// distribution in the same template can name them with Ref or Fn::GetAtt.

#include <nlohmann/json.hpp>
#include <vector>

#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::detail {

PolicyCatalogue read_template_policies(const nlohmann::json& resources, std::vector<Problem>& problems,
                                       std::vector<Problem>& warnings);

}  // namespace edgefetch::config::detail
