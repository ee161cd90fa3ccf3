#pragma once
// ReceiveBuffer: the bytes received from the peer and not yet taken as
// records, kept so the socket can read straight into it (space() + commit())
// instead of into a buffer of its own that is then copied here. Both record
// layers (RecordReader for SSLv3 to TLS 1.2, RecordLayer13) keep theirs in one.
//
// Records are opened in place, so views into available() stay valid until the
// next space() or append(), which may move the unread bytes to the front.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace edgefetch::tls {

class ReceiveBuffer {
 public:
  /// The received bytes not consumed yet.
  [[nodiscard]] std::span<std::uint8_t> available() {
    return {storage_.data() + consumed_, filled_ - consumed_};
  }
  [[nodiscard]] std::size_t buffered() const { return filled_ - consumed_; }
  /// Marks the first `n` available bytes as taken (at most buffered()).
  void consume(std::size_t n);

  /// Free space after the available bytes, at least `at_least` bytes long;
  /// write received bytes there and commit() them. Invalidates views into
  /// available(): the unread bytes may move.
  [[nodiscard]] std::span<std::uint8_t> space(std::size_t at_least);
  /// Makes the first `n` bytes of the last space() available (clamped to it).
  void commit(std::size_t n);
  /// space() + copy + commit().
  void append(std::span<const std::uint8_t> bytes);

  /// Removes and returns the available bytes, and frees the buffer.
  std::vector<std::uint8_t> take_unread();

 private:
  // storage_.size() is the capacity in use: growing zero-fills once, after
  // which the bytes are reused without being cleared again.
  std::vector<std::uint8_t> storage_;
  std::size_t consumed_ = 0;  // start of the available bytes
  std::size_t filled_ = 0;    // end of the available bytes
};

}  // namespace edgefetch::tls
