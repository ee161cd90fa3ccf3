#pragma once
// The TLS 1.3 key schedule (RFC 8446 §7.1) for a full handshake without PSK:
//
//   early     = HKDF-Extract(0, 0)
//   handshake = HKDF-Extract(Derive-Secret(early, "derived", ""), (EC)DHE)
//   master    = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0)
//
// with the handshake and application traffic secrets derived from them over the
// transcript hash, traffic keys and IVs (§7.3), Finished keys (§4.4.4), the
// KeyUpdate ratchet (§7.2) and the resumption secrets (§4.6.1).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::tls13 {

/// TLS 1.3 AEAD nonces are 12 bytes for every suite.
inline constexpr std::size_t kIvLength = 12;

/// Derive-Secret(Secret, Label, Messages) with the transcript hash already taken.
base::Expected<crypto::SecretBytes, Error> derive_secret(policy::HashAlgorithm hash,
                                                         std::span<const std::uint8_t> secret,
                                                         std::string_view label,
                                                         std::span<const std::uint8_t> transcript_hash);

/// The write key and IV of one direction (RFC 8446 §7.3).
struct TrafficKeys13 {
  crypto::SecretBytes key;
  crypto::SecretBytes iv;  // kIvLength bytes
};
base::Expected<TrafficKeys13, Error> derive_traffic_keys(const policy::CipherSuite& suite,
                                                         std::span<const std::uint8_t> traffic_secret);

/// Finished verify_data = HMAC(HKDF-Expand-Label(base_key, "finished", "", Hash.length), transcript_hash).
base::Expected<std::vector<std::uint8_t>, Error> finished_verify_data(
    policy::HashAlgorithm hash, std::span<const std::uint8_t> base_key,
    std::span<const std::uint8_t> transcript_hash);

/// application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length).
base::Expected<crypto::SecretBytes, Error> next_traffic_secret(policy::HashAlgorithm hash,
                                                               std::span<const std::uint8_t> secret);

/// The PSK of a ticket: HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
base::Expected<crypto::SecretBytes, Error> resumption_psk(
    policy::HashAlgorithm hash, std::span<const std::uint8_t> resumption_master_secret,
    std::span<const std::uint8_t> ticket_nonce);

class KeySchedule13 {
 public:
  /// Starts the schedule for `suite` (a TLS 1.3 suite) at the early secret without PSK.
  static base::Expected<KeySchedule13, Error> create(const policy::CipherSuite& suite);

  [[nodiscard]] policy::HashAlgorithm hash() const { return hash_; }
  [[nodiscard]] std::size_t hash_length() const { return crypto::digest_length(hash_); }

  /// After ServerHello: the (EC)DHE shared secret and Hash(ClientHello..ServerHello).
  /// Computes the handshake secret, both handshake traffic secrets and the master secret.
  base::Expected<void, Error> set_handshake_secrets(std::span<const std::uint8_t> shared_secret,
                                                    std::span<const std::uint8_t> hello_hash);
  /// After the server Finished: Hash(ClientHello..server Finished).
  base::Expected<void, Error> set_application_secrets(std::span<const std::uint8_t> server_finished_hash);
  /// After the client Finished: Hash(ClientHello..client Finished).
  base::Expected<crypto::SecretBytes, Error> resumption_master_secret(
      std::span<const std::uint8_t> client_finished_hash) const;

  [[nodiscard]] const crypto::SecretBytes& early_secret() const { return early_secret_; }
  [[nodiscard]] const crypto::SecretBytes& handshake_secret() const { return handshake_secret_; }
  [[nodiscard]] const crypto::SecretBytes& master_secret() const { return master_secret_; }
  [[nodiscard]] const crypto::SecretBytes& client_handshake_traffic_secret() const { return client_hs_; }
  [[nodiscard]] const crypto::SecretBytes& server_handshake_traffic_secret() const { return server_hs_; }
  [[nodiscard]] const crypto::SecretBytes& client_application_traffic_secret() const { return client_ap_; }
  [[nodiscard]] const crypto::SecretBytes& server_application_traffic_secret() const { return server_ap_; }
  [[nodiscard]] const crypto::SecretBytes& exporter_master_secret() const { return exporter_; }

 private:
  explicit KeySchedule13(policy::HashAlgorithm hash) : hash_(hash) {}

  policy::HashAlgorithm hash_;
  crypto::SecretBytes early_secret_;
  crypto::SecretBytes handshake_secret_;
  crypto::SecretBytes master_secret_;
  crypto::SecretBytes client_hs_;
  crypto::SecretBytes server_hs_;
  crypto::SecretBytes client_ap_;
  crypto::SecretBytes server_ap_;
  crypto::SecretBytes exporter_;
};

}  // namespace edgefetch::tls::tls13
