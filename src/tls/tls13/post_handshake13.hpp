#pragma once
// Post-handshake messages of TLS 1.3 a client receives: NewSessionTicket
// (RFC 8446 §4.6.1) and KeyUpdate (§4.6.3), which the client also sends.

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::tls13 {

/// Longest ticket lifetime a server may announce (7 days).
inline constexpr std::uint32_t kMaxTicketLifetimeSeconds = 604800;

struct NewSessionTicket13 {
  std::uint32_t lifetime_seconds = 0;
  std::uint32_t age_add = 0;
  std::vector<std::uint8_t> nonce;
  std::vector<std::uint8_t> ticket;
  std::vector<std::uint16_t> extension_types;
  std::uint32_t max_early_data_size = 0;  // from early_data, 0 when absent
};

/// Errors: decode_error (malformed, empty ticket, repeated extension),
/// protocol_violation / illegal_parameter (lifetime above 7 days).
base::Expected<NewSessionTicket13, Error> decode_new_session_ticket13(std::span<const std::uint8_t> body);

enum class KeyUpdateRequest : std::uint8_t { update_not_requested = 0, update_requested = 1 };

/// Errors: decode_error (length), illegal_parameter (a value other than 0 or 1).
base::Expected<KeyUpdateRequest, Error> decode_key_update(std::span<const std::uint8_t> body);
/// The complete handshake message (header included).
std::vector<std::uint8_t> encode_key_update(KeyUpdateRequest request);

}  // namespace edgefetch::tls::tls13
