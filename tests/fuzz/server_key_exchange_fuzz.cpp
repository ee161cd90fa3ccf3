// libFuzzer harness: ECDHE ServerKeyExchange decoding in both forms (the first
// input byte picks TLS 1.2 with a signature scheme, or the pre-1.2 form).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/messages/server_key_exchange.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool tls12 = (data[0] & 1) != 0;
  const std::span<const std::uint8_t> body(data + 1, size - 1);
  auto decoded = edgefetch::tls::messages::decode_ecdhe_server_key_exchange(body, tls12);
  if (decoded) {
    // The signed parameters are a prefix of the body.
    if (decoded->signed_params.size() > body.size() ||
        !std::equal(decoded->signed_params.begin(), decoded->signed_params.end(), body.begin())) {
      __builtin_trap();
    }
  }
  return 0;
}
