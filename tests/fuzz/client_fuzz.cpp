// libFuzzer harness: arbitrary bytes from "the server" into a started Client
// (certificate verification off so the fuzzer can reach the later states).
// The first byte picks the chunk size the rest is fed in; the engine must never
// crash, and once failed must stay failed.

#include <cstddef>
#include <cstdint>
#include <span>

#include "client_fuzz_support.hpp"

using namespace edgefetch;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const policy::Offer offer = fuzz::widest_tls12_offer();
  tls::Client client(fuzz::unverified_client_config(offer));
  client.start();
  const std::size_t chunk = 1 + data[0] % 97;
  (void)fuzz::feed_in_chunks(client, std::span<const std::uint8_t>(data + 1, size - 1), chunk);
  return 0;
}
