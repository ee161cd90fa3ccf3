#pragma once
// The request head the pooled client writes: the edge's headers as given, then
// `Connection: Keep-Alive` (facts 5.1) and the body framing, which only the
// client writes (one framing header, never two: no smuggling through it).

#include <string>
#include <string_view>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/origin/client.hpp"
#include "edgefetch/origin/managed_headers.hpp"

namespace edgefetch::origin {

// is_client_managed_header() (edgefetch/origin/managed_headers.hpp): the
// headers the edge must not pass in RequestHead::headers.

/// Validates the head (method token, origin-form target, exactly one Host,
/// header names and values, no client-managed header, one framing) and
/// serializes it. Error: FailureKind::invalid_request with what is wrong.
base::Expected<std::string, FetchError> serialize_request_head(const RequestHead& head);

/// GET and HEAD: what the CDN retries after a read timeout (facts 1.6).
bool is_retryable_method(std::string_view method);

}  // namespace edgefetch::origin
