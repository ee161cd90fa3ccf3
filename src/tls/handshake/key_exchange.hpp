#pragma once
// The key exchange: checking the server's ECDHE parameters and signature, and
// producing our ClientKeyExchange with the premaster secret (ECDHE or RSA).

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/public_key.hpp"
#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/handshake/version_rules.hpp"
#include "tls/messages/client_hello.hpp"
#include "tls/messages/server_key_exchange.hpp"

namespace edgefetch::tls::handshake {

struct EcdheParameters {
  const policy::NamedGroup* group = nullptr;
  const policy::SignatureScheme* scheme = nullptr;  // nullptr before TLS 1.2
  std::vector<std::uint8_t> server_point;
};

/// The group must be one the ClientHello offered (no_shared_group), the scheme
/// one it offered (no_shared_signature_scheme) and usable with the
/// certificate's key (protocol_violation), and the signature over
/// client_random || server_random || params must verify (bad_signature).
base::Expected<EcdheParameters, Error> check_server_key_exchange(
    const messages::EcdheServerKeyExchange& message, const messages::ClientHello& sent,
    const VersionRules& rules, const crypto::PublicKey& server_key,
    std::span<const std::uint8_t> client_random, std::span<const std::uint8_t> server_random);

struct ClientKeyExchange {
  std::vector<std::uint8_t> message;  // handshake message, header included
  crypto::SecretBytes premaster_secret;
};

/// A fresh key share in the server's group; premaster = ECDH(our key, server point).
/// An invalid server point is illegal_parameter (protocol_violation).
base::Expected<ClientKeyExchange, Error> ecdhe_client_key_exchange(const EcdheParameters& parameters);

/// premaster = client_hello_version (2 bytes) || 46 random bytes, encrypted to
/// the server's RSA key (RFC 5246 §7.4.7.1).
base::Expected<ClientKeyExchange, Error> rsa_client_key_exchange(const crypto::PublicKey& server_key,
                                                                 std::uint16_t client_hello_version,
                                                                 const VersionRules& rules);

}  // namespace edgefetch::tls::handshake
