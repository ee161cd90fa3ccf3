#include "edgefetch/edge/request_id.hpp"

#include <array>
#include <cstdint>
#include <random>

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

}  // namespace

std::string make_request_id() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto bytes = random_array<42>();
  std::string id;
  id.reserve(kRequestIdLength);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t group =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    id += kAlphabet[(group >> 18) & 63];
    id += kAlphabet[(group >> 12) & 63];
    id += kAlphabet[(group >> 6) & 63];
    id += kAlphabet[group & 63];
  }
  return id;
}

std::string make_host_id() {
  static constexpr char kHex[] = "0123456789abcdef";
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
