#pragma once
// Ephemeral ECDH for ECDHE key exchange: P-256, P-384 (and P-521) with
// uncompressed points, X25519 with 32-byte keys. Groups are named by their
// TLS code points (policy::kGroupSecp256r1, kGroupSecp384r1, kGroupSecp521r1, kGroupX25519).

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/crypto/secret.hpp"

namespace edgefetch::crypto {

/// True for the groups KeyShare supports (23, 24, 25, 29).
bool key_share_supported(std::uint16_t group);

class KeyShare {
 public:
  /// Generates a fresh key pair in `group`. Error for unsupported groups.
  static base::Expected<KeyShare, Error> generate(std::uint16_t group);
  ~KeyShare();
  KeyShare(KeyShare&&) noexcept;
  KeyShare& operator=(KeyShare&&) noexcept;

  [[nodiscard]] std::uint16_t group() const { return group_; }
  /// Our public value as sent in ClientKeyExchange: 0x04||X||Y (NIST curves) or 32 bytes (X25519).
  [[nodiscard]] std::span<const std::uint8_t> public_key() const { return public_key_; }

  /// The shared secret with the peer's public value (ECDH x-coordinate, or
  /// the X25519 output). Errors: wrong length, not an uncompressed point, not
  /// on the curve, an X25519 all-zero output (small-order peer key).
  base::Expected<SecretBytes, Error> derive(std::span<const std::uint8_t> peer_public) const;

 private:
  struct Impl;
  KeyShare(std::uint16_t group, std::unique_ptr<Impl> impl, std::vector<std::uint8_t> public_key);
  std::uint16_t group_;
  std::unique_ptr<Impl> impl_;
  std::vector<std::uint8_t> public_key_;
};

}  // namespace edgefetch::crypto
