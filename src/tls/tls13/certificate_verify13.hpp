#pragma once
// CertificateVerify (RFC 8446 §4.4.3): the server's signature over
// 64 x 0x20 || "TLS 1.3, server CertificateVerify" || 0x00 || Transcript-Hash,
// with the TLS 1.3 rules for schemes: no PKCS#1 v1.5, no SHA-1/SHA-224, and
// ECDSA bound to its curve (ecdsa_secp256r1_sha256 needs a P-256 key, ...).

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/public_key.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::tls13 {

struct CertificateVerify13 {
  std::uint16_t scheme = 0;
  std::vector<std::uint8_t> signature;
};

base::Expected<CertificateVerify13, Error> decode_certificate_verify13(std::span<const std::uint8_t> body);

/// The bytes the server signs.
std::vector<std::uint8_t> server_signed_content(std::span<const std::uint8_t> transcript_hash);

/// True for schemes TLS 1.3 allows in CertificateVerify: ECDSA with SHA-256/384/512, RSA-PSS (rsae and pss).
bool usable_in_tls13(const policy::SignatureScheme& scheme);

/// Checks the scheme (offered, usable in TLS 1.3, fits the key: RSA-PSS-RSAE for
/// rsaEncryption keys, RSA-PSS-PSS for RSASSA-PSS keys, ECDSA on the scheme's
/// curve) and verifies the signature. Errors: no_shared_signature_scheme
/// (illegal_parameter) for a scheme we did not offer or cannot use,
/// cert_key_unsupported for a key/scheme mismatch, bad_signature (decrypt_error).
base::Expected<const policy::SignatureScheme*, Error> verify_certificate_verify13(
    const CertificateVerify13& message, const crypto::PublicKey& key,
    std::span<const std::uint8_t> transcript_hash, std::span<const std::uint16_t> offered_schemes);

}  // namespace edgefetch::tls::tls13
