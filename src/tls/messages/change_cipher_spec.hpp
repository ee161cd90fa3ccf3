#pragma once
// ChangeCipherSpec (RFC 5246 §7.1): one byte, value 1.

#include <array>
#include <cstdint>
#include <span>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

inline constexpr std::array<std::uint8_t, 1> kChangeCipherSpec{1};

base::Expected<void, Error> decode_change_cipher_spec(std::span<const std::uint8_t> fragment);

}  // namespace edgefetch::tls::messages
