#include "edgefetch/crypto/cipher.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <array>
#include <climits>

#include "crypto/aead_access.hpp"
#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
#include "crypto/provider_cipher.hpp"
#include "edgefetch/crypto/library.hpp"

namespace edgefetch::crypto {

using policy::BulkCipher;

void CipherContextDeleter::operator()(void* ctx) const noexcept {
  EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(ctx));
}

namespace {

EVP_CIPHER_CTX* raw(const CipherContextPtr& ctx) {
  return static_cast<EVP_CIPHER_CTX*>(ctx.get());
}

bool fits_int(std::size_t n) {
  return n <= static_cast<std::size_t>(INT_MAX);
}

base::Expected<CipherContextPtr, Error> new_context(BulkCipher which, std::span<const std::uint8_t> key,
                                                    CipherDirection direction, bool disable_padding) {
  if (auto ready = initialize(); !ready) {
    return base::unexpected(ready.error());
  }
  const EVP_CIPHER* cipher = detail::cipher(which);
  if (cipher == nullptr) {
    return base::unexpected(Error{std::string(policy::info(which).name) +
                                  " is unavailable (the OpenSSL legacy provider could not be loaded)"});
  }
  if (key.size() != static_cast<std::size_t>(EVP_CIPHER_get_key_length(cipher))) {
    return base::unexpected(Error{"wrong key length for " + std::string(policy::info(which).name)});
  }
  CipherContextPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) {
    return base::unexpected(detail::openssl_error("EVP_CIPHER_CTX_new"));
  }
  const int enc = direction == CipherDirection::encrypt ? 1 : 0;
  if (EVP_CipherInit_ex2(raw(ctx), cipher, key.data(), nullptr, enc, nullptr) != 1) {
    return base::unexpected(detail::openssl_error("EVP_CipherInit_ex2"));
  }
  if (disable_padding && EVP_CIPHER_CTX_set_padding(raw(ctx), 0) != 1) {
    return base::unexpected(detail::openssl_error("EVP_CIPHER_CTX_set_padding"));
  }
  return ctx;
}

}  // namespace

// ---- Aead ----

void ProviderCipherContextDeleter::operator()(void* algctx) const noexcept {
  if (algctx != nullptr && functions != nullptr) functions->freectx(algctx);
}

base::Expected<Aead, Error> Aead::create(BulkCipher cipher, std::span<const std::uint8_t> key,
                                         CipherDirection direction) {
  return create_with(cipher, key, direction, true);
}

base::Expected<Aead, Error> Aead::create_with(BulkCipher cipher, std::span<const std::uint8_t> key,
                                              CipherDirection direction, bool call_provider) {
  if (policy::info(cipher).kind != policy::CipherKind::aead) {
    return base::unexpected(Error{std::string(policy::info(cipher).name) + " is not an AEAD"});
  }
  if (auto ready = initialize(); !ready) {
    return base::unexpected(ready.error());
  }
  const detail::ProviderCipher* functions = call_provider ? detail::provider_cipher(cipher) : nullptr;
  if (functions == nullptr) {
    auto ctx = new_context(cipher, key, direction, false);
    if (!ctx) {
      return base::unexpected(ctx.error());
    }
    return Aead(std::move(ctx.value()), direction);
  }
  const EVP_CIPHER* evp_cipher = detail::cipher(cipher);
  if (key.size() != static_cast<std::size_t>(EVP_CIPHER_get_key_length(evp_cipher))) {
    return base::unexpected(Error{"wrong key length for " + std::string(policy::info(cipher).name)});
  }
  ProviderCipherContextPtr ctx(functions->newctx(functions->provider_context),
                               ProviderCipherContextDeleter{functions});
  if (!ctx) {
    return base::unexpected(detail::openssl_error("AEAD newctx"));
  }
  const int keyed = direction == CipherDirection::encrypt
                        ? functions->encrypt_init(ctx.get(), key.data(), key.size(), nullptr, 0, nullptr)
                        : functions->decrypt_init(ctx.get(), key.data(), key.size(), nullptr, 0, nullptr);
  if (keyed != 1) {
    return base::unexpected(detail::openssl_error("AEAD set key"));
  }
  return Aead(std::move(ctx), direction);
}

