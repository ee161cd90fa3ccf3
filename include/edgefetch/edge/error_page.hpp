#pragma once
// The HTML page the edge sends when it answers a request itself (facts 5.3):
// the CDN's skeleton ("ERROR: The request could not be satisfied", an H1 with
// the status, one reason sentence, the generic advice, the Request ID), with
// edgefetch named as the generator.

#include <string>
#include <string_view>

namespace edgefetch::edge {

/// The reason sentence for an origin failure answered with `status` (502/504).
std::string_view origin_failure_sentence(int status);

/// The page. `reason` is one sentence (HTML-escaped here).
std::string error_page(int status, std::string_view reason, std::string_view request_id);

/// "Bad Gateway", "Gateway Timeout", ... (HTTP reason phrases; "Unknown" otherwise).
std::string_view reason_phrase(int status);

}  // namespace edgefetch::edge
