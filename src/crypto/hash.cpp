#include "edgefetch/crypto/hash.hpp"

#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"

namespace edgefetch::crypto {

namespace {

const EVP_MD* checked_md(HashAlgorithm hash) {
  const EVP_MD* md = detail::md(hash);
  if (md == nullptr) {
    detail::fatal_libcrypto_failure("digest fetch");
  }
  return md;
}

}  // namespace

std::size_t digest_length(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::md5:
      return 16;
    case HashAlgorithm::sha1:
      return 20;
    case HashAlgorithm::sha224:
      return 28;
    case HashAlgorithm::sha256:
      return 32;
    case HashAlgorithm::sha384:
      return 48;
    case HashAlgorithm::sha512:
      return 64;
    case HashAlgorithm::md5_sha1:
      return 36;
  }
  return 0;
}

std::size_t digest_block_length(HashAlgorithm hash) {
  return (hash == HashAlgorithm::sha384 || hash == HashAlgorithm::sha512) ? 128 : 64;
}

std::vector<std::uint8_t> digest(HashAlgorithm hash, std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> out(digest_length(hash));
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, checked_md(hash), nullptr) != 1 ||
      length != out.size()) {
    detail::fatal_libcrypto_failure("EVP_Digest");
  }
  return out;
}

struct HashContext::Impl {
  detail::EvpMdCtxPtr ctx;
};

HashContext::HashContext(HashAlgorithm hash) : hash_(hash), impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  if (!impl_->ctx || EVP_DigestInit_ex2(impl_->ctx.get(), checked_md(hash), nullptr) != 1) {
    detail::fatal_libcrypto_failure("EVP_DigestInit_ex2");
  }
}

HashContext::~HashContext() = default;
HashContext::HashContext(HashContext&&) noexcept = default;
HashContext& HashContext::operator=(HashContext&&) noexcept = default;

HashContext::HashContext(const HashContext& other) : hash_(other.hash_), impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  if (!impl_->ctx || EVP_MD_CTX_copy_ex(impl_->ctx.get(), other.impl_->ctx.get()) != 1) {
    detail::fatal_libcrypto_failure("EVP_MD_CTX_copy_ex");
  }
}

HashContext& HashContext::operator=(const HashContext& other) {
  if (this != &other) {
    HashContext copy(other);
    *this = std::move(copy);
  }
  return *this;
}

void HashContext::update(std::span<const std::uint8_t> data) {
  if (data.empty()) {
    return;
  }
  if (EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) != 1) {
    detail::fatal_libcrypto_failure("EVP_DigestUpdate");
  }
}

std::vector<std::uint8_t> HashContext::finish() {
  std::vector<std::uint8_t> out(digest_length(hash_));
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &length) != 1 || length != out.size()) {
    detail::fatal_libcrypto_failure("EVP_DigestFinal_ex");
  }
  if (EVP_DigestInit_ex2(impl_->ctx.get(), nullptr, nullptr) != 1) {
    detail::fatal_libcrypto_failure("EVP_DigestInit_ex2");
  }
  return out;
}

std::vector<std::uint8_t> HashContext::peek() const {
  HashContext copy(*this);
  return copy.finish();
}

}  // namespace edgefetch::crypto
