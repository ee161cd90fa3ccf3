#pragma once
// HMAC (EVP_MAC "HMAC") over md5, sha1, sha256, sha384 (any HashAlgorithm but
// md5_sha1). The key is set once; reset() starts a new message with the same
// key cheaply (per-record MACs).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::crypto {

class Hmac {
 public:
  static base::Expected<Hmac, Error> create(policy::HashAlgorithm hash, std::span<const std::uint8_t> key);
  ~Hmac();
  Hmac(Hmac&&) noexcept;
  Hmac& operator=(Hmac&&) noexcept;

  void update(std::span<const std::uint8_t> data);
  /// Writes the MAC (length() bytes) to `out` (out.size() >= length()) and resets for the next message.
  void finish(std::span<std::uint8_t> out);
  std::vector<std::uint8_t> finish();
  /// Discards any partial message.
  void reset();

  [[nodiscard]] std::size_t length() const { return length_; }
  [[nodiscard]] policy::HashAlgorithm algorithm() const { return hash_; }

 private:
  struct Impl;
  Hmac(policy::HashAlgorithm hash, std::unique_ptr<Impl> impl);
  policy::HashAlgorithm hash_;
  std::size_t length_;
  std::unique_ptr<Impl> impl_;
};

/// One-shot HMAC.
base::Expected<std::vector<std::uint8_t>, Error> hmac(policy::HashAlgorithm hash,
                                                      std::span<const std::uint8_t> key,
                                                      std::span<const std::uint8_t> data);

}  // namespace edgefetch::crypto
