#include "edgefetch/edge/request_id.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string_view>

#include "edgefetch/crypto/random.hpp"

namespace edgefetch::edge {
namespace {

template <std::size_t N>
std::array<std::uint8_t, N> random_array() {
  std::array<std::uint8_t, N> bytes{};
  if (!crypto::random_bytes(bytes)) {
    // The DRBG cannot be seeded: ids only need to be unique, not secret.
    std::random_device device;
    for (auto& b : bytes) b = static_cast<std::uint8_t>(device());
  }
  return bytes;
}

// Request ids draw from a per-thread block of DRBG output, refilled every 96
// ids: one RAND_bytes call (DRBG lock, fork check, AES-CTR set-up) per request
// was 9% of the proxy's CPU on small responses. Every byte is used once.
class RandomBlock {
 public:
  template <std::size_t N>
  std::array<std::uint8_t, N> take() {
    static_assert(N <= kSize);
    if (kSize - used_ < N) refill();
    std::array<std::uint8_t, N> out{};
    std::copy_n(block_.begin() + static_cast<std::ptrdiff_t>(used_), N, out.begin());
    used_ += N;
    return out;
  }

 private:
  static constexpr std::size_t kSize = std::size_t{42} * 96;
  void refill() {
    if (!crypto::random_bytes(block_)) {
      std::random_device device;
      for (auto& b : block_) b = static_cast<std::uint8_t>(device());
    }
    used_ = 0;
  }
  std::array<std::uint8_t, kSize> block_{};
  std::size_t used_ = kSize;
};

}  // namespace

std::string make_request_id() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  thread_local RandomBlock random;
  const auto bytes = random.take<42>();
  static_assert(bytes.size() / 3 * 4 == kRequestIdLength);
  std::array<char, kRequestIdLength> text{};
  char* out = text.data();
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t group =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    *out++ = kAlphabet[(group >> 18) & 63];
    *out++ = kAlphabet[(group >> 12) & 63];
    *out++ = kAlphabet[(group >> 6) & 63];
    *out++ = kAlphabet[group & 63];
  }
  // One copy into the string: += per character was 56 capacity checks.
  return {text.data(), text.size()};
}

std::string make_host_id() {
  static constexpr std::string_view kHex = "0123456789abcdef";
  const auto bytes = random_array<16>();
  std::string id;
  id.reserve(32);
  for (const auto b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

}  // namespace edgefetch::edge
