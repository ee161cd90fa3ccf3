// The CDN's managed cache policies and origin request policies, by id, with
// what each lets through to the origin (CloudFront Developer Guide, "Use
// managed cache policies" and "Use managed origin request policies"; the
// settings of HostHeaderOnly and the two UseOriginCacheControlHeaders
// policies are as the API returns them, the guide's sections on them being
// newer than the copy we read). What a cache policy puts in the cache key is
// also forwarded, so its lists are read the same way.

#include <algorithm>
#include <array>

#include "edgefetch/base/ascii.hpp"
#include "edgefetch/config/forwarding.hpp"

namespace edgefetch::config {

namespace {

ForwardedNames nothing() {
  return {ForwardScope::none, {}, false};
}
ForwardedNames everything() {
  return {ForwardScope::all, {}, false};
}
ForwardedNames only(std::vector<std::string> names) {
  return {ForwardScope::listed, std::move(names), false};
}

// Every CloudFront header the CDN had released by June 2022, which
// AllViewerAndCloudFrontHeaders-2022-06 adds (in the guide's order).
std::vector<std::string> cloudfront_headers_2022_06() {
  return {"CloudFront-Forwarded-Proto",
          "CloudFront-Is-Android-Viewer",
          "CloudFront-Is-Desktop-Viewer",
          "CloudFront-Is-IOS-Viewer",
          "CloudFront-Is-Mobile-Viewer",
          "CloudFront-Is-SmartTV-Viewer",
          "CloudFront-Is-Tablet-Viewer",
          "CloudFront-Viewer-Address",
          "CloudFront-Viewer-ASN",
          "CloudFront-Viewer-City",
          "CloudFront-Viewer-Country",
          "CloudFront-Viewer-Country-Name",
          "CloudFront-Viewer-Country-Region",
          "CloudFront-Viewer-Country-Region-Name",
          "CloudFront-Viewer-Http-Version",
          "CloudFront-Viewer-Latitude",
          "CloudFront-Viewer-Longitude",
          "CloudFront-Viewer-Metro-Code",
          "CloudFront-Viewer-Postal-Code",
          "CloudFront-Viewer-Time-Zone",
          "CloudFront-Viewer-TLS"};
}

PolicySettings request_policy(std::string id, std::string name, ForwardedNames headers,
                              ForwardedNames cookies, ForwardedNames query_strings,
                              std::vector<std::string> cloudfront = {}) {
  PolicySettings policy;
  policy.id = std::move(id);
  policy.name = std::move(name);
  policy.headers = std::move(headers);
  policy.cookies = std::move(cookies);
  policy.query_strings = std::move(query_strings);
  policy.cloudfront_headers = std::move(cloudfront);
  return policy;
}

PolicySettings cache_policy(std::string id, std::string name, ForwardedNames headers, ForwardedNames cookies,
                            ForwardedNames query_strings, bool gzip, bool brotli,
                            std::vector<std::string> cloudfront = {}) {
  PolicySettings policy = request_policy(std::move(id), std::move(name), std::move(headers),
                                         std::move(cookies), std::move(query_strings), std::move(cloudfront));
  policy.is_cache_policy = true;
  policy.accept_encoding_gzip = gzip;
  policy.accept_encoding_brotli = brotli;
  return policy;
}

std::vector<PolicySettings> make_managed_policies() {
  std::vector<PolicySettings> policies;
  // Origin request policies.
  policies.push_back(request_policy("216adef6-5c7f-47e4-b989-5492eafa07d3", "Managed-AllViewer", everything(),
                                    everything(), everything()));
  policies.push_back(request_policy("33f36d7e-f396-46d9-90e0-52428a34d9dc",
                                    "Managed-AllViewerAndCloudFrontHeaders-2022-06", everything(),
                                    everything(), everything(), cloudfront_headers_2022_06()));
  policies.push_back(request_policy("b689b0a8-53d0-40ab-baf2-68738e2966ac",
                                    "Managed-AllViewerExceptHostHeader",
                                    {ForwardScope::all_except, {"Host"}, false}, everything(), everything()));
  policies.push_back(request_policy("59781a5b-3903-41f3-afcb-af62929ccde1", "Managed-CORS-CustomOrigin",
                                    only({"Origin"}), nothing(), nothing()));
  policies.push_back(
      request_policy("88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", "Managed-CORS-S3Origin",
                     only({"Origin", "Access-Control-Request-Headers", "Access-Control-Request-Method"}),
                     nothing(), nothing()));
  policies.push_back(request_policy("775133bc-15f2-49f9-abea-afb2e0bf67d2",
                                    "Managed-Elemental-MediaTailor-PersonalizedManifests",
                                    only({"Origin", "Access-Control-Request-Headers",
                                          "Access-Control-Request-Method", "User-Agent", "X-Forwarded-For"}),
                                    nothing(), everything()));
  policies.push_back(request_policy("bf0718e1-ba1e-49d1-88b1-f726733018ae", "Managed-HostHeaderOnly",
                                    only({"Host"}), nothing(), nothing()));
  policies.push_back(request_policy("acba4595-bd28-49b8-b9fe-13317c0390fa", "Managed-UserAgentRefererHeaders",
                                    only({"User-Agent", "Referer"}), nothing(), nothing()));
  // Cache policies.
  policies.push_back(cache_policy("2e54312d-136d-493c-8eb9-b001f22f67d2", "Managed-Amplify",
                                  only({"Authorization", "Host"}), everything(), everything(), true, true,
                                  {"CloudFront-Viewer-Country"}));
  policies.push_back(cache_policy("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "Managed-CachingDisabled",
                                  nothing(), nothing(), nothing(), false, false));
  policies.push_back(cache_policy("658327ea-f89d-4fab-a63d-7e88639e58f6", "Managed-CachingOptimized",
                                  nothing(), nothing(), nothing(), true, true));
  policies.push_back(cache_policy("b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
                                  "Managed-CachingOptimizedForUncompressedObjects", nothing(), nothing(),
                                  nothing(), false, false));
  policies.push_back(cache_policy("08627262-05a9-4f76-9ded-b50ca2e3a84f", "Managed-Elemental-MediaPackage",
                                  only({"Origin"}), nothing(),
                                  only({"aws.manifestfilter", "start", "end", "m"}), true, false));
  const auto origin_cache_control_headers = [] {
    return only({"Host", "Origin", "X-HTTP-Method", "X-HTTP-Method-Override", "X-Method-Override"});
  };
  policies.push_back(cache_policy("83da9c7e-98b4-4e11-a168-04f0df8e2c65",
                                  "Managed-UseOriginCacheControlHeaders", origin_cache_control_headers(),
                                  everything(), nothing(), true, true));
  policies.push_back(cache_policy("4cc15a8a-d715-48a4-82b8-cc0b614638fe",
                                  "Managed-UseOriginCacheControlHeaders-QueryStrings",
                                  origin_cache_control_headers(), everything(), everything(), true, true));
  return policies;
}

}  // namespace

const PolicySettings* find_managed_policy(std::string_view id) {
  static const std::vector<PolicySettings> policies = make_managed_policies();
  const auto found =
      std::find_if(policies.begin(), policies.end(), [&](const PolicySettings& p) { return p.id == id; });
  return found == policies.end() ? nullptr : &*found;
}

bool is_cloudfront_header(std::string_view name) {
  constexpr std::string_view kPrefix = "CloudFront-";
  return name.size() > kPrefix.size() && base::iequals(name.substr(0, kPrefix.size()), kPrefix);
}

bool edge_generates_cloudfront_header(std::string_view name) {
  return std::any_of(kEdgeGeneratedCloudFrontHeaders.begin(), kEdgeGeneratedCloudFrontHeaders.end(),
                     [&](std::string_view generated) { return base::iequals(generated, name); });
}

}  // namespace edgefetch::config