base::Expected<void, Error> Aead::seal(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> aad,
                                       std::span<const std::uint8_t> plaintext,
                                       std::vector<std::uint8_t>& out) {
  if (direction_ != CipherDirection::encrypt) {
    return base::unexpected(Error{"seal on a decrypting AEAD"});
  }
  if (nonce.size() != kNonceLength || !fits_int(aad.size()) || !fits_int(plaintext.size())) {
    return base::unexpected(Error{"AEAD seal: bad nonce or input length"});
  }
  const std::size_t start = out.size();
  out.resize(start + plaintext.size() + kTagLength);
  std::uint8_t* dst = out.data() + start;
  auto sealed = provider_ctx_ ? seal_with_provider(nonce, aad, plaintext, dst)
                              : seal_with_evp(nonce, aad, plaintext, dst);
  if (!sealed) {
    out.resize(start);
  }
  return sealed;
}

base::Expected<std::size_t, Error> Aead::open_in_place(std::span<const std::uint8_t> nonce,
                                                       std::span<const std::uint8_t> aad,
                                                       std::span<std::uint8_t> ciphertext_and_tag) {
  if (direction_ != CipherDirection::decrypt) {
    return base::unexpected(Error{"open on an encrypting AEAD"});
  }
  if (nonce.size() != kNonceLength || ciphertext_and_tag.size() < kTagLength || !fits_int(aad.size()) ||
      !fits_int(ciphertext_and_tag.size())) {
    return base::unexpected(Error{"AEAD open: bad nonce or input length"});
  }
  const std::size_t length = ciphertext_and_tag.size() - kTagLength;
  std::uint8_t* data = ciphertext_and_tag.data();
  auto opened =
      provider_ctx_ ? open_with_provider(nonce, aad, data, length) : open_with_evp(nonce, aad, data, length);
  if (!opened) {
    return base::unexpected(opened.error());
  }
  return length;
}

// The provider's own calls, in the order EVP would make them: init with the
// nonce only (the key stays), AAD, data, final, then the tag as one prebuilt
// parameter. Output of update equals its input for these stream-like AEADs.

base::Expected<void, Error> Aead::seal_with_provider(std::span<const std::uint8_t> nonce,
                                                     std::span<const std::uint8_t> aad,
                                                     std::span<const std::uint8_t> plaintext,
                                                     std::uint8_t* dst) {
  const detail::ProviderCipher& f = *provider_ctx_.get_deleter().functions;
  void* ctx = provider_ctx_.get();
  if (f.encrypt_init(ctx, nullptr, 0, nonce.data(), nonce.size(), nullptr) != 1) {
    return base::unexpected(detail::openssl_error("AEAD set nonce"));
  }
  std::size_t written = 0;
  if (!aad.empty() && f.update(ctx, nullptr, &written, aad.size(), aad.data(), aad.size()) != 1) {
    return base::unexpected(detail::openssl_error("AEAD aad"));
  }
  written = 0;
  if (!plaintext.empty() &&
      (f.update(ctx, dst, &written, plaintext.size(), plaintext.data(), plaintext.size()) != 1 ||
       written != plaintext.size())) {
    return base::unexpected(detail::openssl_error("AEAD encrypt"));
  }
  std::uint8_t* tag = dst + plaintext.size();
  std::size_t final_written = 0;
  std::array<OSSL_PARAM, 2> tag_param = {
      OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, kTagLength),
      OSSL_PARAM_construct_end()};
  if (f.final(ctx, tag, &final_written, 0) != 1 || final_written != 0 ||
      f.get_ctx_params(ctx, tag_param.data()) != 1) {
    return base::unexpected(detail::openssl_error("AEAD finish"));
  }
  return {};
}

