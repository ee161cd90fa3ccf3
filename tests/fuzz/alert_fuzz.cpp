// libFuzzer harness: alert decoding, re-encoding and naming.

#include <cstddef>
#include <cstdint>
#include <span>

#include "edgefetch/tls/error.hpp"
#include "tls/messages/alert.hpp"

using namespace edgefetch::tls;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto decoded = messages::decode_alert(std::span<const std::uint8_t>(data, size));
  if (decoded) {
    const auto encoded = messages::encode_alert(*decoded);
    if (size != 2 || encoded[0] != data[0] || encoded[1] != data[1]) __builtin_trap();
    if (alert_name(decoded->description).empty()) __builtin_trap();
  }
  return 0;
}
