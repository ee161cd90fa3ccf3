#pragma once
// Record protection for one direction of one connection: null (before
// ChangeCipherSpec), AEAD (TLS 1.2 AES-GCM / ChaCha20-Poly1305), CBC with
// MAC-then-encrypt (SSLv3, TLS 1.0 implicit IV, TLS 1.1/1.2 explicit IV) and
// the RC4 stream cipher with HMAC or the SSLv3 MAC. Each object owns its
// 64-bit sequence number and its libcrypto contexts (keys set once).
//
// A protection object either seals (our writes) or opens (the peer's records);
// the key schedule hands out the keys for each direction (key_schedule.hpp).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/record/record.hpp"

namespace edgefetch::tls {

/// The keys of one direction, as cut from the key block.
struct TrafficKeys {
  crypto::SecretBytes mac_key;  // empty for AEAD suites
  crypto::SecretBytes key;
  crypto::SecretBytes iv;  // AEAD: implicit salt (4 bytes GCM, 12 ChaCha20); CBC: initial IV
                           // (SSLv3/TLS 1.0 only; empty for TLS >= 1.1); stream: empty
};

enum class ProtectionOperation { seal, open };

class RecordProtection {
 public:
  virtual ~RecordProtection() = default;
  RecordProtection() = default;
  RecordProtection(const RecordProtection&) = delete;
  RecordProtection& operator=(const RecordProtection&) = delete;

  /// Protects one record's plaintext (at most kMaxPlaintextLength bytes) and
  /// APPENDS the resulting TLSCiphertext.fragment to `out` (the caller has
  /// already written the 5-byte header and patches its length afterwards).
  /// `version` is the record header's version (it is part of the MAC/AAD).
  /// Advances the sequence number. Errors: internal_error (libcrypto failure,
  /// sequence number exhausted, called on an open-side object).
  virtual base::Expected<void, Error> seal(ContentType type, std::uint16_t version,
                                           std::span<const std::uint8_t> plaintext,
                                           std::vector<std::uint8_t>& out) = 0;

  /// Removes protection from one record's fragment IN PLACE and returns the
  /// plaintext as a sub-span of `fragment`. Advances the sequence number on
  /// success. Errors: bad_record_mac for every authentication failure (bad tag,
  /// bad MAC, bad CBC padding, fragment too short for the cipher — one code and
  /// one message for all, decided in constant time for CBC); record_overflow
  /// when the plaintext exceeds 2^14; internal_error for libcrypto failures.
  virtual base::Expected<std::span<std::uint8_t>, Error> open(ContentType type, std::uint16_t version,
                                                              std::span<std::uint8_t> fragment) = 0;

  /// Largest number of bytes seal() adds to a plaintext (explicit IV/nonce,
  /// MAC or tag, padding).
  [[nodiscard]] virtual std::size_t max_overhead() const = 0;
  /// True for the null protection used before the first ChangeCipherSpec.
  [[nodiscard]] virtual bool is_null() const { return false; }
  /// True for CBC suites (the writer's 1/n-1 split applies to TLS 1.0 CBC).
  [[nodiscard]] virtual bool is_cbc() const { return false; }

  /// Test hook for the Lucky Thirteen countermeasure: for MAC-then-encrypt
  /// protections, the hash compression-function blocks the last seal()/open()
  /// ran for the MAC (including equalising dummy blocks); 0 otherwise.
  [[nodiscard]] virtual std::uint64_t mac_compression_blocks() const { return 0; }

  [[nodiscard]] std::uint64_t sequence_number() const { return sequence_number_; }
  /// For tests and renegotiation-free resets: the next record's sequence number.
  void set_sequence_number(std::uint64_t value) { sequence_number_ = value; }

 protected:
  /// Returns the current sequence number and advances it; an internal error
  /// once 2^64-1 is reached (sequence numbers must not wrap).
  /// (Inline: it runs for every record.)
  base::Expected<std::uint64_t, Error> next_sequence_number() {
    // RFC 5246 §6.1: sequence numbers must not wrap.
    if (sequence_number_ == std::numeric_limits<std::uint64_t>::max()) {
      return base::unexpected(sequence_number_exhausted());
    }
    return sequence_number_++;
  }

 private:
  static Error sequence_number_exhausted();

  std::uint64_t sequence_number_ = 0;
};

/// The protection used before ChangeCipherSpec: plaintext passes unchanged.
std::unique_ptr<RecordProtection> make_null_protection();

/// The protection for a negotiated suite in `version` (SSLv3..TLS 1.2), for
/// one direction. `keys` come from KeyBlock (key_schedule.hpp): for our writes
/// use client_write with ProtectionOperation::seal; for the server's records
/// use server_write with ProtectionOperation::open. Errors: internal_error
/// (TLS 1.3 suite, key lengths not matching the suite, libcrypto failure).
base::Expected<std::unique_ptr<RecordProtection>, Error> make_record_protection(
    policy::ProtocolVersion version, const policy::CipherSuite& suite, const TrafficKeys& keys,
    ProtectionOperation operation);

}  // namespace edgefetch::tls
