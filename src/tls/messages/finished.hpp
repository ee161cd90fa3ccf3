#pragma once
// Finished (RFC 5246 §7.4.9; RFC 6101 §5.6.9): verify_data of 12 bytes in TLS,
// 36 bytes (MD5 + SHA-1 hashes) in SSLv3.

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

/// The server's verify_data; its length must be exactly `expected_length`.
base::Expected<std::vector<std::uint8_t>, Error> decode_finished(std::span<const std::uint8_t> body,
                                                                 std::size_t expected_length);

/// The handshake message (header included).
std::vector<std::uint8_t> encode_finished(std::span<const std::uint8_t> verify_data);

}  // namespace edgefetch::tls::messages
