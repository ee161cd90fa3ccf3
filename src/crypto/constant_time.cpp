#include "edgefetch/crypto/constant_time.hpp"

#include <openssl/crypto.h>

namespace edgefetch::crypto {

bool ct_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) {
    return false;
  }
  if (a.empty()) {
    return true;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace edgefetch::crypto
