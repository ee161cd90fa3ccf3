#pragma once
// The TLS 1.0/1.1/1.2 and SSLv3 key schedule: master secret (standard and
// extended, RFC 7627), key block expansion into per-direction keys, Finished
// verify_data, and the handshake transcript that feeds the last two.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/record/protection.hpp"

namespace edgefetch::tls {

inline constexpr std::size_t kMasterSecretLength = 48;
inline constexpr std::size_t kRandomLength = 32;

/// The running hash of the handshake messages (each message with its 4-byte
/// header, exactly as on the wire, HelloRequest excluded).
/// Before the version and suite are known (until ServerHello) messages are
/// buffered; select() then starts the right hashes and later messages are hashed
/// incrementally (no re-hashing of the whole transcript per Finished).
class Transcript {
 public:
  Transcript() = default;

  /// Adds one complete handshake message (header + body).
  void add(std::span<const std::uint8_t> handshake_message);
  /// Fixes the version and suite (call once, after ServerHello was added or
  /// before; buffered messages are hashed now). TLS 1.2: the suite's PRF hash;
  /// SSLv3/TLS 1.0/1.1: MD5 and SHA-1.
  void select(policy::ProtocolVersion version, const policy::CipherSuite& suite);
  [[nodiscard]] bool selected() const { return version_.has_value(); }

  /// The handshake hash so far (requires select()): TLS 1.2 Hash(messages)
  /// with the PRF hash; earlier versions MD5(messages)||SHA1(messages) (36
  /// bytes). This is RFC 7627's session_hash when taken right after the
  /// ClientKeyExchange was added.
  [[nodiscard]] std::vector<std::uint8_t> current_hash() const;

  /// SSLv3 only: copies of the running MD5 and SHA-1 contexts (the SSLv3
  /// Finished hashes continue them with sender, master secret and pads).
  [[nodiscard]] crypto::HashContext md5_snapshot() const;
  [[nodiscard]] crypto::HashContext sha1_snapshot() const;

 private:
  std::vector<std::uint8_t> buffered_;
  std::optional<policy::ProtocolVersion> version_;
  std::optional<crypto::HashContext> prf_hash_;  // TLS 1.2
  std::optional<crypto::HashContext> md5_;       // < TLS 1.2
  std::optional<crypto::HashContext> sha1_;      // < TLS 1.2
};

/// master_secret = PRF(pre_master_secret, "master secret", client_random + server_random)[0..47]
/// (SSLv3: its MD5/SHA-1 construction). Errors: internal_error.
base::Expected<crypto::SecretBytes, Error> compute_master_secret(
    policy::ProtocolVersion version, const policy::CipherSuite& suite,
    std::span<const std::uint8_t> pre_master_secret, std::span<const std::uint8_t> client_random,
    std::span<const std::uint8_t> server_random);

/// RFC 7627: PRF(pre_master_secret, "extended master secret", session_hash)[0..47].
/// session_hash = Transcript::current_hash() right after ClientKeyExchange.
/// TLS 1.0-1.2 only (SSLv3 has no EMS: internal_error).
base::Expected<crypto::SecretBytes, Error> compute_extended_master_secret(
    policy::ProtocolVersion version, const policy::CipherSuite& suite,
    std::span<const std::uint8_t> pre_master_secret, std::span<const std::uint8_t> session_hash);

/// Both directions' keys, cut from key_block = PRF(master_secret, "key expansion",
/// server_random + client_random) (SSLv3: its construction) in the order
/// client MAC, server MAC, client key, server key, client IV, server IV.
/// MAC keys are empty for AEAD suites; IVs: AEAD fixed_iv_length, CBC block
/// size for SSLv3/TLS 1.0 only (TLS >= 1.1 uses explicit IVs), none for RC4.
struct KeyBlock {
  TrafficKeys client_write;  // our writes: make_record_protection(..., client_write, seal)
  TrafficKeys server_write;  // server's records: make_record_protection(..., server_write, open)
};

base::Expected<KeyBlock, Error> derive_key_block(policy::ProtocolVersion version,
                                                 const policy::CipherSuite& suite,
                                                 std::span<const std::uint8_t> master_secret,
                                                 std::span<const std::uint8_t> client_random,
                                                 std::span<const std::uint8_t> server_random);

enum class FinishedSender { client, server };

/// Length of verify_data: 12 for TLS, 36 for SSLv3.
std::size_t verify_data_length(policy::ProtocolVersion version);

/// verify_data for the Finished message of `sender`, over the transcript as it
/// is now (for the server's Finished, add our Finished to the transcript first).
/// TLS: PRF(master_secret, "client finished"/"server finished", handshake hash)[0..11].
/// SSLv3: MD5(master + pad2 + MD5(messages + sender + master + pad1)) || SHA1(...same...).
/// Errors: internal_error (transcript not selected, libcrypto failure).
base::Expected<std::vector<std::uint8_t>, Error> compute_finished_verify_data(
    policy::ProtocolVersion version, const policy::CipherSuite& suite,
    std::span<const std::uint8_t> master_secret, FinishedSender sender, const Transcript& transcript);

}  // namespace edgefetch::tls
