#pragma once
// TLS record-layer vocabulary shared by the record reader/writer, the record
// protections and the handshake: content types and the RFC 5246 §6.2 limits.

#include <cstddef>
#include <cstdint>
#include <span>

namespace edgefetch::tls {

enum class ContentType : std::uint8_t {
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
};

/// Size of the record header: type(1) version(2) length(2).
inline constexpr std::size_t kRecordHeaderLength = 5;
/// TLSPlaintext.length limit (2^14), also the fragment size the writer uses.
inline constexpr std::size_t kMaxPlaintextLength = 16384;
/// TLSCiphertext.length limit (2^14 + 2048); longer records are record_overflow.
inline constexpr std::size_t kMaxCiphertextLength = kMaxPlaintextLength + 2048;

/// True for the four content types a TLS 1.2-and-earlier peer may send.
constexpr bool is_known_content_type(std::uint8_t value) {
  return value >= 20 && value <= 23;
}

/// A record after decryption: valid until the next call into the RecordReader
/// that produced it (the fragment points into the reader's buffer).
struct RecordView {
  ContentType type;
  std::uint16_t version;                   // record-layer version from the header, e.g. 0x0303
  std::span<const std::uint8_t> fragment;  // plaintext (after protection was removed)
};

}  // namespace edgefetch::tls
