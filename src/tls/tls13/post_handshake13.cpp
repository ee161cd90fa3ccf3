#include "tls/tls13/post_handshake13.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/handshake_header.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/tls13/server_hello13.hpp"

namespace edgefetch::tls::tls13 {
namespace {
using codec::ByteReader;
using messages::malformed;
constexpr std::uint8_t kHandshakeTypeKeyUpdate = 24;
}  // namespace

base::Expected<NewSessionTicket13, Error> decode_new_session_ticket13(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  NewSessionTicket13 out;
  std::span<const std::uint8_t> nonce;
  std::span<const std::uint8_t> ticket;
  ByteReader extensions;
  if (!r.read_u32(out.lifetime_seconds) || !r.read_u32(out.age_add) || !r.read_u8_prefixed_bytes(nonce) ||
      !r.read_u16_prefixed_bytes(ticket) || ticket.empty() || !r.read_u16_prefixed(extensions) ||
      !r.empty()) {
    return base::unexpected(malformed("NewSessionTicket is malformed"));
  }
  if (out.lifetime_seconds > kMaxTicketLifetimeSeconds) {
    return base::unexpected(messages::illegal_parameter(
        "NewSessionTicket lifetime " + std::to_string(out.lifetime_seconds) + " s exceeds the 7-day limit"));
  }
  out.nonce.assign(nonce.begin(), nonce.end());
  out.ticket.assign(ticket.begin(), ticket.end());
  while (!extensions.empty()) {
    std::uint16_t type = 0;
    ByteReader ext_body;
    if (!extensions.read_u16(type) || !extensions.read_u16_prefixed(ext_body)) {
      return base::unexpected(malformed("NewSessionTicket extension is truncated"));
    }
    if (std::find(out.extension_types.begin(), out.extension_types.end(), type) !=
        out.extension_types.end()) {
      return base::unexpected(malformed("NewSessionTicket repeats an extension"));
    }
    out.extension_types.push_back(type);
    if (type == extension13::kEarlyData &&
        (!ext_body.read_u32(out.max_early_data_size) || !ext_body.empty())) {
      return base::unexpected(malformed("NewSessionTicket early_data extension is malformed"));
    }
  }
  return out;
}

base::Expected<KeyUpdateRequest, Error> decode_key_update(std::span<const std::uint8_t> body) {
  if (body.size() != 1) return base::unexpected(malformed("KeyUpdate must be one byte"));
  if (body[0] > 1) {
    return base::unexpected(
        messages::illegal_parameter("KeyUpdate request_update " + std::to_string(body[0])));
  }
  return static_cast<KeyUpdateRequest>(body[0]);
}

std::vector<std::uint8_t> encode_key_update(KeyUpdateRequest request) {
  return {kHandshakeTypeKeyUpdate, 0, 0, 1, static_cast<std::uint8_t>(request)};
}

}  // namespace edgefetch::tls::tls13
