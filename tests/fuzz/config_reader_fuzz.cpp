// libFuzzer harness: the distribution-config reader (and the policy reader)
// on arbitrary text. Beyond
// "no crash, no hang, no leak", it checks the reader's promises: an accepted
// config passes validate() unchanged, the model is consistent, and no problem
// or warning carries a raw control byte from the input.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "edgefetch/config/distribution.hpp"
#include "edgefetch/config/policy_reader.hpp"
#include "edgefetch/config/reader.hpp"
#include "edgefetch/config/validate.hpp"
#include "fuzz_require.hpp"

using namespace edgefetch;
using fuzz::require;

namespace {

void check_printable(const config::Problem& problem) {
  for (const char c : problem.to_string()) require(static_cast<unsigned char>(c) >= 0x20 || c == '\n');
  // The reader's catch-all (an exception it did not expect) words its message so.
  require(!problem.message.starts_with("internal error while reading the config"));
}

// A list of names is never empty when it decides anything, and empty otherwise.
void check_names(const config::ForwardedNames& names) {
  const bool listing =
      names.scope == config::ForwardScope::listed || names.scope == config::ForwardScope::all_except;
  require(listing != names.names.empty());
}

// The policy reader on the same text: problems or well-formed policies.
void check_policies(std::string_view text) {
  auto policies = config::read_policies(text);
  if (!policies) {
    require(!policies.error().problems.empty());
    for (const auto& problem : policies.error().problems) check_printable(problem);
    return;
  }
  for (const auto& warning : policies->warnings) check_printable(warning);
  for (const auto& policy : policies->policies) {
    require(!policy.id.empty());
    check_names(policy.headers);
    check_names(policy.cookies);
    check_names(policy.query_strings);
    for (const auto& name : policy.headers.names) require(!config::is_cloudfront_header(name));
    for (const auto& name : policy.cloudfront_headers) require(config::is_cloudfront_header(name));
  }
}

// What a behavior forwards agrees with itself.
void check_forwarding(const config::CacheBehavior& behavior, std::string_view text) {
  const auto& rules = behavior.forwarding;
  require(behavior.forwards_host_header == rules.forwards_host());
  if (rules.source == config::ForwardingSource::unresolved_policy) {
    require(behavior.host_forwarding == config::HostForwarding::unknown_request_policy);
  }
  // Names from the input through every matcher (legacy cookie wildcards included).
  const std::size_t third = text.size() / 3;
  (void)rules.headers.includes_header(text.substr(0, third));
  (void)rules.cookies.includes(text.substr(third, third), false);
  (void)rules.query_strings.includes(text.substr(2 * third), false);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_policies(text);
  auto loaded = config::read_distribution_config(text);
  if (!loaded) {
    require(!loaded.error().problems.empty());
    for (const auto& problem : loaded.error().problems) check_printable(problem);
    return 0;
  }
  require(!loaded->distributions.empty());
  for (const auto& warning : loaded->warnings) check_printable(warning);
  for (const auto& distribution : loaded->distributions) {
    const auto& cfg = distribution.config;
    require(config::validate(cfg, loaded->spelling, distribution.path).empty());
    require(!cfg.origins.empty());
    for (const auto& origin : cfg.origins) {
      require((origin.kind == config::OriginKind::custom) == origin.custom.has_value());
      if (origin.custom) require(config::is_allowed_origin_port(origin.custom->https_port));
    }
    check_forwarding(cfg.default_cache_behavior, text);
    for (const auto& behavior : cfg.cache_behaviors) check_forwarding(behavior, text);
    // Routing on paths taken from the input itself.
    for (const auto& behavior : cfg.cache_behaviors) {
      require(cfg.find_origin(behavior.target_origin_id) != nullptr);
      const auto& routed = cfg.behavior_for_path(behavior.path_pattern);
      require(cfg.find_origin(routed.target_origin_id) != nullptr);
    }
  }
  // The pattern matcher on the raw input split in two.
  const std::size_t half = size / 2;
  (void)config::path_pattern_matches(text.substr(0, half), text.substr(half));
  // The path normalization behind routing: a path with one '/' between
  // segments, no "." or ".." segment, and normal already.
  std::string storage;
  const std::string normal(config::normalize_path_for_matching("/" + std::string(text), storage));
  require(normal.starts_with('/'));
  require(normal.find("//") == std::string::npos);
  require(normal.find("/./") == std::string::npos && normal.find("/../") == std::string::npos);
  require(!normal.ends_with("/.") && !normal.ends_with("/.."));
  // Normal stays normal (without '%': "%4%41" decodes to "%4A" once, as the
  // CDN's one pass does, and a second pass would decode that too).
  std::string again_storage;
  if (normal.find('%') == std::string::npos) {
    require(config::normalize_path_for_matching(normal, again_storage) == normal);
  }
  return 0;
}
