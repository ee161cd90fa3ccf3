#pragma once
// Custom cache policies and origin request policies: a distribution config
// names them by id only, so what they forward comes from elsewhere. Users have
// them as the output of
//   aws cloudfront get-cache-policy --id ID
//   aws cloudfront get-origin-request-policy --id ID
//   aws cloudfront list-cache-policies --type custom
//   aws cloudfront list-origin-request-policies --type custom
// (any of these, one per file), and CloudFormation templates define them as
// AWS::CloudFront::CachePolicy / OriginRequestPolicy resources next to the
// distribution that names them with Ref or Fn::GetAtt (read by reader.hpp).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/config/forwarding.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {

/// Policies by id, in addition to the managed ones.
struct PolicyCatalogue {
  std::vector<PolicySettings> policies;
  /// Accepted, but worth telling the user (a policy given twice, ignored names).
  std::vector<Problem> warnings;
  /// The policy with this id (a template's policies go by logical id), or nullptr.
  [[nodiscard]] const PolicySettings* find(std::string_view id) const;
};

/// Parses one file's text (any of the four outputs above). Problems name the
/// field path, e.g.
/// "CachePolicy.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.HeaderBehavior".
base::Expected<PolicyCatalogue, ReadFailure> read_policies(std::string_view text);

/// Reads and parses each file; problems and warnings are prefixed with the file's name.
base::Expected<PolicyCatalogue, ReadFailure> load_policies(const std::vector<std::filesystem::path>& files);

}  // namespace edgefetch::config
