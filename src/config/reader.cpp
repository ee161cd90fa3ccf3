// Format detection and the public reading entry points.

#include "edgefetch/config/reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "config/json_text.hpp"
#include "config/object_reader.hpp"
#include "config/rules.hpp"
#include "config/template_conditions.hpp"
#include "config/template_parameters.hpp"
#include "config/template_policies.hpp"
#include "edgefetch/config/policy_reader.hpp"

namespace edgefetch::config {
namespace {

using Json = nlohmann::json;
using detail::member;
using detail::path_segment;

constexpr std::string_view kCloudFrontDistributionType = "AWS::CloudFront::Distribution";

base::Unexpected<ReadFailure> fail(std::vector<Problem> problems) {
  return base::unexpected(ReadFailure{std::move(problems)});
}
base::Unexpected<ReadFailure> fail(Problem problem) {
  return fail(std::vector<Problem>{std::move(problem)});
}

// Paths compared with their list indices as numbers, so Items[10] follows Items[9].
bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t ei = i;
      std::size_t ej = j;
      while (ei < a.size() && digit(a[ei])) ++ei;
      while (ej < b.size() && digit(b[ej])) ++ej;
      // Without leading zeros a longer run is a larger number; inputs are our own indices.
      if (ei - i != ej - j) return ei - i < ej - j;
      if (const int c = a.substr(i, ei - i).compare(b.substr(j, ej - j)); c != 0) return c < 0;
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// Origins, then the default behavior, then the other behaviors, then the rest:
// the order in which they appear in a config.
int section_rank(std::string_view path, std::string_view root) {
  path.remove_prefix(std::min(path.size(), root.size()));
  if (path.starts_with(".Origins")) return 0;
  if (path.starts_with(".DefaultCacheBehavior")) return 1;
  if (path.starts_with(".CacheBehaviors")) return 2;
  return 3;
}

// Whether `path` is `at` or a field inside it.
bool within(std::string_view path, std::string_view at) {
  return !at.empty() && path.starts_with(at) &&
         (path.size() == at.size() || path[at.size()] == '.' || path[at.size()] == '[');
}

// Whether the functions pass reported `path` (or what it is inside) already.
bool within_reported(std::string_view path, const detail::DeployedResources& deployed) {
  return std::any_of(deployed.problems.begin(), deployed.problems.end(),
                     [&](const Problem& problem) { return within(path, problem.path); }) ||
         std::any_of(deployed.reported_elsewhere.begin(), deployed.reported_elsewhere.end(),
                     [&](const std::string& at) { return within(path, at); });
}

// A value used in a field and in the lookup that chose it would be warned
// about twice, in the same words.
void remove_repeated(std::vector<Problem>& warnings) {
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<Problem> kept;
  for (auto& warning : warnings) {
    if (seen.emplace(warning.path, warning.message).second) kept.push_back(std::move(warning));
  }
  warnings = std::move(kept);
}

void read_one(const Json& object, Spelling spelling, std::string name, std::string path,
              const PolicyCatalogue* policies, LoadedConfig& loaded, std::vector<Problem>& problems,
              const detail::ParameterScope* parameters = nullptr) {
  const std::size_t first = problems.size();
  detail::ObjectReader reader(spelling, path, problems, loaded.warnings, policies,
                              &loaded.unresolved_policies, parameters);
  loaded.distributions.push_back(Distribution{std::move(name), path, reader.read(object)});
  std::stable_sort(problems.begin() + static_cast<std::ptrdiff_t>(first), problems.end(),
                   [&](const Problem& a, const Problem& b) {
                     const int ra = section_rank(a.path, path);
                     const int rb = section_rank(b.path, path);
                     if (ra != rb) return ra < rb;
                     return natural_less(a.path, b.path);
                   });
}

void read_cloudformation(const Json& root, const PolicyCatalogue* policies, const TemplateParameters& given,
                         LoadedConfig& loaded, std::vector<Problem>& problems) {
  loaded.format = SourceFormat::cloudformation;
  loaded.spelling = Spelling::cloudformation;
  // The values Ref and Fn::Sub give for the template's Parameters, checked as
  // CloudFormation checks them before it deploys.
  detail::ParameterScope parameters =
      detail::read_template_parameters(member(root, "Parameters"), given, problems, loaded.warnings);
  const Json* declared = member(root, "Resources");
  if (declared == nullptr || !declared->is_object()) {
    problems.push_back(
        {"Resources", "missing or not an object; a CloudFormation template lists its resources there"});
    return;
  }
  // Conditions decided, Fn::If, Fn::FindInMap, Fn::Select, ... resolved: the
  // CloudFront resources as CloudFormation would deploy them.
  const detail::DeployedResources deployed = detail::deployed_resources(root, parameters, loaded.warnings);
  const Json& resources = deployed.resources;
  // Problems found by the readers; those at or inside a field the functions
  // pass reported already are consequences of it, not news.
  std::vector<Problem> found_problems;
  // The template's own policies, by logical id, before the policy files.
  PolicyCatalogue catalogue =
      detail::read_template_policies(resources, found_problems, loaded.warnings, &parameters);
  if (policies != nullptr) {
    catalogue.policies.insert(catalogue.policies.end(), policies->policies.begin(), policies->policies.end());
  }
  std::size_t found = 0;
  for (auto it = resources.begin(); it != resources.end(); ++it) {
    const Json* type = member(it.value(), "Type");
    if (type == nullptr || !type->is_string() ||
        type->get_ref<const std::string&>() != kCloudFrontDistributionType) {
      continue;
    }
    ++found;
    const std::string at = "Resources." + path_segment(it.key());
    const Json* properties = member(it.value(), "Properties");
    if (properties == nullptr || !properties->is_object()) {
      found_problems.push_back({at + ".Properties", "missing or not an object"});
      continue;
    }
    const Json* config = member(*properties, "DistributionConfig");
    if (config == nullptr) {
      found_problems.push_back({at + ".Properties.DistributionConfig", "required but missing"});
      continue;
    }
    read_one(*config, Spelling::cloudformation, it.key(), at + ".Properties.DistributionConfig", &catalogue,
             loaded, found_problems, &parameters);
  }
  problems.insert(problems.end(), deployed.problems.begin(), deployed.problems.end());
  for (auto& problem : found_problems) {
    if (!within_reported(problem.path, deployed)) problems.push_back(std::move(problem));
  }
  remove_repeated(loaded.warnings);
  if (found == 0 && !deployed.skipped_distributions.empty()) {
    std::string skipped;
    for (const auto& name : deployed.skipped_distributions) skipped += (skipped.empty() ? "" : ", ") + name;
    problems.push_back(
        {"Resources", "has no " + std::string(kCloudFrontDistributionType) +
                          " that CloudFormation would create with these parameters: " + skipped +
                          "; give values that make its Condition true (--template-parameter "
                          "NAME=VALUE)"});
  } else if (found == 0) {
    problems.push_back({"Resources", "has no resource of Type " + std::string(kCloudFrontDistributionType)});
  }
}

void read_document(const Json& root, const PolicyCatalogue* policies, const TemplateParameters& given,
                   LoadedConfig& loaded, std::vector<Problem>& problems) {
  if (!root.is_object()) {
    problems.push_back({"",
                        "the top level is a list; expected an object (the output of `aws cloudfront "
                        "get-distribution-config`, a DistributionConfig, or a CloudFormation template)"});
    return;
  }
  if (const Json* etag = member(root, "ETag"); etag != nullptr && etag->is_string()) {
    loaded.etag = etag->get<std::string>();
  }
  if (member(root, "Resources") != nullptr || member(root, "AWSTemplateFormatVersion") != nullptr) {
    read_cloudformation(root, policies, given, loaded, problems);
    return;
  }
  if (const Json* distribution = member(root, "Distribution")) {
    loaded.format = SourceFormat::get_distribution;
    const Json* config = member(*distribution, "DistributionConfig");
    if (config == nullptr) {
      problems.push_back({"Distribution.DistributionConfig", "required but missing"});
      return;
    }
    std::string name;
    if (const Json* id = member(*distribution, "Id"); id != nullptr && id->is_string()) {
      name = id->get<std::string>();
    }
    read_one(*config, Spelling::api, std::move(name), "Distribution.DistributionConfig", policies, loaded,
             problems);
    return;
  }
  if (const Json* config = member(root, "DistributionConfig")) {
    loaded.format = SourceFormat::get_distribution_config;
    read_one(*config, Spelling::api, "", "DistributionConfig", policies, loaded, problems);
    return;
  }
  if (member(root, "Origins") != nullptr || member(root, "DefaultCacheBehavior") != nullptr) {
    loaded.format = SourceFormat::distribution_config;
    const Json* origins = member(root, "Origins");
    // CloudFormation's Properties.DistributionConfig pasted on its own has plain lists.
    loaded.spelling = origins != nullptr && origins->is_array() ? Spelling::cloudformation : Spelling::api;
    read_one(root, loaded.spelling, "", "DistributionConfig", policies, loaded, problems);
    return;
  }
  if (member(root, "DistributionList") != nullptr) {
    problems.push_back({"DistributionList",
                        "this is `aws cloudfront list-distributions` output, which lacks "
                        "the origin settings; use `aws cloudfront get-distribution-config "
                        "--id ID` for each distribution"});
    return;
  }
  problems.push_back({"",
                      "not a distribution config: expected DistributionConfig (as `aws cloudfront "
                      "get-distribution-config` prints), Distribution, Origins, or a CloudFormation "
                      "template with Resources"});
}

base::Expected<LoadedConfig, ReadFailure> read_text(std::string_view text, const PolicyCatalogue* policies,
                                                    const TemplateParameters& given) {
  LoadedConfig loaded;  // first: the text's own warnings (YAML merge keys) are the config's
  auto parsed = detail::parse_json_text(text, "a distribution config", &loaded.warnings);
  if (!parsed) return fail(std::move(parsed.error()));
  std::vector<Problem> problems;
  read_document(*parsed, policies, given, loaded, problems);
  // Values for parameters of a config that has none: the user meant another file.
  if (!given.overrides.empty() && loaded.format != SourceFormat::cloudformation) {
    problems.insert(problems.begin(),
                    Problem{"",
                            "--template-parameter is for CloudFormation templates, and this is " +
                                std::string(loaded.format == SourceFormat::distribution_config
                                                ? "a DistributionConfig"
                                                : "`aws cloudfront " + std::string(to_string(loaded.format)) +
                                                      "` output") +
                                ", whose values are literal already; drop --template-parameter",
                            true});
  }
  if (!problems.empty()) return fail(std::move(problems));
  return loaded;
}

}  // namespace

std::string_view to_string(SourceFormat format) {
  switch (format) {
    case SourceFormat::get_distribution_config:
      return "get-distribution-config";
    case SourceFormat::get_distribution:
      return "get-distribution";
    case SourceFormat::distribution_config:
      return "distribution-config";
    case SourceFormat::cloudformation:
      return "cloudformation";
  }
  return "?";
}

std::string origin_path(const std::string& distribution_path, Spelling spelling, std::size_t index) {
  return detail::Paths(spelling, distribution_path).origin(index);
}

std::string Problem::to_string() const {
  return path.empty() ? message : path + ": " + message;
}

std::string ReadFailure::to_string() const {
  std::string out;
  for (const auto& problem : problems) {
    if (!out.empty()) out += '\n';
    out += problem.to_string();
  }
  return out;
}

base::Expected<std::pair<std::string, std::string>, std::string> parse_template_parameter(
    std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) {
    return base::unexpected(detail::quote(text) +
                            " is not NAME=VALUE (e.g. OriginDomain=origin.example.com)");
  }
  const std::string_view name = text.substr(0, equals);
  if (name.empty()) return base::unexpected(detail::quote(text) + " has no NAME before '='");
  // Letters and digits (CloudFormation's logical ids), or a pseudo parameter's AWS::Name.
  const auto plain = [](std::string_view n) {
    return !n.empty() && std::all_of(n.begin(), n.end(),
                                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
  };
  if (!plain(name) && !(name.starts_with("AWS::") && plain(name.substr(5)))) {
    return base::unexpected(detail::quote(name) +
                            " is not a parameter name (letters and digits, or a pseudo parameter such "
                            "as AWS::Region)");
  }
  return std::pair{std::string(name), std::string(text.substr(equals + 1))};
}

base::Expected<LoadedConfig, ReadFailure> read_distribution_config(std::string_view text,
                                                                   const PolicyCatalogue* policies,
                                                                   const TemplateParameters& parameters) {
  try {
    return read_text(text, policies, parameters);
  } catch (const std::bad_alloc&) {
    return fail(Problem{"", "out of memory while reading the config"});
  } catch (const std::exception& e) {
    // Not expected: every access is type-checked first. Reported, not thrown,
    // so that no input can take the caller down.
    return fail(Problem{"", std::string("internal error while reading the config: ") + e.what()});
  }
}

namespace detail {

base::Expected<std::string, Problem> read_text_file(const std::filesystem::path& file, std::size_t limit,
                                                    std::string_view what) {
  const std::string name = file.string();
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    return base::unexpected(Problem{"", "cannot read " + name + ": it is a directory"});
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int error = errno;
    return base::unexpected(
        Problem{"", "cannot read " + name + ": " + (error != 0 ? std::strerror(error) : "cannot open")});
  }
  std::string text;
  std::array<char, 65536> buffer;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    text.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) {
      return base::unexpected(Problem{"", name + " is larger than " + std::to_string(limit) +
                                              " bytes; is it " + std::string(what) + "?"});
    }
  }
  if (in.bad()) return base::unexpected(Problem{"", "cannot read " + name + ": read error"});
  return text;
}

}  // namespace detail

base::Expected<LoadedConfig, ReadFailure> load_distribution_config(const std::filesystem::path& file,
                                                                   const PolicyCatalogue* policies,
                                                                   const TemplateParameters& parameters) {
  auto text = detail::read_text_file(file, kMaxInputBytes, "a distribution config");
  if (!text) return fail(std::move(text.error()));
  auto loaded = read_distribution_config(*text, policies, parameters);
  if (!loaded) {
    // Say which file the problems are in.
    const std::string name = file.string();
    for (auto& problem : loaded.error().problems) {
      if (problem.path.empty()) problem.message = name + ": " + problem.message;
    }
  }
  return loaded;
}

}  // namespace edgefetch::config
