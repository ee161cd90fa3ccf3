// libFuzzer harness: Finished decoding for TLS (12 bytes) and SSLv3 (36 bytes).

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/messages/finished.hpp"
#include "tls/messages/types.hpp"

using namespace edgefetch::tls::messages;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> body(data, size);
  for (std::size_t expected : {kTlsVerifyDataLength, kSsl3VerifyDataLength}) {
    auto decoded = decode_finished(body, expected);
    if (bool(decoded) != (size == expected)) __builtin_trap();
  }
  return 0;
}
