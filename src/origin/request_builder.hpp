#pragma once
// The HTTP/1.1 request the CDN sends to an origin, as a Beast message.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "edgefetch/origin/config.hpp"

namespace edgefetch::origin {

/// Request line, Host (the domain or the forwarded Host), User-Agent: Amazon
/// CloudFront, Connection: Keep-Alive (facts 5.1), then the request's own
/// headers in order (replacing or, with an empty value, removing a default),
/// and Content-Length when there is a body.
boost::beast::http::request<boost::beast::http::string_body> build_request(const OriginConfig& config,
                                                                           const Request& request);

}  // namespace edgefetch::origin
