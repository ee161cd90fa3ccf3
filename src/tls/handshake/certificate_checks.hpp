#pragma once
// The server certificate's part in the handshake: chain verification errors
// mapped to error codes and alerts, the key type the suite needs, and the
// curve rule for ECDSA certificates.

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/public_key.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::handshake {

/// cert_untrusted, cert_expired, ... with the alert a client sends for each.
Error certificate_error(const crypto::CertificateError& error);

/// The key must suit the suite's authentication: RSA key exchange needs an RSA
/// (rsaEncryption) key; ECDHE_RSA an RSA or RSA-PSS key; ECDHE_ECDSA an EC key.
/// When `offered_groups` is given (the ClientHello's supported_groups), an EC
/// key's curve must be one of them (RFC 4492 §2.2, RFC 8422 §5.1): else
/// no_shared_group.
base::Expected<void, Error> check_server_key(
    const crypto::PublicKey& key, const policy::CipherSuite& suite,
    const std::optional<std::span<const std::uint16_t>>& offered_groups);

/// The summary the API reports for the leaf.
CertificateSummary summarize(const crypto::CertificateInfo& info);

/// What the handshake keeps of the server's chain: the leaf's key and summary.
struct ServerLeaf {
  std::shared_ptr<const crypto::PublicKey> key;  // never null
  std::optional<CertificateSummary> summary;     // always set
};

/// Verifies `chain` (DER, leaf first, not empty) against the trust store for
/// the verify name when `config` asks for verification; otherwise, or where
/// verification gave no leaf details, decodes the leaf itself. Errors carry
/// the alert the client sends (certificate_error(), bad_certificate for an
/// unparsable leaf, unsupported_certificate for an unusable key).
base::Expected<ServerLeaf, Error> examine_server_chain(std::span<const std::vector<std::uint8_t>> chain,
                                                       const ClientConfig& config,
                                                       std::time_t verification_time);

}  // namespace edgefetch::tls::handshake
