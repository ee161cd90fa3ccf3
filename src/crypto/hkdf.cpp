#include "edgefetch/crypto/hkdf.hpp"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/library.hpp"

namespace edgefetch::crypto {
namespace {

using EvpKdfPtr = std::unique_ptr<EVP_KDF, detail::OpenSslDeleter<EVP_KDF_free>>;

// Fetched once from our library context (fetching takes the method-store lock);
// kept for the life of the process like the other cached algorithms.
EVP_KDF* hkdf_kdf() {
  static const EvpKdfPtr kdf(EVP_KDF_fetch(detail::libctx(), "HKDF", nullptr));
  return kdf.get();
}

base::Expected<void, Error> derive(policy::HashAlgorithm hash, int mode, std::span<const std::uint8_t> key,
                                   std::span<const std::uint8_t> salt, std::span<const std::uint8_t> info,
                                   std::span<std::uint8_t> out) {
  if (auto ready = initialize(); !ready) {
    return ready;
  }
  if (hash == policy::HashAlgorithm::md5_sha1) {
    return base::unexpected(Error{"HKDF is not defined over MD5-SHA1"});
  }
  EVP_KDF* kdf = hkdf_kdf();
  if (kdf == nullptr) {
    return base::unexpected(detail::openssl_error("EVP_KDF_fetch(HKDF)"));
  }
  detail::EvpKdfCtxPtr ctx(EVP_KDF_CTX_new(kdf));
  if (!ctx) {
    return base::unexpected(detail::openssl_error("EVP_KDF_CTX_new(HKDF)"));
  }
  std::array<OSSL_PARAM, 6> params{};
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] =
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(detail::md_name(hash)), 0);
  params[n++] = OSSL_PARAM_construct_octet_string(
      OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(detail::data_or_empty(key.data())), key.size());
  if (!salt.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                                    const_cast<std::uint8_t*>(salt.data()), salt.size());
  }
  if (!info.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                    const_cast<std::uint8_t*>(info.data()), info.size());
  }
  params[n] = OSSL_PARAM_construct_end();
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params.data()) != 1) {
    return base::unexpected(detail::openssl_error("EVP_KDF_derive(HKDF)"));
  }
  return {};
}

}  // namespace

base::Expected<SecretBytes, Error> hkdf_extract(policy::HashAlgorithm hash,
                                                std::span<const std::uint8_t> salt,
                                                std::span<const std::uint8_t> ikm) {
  SecretBytes out(digest_length(hash));
  // An empty IKM is legal (and common: no PSK); libcrypto wants the key parameter present.
  if (auto done = derive(hash, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, salt, {}, out); !done) {
    return base::unexpected(done.error());
  }
  return out;
}

base::Expected<SecretBytes, Error> hkdf_expand(policy::HashAlgorithm hash, std::span<const std::uint8_t> prk,
                                               std::span<const std::uint8_t> info, std::size_t length) {
  const std::size_t hash_length = digest_length(hash);
  if (length == 0 || length > 255 * hash_length) {
    return base::unexpected(Error{"HKDF-Expand output length " + std::to_string(length) + " out of range"});
  }
  if (prk.size() < hash_length) {
    return base::unexpected(Error{"HKDF-Expand PRK shorter than the hash"});
  }
  SecretBytes out(length);
  if (auto done = derive(hash, EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, {}, info, out); !done) {
    return base::unexpected(done.error());
  }
  return out;
}

base::Expected<SecretBytes, Error> hkdf_expand_label(policy::HashAlgorithm hash,
                                                     std::span<const std::uint8_t> secret,
                                                     std::string_view label,
                                                     std::span<const std::uint8_t> context,
                                                     std::size_t length) {
  constexpr std::string_view kPrefix = "tls13 ";
  const std::size_t label_length = kPrefix.size() + label.size();
  if (label_length > 255 || context.size() > 255 || length > 0xFFFF) {
    return base::unexpected(Error{"HKDF-Expand-Label input too long"});
  }
  std::vector<std::uint8_t> info;
  info.reserve(2 + 1 + label_length + 1 + context.size());
  info.push_back(static_cast<std::uint8_t>(length >> 8));
  info.push_back(static_cast<std::uint8_t>(length));
  info.push_back(static_cast<std::uint8_t>(label_length));
  info.insert(info.end(), kPrefix.begin(), kPrefix.end());
  info.insert(info.end(), label.begin(), label.end());
  info.push_back(static_cast<std::uint8_t>(context.size()));
  info.insert(info.end(), context.begin(), context.end());
  return hkdf_expand(hash, secret, info, length);
}

}  // namespace edgefetch::crypto
