// What a cache behavior forwards to the origin: its legacy ForwardedValues, or
// the cache policy and origin request policy it names, resolved against the
// managed policies, the template's policy resources and the policy files.

#include <algorithm>
#include <array>

#include "config/intrinsics.hpp"
#include "config/object_reader.hpp"
#include "config/rules.hpp"
#include "edgefetch/base/ascii.hpp"

namespace edgefetch::config::detail {
namespace {

using Json = nlohmann::json;

constexpr auto kCacheHeaderBehaviors = std::to_array<std::string_view>({"none", "whitelist"});
constexpr auto kRequestHeaderBehaviors = std::to_array<std::string_view>(
    {"none", "whitelist", "allViewer", "allViewerAndWhitelistCloudFront", "allExcept"});
constexpr auto kValueBehaviors = std::to_array<std::string_view>({"none", "whitelist", "allExcept", "all"});
constexpr auto kLegacyCookieForwards = std::to_array<std::string_view>({"none", "whitelist", "all"});

// The fields of each policy object, for warnings about misspelt ones (a
// misspelt optional field, EnableAcceptEncodingBrotly, would otherwise leave
// its default in place without a word).
constexpr auto kCachePolicyConfigFields = std::to_array<std::string_view>(
    {"Comment", "Name", "DefaultTTL", "MaxTTL", "MinTTL", "ParametersInCacheKeyAndForwardedToOrigin"});
constexpr auto kParametersFields =
    std::to_array<std::string_view>({"EnableAcceptEncodingGzip", "EnableAcceptEncodingBrotli",
                                     "HeadersConfig", "CookiesConfig", "QueryStringsConfig"});
constexpr auto kRequestPolicyConfigFields = std::to_array<std::string_view>(
    {"Comment", "Name", "HeadersConfig", "CookiesConfig", "QueryStringsConfig"});
constexpr FieldNames kCachePolicyConfig{kCachePolicyConfigFields, kCachePolicyConfigFields, {}, false};
constexpr FieldNames kParameters{kParametersFields, kParametersFields, {}, false};
constexpr FieldNames kRequestPolicyConfig{kRequestPolicyConfigFields, kRequestPolicyConfigFields, {}, false};

// Headers a policy may list that never reach the origin as listed: hop-by-hop
// fields, framing, the edge's own, and Cookie (CookiesConfig decides it).
constexpr auto kNeverForwardedHeaders = std::to_array<std::string_view>(
    {"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE",
     "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length", "Expect", "X-Amz-Cf-Id", "Cookie"});

// CloudFront headers an origin request policy may hold but a cache policy may
// not (they vary per connection, so caching on them would defeat the cache).
constexpr auto kRequestPolicyOnlyHeaders = std::to_array<std::string_view>(
    {"CloudFront-Viewer-Address", "CloudFront-Viewer-ASN", "CloudFront-Viewer-JA3-Fingerprint",
     "CloudFront-Viewer-JA4-Fingerprint", "CloudFront-Viewer-TLS"});

std::string joined(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += name == names.back() ? " or " : ", ";
    out += name;
  }
  return out;
}

bool listed_ignoring_case(std::span<const std::string_view> names, std::string_view name) {
  return std::any_of(names.begin(), names.end(), [&](std::string_view n) { return base::iequals(n, name); });
}

ForwardScope scope_of(std::string_view behavior) {
  if (behavior == "whitelist") return ForwardScope::listed;
  if (behavior == "allExcept") return ForwardScope::all_except;
  if (behavior == "none") return ForwardScope::none;
  return ForwardScope::all;  // all, allViewer, allViewerAndWhitelistCloudFront
}

// CloudFront headers a list names are headers for the edge to add (to
// `cloudfront`), not viewer headers to let through; in an "all except" list
// they exclude nothing, since a viewer's own CloudFront-* headers never pass.
void split_cloudfront_headers(ForwardedNames& headers, std::vector<std::string>& cloudfront) {
  auto& names = headers.names;
  if (headers.scope != ForwardScope::all_except) {
    for (const auto& name : names) {
      if (is_cloudfront_header(name)) cloudfront.push_back(name);
    }
  }
  names.erase(std::remove_if(names.begin(), names.end(),
                             [](const std::string& n) { return is_cloudfront_header(n); }),
              names.end());
  if (names.empty() && headers.scope == ForwardScope::listed) headers.scope = ForwardScope::none;
  if (names.empty() && headers.scope == ForwardScope::all_except) headers.scope = ForwardScope::all;
}

void add_cloudfront_headers(std::vector<std::string>& into, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    const bool present =
        std::any_of(into.begin(), into.end(), [&](const std::string& n) { return base::iequals(n, name); });
    if (!present) into.push_back(name);
  }
}

}  // namespace

