#pragma once
// Cryptographically secure random bytes from edgefetch's library context.

#include <cstdint>
#include <span>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"

namespace edgefetch::crypto {

/// Fills `out` with random bytes (RAND_bytes_ex). Fails only if the DRBG cannot be seeded.
base::Expected<void, Error> random_bytes(std::span<std::uint8_t> out);

}  // namespace edgefetch::crypto
