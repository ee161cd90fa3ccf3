#pragma once
// A bounds-checked reader over bytes received from the network (in the spirit of
// BoringSSL's CBS). Every read either succeeds completely or fails and leaves the
// reader unchanged; no read ever touches memory outside the span it was given.
// Length-prefixed fields come back as sub-readers so nested structures are
// parsed without index arithmetic.

#include <cstddef>
#include <cstdint>
#include <span>

namespace edgefetch::tls::codec {

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}

  [[nodiscard]] std::size_t remaining() const { return data_.size(); }
  [[nodiscard]] bool empty() const { return data_.empty(); }
  /// The bytes not read yet (does not consume them).
  [[nodiscard]] std::span<const std::uint8_t> rest() const { return data_; }

  [[nodiscard]] bool read_u8(std::uint8_t& out);
  [[nodiscard]] bool read_u16(std::uint16_t& out);
  [[nodiscard]] bool read_u24(std::uint32_t& out);
  [[nodiscard]] bool read_u32(std::uint32_t& out);

  /// Exactly n bytes.
  [[nodiscard]] bool read_bytes(std::size_t n, std::span<const std::uint8_t>& out);
  /// Exactly n bytes into a fixed-size destination (n = out.size()).
  [[nodiscard]] bool read_into(std::span<std::uint8_t> out);
  [[nodiscard]] bool skip(std::size_t n);

  /// A length-prefixed field (prefix of 1, 2 or 3 bytes) as a sub-reader.
  [[nodiscard]] bool read_u8_prefixed(ByteReader& out);
  [[nodiscard]] bool read_u16_prefixed(ByteReader& out);
  [[nodiscard]] bool read_u24_prefixed(ByteReader& out);

  /// A length-prefixed field as raw bytes.
  [[nodiscard]] bool read_u8_prefixed_bytes(std::span<const std::uint8_t>& out);
  [[nodiscard]] bool read_u16_prefixed_bytes(std::span<const std::uint8_t>& out);
  [[nodiscard]] bool read_u24_prefixed_bytes(std::span<const std::uint8_t>& out);

 private:
  // Reads a big-endian unsigned integer of `width` bytes (1..4).
  [[nodiscard]] bool read_uint(std::size_t width, std::uint32_t& out);
  [[nodiscard]] bool read_prefixed(std::size_t width, std::span<const std::uint8_t>& out);

  std::span<const std::uint8_t> data_;
};

}  // namespace edgefetch::tls::codec
