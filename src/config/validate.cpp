// Whole-config rules: every field's range plus the relations between fields
// (ids unique, behaviors pointing at real origins, timeouts ordered).

#include "edgefetch/config/validate.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>

#include "config/paths.hpp"
#include "config/rules.hpp"

namespace edgefetch::config {
namespace detail {
namespace {

void add(std::vector<Problem>& problems, std::string path, std::optional<std::string> message) {
  if (message) problems.push_back(Problem{std::move(path), std::move(*message)});
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

void validate_custom_headers(const Origin& origin, std::size_t o, const Paths& paths,
                             std::vector<Problem>& problems) {
  const auto& headers = origin.custom_headers;
  if (headers.size() > kMaxCustomHeaders) {
    problems.push_back(
        {paths.custom_headers(o),
         std::to_string(headers.size()) + " headers; the maximum is " + std::to_string(kMaxCustomHeaders)});
  }
  std::size_t total = 0;
  std::map<std::string, std::size_t> seen;
  for (std::size_t h = 0; h < headers.size(); ++h) {
    const auto& header = headers[h];
    const std::string at = paths.custom_header(o, h);
    add(problems, at + ".HeaderName", header_name_problem(header.name));
    add(problems, at + ".HeaderValue", header_value_problem(header.value));
    total += header.name.size() + header.value.size();
    if (header.name.empty()) continue;
    const auto [it, inserted] = seen.emplace(lower(header.name), h);
    if (!inserted) {
      problems.push_back({at + ".HeaderName",
                          quote(header.name) + " is already set by " + paths.custom_header(o, it->second)});
    }
  }
  if (total > kMaxCustomHeadersTotalLength) {
    problems.push_back({paths.custom_headers(o), "names and values add up to " + std::to_string(total) +
                                                     " characters; the maximum is " +
                                                     std::to_string(kMaxCustomHeadersTotalLength)});
  }
}

void validate_custom_origin(const CustomOriginConfig& custom, std::size_t o, const Paths& paths,
                            std::vector<Problem>& problems) {
  const std::string at = paths.custom_origin(o);
  add(problems, at + ".HTTPPort", port_problem(custom.http_port));
  add(problems, at + ".HTTPSPort", port_problem(custom.https_port));
  add(problems, at + ".OriginReadTimeout",
      range_problem(custom.read_timeout_s, kMinReadTimeout, kMaxReadTimeout, true));
  add(problems, at + ".OriginKeepaliveTimeout",
      range_problem(custom.keepalive_timeout_s, kMinKeepaliveTimeout, kMaxKeepaliveTimeout, true));
  const auto& protocols = custom.ssl_protocols;
  if (protocols.empty() && custom.protocol_policy != OriginProtocolPolicy::http_only) {
    problems.push_back(
        {paths.ssl_protocols(o), "lists no protocol, but OriginProtocolPolicy " +
                                     std::string(to_string(custom.protocol_policy)) +
                                     " may connect over HTTPS; list at least one (e.g. TLSv1.2)"});
  }
  for (std::size_t i = 0; i < protocols.size(); ++i) {
    if (std::find(protocols.begin(), protocols.begin() + static_cast<std::ptrdiff_t>(i), protocols[i]) !=
        protocols.begin() + static_cast<std::ptrdiff_t>(i)) {
      problems.push_back({paths.list_item(paths.ssl_protocols(o), i),
                          std::string(policy::info(protocols[i]).origin_ssl_protocol) + " is listed twice"});
    }
    if (policy::info(protocols[i]).origin_ssl_protocol.empty()) {
      problems.push_back({paths.list_item(paths.ssl_protocols(o), i),
                          ssl_protocol_problem(policy::info(protocols[i]).openssl_name)});
    }
  }
}

void validate_origin(const Origin& origin, std::size_t o, const Paths& paths,
                     std::vector<Problem>& problems) {
  const std::string at = paths.origin(o);
  if (origin.id.empty()) problems.push_back({at + ".Id", "required; give the origin a unique id"});
  add(problems, at + ".DomainName", domain_name_problem(origin.domain_name));
  add(problems, at + ".OriginPath", origin_path_problem(origin.origin_path));
  validate_custom_headers(origin, o, paths, problems);
  add(problems, at + ".ConnectionAttempts",
      range_problem(origin.connection_attempts, kMinConnectionAttempts, kMaxConnectionAttempts, false));
  add(problems, at + ".ConnectionTimeout",
      range_problem(origin.connection_timeout_s, kMinConnectionTimeout, kMaxConnectionTimeout, true));
  if (origin.kind == OriginKind::custom && !origin.custom) {
    problems.push_back({paths.custom_origin(o), "required for a custom origin"});
  }
  if (origin.custom) validate_custom_origin(*origin.custom, o, paths, problems);
  if (origin.response_completion_timeout_s) {
    const int completion = *origin.response_completion_timeout_s;
    const int read = origin.custom ? origin.custom->read_timeout_s : kDefaultReadTimeout;
    if (completion < 1) {
      problems.push_back(
          {at + ".ResponseCompletionTimeout",
           std::to_string(completion) + " is out of range; use 1 or more (seconds), or leave it out"});
    } else if (completion < read) {
      problems.push_back({at + ".ResponseCompletionTimeout",
                          std::to_string(completion) + " is less than OriginReadTimeout (" +
                              std::to_string(read) + "); it must be at least that"});
    }
  }
}

// The CDN's rules for a group: two members, each an origin (not a group),
// and failover status codes from its list.
void validate_origin_group(const OriginGroup& group, const std::string& at,
                           const std::map<std::string, std::size_t>& origin_ids,
                           std::vector<Problem>& problems) {
  if (group.member_ids.size() != 2) {
    problems.push_back(
        {at + ".Members", "has " + std::to_string(group.member_ids.size()) +
                              " members; an origin group has exactly two (primary, secondary)"});
  }
  for (std::size_t m = 0; m < group.member_ids.size(); ++m) {
    const std::string& id = group.member_ids[m];
    if (!origin_ids.contains(id)) {
      problems.push_back({at + ".Members.Items" + index(m) + ".OriginId", quote(id) + " names no origin"});
    } else if (m == 1 && id == group.member_ids[0]) {
      problems.push_back(
          {at + ".Members", "lists " + quote(id) + " twice; the secondary must be another origin"});
    }
  }
  static constexpr std::array<int, 8> kFailoverCodes = {400, 403, 404, 416, 500, 502, 503, 504};
  if (group.failover_status_codes.empty()) {
    problems.push_back({at + ".FailoverCriteria.StatusCodes", "lists no status code; give at least one"});
  }
  for (std::size_t c = 0; c < group.failover_status_codes.size(); ++c) {
    const int code = group.failover_status_codes[c];
    if (std::find(kFailoverCodes.begin(), kFailoverCodes.end(), code) == kFailoverCodes.end()) {
      problems.push_back({at + ".FailoverCriteria.StatusCodes.Items" + index(c),
                          std::to_string(code) + " cannot trigger failover; use 400, 403, 404, 416, 500, "
                                                 "502, 503 or 504"});
    }
  }
}

void validate_behavior(const CacheBehavior& behavior, std::optional<std::size_t> b,
                       const std::map<std::string, std::size_t>& origin_ids, const Paths& paths,
                       std::vector<Problem>& problems) {
  const std::string at = paths.behavior(b);
  if (b && behavior.path_pattern.empty()) {
    problems.push_back({at + ".PathPattern", "required (e.g. \"/images/*\")"});
  }
  if (behavior.target_origin_id.empty()) {
    problems.push_back({at + ".TargetOriginId", "required; give the Id of one of the origins"});
  } else if (!origin_ids.contains(behavior.target_origin_id)) {
    // A few ids help find a typo; all of thousands would make the message, once
    // per behavior, grow with the square of the config.
    constexpr std::size_t kIdsShown = 8;
    std::string known;
    std::size_t shown = 0;
    for (const auto& [id, index] : origin_ids) {
      if (shown == kIdsShown) {
        known += " and " + std::to_string(origin_ids.size() - shown) + " more";
        break;
      }
      known += (known.empty() ? "" : ", ") + quote(id);
      ++shown;
    }
    problems.push_back({at + ".TargetOriginId", quote(behavior.target_origin_id) + " names no origin" +
                                                    (known.empty() ? "" : "; origin ids are " + known)});
  }
  bool methods_known = true;
  for (std::size_t i = 0; i < behavior.allowed_methods.size(); ++i) {
    if (auto problem = method_problem(behavior.allowed_methods[i])) {
      problems.push_back({paths.list_item(paths.allowed_methods(at), i), std::move(*problem)});
      methods_known = false;
    }
  }
  for (std::size_t i = 0; i < behavior.cached_methods.size(); ++i) {
    if (auto problem = method_problem(behavior.cached_methods[i])) {
      problems.push_back({paths.list_item(paths.cached_methods(at), i), std::move(*problem)});
      methods_known = false;
    }
  }
  if (!methods_known) return;
  add(problems, paths.allowed_methods(at), allowed_methods_problem(behavior.allowed_methods));
  add(problems, paths.cached_methods(at),
      cached_methods_problem(behavior.cached_methods, behavior.allowed_methods));
}

}  // namespace

void validate_into(const DistributionConfig& config, const Paths& paths, std::vector<Problem>& problems) {
  if (config.origins.empty()) {
    problems.push_back({paths.origins(), "lists no origin; at least one is required"});
  }
  std::map<std::string, std::size_t> origin_ids;
  for (std::size_t o = 0; o < config.origins.size(); ++o) {
    const Origin& origin = config.origins[o];
    validate_origin(origin, o, paths, problems);
    if (origin.id.empty()) continue;
    const auto [it, inserted] = origin_ids.emplace(origin.id, o);
    if (!inserted) {
      problems.push_back({paths.origin(o) + ".Id", "duplicate origin id " + quote(origin.id) + " (also " +
                                                       paths.origin(it->second) + ")"});
    }
  }
  // Behaviors may target an origin or an origin group.
  std::map<std::string, std::size_t> target_ids = origin_ids;
  for (std::size_t g = 0; g < config.origin_groups.size(); ++g) {
    const OriginGroup& group = config.origin_groups[g];
    const std::string at = paths.root() + ".OriginGroups.Items" + index(g);
    validate_origin_group(group, at, origin_ids, problems);
    if (group.id.empty()) continue;
    if (origin_ids.contains(group.id)) {
      problems.push_back({at + ".Id", quote(group.id) + " is also an origin's id; ids must be unique"});
    } else if (!target_ids.emplace(group.id, g).second) {
      problems.push_back({at + ".Id", "duplicate origin group id " + quote(group.id)});
    }
  }
  validate_behavior(config.default_cache_behavior, std::nullopt, target_ids, paths, problems);
  for (std::size_t b = 0; b < config.cache_behaviors.size(); ++b) {
    validate_behavior(config.cache_behaviors[b], b, target_ids, paths, problems);
  }
}

}  // namespace detail

std::vector<Problem> validate(const DistributionConfig& config, Spelling spelling, std::string_view root) {
  std::vector<Problem> problems;
  detail::validate_into(config, detail::Paths(spelling, std::string(root)), problems);
  return problems;
}

}  // namespace edgefetch::config
