#pragma once
// Private, for tests: an Aead that uses EVP_CIPHER_CTX even when the provider's
// functions are available, so both paths can be checked against each other,
// and which path an Aead uses.

#include <cstdint>
#include <span>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/cipher.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::crypto::detail {

struct AeadAccess {
  static base::Expected<Aead, Error> create_over_evp(policy::BulkCipher cipher,
                                                     std::span<const std::uint8_t> key,
                                                     CipherDirection direction);
  static bool calls_provider_directly(const Aead& aead);
};

}  // namespace edgefetch::crypto::detail
