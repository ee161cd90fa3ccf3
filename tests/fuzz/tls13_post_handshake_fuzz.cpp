// libFuzzer harness: the post-handshake messages (NewSessionTicket 1.3, KeyUpdate).

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls/tls13/post_handshake13.hpp"

using namespace edgefetch::tls::tls13;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> body(data, size);
  auto ticket = decode_new_session_ticket13(body);
  if (ticket && (ticket->ticket.empty() || ticket->lifetime_seconds > kMaxTicketLifetimeSeconds))
    __builtin_trap();
  auto update = decode_key_update(body);
  if (update && size != 1) __builtin_trap();
  return 0;
}
