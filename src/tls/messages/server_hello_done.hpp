#pragma once
// ServerHelloDone (RFC 5246 §7.4.5): an empty body.

#include <cstdint>
#include <span>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

base::Expected<void, Error> decode_server_hello_done(std::span<const std::uint8_t> body);

}  // namespace edgefetch::tls::messages