ForwardedNames ObjectReader::read_names(const Json& config, const char* behavior_key, const char* list_key,
                                        std::span<const std::string_view> behaviors, const std::string& at,
                                        bool& ok) {
  ForwardedNames names;
  const std::string behavior_path = at + "." + behavior_key;
  const Json* behavior = field(config, behavior_key);
  if (behavior == nullptr) {
    problem(behavior_path, missing_message(config, behavior_key) + "; use " + joined(behaviors));
    ok = false;
    return names;
  }
  const std::array<std::string_view, 2> fields{behavior_key, list_key};
  warn_unknown_fields(config, at, FieldNames{fields, fields, {}, false});
  const auto text = string_value(*behavior, behavior_path, Need::essential);
  if (!text) {
    ok = false;
    return names;
  }
  if (std::find(behaviors.begin(), behaviors.end(), *text) == behaviors.end()) {
    problem(behavior_path, quote(*text) + " is not allowed here; use " + joined(behaviors));
    ok = false;
    return names;
  }
  names.scope = scope_of(*text);
  // In the API's JSON the names are {Quantity, Items}; CloudFormation lists them.
  const std::string list_path = at + "." + list_key;
  for (const auto& item : list(config, list_key, list_path, false)) {
    if (auto name = string_value(*item.value, item.path, Need::essential)) {
      if (name->empty()) {
        problem(item.path, "is empty; give a name");
        ok = false;
      } else {
        names.names.push_back(std::move(*name));
      }
    }
  }
  const bool needs_names =
      *text == "whitelist" || *text == "allExcept" || *text == "allViewerAndWhitelistCloudFront";
  if (needs_names && names.names.empty()) {
    problem(list_path, quote(*text) + " needs at least one name here");
    ok = false;
  }
  if (!needs_names && !names.names.empty()) {
    warning(list_path, "names are ignored with " + quote(*text));
    names.names.clear();
  }
  return names;
}

std::string ObjectReader::missing_message(const Json& object, std::string_view key) {
  if (object.is_object()) {
    const std::array<std::string_view, 1> wanted{key};
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (near_miss(it.key(), wanted)) {
        return "required but missing (is " + quote(it.key()) + " a misspelling of it?)";
      }
    }
  }
  return "required but missing";
}

void ObjectReader::check_policy_headers(const ForwardedNames& headers, bool cache_policy,
                                        const std::string& at, bool& ok) {
  std::string ignored;
  for (const auto& name : headers.names) {
    if (!base::is_http_token(name)) {
      problem(at, quote(name) + " is not a valid header name");
      ok = false;
      continue;
    }
    if (!cache_policy && headers.scope == ForwardScope::listed && base::iequals(name, "Authorization")) {
      // The CDN refuses the policy: Authorization goes to the origin only
      // through a cache policy or with every viewer header.
      problem(at,
              "Authorization cannot be forwarded by an origin request policy's list; put it in the cache "
              "policy, or use allViewer");
      ok = false;
    }
    if (cache_policy && listed_ignoring_case(kRequestPolicyOnlyHeaders, name)) {
      problem(at, quote(name) + " is allowed in an origin request policy but not in a cache policy");
      ok = false;
    }
    if (base::iequals(name, "Accept-Encoding")) {
      warning(at,
              "Accept-Encoding is normalized by the cache policy's EnableAcceptEncodingGzip / Brotli, not "
              "listed here");
    }
    if (listed_ignoring_case(kNeverForwardedHeaders, name) ||
        (name.size() > 7 && base::iequals(std::string_view(name).substr(0, 7), "X-Edge-"))) {
      ignored += (ignored.empty() ? "" : ", ") + name;
    }
  }
  if (!ignored.empty()) {
    warning(at, ignored +
                    ": never forwarded as listed headers (hop-by-hop, framing, the edge's own, or Cookie, "
                    "which CookiesConfig decides); listing them changes nothing");
  }
}

