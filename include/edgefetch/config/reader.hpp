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
#include <utility>
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
  /// The fault is in a value given on the command line (--template-parameter),
  /// not in the file's text: the command names the option, not the file.
  bool from_option = false;
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

/// The path of the origin at `index` of the DistributionConfig at
/// `distribution_path`, as problems name it: "X.Origins.Items[0]" in the API's
/// spelling, "X.Origins[0]" in CloudFormation's.
std::string origin_path(const std::string& distribution_path, Spelling spelling, std::size_t index);

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

/// Values for a CloudFormation template's Parameters, as `aws cloudformation
/// deploy --parameter-overrides NAME=VALUE` gives them (the CLI's
/// `--template-parameter NAME=VALUE`). A template's `{"Ref": "Name"}` and
/// `${Name}` in Fn::Sub take the override, else the parameter's Default (with
/// a warning: a deployed stack may pass another value). Pseudo parameters
/// (AWS::Region, AWS::AccountId, ...) have a value only when given here.
struct TemplateParameters {
  /// NAME and VALUE, in the order given. A NAME the template does not declare
  /// (and that is no pseudo parameter), a NAME given twice, or any override
  /// for an input that is not a template is a problem.
  std::vector<std::pair<std::string, std::string>> overrides;
};

/// "NAME=VALUE" (the value may be empty or hold '='); the error says what is
/// wrong with `text`, without naming a flag.
base::Expected<std::pair<std::string, std::string>, std::string> parse_template_parameter(
    std::string_view text);

/// Parses and validates `text`. On failure, all problems found. `policies`:
/// custom cache and origin request policies the behaviors may name
/// (policy_reader.hpp); a template's own policy resources are read from it.
/// `parameters`: values for a template's Parameters (see TemplateParameters).
base::Expected<LoadedConfig, ReadFailure> read_distribution_config(std::string_view text,
                                                                   const PolicyCatalogue* policies = nullptr,
                                                                   const TemplateParameters& parameters = {});

/// Reads the file and parses it; a missing or unreadable file is a problem
/// whose path is empty and whose message names the file.
base::Expected<LoadedConfig, ReadFailure> load_distribution_config(const std::filesystem::path& file,
                                                                   const PolicyCatalogue* policies = nullptr,
                                                                   const TemplateParameters& parameters = {});

namespace detail {
/// The whole file, at most `limit` bytes; otherwise a problem naming the file.
base::Expected<std::string, Problem> read_text_file(const std::filesystem::path& file, std::size_t limit,
                                                    std::string_view what);
}  // namespace detail

}  // namespace edgefetch::config
