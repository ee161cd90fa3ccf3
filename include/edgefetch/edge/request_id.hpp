#pragma once
// Identifiers the edge hands out: the per-request id it sends to the origin and
// the viewer as X-Amz-Cf-Id (and logs), and the per-process host id in Via.

#include <string>

namespace edgefetch::edge {

/// Length of a request id: 56 characters, like the CDN's X-Amz-Cf-Id.
inline constexpr std::size_t kRequestIdLength = 56;

/// 42 random bytes as unpadded base64url (A-Z a-z 0-9 '-' '_'): 56 characters.
/// The CDN's ids are opaque; this keeps their length and alphabet.
std::string make_request_id();

/// 32 lower-case hex characters, random per call (the edge draws one at start).
std::string make_host_id();

}  // namespace edgefetch::edge
