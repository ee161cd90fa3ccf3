// libFuzzer harness: CertificateVerify decoding and the signed-content layout.

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/tls13/certificate_verify13.hpp"

using namespace edgefetch::tls::tls13;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  auto decoded = decode_certificate_verify13(input);
  if (decoded && (decoded->signature.empty() || decoded->signature.size() + 4 != size)) __builtin_trap();
  const auto content = server_signed_content(input);
  if (content.size() != 64 + 33 + 1 + size) __builtin_trap();
  return 0;
}
