#include "edgefetch/crypto/hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <array>

#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/library.hpp"

namespace edgefetch::crypto {

struct Hmac::Impl {
  detail::EvpMacCtxPtr ctx;
};

Hmac::Hmac(policy::HashAlgorithm hash, std::unique_ptr<Impl> impl)
    : hash_(hash), length_(digest_length(hash)), impl_(std::move(impl)) {}
Hmac::~Hmac() = default;
Hmac::Hmac(Hmac&&) noexcept = default;
Hmac& Hmac::operator=(Hmac&&) noexcept = default;

base::Expected<Hmac, Error> Hmac::create(policy::HashAlgorithm hash, std::span<const std::uint8_t> key) {
  if (auto ready = initialize(); !ready) {
    return base::unexpected(ready.error());
  }
  if (hash == policy::HashAlgorithm::md5_sha1) {
    return base::unexpected(Error{"HMAC with MD5-SHA1 is not defined"});
  }
  auto impl = std::make_unique<Impl>();
  impl->ctx.reset(EVP_MAC_CTX_new(detail::hmac_mac()));
  if (!impl->ctx) {
    return base::unexpected(detail::openssl_error("EVP_MAC_CTX_new(HMAC)"));
  }
  // The digest is fetched by the HMAC implementation from our library context
  // once, here; later messages only re-initialise from the keyed state.
  const std::array<OSSL_PARAM, 2> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(detail::md_name(hash)), 0),
      OSSL_PARAM_construct_end()};
  // An empty key is legal HMAC; OpenSSL needs a non-null pointer for it.
  if (EVP_MAC_init(impl->ctx.get(), detail::data_or_empty(key.data()), key.size(), params.data()) != 1) {
    return base::unexpected(detail::openssl_error("EVP_MAC_init(HMAC)"));
  }
  return Hmac(hash, std::move(impl));
}

void Hmac::update(std::span<const std::uint8_t> data) {
  if (data.empty()) {
    return;
  }
  if (EVP_MAC_update(impl_->ctx.get(), data.data(), data.size()) != 1) {
    detail::fatal_libcrypto_failure("EVP_MAC_update");
  }
}

void Hmac::finish(std::span<std::uint8_t> out) {
  std::size_t written = 0;
  if (out.size() < length_ || EVP_MAC_final(impl_->ctx.get(), out.data(), &written, out.size()) != 1 ||
      written != length_) {
    detail::fatal_libcrypto_failure("EVP_MAC_final");
  }
  reset();
}

std::vector<std::uint8_t> Hmac::finish() {
  std::vector<std::uint8_t> out(length_);
  finish(out);
  return out;
}

void Hmac::reset() {
  // A null key re-initialises with the key already set (cheap state copy).
  if (EVP_MAC_init(impl_->ctx.get(), nullptr, 0, nullptr) != 1) {
    detail::fatal_libcrypto_failure("EVP_MAC_init(reset)");
  }
}

base::Expected<std::vector<std::uint8_t>, Error> hmac(policy::HashAlgorithm hash,
                                                      std::span<const std::uint8_t> key,
                                                      std::span<const std::uint8_t> data) {
  auto mac = Hmac::create(hash, key);
  if (!mac) {
    return base::unexpected(mac.error());
  }
  mac->update(data);
  return mac->finish();
}

}  // namespace edgefetch::crypto
