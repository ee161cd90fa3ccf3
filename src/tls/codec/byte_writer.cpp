#include "tls/codec/byte_writer.hpp"

#include <utility>

namespace edgefetch::tls::codec {

namespace {
constexpr std::uint32_t max_for_width(std::size_t width) {
  return width >= 4 ? 0xFFFFFFFFu : (std::uint32_t{1} << (8 * width)) - 1;
}
}  // namespace

void ByteWriter::put_uint(std::uint32_t v, std::size_t width) {
  if (v > max_for_width(width)) {
    ok_ = false;
    v = 0;
  }
  for (std::size_t i = width; i > 0; --i) buffer_.push_back(static_cast<std::uint8_t>(v >> (8 * (i - 1))));
}

void ByteWriter::u8(std::uint8_t v) {
  buffer_.push_back(v);
}
void ByteWriter::u16(std::uint16_t v) {
  put_uint(v, 2);
}
void ByteWriter::u24(std::uint32_t v) {
  put_uint(v, 3);
}
void ByteWriter::u32(std::uint32_t v) {
  put_uint(v, 4);
}

void ByteWriter::bytes(std::span<const std::uint8_t> b) {
  buffer_.insert(buffer_.end(), b.begin(), b.end());
}

void ByteWriter::zeros(std::size_t n) {
  buffer_.resize(buffer_.size() + n, 0);
}

void ByteWriter::u8_prefixed_bytes(std::span<const std::uint8_t> b) {
  auto scope = u8_prefixed();
  bytes(b);
}

void ByteWriter::u16_prefixed_bytes(std::span<const std::uint8_t> b) {
  auto scope = u16_prefixed();
  bytes(b);
}

void ByteWriter::u24_prefixed_bytes(std::span<const std::uint8_t> b) {
  auto scope = u24_prefixed();
  bytes(b);
}

std::vector<std::uint8_t> ByteWriter::take() {
  std::vector<std::uint8_t> out = std::move(buffer_);
  buffer_.clear();
  return out;
}

ByteWriter::Scope::Scope(ByteWriter& writer, std::size_t width)
    : writer_(&writer), length_offset_(writer.buffer_.size()), width_(width), depth_(++writer.open_scopes_) {
  writer.zeros(width);
}

ByteWriter::Scope::Scope(Scope&& other) noexcept
    : writer_(std::exchange(other.writer_, nullptr)),
      length_offset_(other.length_offset_),
      width_(other.width_),
      depth_(other.depth_) {}

void ByteWriter::Scope::close() {
  if (writer_ == nullptr) return;
  ByteWriter& w = *std::exchange(writer_, nullptr);
  if (depth_ != w.open_scopes_) w.ok_ = false;  // an inner scope is still open
  if (w.open_scopes_ > 0) --w.open_scopes_;
  const std::size_t body = w.buffer_.size() - length_offset_ - width_;
  std::uint32_t length = 0;
  if (body > max_for_width(width_)) {
    w.ok_ = false;
  } else {
    length = static_cast<std::uint32_t>(body);
  }
  for (std::size_t i = 0; i < width_; ++i) {
    w.buffer_[length_offset_ + i] = static_cast<std::uint8_t>(length >> (8 * (width_ - 1 - i)));
  }
}

}  // namespace edgefetch::tls::codec
