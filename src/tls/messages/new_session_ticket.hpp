#pragma once
// NewSessionTicket (RFC 5077 §3.3): lifetime hint and an opaque ticket (an
// empty ticket means the server will not issue one).

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

struct NewSessionTicket {
  std::uint32_t lifetime_hint_seconds = 0;
  std::vector<std::uint8_t> ticket;
};

base::Expected<NewSessionTicket, Error> decode_new_session_ticket(std::span<const std::uint8_t> body);

}  // namespace edgefetch::tls::messages
