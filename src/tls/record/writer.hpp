#pragma once
// RecordWriter: fragments plaintext into records of at most 2^14 bytes,
// applies the current protection and appends the wire bytes to an output
// buffer (sans-IO: the caller owns the buffer and sends it).
//
// BEAST countermeasure: with a CBC protection in SSLv3 or TLS 1.0 (implicit
// IVs), application data is written 1/n-1 split: the first record of each
// write() carries one byte, the rest follow in further records, so the IV of
// every record with attacker-influenced content is unpredictable.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/record/protection.hpp"
#include "tls/record/record.hpp"

namespace edgefetch::tls {

class RecordWriter {
 public:
  RecordWriter();
  ~RecordWriter();
  RecordWriter(RecordWriter&&) noexcept;
  RecordWriter& operator=(RecordWriter&&) noexcept;

  /// The version written into record headers (and MACed/AADed). Starts at
  /// 0x0301; the handshake chooses what the ClientHello record carries and
  /// sets the negotiated version after ServerHello.
  void set_version(std::uint16_t version) { version_ = version; }
  [[nodiscard]] std::uint16_t version() const { return version_; }

  /// Writes `data` as one or more records of `type`, appending them to `out`.
  /// Empty `data` writes nothing. Errors: internal_error (sequence number
  /// exhausted, libcrypto failure).
  base::Expected<void, Error> write(ContentType type, std::span<const std::uint8_t> data,
                                    std::vector<std::uint8_t>& out);

  /// Installs the protection to use after our ChangeCipherSpec.
  void set_pending(std::unique_ptr<RecordProtection> protection);
  /// Switches to the pending protection (call right after writing our
  /// ChangeCipherSpec record). internal_error if nothing is pending.
  base::Expected<void, Error> activate_pending();
  [[nodiscard]] bool has_pending() const;
  [[nodiscard]] bool encrypted() const;
  [[nodiscard]] const RecordProtection& current() const;

 private:
  base::Expected<void, Error> write_record(ContentType type, std::span<const std::uint8_t> fragment,
                                           std::vector<std::uint8_t>& out);

  std::unique_ptr<RecordProtection> current_;
  std::unique_ptr<RecordProtection> pending_;
  std::uint16_t version_ = 0x0301;
};

}  // namespace edgefetch::tls
