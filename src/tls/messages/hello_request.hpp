#pragma once
// HelloRequest (RFC 5246 §7.4.1.1): an empty body; the server asks for a
// renegotiation, which the CDN never performs.

#include <cstdint>
#include <span>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

base::Expected<void, Error> decode_hello_request(std::span<const std::uint8_t> body);

}  // namespace edgefetch::tls::messages
