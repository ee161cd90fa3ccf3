#include "tls/codec/byte_reader.hpp"

#include <algorithm>

namespace edgefetch::tls::codec {

bool ByteReader::read_uint(std::size_t width, std::uint32_t& out) {
  if (width == 0 || width > 4 || data_.size() < width) return false;
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < width; ++i) value = (value << 8) | data_[i];
  data_ = data_.subspan(width);
  out = value;
  return true;
}

bool ByteReader::read_u8(std::uint8_t& out) {
  std::uint32_t v = 0;
  if (!read_uint(1, v)) return false;
  out = static_cast<std::uint8_t>(v);
  return true;
}

bool ByteReader::read_u16(std::uint16_t& out) {
  std::uint32_t v = 0;
  if (!read_uint(2, v)) return false;
  out = static_cast<std::uint16_t>(v);
  return true;
}

bool ByteReader::read_u24(std::uint32_t& out) {
  return read_uint(3, out);
}

bool ByteReader::read_u32(std::uint32_t& out) {
  return read_uint(4, out);
}

bool ByteReader::read_bytes(std::size_t n, std::span<const std::uint8_t>& out) {
  if (data_.size() < n) return false;
  out = data_.first(n);
  data_ = data_.subspan(n);
  return true;
}

bool ByteReader::read_into(std::span<std::uint8_t> out) {
  std::span<const std::uint8_t> bytes;
  if (!read_bytes(out.size(), bytes)) return false;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return true;
}

bool ByteReader::skip(std::size_t n) {
  std::span<const std::uint8_t> ignored;
  return read_bytes(n, ignored);
}

bool ByteReader::read_prefixed(std::size_t width, std::span<const std::uint8_t>& out) {
  // Read the length and the body as one step so a failure leaves us unchanged.
  ByteReader probe = *this;
  std::uint32_t length = 0;
  if (!probe.read_uint(width, length)) return false;
  if (!probe.read_bytes(length, out)) return false;
  *this = probe;
  return true;
}

bool ByteReader::read_u8_prefixed_bytes(std::span<const std::uint8_t>& out) {
  return read_prefixed(1, out);
}
bool ByteReader::read_u16_prefixed_bytes(std::span<const std::uint8_t>& out) {
  return read_prefixed(2, out);
}
bool ByteReader::read_u24_prefixed_bytes(std::span<const std::uint8_t>& out) {
  return read_prefixed(3, out);
}

bool ByteReader::read_u8_prefixed(ByteReader& out) {
  std::span<const std::uint8_t> body;
  if (!read_prefixed(1, body)) return false;
  out = ByteReader(body);
  return true;
}

bool ByteReader::read_u16_prefixed(ByteReader& out) {
  std::span<const std::uint8_t> body;
  if (!read_prefixed(2, body)) return false;
  out = ByteReader(body);
  return true;
}

bool ByteReader::read_u24_prefixed(ByteReader& out) {
  std::span<const std::uint8_t> body;
  if (!read_prefixed(3, body)) return false;
  out = ByteReader(body);
  return true;
}

}  // namespace edgefetch::tls::codec
