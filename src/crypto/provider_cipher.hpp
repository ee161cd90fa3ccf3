#pragma once
// Private: the functions a provider implements for one cipher (provider-cipher(7)),
// so that Aead can call them without EVP_CIPHER_CTX in between.
//
// Why: with OpenSSL 3.0 every EVP_CipherInit_ex2 that only sets a nonce asks
// the provider for the IV length through get_ctx_params (an OSSL_PARAM round
// trip that string-compares every parameter the cipher knows), and every
// EVP_CIPHER_CTX_ctrl for the tag is converted into an OSSL_PARAM array first.
// Calling the provider's encrypt_init/decrypt_init with just the nonce, and its
// get/set_ctx_params with one prebuilt tag parameter, removes that per-record
// overhead (about 1k instructions per record); the algorithm code, including
// the constant-time tag check, is the provider's own either way.
//
// Only the public provider interface is used (OSSL_PROVIDER_query_operation,
// <openssl/core_dispatch.h>). The implementation is the one the fetched
// EVP_CIPHER came from: same provider, same name, and it must be the only one
// of that provider with that name.

#include <openssl/core_dispatch.h>

#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::crypto::detail {

struct ProviderCipher {
  void* provider_context = nullptr;  // the provider's own, passed to newctx
  OSSL_FUNC_cipher_newctx_fn* newctx = nullptr;
  OSSL_FUNC_cipher_freectx_fn* freectx = nullptr;
  OSSL_FUNC_cipher_encrypt_init_fn* encrypt_init = nullptr;
  OSSL_FUNC_cipher_decrypt_init_fn* decrypt_init = nullptr;
  OSSL_FUNC_cipher_update_fn* update = nullptr;
  OSSL_FUNC_cipher_final_fn* final = nullptr;
  OSSL_FUNC_cipher_get_ctx_params_fn* get_ctx_params = nullptr;
  OSSL_FUNC_cipher_set_ctx_params_fn* set_ctx_params = nullptr;
};

/// The provider functions of `cipher` (resolved once, thread-safe), or nullptr
/// when they cannot be resolved unambiguously or one is missing; callers then
/// use EVP_CIPHER_CTX. The functions stay valid for the life of the process
/// (the library context and its providers are never unloaded).
const ProviderCipher* provider_cipher(policy::BulkCipher cipher);

}  // namespace edgefetch::crypto::detail
