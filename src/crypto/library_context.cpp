#include "crypto/library_context.hpp"

#include <openssl/err.h>
#include <openssl/provider.h>

#include <array>
#include <cstddef>
#include <string>

#include "crypto/openssl_util.hpp"
#include "edgefetch/crypto/library.hpp"

namespace edgefetch::crypto {
namespace detail {
namespace {

using policy::BulkCipher;
using policy::HashAlgorithm;

constexpr std::array<HashAlgorithm, 7> kHashes = {
    HashAlgorithm::md5,    HashAlgorithm::sha1,   HashAlgorithm::sha224,  HashAlgorithm::sha256,
    HashAlgorithm::sha384, HashAlgorithm::sha512, HashAlgorithm::md5_sha1};
constexpr std::array<BulkCipher, 7> kCiphers = {
    BulkCipher::aes_128_gcm,  BulkCipher::aes_256_gcm, BulkCipher::aes_128_cbc,      BulkCipher::aes_256_cbc,
    BulkCipher::des_ede3_cbc, BulkCipher::rc4_128,     BulkCipher::chacha20_poly1305};

// md() and cipher() index these arrays by enumerator value.
static_assert(static_cast<std::size_t>(HashAlgorithm::md5_sha1) == 6);
static_assert(static_cast<std::size_t>(BulkCipher::chacha20_poly1305) == 6);

const char* cipher_name(BulkCipher c) {
  switch (c) {
    case BulkCipher::aes_128_gcm:
      return "AES-128-GCM";
    case BulkCipher::aes_256_gcm:
      return "AES-256-GCM";
    case BulkCipher::aes_128_cbc:
      return "AES-128-CBC";
    case BulkCipher::aes_256_cbc:
      return "AES-256-CBC";
    case BulkCipher::des_ede3_cbc:
      return "DES-EDE3-CBC";
    case BulkCipher::rc4_128:
      return "RC4";
    case BulkCipher::chacha20_poly1305:
      return "ChaCha20-Poly1305";
  }
  return "";
}

// The process keeps one Library for its whole life. It is deliberately never
// freed: tearing down a library context from a static destructor races with
// OpenSSL's own atexit cleanup and with threads still using it.
struct Library {
  OSSL_LIB_CTX* ctx = nullptr;
  bool legacy = false;
  std::array<EVP_MD*, kHashes.size()> mds{};
  std::array<EVP_CIPHER*, kCiphers.size()> ciphers{};
  EVP_MAC* hmac = nullptr;
  EVP_KDF* tls1_prf = nullptr;
  std::string error;  // non-empty when initialisation failed
};

Library* create_library() {
  auto* lib = new Library();  // NOLINT(cppcoreguidelines-owning-memory): intentionally immortal, see above
  lib->ctx = OSSL_LIB_CTX_new();
  if (lib->ctx == nullptr) {
    lib->error = openssl_error("OSSL_LIB_CTX_new").message;
    return lib;
  }
  // Providers loaded into our context only; no configuration file is read.
  if (OSSL_PROVIDER_load(lib->ctx, "default") == nullptr) {
    lib->error = openssl_error("loading the OpenSSL default provider").message;
    return lib;
  }
  lib->legacy = OSSL_PROVIDER_load(lib->ctx, "legacy") != nullptr;
  ERR_clear_error();  // a missing legacy provider is not an error; RC4 is then unavailable
  for (std::size_t i = 0; i < kHashes.size(); ++i) {
    lib->mds[i] = EVP_MD_fetch(lib->ctx, md_name(kHashes[i]), nullptr);
    if (lib->mds[i] == nullptr) {
      lib->error = openssl_error(std::string("fetching digest ") + md_name(kHashes[i])).message;
      return lib;
    }
  }
  for (std::size_t i = 0; i < kCiphers.size(); ++i) {
    lib->ciphers[i] = EVP_CIPHER_fetch(lib->ctx, cipher_name(kCiphers[i]), nullptr);
    if (lib->ciphers[i] == nullptr && kCiphers[i] != BulkCipher::rc4_128) {
      lib->error = openssl_error(std::string("fetching cipher ") + cipher_name(kCiphers[i])).message;
      return lib;
    }
  }
  ERR_clear_error();
  lib->hmac = EVP_MAC_fetch(lib->ctx, "HMAC", nullptr);
  lib->tls1_prf = EVP_KDF_fetch(lib->ctx, "TLS1-PRF", nullptr);
  if (lib->hmac == nullptr || lib->tls1_prf == nullptr) {
    lib->error = openssl_error("fetching HMAC / TLS1-PRF").message;
  }
  return lib;
}

const Library& library() {
  static const Library* const lib = create_library();  // thread-safe initialisation (C++11 statics)
  return *lib;
}

}  // namespace

OSSL_LIB_CTX* libctx() {
  return library().ctx;
}

const char* md_name(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::md5:
      return "MD5";
    case HashAlgorithm::sha1:
      return "SHA1";
    case HashAlgorithm::sha224:
      return "SHA224";
    case HashAlgorithm::sha256:
      return "SHA256";
    case HashAlgorithm::sha384:
      return "SHA384";
    case HashAlgorithm::sha512:
      return "SHA512";
    case HashAlgorithm::md5_sha1:
      return "MD5-SHA1";
  }
  return "";
}

const EVP_MD* md(HashAlgorithm hash) {
  return library().mds[static_cast<std::size_t>(hash)];
}
const EVP_CIPHER* cipher(BulkCipher c) {
  return library().ciphers[static_cast<std::size_t>(c)];
}
EVP_MAC* hmac_mac() {
  return library().hmac;
}
EVP_KDF* tls1_prf_kdf() {
  return library().tls1_prf;
}

}  // namespace detail

base::Expected<void, Error> initialize() {
  const auto& lib = detail::library();
  if (!lib.error.empty()) {
    return base::unexpected(Error{lib.error});
  }
  return {};
}

bool legacy_provider_available() {
  return detail::library().legacy && detail::cipher(policy::BulkCipher::rc4_128) != nullptr;
}

}  // namespace edgefetch::crypto
