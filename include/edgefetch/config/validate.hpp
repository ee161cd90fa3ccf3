#pragma once
// Checks a DistributionConfig built in code (the reader already applies the
// same rules to what it reads). Every problem is returned, with field paths
// in the chosen spelling under `root`.

#include <string_view>
#include <vector>

#include "edgefetch/config/distribution.hpp"
#include "edgefetch/config/reader.hpp"

namespace edgefetch::config {

/// Empty when the config is valid. Checks: at least one origin; Id and
/// DomainName present; DomainName characters and length; OriginPath shape;
/// custom header names, count and sizes; ports; ConnectionAttempts;
/// ConnectionTimeout; OriginReadTimeout; OriginKeepaliveTimeout;
/// ResponseCompletionTimeout >= OriginReadTimeout; a non-empty OriginSslProtocols
/// for an origin that may use HTTPS; duplicate origin ids; behaviors whose
/// TargetOriginId is unknown; AllowedMethods/CachedMethods sets.
std::vector<Problem> validate(const DistributionConfig& config, Spelling spelling = Spelling::api,
                              std::string_view root = "DistributionConfig");

}  // namespace edgefetch::config
