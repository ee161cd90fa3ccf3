#pragma once
// A builder for wire structures (in the spirit of BoringSSL's CBB). Integers are
// written big-endian; a length-prefixed field is opened as a Scope that reserves
// the prefix and fills in the real length when it closes, so no caller computes
// a length by hand. A value that does not fit its field (a u24 above 2^24-1, a
// u16-prefixed body above 65535 bytes, scopes closed out of order) marks the
// writer failed; callers check ok() once at the end.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace edgefetch::tls::codec {

class ByteWriter {
 public:
  /// An open length-prefixed field. Closes (and back-patches its length) on
  /// close() or destruction. Scopes must close innermost first.
  class Scope {
   public:
    Scope(Scope&& other) noexcept;
    Scope& operator=(Scope&&) = delete;
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() { close(); }

    void close();

   private:
    friend class ByteWriter;
    Scope(ByteWriter& writer, std::size_t width);

    ByteWriter* writer_;
    std::size_t length_offset_;
    std::size_t width_;
    std::size_t depth_;
  };

  ByteWriter() = default;

  void u8(std::uint8_t v);
  void u16(std::uint16_t v);
  void u24(std::uint32_t v);
  void u32(std::uint32_t v);
  void bytes(std::span<const std::uint8_t> b);
  void zeros(std::size_t n);

  [[nodiscard]] Scope u8_prefixed() { return Scope(*this, 1); }
  [[nodiscard]] Scope u16_prefixed() { return Scope(*this, 2); }
  [[nodiscard]] Scope u24_prefixed() { return Scope(*this, 3); }

  /// Shorthands: a length prefix followed by the bytes.
  void u8_prefixed_bytes(std::span<const std::uint8_t> b);
  void u16_prefixed_bytes(std::span<const std::uint8_t> b);
  void u24_prefixed_bytes(std::span<const std::uint8_t> b);

  /// False once anything did not fit its field.
  [[nodiscard]] bool ok() const { return ok_ && open_scopes_ == 0; }
  [[nodiscard]] std::size_t size() const { return buffer_.size(); }
  [[nodiscard]] std::span<const std::uint8_t> data() const { return buffer_; }
  /// The bytes written (the writer is left empty).
  [[nodiscard]] std::vector<std::uint8_t> take();

 private:
  void put_uint(std::uint32_t v, std::size_t width);

  std::vector<std::uint8_t> buffer_;
  std::size_t open_scopes_ = 0;
  bool ok_ = true;
};

}  // namespace edgefetch::tls::codec