std::optional<PolicySettings> ObjectReader::read_policy_config(const Json& config, bool cache_policy,
                                                               std::string id, const std::string& at) {
  if (!config.is_object()) {
    problem(at, "must be an object, not " + kind_of(config));
    return std::nullopt;
  }
  PolicySettings policy;
  policy.id = std::move(id);
  policy.is_cache_policy = cache_policy;
  if (const Json* name = field(config, "Name")) {
    if (auto text = string_value(*name, at + ".Name", Need::informational)) policy.name = std::move(*text);
  }
  if (policy.name.empty()) policy.name = policy.id;
  warn_unknown_fields(config, at, cache_policy ? kCachePolicyConfig : kRequestPolicyConfig);

  const Json* parameters = &config;
  std::string parameters_at = at;
  if (cache_policy) {
    parameters_at = at + ".ParametersInCacheKeyAndForwardedToOrigin";
    parameters = field(config, "ParametersInCacheKeyAndForwardedToOrigin");
    if (parameters == nullptr || !parameters->is_object()) {
      problem(parameters_at, parameters == nullptr
                                 ? missing_message(config, "ParametersInCacheKeyAndForwardedToOrigin")
                                 : "must be an object, not " + kind_of(*parameters));
      return std::nullopt;
    }
    warn_unknown_fields(*parameters, parameters_at, kParameters);
    if (const Json* gzip = field(*parameters, "EnableAcceptEncodingGzip")) {
      if (auto flag = bool_value(*gzip, parameters_at + ".EnableAcceptEncodingGzip", Need::essential)) {
        policy.accept_encoding_gzip = *flag;
      }
    }
    if (const Json* brotli = field(*parameters, "EnableAcceptEncodingBrotli")) {
      if (auto flag = bool_value(*brotli, parameters_at + ".EnableAcceptEncodingBrotli", Need::essential)) {
        policy.accept_encoding_brotli = *flag;
      }
    }
  }

  bool ok = true;
  const auto section = [&](const char* key, const std::string& path) -> const Json* {
    const Json* value = field(*parameters, key);
    if (value == nullptr || !value->is_object()) {
      problem(path, value == nullptr ? missing_message(*parameters, key)
                                     : "must be an object, not " + kind_of(*value));
      ok = false;
      return nullptr;
    }
    return value;
  };
  const std::string headers_at = parameters_at + ".HeadersConfig";
  if (const Json* headers = section("HeadersConfig", headers_at)) {
    policy.headers = read_names(*headers, "HeaderBehavior", "Headers",
                                cache_policy ? std::span<const std::string_view>(kCacheHeaderBehaviors)
                                             : std::span<const std::string_view>(kRequestHeaderBehaviors),
                                headers_at, ok);
    check_policy_headers(policy.headers, cache_policy, headers_at + ".Headers", ok);
    split_cloudfront_headers(policy.headers, policy.cloudfront_headers);
    // allViewerAndWhitelistCloudFront's list is of headers for the edge to
    // add; every viewer header goes through already.
    if (policy.headers.scope == ForwardScope::all && !policy.headers.names.empty()) {
      problem(headers_at + ".Headers",
              quote(policy.headers.names.front()) +
                  " is not a CloudFront header; allViewerAndWhitelistCloudFront lists "
                  "only CloudFront-* headers (every viewer header is forwarded already)");
      ok = false;
    }
  }
  const std::string cookies_at = parameters_at + ".CookiesConfig";
  if (const Json* cookies = section("CookiesConfig", cookies_at)) {
    policy.cookies = read_names(*cookies, "CookieBehavior", "Cookies", kValueBehaviors, cookies_at, ok);
  }
  const std::string query_at = parameters_at + ".QueryStringsConfig";
  if (const Json* query = section("QueryStringsConfig", query_at)) {
    policy.query_strings =
        read_names(*query, "QueryStringBehavior", "QueryStrings", kValueBehaviors, query_at, ok);
  }
  if (!ok) return std::nullopt;
  return policy;
}

