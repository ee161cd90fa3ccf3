#pragma once
// RecordReader: accumulates bytes from the network and yields complete,
// decrypted records one at a time (sans-IO). Enforces the record size limits
// and recognises a peer that is not speaking TLS at all (e.g. plain HTTP).
//
// Typical use in the handshake:
//   reader.feed(bytes);
//   while (true) {
//     auto r = reader.next();
//     if (!r) -> fail with r.error();
//     if (!*r) break;                      // need more bytes
//     const RecordView& rec = **r;         // valid until the next feed()/next()
//     if (rec.type == change_cipher_spec) { ...; reader.activate_pending(); }
//   }
// Records are decrypted lazily, one per next() call, so a ChangeCipherSpec
// followed in the same read by the encrypted Finished works: switch the
// protection (activate_pending) before asking for the next record.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/record/protection.hpp"
#include "tls/record/receive_buffer.hpp"
#include "tls/record/record.hpp"

namespace edgefetch::tls {

class RecordReader {
 public:
  RecordReader();
  ~RecordReader();
  RecordReader(RecordReader&&) noexcept;
  RecordReader& operator=(RecordReader&&) noexcept;

  /// Appends received bytes. Invalidates any RecordView returned earlier.
  void feed(std::span<const std::uint8_t> bytes) { received_.append(bytes); }
  /// Room for at least `at_least` received bytes, for a socket to read into
  /// directly; commit_received() what was written. Invalidates any RecordView
  /// returned earlier, as feed() does.
  [[nodiscard]] std::span<std::uint8_t> receive_space(std::size_t at_least) {
    return received_.space(at_least);
  }
  void commit_received(std::size_t n) { received_.commit(n); }

  /// The next complete record with its protection removed; std::nullopt when
  /// more bytes are needed. Errors (the connection is then dead):
  ///  - not_tls: before any record was accepted, the first byte is not a TLS
  ///    content type (20..23) or the version's major byte is not 3; the message
  ///    says so, and says "plain HTTP" when the bytes look like "HTTP/".
  ///  - protocol_violation: a later record with an unknown content type, or a
  ///    version different from expect_version().
  ///  - record_overflow: length field above 2^14+2048 (2^14 for null
  ///    protection, where it is the plaintext), or plaintext above 2^14.
  ///  - bad_record_mac: authentication failed (see RecordProtection::open).
  /// The returned view's fragment points into the reader's buffer.
  base::Expected<std::optional<RecordView>, Error> next();

  /// Installs the protection to use after the peer's ChangeCipherSpec.
  void set_pending(std::unique_ptr<RecordProtection> protection);
  /// Switches to the pending protection (call when the peer's CCS record has
  /// been read). protocol_violation if nothing is pending.
  base::Expected<void, Error> activate_pending();
  [[nodiscard]] bool has_pending() const;
  /// True once a non-null protection is current.
  [[nodiscard]] bool encrypted() const;
  [[nodiscard]] const RecordProtection& current() const;

  /// After ServerHello: every later record must carry this header version.
  /// 0 (the default) accepts any 0x03xx version.
  void expect_version(std::uint16_t version) { expected_version_ = version; }

  /// Bytes buffered and not yet returned as records.
  [[nodiscard]] std::size_t buffered() const { return received_.buffered(); }
  /// True when a record has started arriving but is incomplete (an EOF now is a truncation).
  [[nodiscard]] bool has_partial_record() const { return buffered() > 0; }
  /// Removes and returns the bytes not returned as records yet (the TLS 1.3
  /// client takes over the connection with them).
  std::vector<std::uint8_t> take_unread() { return received_.take_unread(); }
  /// Number of records returned so far.
  [[nodiscard]] std::uint64_t records_read() const { return records_read_; }

 private:
  base::Expected<void, Error> check_header_start(std::span<const std::uint8_t> available) const;

  ReceiveBuffer received_;
  std::unique_ptr<RecordProtection> current_;
  std::unique_ptr<RecordProtection> pending_;
  std::uint16_t expected_version_ = 0;
  std::uint64_t records_read_ = 0;
};

}  // namespace edgefetch::tls
