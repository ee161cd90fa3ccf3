#pragma once
// Constant-time helpers for secret-dependent decisions (CBC padding and MAC
// checks). Masks are all-ones (true) or all-zeros (false); no branches on secrets.

#include <cstddef>
#include <cstdint>
#include <span>

namespace edgefetch::crypto {

/// Equality of two byte strings of public lengths (CRYPTO_memcmp); unequal
/// lengths compare unequal immediately (the lengths are not secret).
bool ct_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

/// All-ones if the top bit of `x` is set.
constexpr std::size_t ct_msb_mask(std::size_t x) {
  return static_cast<std::size_t>(0) - (x >> (sizeof(std::size_t) * 8 - 1));
}
/// All-ones if a < b.
constexpr std::size_t ct_lt_mask(std::size_t a, std::size_t b) {
  // The borrow of a - b, computed without comparisons (as in BoringSSL's constant_time_lt_w).
  return ct_msb_mask(a ^ ((a ^ b) | ((a - b) ^ a)));
}
/// All-ones if a >= b.
constexpr std::size_t ct_ge_mask(std::size_t a, std::size_t b) {
  return ~ct_lt_mask(a, b);
}
/// All-ones if x == 0.
constexpr std::size_t ct_is_zero_mask(std::size_t x) {
  return ct_msb_mask(~x & (x - 1));
}
/// All-ones if a == b.
constexpr std::size_t ct_eq_mask(std::size_t a, std::size_t b) {
  return ct_is_zero_mask(a ^ b);
}
/// mask ? a : b.
constexpr std::size_t ct_select(std::size_t mask, std::size_t a, std::size_t b) {
  return (mask & a) | (~mask & b);
}
/// Low byte of a mask.
constexpr std::uint8_t ct_byte(std::size_t mask) {
  return static_cast<std::uint8_t>(mask & 0xFF);
}

}  // namespace edgefetch::crypto
