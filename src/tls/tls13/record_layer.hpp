#pragma once
// The TLS 1.3 record layer of one connection (sans-IO): splits received bytes
// into records, removes the current read protection, and writes records with
// the current write protection. Before keys are installed records pass in
// plaintext (ServerHello, the server's middlebox-compatibility
// ChangeCipherSpec, alerts); once read keys are set, every handshake record
// must arrive protected (RFC 8446 §5).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/record/receive_buffer.hpp"
#include "tls/record/record.hpp"
#include "tls/tls13/record_protection.hpp"

namespace edgefetch::tls::tls13 {

struct Record13 {
  ContentType type;                       // the real (inner) type
  std::span<const std::uint8_t> content;  // valid until the next feed()/next()
  bool was_protected = false;
};

class RecordLayer13 {
 public:
  RecordLayer13() = default;

  /// Appends received bytes (invalidates earlier Record13 views).
  void feed(std::span<const std::uint8_t> bytes) { received_.append(bytes); }
  /// Room for a socket to read into directly, then commit_received(); also
  /// invalidates earlier Record13 views.
  [[nodiscard]] std::span<std::uint8_t> receive_space(std::size_t at_least) {
    return received_.space(at_least);
  }
  void commit_received(std::size_t n) { received_.commit(n); }

  /// The next record, std::nullopt when more bytes are needed. Errors:
  /// protocol_violation (unknown content type, bad version, plaintext handshake
  /// or application data while read keys are set, empty plaintext record),
  /// record_overflow, bad_record_mac.
  base::Expected<std::optional<Record13>, Error> next();

  /// Writes `data` as records of `type` (fragments of at most 2^14 bytes),
  /// protected when write keys are set.
  base::Expected<void, Error> write(ContentType type, std::span<const std::uint8_t> data,
                                    std::vector<std::uint8_t>& out);

  void set_read_protection(RecordProtection13 protection) { read_.emplace(std::move(protection)); }
  void set_write_protection(RecordProtection13 protection) { write_.emplace(std::move(protection)); }
  [[nodiscard]] bool read_protected() const { return read_.has_value(); }
  [[nodiscard]] bool write_protected() const { return write_.has_value(); }

  [[nodiscard]] std::size_t buffered() const { return received_.buffered(); }
  [[nodiscard]] bool has_partial_record() const { return buffered() > 0; }

 private:
  ReceiveBuffer received_;
  std::optional<RecordProtection13> read_;
  std::optional<RecordProtection13> write_;
};

}  // namespace edgefetch::tls::tls13
