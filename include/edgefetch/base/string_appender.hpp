#pragma once
// Builds a message head into a std::string: room for the expected size is made
// once, then each piece is one memcpy. std::string::append re-checks capacity
// and rewrites the terminator per call, which was most of the cost of writing
// the dozen short fields of every proxied request and response.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace edgefetch::base {

class StringAppender {
 public:
  /// Appends to the end of `out`, which grows by `expected` bytes up front
  /// (more as needed: the estimate only decides how often it grows). Until the
  /// appender is destroyed `out` holds unwritten bytes after the text.
  StringAppender(std::string& out, std::size_t expected) : out_(out), size_(out.size()) {
    out_.resize(size_ + expected);
  }
  ~StringAppender() { out_.resize(size_); }
  StringAppender(const StringAppender&) = delete;
  StringAppender& operator=(const StringAppender&) = delete;

  StringAppender& append(std::string_view text) {
    if (text.size() > out_.size() - size_) grow(text.size());
    std::memcpy(out_.data() + size_, text.data(), text.size());
    size_ += text.size();
    return *this;
  }

  StringAppender& append(char c) {
    if (size_ == out_.size()) grow(1);
    out_[size_++] = c;
    return *this;
  }

  /// The decimal digits of `value`.
  StringAppender& append_decimal(std::uint64_t value) {
    std::array<char, 20> digits;
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    return append(std::string_view(digits.data(), static_cast<std::size_t>(result.ptr - digits.data())));
  }

  /// "name: value\r\n"
  StringAppender& append_field(std::string_view name, std::string_view value) {
    const std::size_t length = name.size() + value.size() + 4;
    if (length > out_.size() - size_) grow(length);
    char* p = out_.data() + size_;
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    p = std::copy_n(": ", 2, p);
    std::memcpy(p, value.data(), value.size());
    p += value.size();
    std::copy_n("\r\n", 2, p);
    size_ += length;
    return *this;
  }

  /// Bytes written so far (including what `out` held before).
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  // Out of line and rare: keeps append() small enough to inline, where a
  // constant piece becomes a plain store.
  [[gnu::noinline, gnu::cold]] void grow(std::size_t needed) { out_.resize(size_ + needed + out_.size()); }

  std::string& out_;
  std::size_t size_;
};

}  // namespace edgefetch::base