const PolicySettings* ObjectReader::find_policy(std::string_view id) const {
  if (const PolicySettings* managed = find_managed_policy(id)) return managed;
  return policies_ == nullptr ? nullptr : policies_->find(id);
}

std::optional<std::string> ObjectReader::policy_reference(const Json& value, const std::string& path) {
  // A policy defined in the same template: {"Ref": "Name"} or
  // {"Fn::GetAtt": ["Name", "Id"]} (or "Name.Id") gives its logical id. A Ref
  // of a parameter gives the parameter's value (a managed policy's id, or one
  // of the policy files).
  if (cfn() && is_intrinsic(value)) {
    const auto names_parameter = [this](std::string_view name) {
      return (parameters_ != nullptr && parameters_->find(name) != nullptr) || is_pseudo_parameter(name);
    };
    const std::string& function = value.begin().key();
    const Json& argument = value.begin().value();
    if (function == "Ref" && argument.is_string() &&
        !names_parameter(argument.get_ref<const std::string&>())) {
      return argument.get<std::string>();
    }
    if (function == "Fn::GetAtt") {
      if (argument.is_array() && argument.size() == 2 && argument[0].is_string() && argument[1] == "Id") {
        return argument[0].get<std::string>();
      }
      if (argument.is_string() && argument.get_ref<const std::string&>().ends_with(".Id")) {
        const auto& text = argument.get_ref<const std::string&>();
        return text.substr(0, text.size() - 3);
      }
    }
    // "${Name}" alone is the same as a Ref.
    if (function == "Fn::Sub" && argument.is_string()) {
      const auto& text = argument.get_ref<const std::string&>();
      if (text.size() > 3 && text.starts_with("${") && text.ends_with('}') &&
          text.find_first_of("${}!.", 2) == text.size() - 1 &&
          !names_parameter(text.substr(2, text.size() - 3))) {
        return text.substr(2, text.size() - 3);
      }
    }
    // Parameters, literals, and anything else (an Arn, an import, a
    // condition), which names a policy that cannot be looked up here: kept as
    // the reference it is, so that it reads as an unknown policy rather than
    // as no policy at all.
    auto resolved = resolve_string(value, parameters_);
    if (auto* text = std::get_if<Resolved>(&resolved)) {
      note_defaults(path, *text);
      return std::move(text->text);
    }
    auto& unresolved = std::get<Unresolved>(resolved);
    // A parameter without a value: how to give one, beside the unknown policy warning.
    if (!unresolved.hint.empty()) warning(path, "uses " + unresolved.description + ": " + unresolved.hint);
    return std::move(unresolved.description);
  }
  auto text = string_value(value, path, Need::informational);
  if (!text || text->empty()) return std::nullopt;
  return text;
}