base::Expected<void, Error> Aead::open_with_provider(std::span<const std::uint8_t> nonce,
                                                     std::span<const std::uint8_t> aad, std::uint8_t* data,
                                                     std::size_t length) {
  const detail::ProviderCipher& f = *provider_ctx_.get_deleter().functions;
  void* ctx = provider_ctx_.get();
  if (f.decrypt_init(ctx, nullptr, 0, nonce.data(), nonce.size(), nullptr) != 1) {
    return base::unexpected(detail::openssl_error("AEAD set nonce"));
  }
  std::size_t written = 0;
  if (!aad.empty() && f.update(ctx, nullptr, &written, aad.size(), aad.data(), aad.size()) != 1) {
    return base::unexpected(detail::openssl_error("AEAD aad"));
  }
  written = 0;
  if (length != 0 && (f.update(ctx, data, &written, length, data, length) != 1 || written != length)) {
    return base::unexpected(detail::openssl_error("AEAD decrypt"));
  }
  std::uint8_t* tag = data + length;
  const std::array<OSSL_PARAM, 2> tag_param = {
      OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, kTagLength),
      OSSL_PARAM_construct_end()};
  if (f.set_ctx_params(ctx, tag_param.data()) != 1) {
    return base::unexpected(detail::openssl_error("AEAD set tag"));
  }
  std::size_t final_written = 0;
  if (f.final(ctx, tag, &final_written, 0) != 1) {
    detail::drain_openssl_errors();
    return base::unexpected(Error{"AEAD tag mismatch"});
  }
  return {};
}

base::Expected<void, Error> Aead::seal_with_evp(std::span<const std::uint8_t> nonce,
                                                std::span<const std::uint8_t> aad,
                                                std::span<const std::uint8_t> plaintext, std::uint8_t* dst) {
  EVP_CIPHER_CTX* ctx = raw(evp_ctx_);
  if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, nonce.data(), -1, nullptr) != 1) {
    return base::unexpected(detail::openssl_error("AEAD set nonce"));
  }
  int length = 0;
  if (!aad.empty() &&
      EVP_CipherUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1) {
    return base::unexpected(detail::openssl_error("AEAD aad"));
  }
  int written = 0;
  if (!plaintext.empty() &&
      EVP_CipherUpdate(ctx, dst, &written, plaintext.data(), static_cast<int>(plaintext.size())) != 1) {
    return base::unexpected(detail::openssl_error("AEAD encrypt"));
  }
  int final_written = 0;
  if (EVP_CipherFinal_ex(ctx, dst + written, &final_written) != 1 ||
      static_cast<std::size_t>(written) + static_cast<std::size_t>(final_written) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTagLength), dst + plaintext.size()) !=
          1) {
    return base::unexpected(detail::openssl_error("AEAD finish"));
  }
  return {};
}

base::Expected<void, Error> Aead::open_with_evp(std::span<const std::uint8_t> nonce,
                                                std::span<const std::uint8_t> aad, std::uint8_t* data,
                                                std::size_t length) {
  EVP_CIPHER_CTX* ctx = raw(evp_ctx_);
  if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, nonce.data(), -1, nullptr) != 1) {
    return base::unexpected(detail::openssl_error("AEAD set nonce"));
  }
  int written = 0;
  if (!aad.empty() &&
      EVP_CipherUpdate(ctx, nullptr, &written, aad.data(), static_cast<int>(aad.size())) != 1) {
    return base::unexpected(detail::openssl_error("AEAD aad"));
  }
  if (length != 0 && EVP_CipherUpdate(ctx, data, &written, data, static_cast<int>(length)) != 1) {
    return base::unexpected(detail::openssl_error("AEAD decrypt"));
  }
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTagLength), data + length) != 1) {
    return base::unexpected(detail::openssl_error("AEAD set tag"));
  }
  int final_written = 0;
  if (EVP_CipherFinal_ex(ctx, data + length, &final_written) != 1) {
    detail::drain_openssl_errors();
    return base::unexpected(Error{"AEAD tag mismatch"});
  }
  return {};
}

