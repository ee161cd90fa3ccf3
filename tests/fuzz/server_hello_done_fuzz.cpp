// libFuzzer harness: ServerHelloDone (and HelloRequest, also empty-bodied) decoding.

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/messages/hello_request.hpp"
#include "tls/messages/server_hello_done.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> body(data, size);
  const bool done = bool(edgefetch::tls::messages::decode_server_hello_done(body));
  const bool request = bool(edgefetch::tls::messages::decode_hello_request(body));
  if (done != (size == 0) || request != (size == 0)) __builtin_trap();
  return 0;
}