void ObjectReader::read_forwarded_values(const Json& forwarded, const std::string& at,
                                         CacheBehavior& behavior) {
  ForwardingRules& rules = behavior.forwarding;
  rules.source = ForwardingSource::forwarded_values;
  const std::string path = at + ".ForwardedValues";
  if (!forwarded.is_object()) {
    problem(path, "must be an object, not " + kind_of(forwarded));
    return;
  }
  // Headers: those listed, or '*' for all of them.
  rules.headers = {ForwardScope::listed, string_list(forwarded, "Headers", paths_.forwarded_headers(at)),
                   false};
  split_cloudfront_headers(rules.headers, rules.cloudfront_headers);
  if (std::find(rules.headers.names.begin(), rules.headers.names.end(), "*") != rules.headers.names.end()) {
    rules.headers = {ForwardScope::all, {}, false};
  }

  // QueryString false: "CloudFront doesn't forward any query string parameters to the origin".
  rules.query_strings = {ForwardScope::none, {}, false};
  if (const Json* query = field(forwarded, "QueryString")) {
    if (auto flag = bool_value(*query, path + ".QueryString", Need::essential); flag && *flag) {
      rules.query_strings.scope = ForwardScope::all;
    }
  } else {
    problem(path + ".QueryString", "required but missing; true forwards the query string, false removes it");
  }

  rules.cookies = {ForwardScope::none, {}, false};
  const std::string cookies_at = path + ".Cookies";
  const Json* cookies = field(forwarded, "Cookies");
  if (cookies == nullptr) {
    if (!cfn()) warning(cookies_at, "not set; no cookies are forwarded (Forward: none)");
    return;
  }
  if (!cookies->is_object()) {
    problem(cookies_at, "must be an object with Forward, not " + kind_of(*cookies));
    return;
  }
  const Json* forward = field(*cookies, "Forward");
  if (forward == nullptr) {
    problem(cookies_at + ".Forward", "required but missing; use " + joined(kLegacyCookieForwards));
    return;
  }
  const auto text = string_value(*forward, cookies_at + ".Forward", Need::essential);
  if (!text) return;
  if (*text == "all") {
    rules.cookies.scope = ForwardScope::all;
  } else if (*text == "whitelist") {
    rules.cookies.scope = ForwardScope::listed;
    rules.cookies.names = string_list(*cookies, "WhitelistedNames", cookies_at + ".WhitelistedNames");
    // The legacy list takes '*' and '?' wildcards ("userid_*").
    rules.cookies.names_have_wildcards = true;
    if (rules.cookies.names.empty()) {
      problem(cookies_at + ".WhitelistedNames", "required with Forward: whitelist; list the cookie names");
    }
  } else if (*text != "none") {
    problem(cookies_at + ".Forward", quote(*text) + " is not allowed; use " + joined(kLegacyCookieForwards));
  }
}

