#pragma once
// TLS 1.3 record protection (RFC 8446 §5.2-§5.3) for one direction: AEAD over
// TLSInnerPlaintext = content || ContentType || zeros, the record header as
// additional data, and the per-record nonce = iv XOR the 64-bit sequence number
// (left-padded to the IV length). Every protected record is sent as
// application_data with legacy_record_version 0x0303.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/cipher.hpp"
#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/record/record.hpp"

namespace edgefetch::tls::tls13 {

/// TLSCiphertext.length limit (2^14 + 256); longer records are record_overflow.
inline constexpr std::size_t kMaxCiphertextLength13 = kMaxPlaintextLength + 256;
/// legacy_record_version of every record after the ClientHello.
inline constexpr std::uint16_t kLegacyRecordVersion = 0x0303;

/// A record after its protection was removed: the real content type and the
/// content with padding stripped (a sub-span of the buffer given to open()).
struct OpenedRecord {
  ContentType type;
  std::span<std::uint8_t> content;
};

class RecordProtection13 {
 public:
  enum class Direction { seal, open };

  /// Keys from a traffic secret (RFC 8446 §7.3) for `suite`'s AEAD.
  static base::Expected<RecordProtection13, Error> from_secret(const policy::CipherSuite& suite,
                                                               std::span<const std::uint8_t> traffic_secret,
                                                               Direction direction);
  /// Keys given directly (tests; key length must fit the cipher, iv 12 bytes).
  static base::Expected<RecordProtection13, Error> from_keys(policy::BulkCipher cipher,
                                                             std::span<const std::uint8_t> key,
                                                             std::span<const std::uint8_t> iv,
                                                             Direction direction);

  /// Appends one complete record (header included) carrying `content` (at most
  /// 2^14 bytes) of `type`, followed by `padding` zero bytes inside the AEAD.
  base::Expected<void, Error> seal(ContentType type, std::span<const std::uint8_t> content,
                                   std::vector<std::uint8_t>& out, std::size_t padding = 0);

  /// Decrypts one record's fragment in place. `header` is the 5-byte record
  /// header (the additional data). Errors: bad_record_mac (tag), record_overflow
  /// (fragment above 2^14+256 or content above 2^14), protocol_violation /
  /// unexpected_message (no non-zero content type, or an inner type that may not
  /// be protected).
  base::Expected<OpenedRecord, Error> open(std::span<const std::uint8_t> header,
                                           std::span<std::uint8_t> fragment);

  [[nodiscard]] std::uint64_t sequence_number() const { return sequence_number_; }
  void set_sequence_number(std::uint64_t value) { sequence_number_ = value; }

 private:
  RecordProtection13(crypto::Aead aead, crypto::SecretBytes iv)
      : aead_(std::move(aead)), iv_(std::move(iv)) {}
  [[nodiscard]] std::array<std::uint8_t, crypto::Aead::kNonceLength> nonce() const;
  bool advance();

  crypto::Aead aead_;
  crypto::SecretBytes iv_;
  std::uint64_t sequence_number_ = 0;
  bool exhausted_ = false;
};

}  // namespace edgefetch::tls::tls13
