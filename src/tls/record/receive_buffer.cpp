#include "tls/record/receive_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace edgefetch::tls {

void ReceiveBuffer::consume(std::size_t n) {
  consumed_ += std::min(n, buffered());
}

std::span<std::uint8_t> ReceiveBuffer::space(std::size_t at_least) {
  if (consumed_ == filled_) {
    consumed_ = filled_ = 0;  // everything was taken: start over at the front
  } else if (storage_.size() - filled_ < at_least && consumed_ != 0) {
    // Move the partial record to the front only when the tail is too short,
    // not on every read: most reads then land behind it without a copy.
    std::memmove(storage_.data(), storage_.data() + consumed_, filled_ - consumed_);
    filled_ -= consumed_;
    consumed_ = 0;
  }
  if (storage_.size() - filled_ < at_least) {
    storage_.resize(std::max(filled_ + at_least, storage_.size() + storage_.size() / 2));
  }
  return {storage_.data() + filled_, storage_.size() - filled_};
}

void ReceiveBuffer::commit(std::size_t n) {
  // A count beyond the space would make bytes nobody wrote readable: clamp.
  filled_ += std::min(n, storage_.size() - filled_);
}

void ReceiveBuffer::append(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  const auto into = space(bytes.size());
  std::memcpy(into.data(), bytes.data(), bytes.size());
  commit(bytes.size());
}

std::vector<std::uint8_t> ReceiveBuffer::take_unread() {
  const auto unread = available();
  std::vector<std::uint8_t> taken(unread.begin(), unread.end());
  storage_ = {};  // the connection moves on without this buffer (the TLS 1.3 hand-over)
  consumed_ = filled_ = 0;
  return taken;
}

}  // namespace edgefetch::tls
