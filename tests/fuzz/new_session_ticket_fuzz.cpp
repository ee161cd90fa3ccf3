// libFuzzer harness: NewSessionTicket decoding.

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/messages/new_session_ticket.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto decoded =
      edgefetch::tls::messages::decode_new_session_ticket(std::span<const std::uint8_t>(data, size));
  if (decoded && decoded->ticket.size() + 6 != size) __builtin_trap();
  return 0;
}
