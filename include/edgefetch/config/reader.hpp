#pragma once
// Reads distribution configs in the formats users have at hand, detecting
// which one it was given:
//   - `aws cloudfront get-distribution-config` output: {"ETag", "DistributionConfig"}
//   - `aws cloudfront get-distribution` output: {"Distribution": {"DistributionConfig"}}
//   - a bare DistributionConfig object, in the API's spelling (Quantity/Items
//     lists) or CloudFormation's (plain lists)
//   - a CloudFormation template (JSON) with one or more AWS::CloudFront::Distribution
//     resources. YAML templates are recognised and refused with a hint to
//     convert them (JSON only).
// Every problem found is reported, each naming the exact field path in the
// input's own spelling, e.g.
//   DistributionConfig.Origins.Items[1].CustomOriginConfig.HTTPSPort: 444 is not allowed; use 80, 443 or
//   1024-65535
// The reader never throws, and bounds the work any input can cause.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/config/distribution.hpp"

namespace edgefetch::config {

enum class SourceFormat {
  get_distribution_config,  // {"ETag": ..., "DistributionConfig": {...}}
  get_distribution,         // {"Distribution": {"Id": ..., "DistributionConfig": {...}}}
  distribution_config,      // a bare DistributionConfig object
  cloudformation,           // a template with AWS::CloudFront::Distribution resources
};
/// "get-distribution-config", "get-distribution", "distribution-config", "cloudformation".
std::string_view to_string(SourceFormat format);

/// Field names and list shapes: the API's (Origins.Items[0], OriginSslProtocols
/// {Quantity, Items}) or CloudFormation's (Origins[0], OriginSSLProtocols [...]).
enum class Spelling { api, cloudformation };

/// One problem: where (a field path; empty when the input as a whole is at
/// fault, e.g. malformed JSON) and what, with what is allowed.
struct Problem {
  std::string path;
  std::string message;
  /// "path: message" (or just the message when path is empty).
  [[nodiscard]] std::string to_string() const;
};

struct ReadFailure {
  std::vector<Problem> problems;  // never empty
  /// One problem per line, in input order.
  [[nodiscard]] std::string to_string() const;
};

struct Distribution {
  /// Where it came from: the CloudFormation logical id, the distribution Id
  /// of get-distribution output, or empty.
  std::string name;
  /// The path of the DistributionConfig object in the input, as used in
  /// problems ("DistributionConfig", "Resources.Cdn.Properties.DistributionConfig").
  std::string path;
  DistributionConfig config;
};

struct LoadedConfig {
  SourceFormat format = SourceFormat::distribution_config;
  Spelling spelling = Spelling::api;
  std::optional<std::string> etag;          // get-distribution-config / get-distribution
  std::vector<Distribution> distributions;  // at least one
  /// Things that are accepted but worth telling the user: defaults applied to
  /// security settings, intrinsic functions in fields that do not matter here,
  /// custom origin request policies whose Host handling is unknown, fields the
  /// reader does not know (with the field meant, when one is near).
  std::vector<Problem> warnings;
  /// Cache or origin request policies behaviors name that are neither managed
  /// nor at hand (also among the warnings): `check` can go on without them,
  /// `serve` cannot forward as the CDN would.
  std::vector<Problem> unresolved_policies;
};

/// Largest input accepted (a real config is a few KiB; templates rarely exceed 1 MiB).
inline constexpr std::size_t kMaxInputBytes = 16u << 20;
/// Deepest JSON nesting accepted.
inline constexpr std::size_t kMaxJsonDepth = 128;

struct PolicyCatalogue;

/// Parses and validates `text`. On failure, all problems found. `policies`:
/// custom cache and origin request policies the behaviors may name
/// (policy_reader.hpp); a template's own policy resources are read from it.
base::Expected<LoadedConfig, ReadFailure> read_distribution_config(std::string_view text,
                                                                   const PolicyCatalogue* policies = nullptr);

/// Reads the file and parses it; a missing or unreadable file is a problem
/// whose path is empty and whose message names the file.
base::Expected<LoadedConfig, ReadFailure> load_distribution_config(const std::filesystem::path& file,
                                                                   const PolicyCatalogue* policies = nullptr);

namespace detail {
/// The whole file, at most `limit` bytes; otherwise a problem naming the file.
base::Expected<std::string, Problem> read_text_file(const std::filesystem::path& file, std::size_t limit,
                                                    std::string_view what);
}  // namespace detail

}  // namespace edgefetch::config
