#include "edgefetch/crypto/cipher.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <climits>

#include "crypto/library_context.hpp"
#include "crypto/openssl_util.hpp"
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

base::Expected<Aead, Error> Aead::create(BulkCipher cipher, std::span<const std::uint8_t> key,
                                         CipherDirection direction) {
  if (policy::info(cipher).kind != policy::CipherKind::aead) {
    return base::unexpected(Error{std::string(policy::info(cipher).name) + " is not an AEAD"});
  }
  auto ctx = new_context(cipher, key, direction, false);
  if (!ctx) {
    return base::unexpected(ctx.error());
  }
  return Aead(std::move(ctx.value()), direction);
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
  EVP_CIPHER_CTX* ctx = raw(ctx_);
  if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, nonce.data(), -1, nullptr) != 1) {
    return base::unexpected(detail::openssl_error("AEAD set nonce"));
  }
  int length = 0;
  if (!aad.empty() &&
      EVP_CipherUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1) {
    return base::unexpected(detail::openssl_error("AEAD aad"));
  }
  const std::size_t start = out.size();
  out.resize(start + plaintext.size() + kTagLength);
  std::uint8_t* dst = out.data() + start;
  int written = 0;
  if (!plaintext.empty() &&
      EVP_CipherUpdate(ctx, dst, &written, plaintext.data(), static_cast<int>(plaintext.size())) != 1) {
    out.resize(start);
    return base::unexpected(detail::openssl_error("AEAD encrypt"));
  }
  int final_written = 0;
  if (EVP_CipherFinal_ex(ctx, dst + written, &final_written) != 1 ||
      static_cast<std::size_t>(written) + static_cast<std::size_t>(final_written) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTagLength), dst + plaintext.size()) !=
          1) {
    out.resize(start);
    return base::unexpected(detail::openssl_error("AEAD finish"));
  }
  return {};
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
  EVP_CIPHER_CTX* ctx = raw(ctx_);
  const std::size_t length = ciphertext_and_tag.size() - kTagLength;
  std::uint8_t* data = ciphertext_and_tag.data();
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
  return length;
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

}  // namespace edgefetch::crypto
