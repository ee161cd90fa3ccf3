#include "tls/messages/new_session_ticket.hpp"

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

base::Expected<NewSessionTicket, Error> decode_new_session_ticket(std::span<const std::uint8_t> body) {
  codec::ByteReader r(body);
  NewSessionTicket out;
  std::span<const std::uint8_t> ticket;
  if (!r.read_u32(out.lifetime_hint_seconds) || !r.read_u16_prefixed_bytes(ticket) || !r.empty()) {
    return base::unexpected(malformed("NewSessionTicket is malformed"));
  }
  out.ticket.assign(ticket.begin(), ticket.end());
  return out;
}

}  // namespace edgefetch::tls::messages
