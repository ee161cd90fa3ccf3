#include "edgefetch/crypto/secret.hpp"

#include <openssl/crypto.h>

namespace edgefetch::crypto {

void secure_wipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) {
    OPENSSL_cleanse(p, n);
  }
}

}  // namespace edgefetch::crypto
