#pragma once
// Private: edgefetch's OSSL_LIB_CTX and the algorithms fetched from it once.
// Fetching (EVP_MD_fetch, EVP_CIPHER_fetch) takes locks and a method-store
// lookup; doing it once here keeps it off the per-record path.

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::crypto::detail {

/// The library context (never null after a successful initialize(); the
/// default context is never used).
OSSL_LIB_CTX* libctx();

/// Cached fetched algorithms; nullptr when unavailable (e.g. RC4 without the legacy provider).
const EVP_MD* md(policy::HashAlgorithm hash);
const EVP_CIPHER* cipher(policy::BulkCipher cipher);
EVP_MAC* hmac_mac();
EVP_KDF* tls1_prf_kdf();

/// OpenSSL's name for a digest ("SHA256", "MD5-SHA1").
const char* md_name(policy::HashAlgorithm hash);

}  // namespace edgefetch::crypto::detail
