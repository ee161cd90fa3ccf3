// libFuzzer harness: Certificate message decoding.

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/messages/certificate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto decoded = edgefetch::tls::messages::decode_certificate(std::span<const std::uint8_t>(data, size));
  if (decoded) {
    std::size_t total = 0;
    for (const auto& der : decoded->chain) total += der.size() + 3;
    if (total + 3 != size) __builtin_trap();  // every byte accounted for
  }
  return 0;
}
