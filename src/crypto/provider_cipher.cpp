#include "crypto/provider_cipher.hpp"

#include <openssl/core.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "crypto/library_context.hpp"
#include "edgefetch/base/ascii.hpp"
#include "edgefetch/crypto/library.hpp"

namespace edgefetch::crypto::detail {
namespace {

using policy::BulkCipher;

constexpr std::size_t kCipherCount = static_cast<std::size_t>(BulkCipher::chacha20_poly1305) + 1;

// True when `name` is one of the ':'-separated names of an OSSL_ALGORITHM
// (OpenSSL compares algorithm names without regard to case).
bool names_contain(std::string_view names, std::string_view name) {
  while (!names.empty()) {
    const std::size_t colon = names.find(':');
    if (base::iequals(names.substr(0, colon), name)) return true;
    if (colon == std::string_view::npos) break;
    names.remove_prefix(colon + 1);
  }
  return false;
}

ProviderCipher functions_of(const OSSL_DISPATCH* dispatch, void* provider_context) {
  ProviderCipher f;
  f.provider_context = provider_context;
  for (; dispatch->function_id != 0; ++dispatch) {
    switch (dispatch->function_id) {
      case OSSL_FUNC_CIPHER_NEWCTX:
        f.newctx = OSSL_FUNC_cipher_newctx(dispatch);
        break;
      case OSSL_FUNC_CIPHER_FREECTX:
        f.freectx = OSSL_FUNC_cipher_freectx(dispatch);
        break;
      case OSSL_FUNC_CIPHER_ENCRYPT_INIT:
        f.encrypt_init = OSSL_FUNC_cipher_encrypt_init(dispatch);
        break;
      case OSSL_FUNC_CIPHER_DECRYPT_INIT:
        f.decrypt_init = OSSL_FUNC_cipher_decrypt_init(dispatch);
        break;
      case OSSL_FUNC_CIPHER_UPDATE:
        f.update = OSSL_FUNC_cipher_update(dispatch);
        break;
      case OSSL_FUNC_CIPHER_FINAL:
        f.final = OSSL_FUNC_cipher_final(dispatch);
        break;
      case OSSL_FUNC_CIPHER_GET_CTX_PARAMS:
        f.get_ctx_params = OSSL_FUNC_cipher_get_ctx_params(dispatch);
        break;
      case OSSL_FUNC_CIPHER_SET_CTX_PARAMS:
        f.set_ctx_params = OSSL_FUNC_cipher_set_ctx_params(dispatch);
        break;
      default:
        break;
    }
  }
  return f;
}

bool complete(const ProviderCipher& f) {
  return f.provider_context != nullptr && f.newctx != nullptr && f.freectx != nullptr &&
         f.encrypt_init != nullptr && f.decrypt_init != nullptr && f.update != nullptr &&
         f.final != nullptr && f.get_ctx_params != nullptr && f.set_ctx_params != nullptr;
}

std::optional<ProviderCipher> resolve(BulkCipher which) {
  const EVP_CIPHER* cipher = detail::cipher(which);
  if (cipher == nullptr) return std::nullopt;
  const OSSL_PROVIDER* provider = EVP_CIPHER_get0_provider(cipher);
  const char* name = EVP_CIPHER_get0_name(cipher);
  if (provider == nullptr || name == nullptr) return std::nullopt;
  int no_cache = 0;
  const OSSL_ALGORITHM* algorithms = OSSL_PROVIDER_query_operation(provider, OSSL_OP_CIPHER, &no_cache);
  if (algorithms == nullptr) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::optional<ProviderCipher> found;
  bool ambiguous = false;
  for (const OSSL_ALGORITHM* a = algorithms; a->algorithm_names != nullptr; ++a) {
    if (!names_contain(a->algorithm_names, name)) continue;
    if (found) {
      ambiguous = true;  // which one EVP picked cannot be told from here
      break;
    }
    found = functions_of(a->implementation, OSSL_PROVIDER_get0_provider_ctx(provider));
  }
  // The function pointers were copied out; the array itself may be released.
  OSSL_PROVIDER_unquery_operation(provider, OSSL_OP_CIPHER, algorithms);
  if (ambiguous || !found || !complete(*found)) return std::nullopt;
  return found;
}

struct ResolvedCiphers {
  std::array<std::optional<ProviderCipher>, kCipherCount> ciphers;
};

ResolvedCiphers resolve_aeads() {
  ResolvedCiphers resolved;
  if (!initialize()) return resolved;
  for (const auto which : {BulkCipher::aes_128_gcm, BulkCipher::aes_256_gcm, BulkCipher::chacha20_poly1305}) {
    resolved.ciphers[static_cast<std::size_t>(which)] = resolve(which);
  }
  return resolved;
}

}  // namespace

const ProviderCipher* provider_cipher(BulkCipher cipher) {
  static const ResolvedCiphers resolved = resolve_aeads();  // thread-safe initialisation
  const auto& entry = resolved.ciphers[static_cast<std::size_t>(cipher)];
  return entry ? &*entry : nullptr;
}

}  // namespace edgefetch::crypto::detail