base::Expected<std::vector<std::uint8_t>, Error> Aead::open(
    std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> aad,
    std::span<const std::uint8_t> ciphertext_and_tag) {
  std::vector<std::uint8_t> buffer(ciphertext_and_tag.begin(), ciphertext_and_tag.end());
  auto length = open_in_place(nonce, aad, buffer);
  if (!length) {
    return base::unexpected(length.error());
  }
  buffer.resize(length.value());
  return buffer;
}

// ---- BlockCipher ----

base::Expected<BlockCipher, Error> BlockCipher::create(BulkCipher cipher, std::span<const std::uint8_t> key,
                                                       CipherDirection direction) {
  if (policy::info(cipher).kind != policy::CipherKind::block) {
    return base::unexpected(Error{std::string(policy::info(cipher).name) + " is not a block cipher"});
  }
  auto ctx = new_context(cipher, key, direction, true);
  if (!ctx) {
    return base::unexpected(ctx.error());
  }
  const auto block = static_cast<std::size_t>(EVP_CIPHER_CTX_get_block_size(raw(ctx.value())));
  return BlockCipher(std::move(ctx.value()), direction, block);
}

base::Expected<void, Error> BlockCipher::process(std::span<const std::uint8_t> iv,
                                                 std::span<const std::uint8_t> in,
                                                 std::span<std::uint8_t> out) {
  if (iv.size() != block_size_ || in.size() != out.size() || in.size() % block_size_ != 0 ||
      !fits_int(in.size())) {
    return base::unexpected(Error{"CBC: bad IV or input length"});
  }
  EVP_CIPHER_CTX* ctx = raw(ctx_);
  if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, iv.data(), -1, nullptr) != 1) {
    return base::unexpected(detail::openssl_error("CBC set IV"));
  }
  if (in.empty()) {
    return {};
  }
  int written = 0;
  if (EVP_CipherUpdate(ctx, out.data(), &written, in.data(), static_cast<int>(in.size())) != 1 ||
      static_cast<std::size_t>(written) != in.size()) {
    return base::unexpected(detail::openssl_error("CBC update"));
  }
  return {};
}

// ---- StreamCipher ----

base::Expected<StreamCipher, Error> StreamCipher::create(BulkCipher cipher, std::span<const std::uint8_t> key,
                                                         CipherDirection direction) {
  if (policy::info(cipher).kind != policy::CipherKind::stream) {
    return base::unexpected(Error{std::string(policy::info(cipher).name) + " is not a stream cipher"});
  }
  auto ctx = new_context(cipher, key, direction, false);
  if (!ctx) {
    return base::unexpected(ctx.error());
  }
  return StreamCipher(std::move(ctx.value()));
}

base::Expected<void, Error> StreamCipher::process(std::span<const std::uint8_t> in,
                                                  std::span<std::uint8_t> out) {
  if (in.size() != out.size() || !fits_int(in.size())) {
    return base::unexpected(Error{"stream cipher: bad length"});
  }
  if (in.empty()) {
    return {};
  }
  int written = 0;
  if (EVP_CipherUpdate(raw(ctx_), out.data(), &written, in.data(), static_cast<int>(in.size())) != 1 ||
      static_cast<std::size_t>(written) != in.size()) {
    return base::unexpected(detail::openssl_error("stream cipher update"));
  }
  return {};
}

// ---- test access ----

base::Expected<Aead, Error> detail::AeadAccess::create_over_evp(BulkCipher cipher,
                                                                std::span<const std::uint8_t> key,
                                                                CipherDirection direction) {
  return Aead::create_with(cipher, key, direction, false);
}

bool detail::AeadAccess::calls_provider_directly(const Aead& aead) {
  return static_cast<bool>(aead.provider_ctx_);
}

}  // namespace edgefetch::crypto
