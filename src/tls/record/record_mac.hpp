#pragma once
// Private to the record layer: the per-record MAC of MAC-then-encrypt suites
// (HMAC for TLS, the SSLv3 MAC for SSLv3), with the bookkeeping needed to make
// CBC verification take the same number of hash compression-function calls
// whatever the (secret) padding length is (Lucky Thirteen).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"
#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/hmac.hpp"
#include "edgefetch/crypto/prf.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "tls/record/record.hpp"

namespace edgefetch::tls::detail {

class RecordMac {
 public:
  /// `ssl3` selects the SSLv3 MAC (no version in the MAC header) instead of HMAC.
  static base::Expected<RecordMac, crypto::Error> create(policy::HashAlgorithm hash, bool ssl3,
                                                         std::span<const std::uint8_t> key);

  [[nodiscard]] std::size_t length() const { return crypto::digest_length(hash_); }

  /// MAC of seq_num || type || [version] || length || content, written to `out` (length() bytes).
  void compute(std::uint64_t sequence_number, ContentType type, std::uint16_t version,
               std::span<const std::uint8_t> content, std::span<std::uint8_t> out);

  /// Like compute(), for CBC verification: `content` is the first bytes of a
  /// decrypted record whose longest possible content is `max_content_length`
  /// bytes (no padding). After MACing the actual content it runs as many extra
  /// compression-function blocks on a dummy hash as a content of
  /// max_content_length would have needed, so the total work does not depend on
  /// content.size() (the secret). content.size() <= max_content_length.
  void compute_equalized(std::uint64_t sequence_number, ContentType type, std::uint16_t version,
                         std::span<const std::uint8_t> content, std::size_t max_content_length,
                         std::span<std::uint8_t> out);

  /// Test hook: compression-function blocks run by the last compute*() call,
  /// derived from the bytes actually handed to the hash functions (inner hash
  /// from its keyed start, outer hash, dummy hash).
  [[nodiscard]] std::uint64_t last_compression_blocks() const { return last_blocks_; }

 private:
  RecordMac(policy::HashAlgorithm hash, bool ssl3, std::optional<crypto::Hmac> hmac,
            std::optional<crypto::Ssl3Mac> ssl3_mac);
  std::size_t header_length() const { return ssl3_ ? 11 : 13; }
  std::size_t inner_prefix_length() const;
  /// Compression blocks a Merkle–Damgård hash runs to finish a message of `n`
  /// bytes (including the final padding block(s)).
  std::size_t blocks_for(std::size_t n) const;
  void feed_header(std::uint64_t sequence_number, ContentType type, std::uint16_t version,
                   std::size_t length);

  policy::HashAlgorithm hash_;
  bool ssl3_;
  std::optional<crypto::Hmac> hmac_;
  std::optional<crypto::Ssl3Mac> ssl3_mac_;
  crypto::HashContext dummy_;  // absorbs the equalising blocks; never finished
  std::uint64_t last_blocks_ = 0;
};

}  // namespace edgefetch::tls::detail
