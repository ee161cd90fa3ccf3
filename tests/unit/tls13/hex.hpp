#pragma once
// Hex helpers for the TLS 1.3 known-answer tests (RFC 8448 prints bytes as
// hex): the crypto tests' helpers under the names these tests use.

#include <cstdint>
#include <string_view>
#include <vector>

#include "unit/crypto/hex.hpp"

namespace edgefetch::tls::tls13::test {

inline std::vector<std::uint8_t> hex(std::string_view text) {
  return crypto::test::from_hex(text);
}
using crypto::test::to_hex;

}  // namespace edgefetch::tls::tls13::test
