#pragma once
// Shared helpers for the config tests: sample paths and problem lookups.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/config/reader.hpp"

namespace edgefetch::config::testing {

inline std::filesystem::path sample(std::string_view name) {
  return std::filesystem::path(EDGEFETCH_SOURCE_DIR) / "tests/data/configs" / name;
}

/// Reads `text` (a template: with `parameters`), expecting failure; the problems.
inline std::vector<Problem> problems_of(std::string_view text, const TemplateParameters& parameters = {}) {
  auto loaded = read_distribution_config(text, nullptr, parameters);
  EXPECT_FALSE(loaded.has_value()) << "expected problems for: " << text;
  if (loaded) return {};
  return loaded.error().problems;
}

/// The message of the problem at exactly `path`, or "<none>".
inline std::string message_at(const std::vector<Problem>& problems, std::string_view path) {
  const auto it =
      std::find_if(problems.begin(), problems.end(), [&](const Problem& p) { return p.path == path; });
  return it == problems.end() ? "<none>" : it->message;
}

inline std::string all(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.to_string() + "\n";
  return out;
}

/// Reads `text` (a template: with `parameters`, and `policies`), expecting success.
inline LoadedConfig loaded_from(std::string_view text, const TemplateParameters& parameters = {},
                                const PolicyCatalogue* policies = nullptr) {
  auto loaded = read_distribution_config(text, policies, parameters);
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().to_string()) << "\n" << text;
  if (!loaded) return {};
  return std::move(*loaded);
}

/// A one-origin bare config in the API's spelling with `custom` as the CustomOriginConfig
/// body and `origin_extra` spliced into the origin object.
inline std::string api_config(std::string_view custom, std::string_view origin_extra = "") {
  std::string text = R"({"Origins":{"Quantity":1,"Items":[{"Id":"o","DomainName":"o.example.com",)";
  text += origin_extra;
  text += R"("CustomOriginConfig":{)";
  text += custom;
  // CachingDisabled: the CDN requires a cache policy or ForwardedValues.
  text += R"(}}]},"DefaultCacheBehavior":{"TargetOriginId":"o","ViewerProtocolPolicy":"allow-all",)"
          R"("CachePolicyId":"4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}})";
  return text;
}

}  // namespace edgefetch::config::testing
