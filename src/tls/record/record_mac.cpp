#include "tls/record/record_mac.hpp"

#include <array>
#include <vector>

namespace edgefetch::tls::detail {

namespace {
// Zero bytes fed to the dummy hash; 8 blocks of SHA-384 (the largest block) per update.
constexpr std::size_t kDummyChunk = 1024;
const std::array<std::uint8_t, kDummyChunk> kZeros{};
}  // namespace

RecordMac::RecordMac(policy::HashAlgorithm hash, bool ssl3, std::optional<crypto::Hmac> hmac,
                     std::optional<crypto::Ssl3Mac> ssl3_mac)
    : hash_(hash), ssl3_(ssl3), hmac_(std::move(hmac)), ssl3_mac_(std::move(ssl3_mac)), dummy_(hash) {}

base::Expected<RecordMac, crypto::Error> RecordMac::create(policy::HashAlgorithm hash, bool ssl3,
                                                           std::span<const std::uint8_t> key) {
  if (ssl3) {
    auto mac = crypto::Ssl3Mac::create(hash, key);
    if (!mac) {
      return base::unexpected(mac.error());
    }
    return RecordMac(hash, true, std::nullopt, std::move(mac.value()));
  }
  auto mac = crypto::Hmac::create(hash, key);
  if (!mac) {
    return base::unexpected(mac.error());
  }
  return RecordMac(hash, false, std::move(mac.value()), std::nullopt);
}

std::size_t RecordMac::inner_prefix_length() const {
  // HMAC: the key XOR ipad block; SSLv3: secret + pad1 (60 or 64 bytes).
  return ssl3_ ? ssl3_mac_->inner_prefix_length() : crypto::digest_block_length(hash_);
}

std::size_t RecordMac::blocks_for(std::size_t n) const {
  const std::size_t block = crypto::digest_block_length(hash_);
  const std::size_t length_field = block == 128 ? 16 : 8;
  // Message, one 0x80 byte, zero fill, then the length field.
  return (n + 1 + length_field + block - 1) / block;
}

void RecordMac::feed_header(std::uint64_t sequence_number, ContentType type, std::uint16_t version,
                            std::size_t length) {
  std::array<std::uint8_t, 13> header{};
  std::size_t n = 0;
  for (int shift = 56; shift >= 0; shift -= 8) {
    header[n++] = static_cast<std::uint8_t>(sequence_number >> shift);
  }
  header[n++] = static_cast<std::uint8_t>(type);
  if (!ssl3_) {
    header[n++] = static_cast<std::uint8_t>(version >> 8);
    header[n++] = static_cast<std::uint8_t>(version);
  }
  header[n++] = static_cast<std::uint8_t>(length >> 8);
  header[n++] = static_cast<std::uint8_t>(length);
  const std::span<const std::uint8_t> bytes(header.data(), n);
  if (ssl3_) {
    ssl3_mac_->update(bytes);
  } else {
    hmac_->update(bytes);
  }
}

void RecordMac::compute(std::uint64_t sequence_number, ContentType type, std::uint16_t version,
                        std::span<const std::uint8_t> content, std::span<std::uint8_t> out) {
  feed_header(sequence_number, type, version, content.size());
  if (ssl3_) {
    ssl3_mac_->update(content);
    ssl3_mac_->finish(out);
  } else {
    hmac_->update(content);
    hmac_->finish(out);
  }
  const std::size_t block = crypto::digest_block_length(hash_);
  const std::size_t prefix = inner_prefix_length();
  // Inner: blocks past the precomputed keyed prefix; outer: prefix + inner digest.
  last_blocks_ = blocks_for(prefix + header_length() + content.size()) - prefix / block +
                 blocks_for(prefix + length()) - prefix / block;
}

void RecordMac::compute_equalized(std::uint64_t sequence_number, ContentType type, std::uint16_t version,
                                  std::span<const std::uint8_t> content, std::size_t max_content_length,
                                  std::span<std::uint8_t> out) {
  compute(sequence_number, type, version, content, out);
  const std::size_t prefix = inner_prefix_length() + header_length();
  // Branch-free: both operands are whole-block counts; the difference is the
  // number of compression calls the real MAC skipped because the content was
  // shorter than it could have been.
  const std::size_t extra = blocks_for(prefix + max_content_length) - blocks_for(prefix + content.size());
  std::size_t bytes = extra * crypto::digest_block_length(hash_);
  // Whole blocks into a hash with an empty buffer: each block is compressed at once.
  while (bytes > 0) {
    const std::size_t chunk = bytes < kDummyChunk ? bytes : kDummyChunk;
    dummy_.update(std::span(kZeros.data(), chunk));
    bytes -= chunk;
  }
  last_blocks_ += extra;
}

}  // namespace edgefetch::tls::detail
