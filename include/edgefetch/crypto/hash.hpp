#pragma once
// Message digests: one-shot and incremental, including the TLS 1.0/1.1
// MD5||SHA-1 concatenation (policy::HashAlgorithm::md5_sha1, 36 bytes).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::crypto {

using policy::HashAlgorithm;

/// Output length in bytes (md5 16, sha1 20, sha224 28, sha256 32, sha384 48, sha512 64, md5_sha1 36).
std::size_t digest_length(HashAlgorithm hash);
/// Internal block length in bytes (64 for md5/sha1/sha224/sha256, 128 for sha384/sha512).
std::size_t digest_block_length(HashAlgorithm hash);

/// One-shot digest. Aborts only if libcrypto cannot hash at all (fetch failure
/// at startup is reported by library_ready()).
std::vector<std::uint8_t> digest(HashAlgorithm hash, std::span<const std::uint8_t> data);

/// Incremental digest. Copyable: a copy continues independently (transcript
/// snapshots). Moved-from objects are empty and must not be used.
class HashContext {
 public:
  explicit HashContext(HashAlgorithm hash);
  ~HashContext();
  HashContext(const HashContext& other);
  HashContext& operator=(const HashContext& other);
  HashContext(HashContext&&) noexcept;
  HashContext& operator=(HashContext&&) noexcept;

  void update(std::span<const std::uint8_t> data);
  /// The digest of everything fed so far; the context is then reset to empty.
  std::vector<std::uint8_t> finish();
  /// The digest so far without disturbing this context (finishes a copy).
  [[nodiscard]] std::vector<std::uint8_t> peek() const;

  [[nodiscard]] HashAlgorithm algorithm() const { return hash_; }
  [[nodiscard]] std::size_t length() const { return digest_length(hash_); }

 private:
  struct Impl;
  HashAlgorithm hash_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgefetch::crypto
