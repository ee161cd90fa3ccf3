// libFuzzer harness: the TLS 1.3 view of ServerHello / HelloRetryRequest, the
// version peek the TLS 1.2 engine uses for the handover, and the downgrade sentinels.

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/tls13/server_hello13.hpp"

using namespace edgefetch::tls::tls13;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> body(data, size);
  auto decoded = decode_server_hello13(body);
  const auto peeked = peek_selected_version(body);
  if (decoded) {
    if (peeked != decoded->selected_version) __builtin_trap();
    if (decoded->hello_retry_request != is_hello_retry_request(decoded->random)) __builtin_trap();
    if (decoded->hello_retry_request && decoded->key_share) __builtin_trap();
    (void)downgrade_sentinel(decoded->random);
  } else if (peeked) {
    __builtin_trap();
  }
  return 0;
}
