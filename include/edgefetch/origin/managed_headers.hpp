#pragma once
// The request headers the origin client writes itself: they frame the message
// or steer the connection, so a caller's copy would contradict the client's.

#include <string_view>

namespace edgefetch::origin {

/// Content-Length, Transfer-Encoding, TE, Trailer, Upgrade, Connection and
/// Proxy-Connection (any case).
bool is_client_managed_header(std::string_view name);

}  // namespace edgefetch::origin
