#pragma once
// A certificate's public key, and the two things TLS 1.2-and-earlier clients
// do with it: RSA PKCS#1 v1.5 encryption of the premaster secret, and
// verification of the server's ServerKeyExchange signature.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/policy/signature_scheme.hpp"

namespace edgefetch::crypto {

enum class KeyType { rsa, rsa_pss, ec, ed25519, ed448, other };

class PublicKey {
 public:
  /// Parses a DER SubjectPublicKeyInfo.
  static base::Expected<PublicKey, Error> from_spki_der(std::span<const std::uint8_t> der);
  PublicKey(const PublicKey&);
  PublicKey& operator=(const PublicKey&);
  PublicKey(PublicKey&&) noexcept;
  PublicKey& operator=(PublicKey&&) noexcept;
  ~PublicKey();

  [[nodiscard]] KeyType type() const { return type_; }
  /// Modulus bits for RSA, field bits for EC.
  [[nodiscard]] int bits() const { return bits_; }
  /// EC: the TLS group code of the curve (23 P-256, 24 P-384, 25 P-521), if it is one of those.
  [[nodiscard]] std::optional<std::uint16_t> curve_group() const { return curve_group_; }
  /// EC curve name as we print it ("P-256"), or the OpenSSL name for other curves.
  [[nodiscard]] const std::string& curve_name() const { return curve_name_; }
  /// "RSA 2048", "EC P-256", "Ed25519".
  [[nodiscard]] std::string description() const;

  /// The underlying EVP_PKEY* (type-erased), owned by this object.
  [[nodiscard]] void* evp_pkey() const { return pkey_; }

 private:
  friend class Certificate;
  /// Takes ownership of one reference to an EVP_PKEY.
  explicit PublicKey(void* pkey);
  void* pkey_ = nullptr;  // EVP_PKEY*
  KeyType type_ = KeyType::other;
  int bits_ = 0;
  std::optional<std::uint16_t> curve_group_;
  std::string curve_name_;
};

/// RSAES-PKCS1-v1_5 encryption (ClientKeyExchange for RSA key exchange).
/// Error: not an RSA key, or libcrypto failure.
base::Expected<std::vector<std::uint8_t>, Error> rsa_pkcs1_encrypt(const PublicKey& key,
                                                                   std::span<const std::uint8_t> plaintext);

/// Verifies a TLS 1.2 digitally-signed value with `scheme`: rsa_pkcs1_* (PKCS#1 v1.5
/// with DigestInfo), ecdsa_* (DER ECDSA-Sig-Value; in TLS 1.2 the curve is not bound
/// to the hash), rsa_pss_rsae_* / rsa_pss_pss_* (salt length = hash length, MGF1 with
/// the same hash). Error when the key type does not fit the scheme, or the signature
/// does not verify (message says which).
base::Expected<void, Error> verify_signature(const PublicKey& key, const policy::SignatureScheme& scheme,
                                             std::span<const std::uint8_t> message,
                                             std::span<const std::uint8_t> signature);

/// Verifies an SSLv3/TLS 1.0/1.1 signature: RSA keys sign the 36-byte MD5(message)||SHA1(message)
/// with PKCS#1 v1.5 type 1 padding and no DigestInfo; EC keys sign SHA1(message) with ECDSA.
base::Expected<void, Error> verify_legacy_signature(const PublicKey& key,
                                                    std::span<const std::uint8_t> message,
                                                    std::span<const std::uint8_t> signature);

}  // namespace edgefetch::crypto
