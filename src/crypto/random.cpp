#include "edgefetch/crypto/random.hpp"

#include <openssl/rand.h>

#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
#include "edgefetch/crypto/library.hpp"

namespace edgefetch::crypto {

base::Expected<void, Error> random_bytes(std::span<std::uint8_t> out) {
  if (out.empty()) {
    return {};
  }
  if (auto ready = initialize(); !ready) {
    return ready;
  }
  if (RAND_bytes_ex(detail::libctx(), out.data(), out.size(), 0) != 1) {
    return base::unexpected(detail::openssl_error("RAND_bytes_ex"));
  }
  return {};
}

}  // namespace edgefetch::crypto
