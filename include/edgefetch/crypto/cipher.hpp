#pragma once
// Record ciphers over libcrypto: EVP_CIPHER_CTX, or for the AEADs the
// provider's own cipher context. Each object holds one context with its key set
// once, for one direction (encrypt or decrypt); per record only the IV/nonce
// changes, so nothing is fetched or re-keyed per record.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::crypto {

enum class CipherDirection { encrypt, decrypt };

namespace detail {
struct ProviderCipher;
struct AeadAccess;
}  // namespace detail

struct CipherContextDeleter {
  void operator()(void* ctx) const noexcept;
};
/// Owns an EVP_CIPHER_CTX (type-erased so this header needs no OpenSSL headers).
using CipherContextPtr = std::unique_ptr<void, CipherContextDeleter>;

/// Frees a provider's own cipher context with that provider's freectx.
struct ProviderCipherContextDeleter {
  const detail::ProviderCipher* functions = nullptr;
  void operator()(void* algctx) const noexcept;
};
using ProviderCipherContextPtr = std::unique_ptr<void, ProviderCipherContextDeleter>;

/// AEAD: AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305; 12-byte nonces, 16-byte tags.
/// Records go straight to the provider's cipher functions when they can be
/// resolved (src/crypto/provider_cipher.hpp says why), through EVP_CIPHER_CTX
/// otherwise; both give the same bytes.
class Aead {
 public:
  static base::Expected<Aead, Error> create(policy::BulkCipher cipher, std::span<const std::uint8_t> key,
                                            CipherDirection direction);

  static constexpr std::size_t kNonceLength = 12;
  static constexpr std::size_t kTagLength = 16;

  /// Appends ciphertext || tag (plaintext.size() + 16 bytes) to `out`.
  base::Expected<void, Error> seal(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> aad,
                                   std::span<const std::uint8_t> plaintext, std::vector<std::uint8_t>& out);
  /// Decrypts ciphertext || tag in place; returns the plaintext length (the
  /// plaintext is the first bytes of `ciphertext_and_tag`). Error when the tag
  /// does not verify (checked by libcrypto in constant time) or the input is
  /// shorter than the tag. On error the buffer content is unspecified.
  base::Expected<std::size_t, Error> open_in_place(std::span<const std::uint8_t> nonce,
                                                   std::span<const std::uint8_t> aad,
                                                   std::span<std::uint8_t> ciphertext_and_tag);
  /// Convenience: decrypts a copy.
  base::Expected<std::vector<std::uint8_t>, Error> open(std::span<const std::uint8_t> nonce,
                                                        std::span<const std::uint8_t> aad,
                                                        std::span<const std::uint8_t> ciphertext_and_tag);

  [[nodiscard]] CipherDirection direction() const { return direction_; }

 private:
  friend struct detail::AeadAccess;  // tests: the EVP path on demand, and which path is in use

  static base::Expected<Aead, Error> create_with(policy::BulkCipher cipher, std::span<const std::uint8_t> key,
                                                 CipherDirection direction, bool call_provider);
  Aead(ProviderCipherContextPtr ctx, CipherDirection direction)
      : provider_ctx_(std::move(ctx)), direction_(direction) {}
  Aead(CipherContextPtr ctx, CipherDirection direction) : evp_ctx_(std::move(ctx)), direction_(direction) {}

  base::Expected<void, Error> seal_with_provider(std::span<const std::uint8_t> nonce,
                                                 std::span<const std::uint8_t> aad,
                                                 std::span<const std::uint8_t> plaintext, std::uint8_t* dst);
  base::Expected<void, Error> seal_with_evp(std::span<const std::uint8_t> nonce,
                                            std::span<const std::uint8_t> aad,
                                            std::span<const std::uint8_t> plaintext, std::uint8_t* dst);
  base::Expected<void, Error> open_with_provider(std::span<const std::uint8_t> nonce,
                                                 std::span<const std::uint8_t> aad, std::uint8_t* data,
                                                 std::size_t length);
  base::Expected<void, Error> open_with_evp(std::span<const std::uint8_t> nonce,
                                            std::span<const std::uint8_t> aad, std::uint8_t* data,
                                            std::size_t length);

  ProviderCipherContextPtr provider_ctx_;  // set when the provider is called directly
  CipherContextPtr evp_ctx_;               // set otherwise
  CipherDirection direction_;
};

/// CBC without padding (TLS does its own): AES-128-CBC, AES-256-CBC, DES-EDE3-CBC.
class BlockCipher {
 public:
  static base::Expected<BlockCipher, Error> create(policy::BulkCipher cipher,
                                                   std::span<const std::uint8_t> key,
                                                   CipherDirection direction);

  /// Encrypts or decrypts (per direction) `in` into `out` with `iv` (one block).
  /// in.size() must be a multiple of block_size() and equal out.size(); in == out is allowed.
  base::Expected<void, Error> process(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> in,
                                      std::span<std::uint8_t> out);

  [[nodiscard]] std::size_t block_size() const { return block_size_; }
  [[nodiscard]] CipherDirection direction() const { return direction_; }

 private:
  BlockCipher(CipherContextPtr ctx, CipherDirection direction, std::size_t block_size)
      : ctx_(std::move(ctx)), direction_(direction), block_size_(block_size) {}
  CipherContextPtr ctx_;
  CipherDirection direction_;
  std::size_t block_size_;
};

/// RC4 (legacy provider): the keystream continues across calls (across records).
class StreamCipher {
 public:
  static base::Expected<StreamCipher, Error> create(policy::BulkCipher cipher,
                                                    std::span<const std::uint8_t> key,
                                                    CipherDirection direction);
  /// XORs the keystream into `in`, writing `out` (same size; in == out allowed).
  base::Expected<void, Error> process(std::span<const std::uint8_t> in, std::span<std::uint8_t> out);

 private:
  explicit StreamCipher(CipherContextPtr ctx) : ctx_(std::move(ctx)) {}
  CipherContextPtr ctx_;
};

}  // namespace edgefetch::crypto
