#pragma once
// HKDF (RFC 5869) over EVP_KDF "HKDF" in edgefetch's library context, and the
// TLS 1.3 HKDF-Expand-Label construction (RFC 8446 §7.1) built on it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/policy/cipher_suite.hpp"

namespace edgefetch::crypto {

/// HKDF-Extract(salt, IKM) -> PRK (digest_length(hash) bytes). An empty salt
/// means hash-length zeros (RFC 5869 §2.2).
base::Expected<SecretBytes, Error> hkdf_extract(policy::HashAlgorithm hash,
                                                std::span<const std::uint8_t> salt,
                                                std::span<const std::uint8_t> ikm);

/// HKDF-Expand(PRK, info, L). Error when L > 255 * hash length or PRK is shorter than the hash.
base::Expected<SecretBytes, Error> hkdf_expand(policy::HashAlgorithm hash, std::span<const std::uint8_t> prk,
                                               std::span<const std::uint8_t> info, std::size_t length);

/// HKDF-Expand-Label(Secret, Label, Context, Length) of RFC 8446 §7.1: the info
/// is struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; }.
base::Expected<SecretBytes, Error> hkdf_expand_label(policy::HashAlgorithm hash,
                                                     std::span<const std::uint8_t> secret,
                                                     std::string_view label,
                                                     std::span<const std::uint8_t> context,
                                                     std::size_t length);

}  // namespace edgefetch::crypto