void ObjectReader::read_forwarding(const Json& value, const std::string& at, CacheBehavior& behavior) {
  std::optional<std::string> cache_id;
  std::optional<std::string> request_id;
  if (const Json* cache_policy = field(value, "CachePolicyId")) {
    cache_id = policy_reference(*cache_policy, at + ".CachePolicyId");
    behavior.cache_policy_id = cache_id;
  }
  if (const Json* request_policy = field(value, "OriginRequestPolicyId")) {
    request_id = policy_reference(*request_policy, at + ".OriginRequestPolicyId");
    behavior.origin_request_policy_id = request_id;
  }
  const Json* forwarded = field(value, "ForwardedValues");
  ForwardingRules& rules = behavior.forwarding;

  if (!cache_id && !request_id) {
    if (forwarded != nullptr) {
      read_forwarded_values(*forwarded, at, behavior);
    } else {
      rules = permissive_forwarding_rules(ForwardingSource::unspecified);
      warning(at,
              "has neither CachePolicyId nor ForwardedValues (the CDN requires one); every viewer header "
              "but Host and User-Agent, every cookie and the query string are forwarded");
    }
  } else {
    if (forwarded != nullptr && cache_id) {
      problem(at + ".ForwardedValues",
              "cannot be used with CachePolicyId (the CDN refuses the config); keep one of them");
    }
    const PolicySettings* cache = cache_id ? find_policy(*cache_id) : nullptr;
    const PolicySettings* request = request_id ? find_policy(*request_id) : nullptr;
    const auto unresolved = [&](const std::optional<std::string>& id, const PolicySettings* found,
                                const char* key) {
      if (!id || found != nullptr) return false;
      const std::string command =
          std::string("aws cloudfront get-") +
          (std::string_view(key) == "CachePolicyId" ? "cache-policy" : "origin-request-policy") + " --id " +
          *id;
      const std::string unknown = quote(*id) + " is not a managed policy" +
                                  (cfn() ? " nor a policy resource in this template" : std::string());
      warning(at + "." + key,
              unknown +
                  "; what it forwards cannot be told from here, so every viewer header but Host "
                  "and User-Agent, every cookie and the query string are forwarded (give the "
                  "policy with --policies FILE, from `" +
                  command + "`)");
      if (unresolved_ != nullptr) {
        unresolved_->push_back(
            {at + "." + key, unknown + "; give it with --policies FILE (the output of `" + command + "`)"});
      }
      return true;
    };
    const bool cache_unknown = unresolved(cache_id, cache, "CachePolicyId");
    const bool request_unknown = unresolved(request_id, request, "OriginRequestPolicyId");
    if (cache != nullptr && !cache->is_cache_policy) {
      problem(at + ".CachePolicyId", quote(*cache_id) + " is an origin request policy (" + cache->name + ")");
    } else if (request != nullptr && request->is_cache_policy) {
      problem(at + ".OriginRequestPolicyId",
              quote(*request_id) + " is a cache policy (" + request->name + ")");
    } else if (cache_unknown || request_unknown) {
      rules = permissive_forwarding_rules(ForwardingSource::unresolved_policy);
    } else {
      if (!cache_id) {
        warning(at + ".OriginRequestPolicyId",
                std::string("the CDN needs a CachePolicyId with an origin request policy; read as a cache "
                            "policy that includes nothing") +
                    (forwarded != nullptr ? " (ForwardedValues is not used with policies)" : ""));
      }
      rules.source = ForwardingSource::policies;
      rules.headers = {ForwardScope::none, {}, false};
      rules.cookies = {ForwardScope::none, {}, false};
      rules.query_strings = {ForwardScope::none, {}, false};
      for (const PolicySettings* policy : {cache, request}) {
        if (policy == nullptr) continue;
        rules.headers = rules.headers.merged_with(policy->headers, true);
        rules.cookies = rules.cookies.merged_with(policy->cookies, false);
        rules.query_strings = rules.query_strings.merged_with(policy->query_strings, false);
        add_cloudfront_headers(rules.cloudfront_headers, policy->cloudfront_headers);
      }
      if (cache != nullptr) {
        rules.cache_policy_name = cache->name;
        rules.accept_encoding_gzip = cache->accept_encoding_gzip;
        rules.accept_encoding_brotli = cache->accept_encoding_brotli;
      }
      if (request != nullptr) rules.origin_request_policy_name = request->name;
    }
  }

  std::string missing;
  std::size_t missing_count = 0;
  for (const auto& name : rules.cloudfront_headers) {
    if (edge_generates_cloudfront_header(name)) continue;
    if (missing_count++ < 4) missing += (missing.empty() ? "" : ", ") + name;
  }
  if (missing_count > 0) {
    if (missing_count > 4) missing += " and " + std::to_string(missing_count - 4) + " more";
    warning(at,
            "asks for CloudFront headers edgefetch does not produce (location and ASN need the CDN's "
            "databases; device detection and JA3/JA4 fingerprints are not implemented): " +
                missing + "; the origin does not receive them");
  }

  const bool host = rules.forwards_host();
  if (rules.source == ForwardingSource::unresolved_policy) {
    behavior.host_forwarding = HostForwarding::unknown_request_policy;
  } else if (host) {
    behavior.host_forwarding = rules.source == ForwardingSource::forwarded_values
                                   ? HostForwarding::legacy_headers
                                   : HostForwarding::origin_request_policy;
  } else {
    behavior.host_forwarding = HostForwarding::none;
  }
  behavior.forwards_host_header = host;
}

}  // namespace edgefetch::config::detail
