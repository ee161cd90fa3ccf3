#pragma once
// Private helpers of the crypto layer: unique_ptr aliases for OpenSSL objects
// and turning libcrypto's error queue into our Error.

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "edgefetch/crypto/error.hpp"

namespace edgefetch::crypto::detail {

template <auto Free>
struct OpenSslDeleter {
  template <class T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OpenSslDeleter<EVP_CIPHER_CTX_free>>;
using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, OpenSslDeleter<EVP_MAC_CTX_free>>;
using EvpKdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, OpenSslDeleter<EVP_KDF_CTX_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX_free>>;

struct X509StackDeleter {
  void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_pop_free(stack, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;

/// Drains libcrypto's error queue into one string ("" if empty).
std::string drain_openssl_errors();

/// Error "what: <libcrypto reason>", draining the error queue.
Error openssl_error(std::string_view what);

/// For operations that cannot fail short of memory exhaustion or a broken
/// libcrypto (hashing with algorithms fetched at start-up): report and abort.
[[noreturn]] void fatal_libcrypto_failure(const char* what);

/// A non-null pointer for empty inputs (OpenSSL rejects null even with length 0).
inline const std::uint8_t* data_or_empty(const std::uint8_t* data) {
  static constexpr std::uint8_t kEmptyInput = 0;
  return data != nullptr ? data : &kEmptyInput;
}

}  // namespace edgefetch::crypto::detail
