#include "tls/messages/alert.hpp"

#include <string>

#include "tls/codec/byte_reader.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

base::Expected<Alert, Error> decode_alert(std::span<const std::uint8_t> fragment) {
  codec::ByteReader r(fragment);
  std::uint8_t level = 0;
  Alert alert;
  if (!r.read_u8(level) || !r.read_u8(alert.description) || !r.empty()) {
    return base::unexpected(
        malformed("alert record is " + std::to_string(fragment.size()) + " bytes, expected 2"));
  }
  if (level != static_cast<std::uint8_t>(AlertLevel::warning) &&
      level != static_cast<std::uint8_t>(AlertLevel::fatal)) {
    return base::unexpected(
        illegal_parameter("alert level " + std::to_string(level) + " is neither warning nor fatal"));
  }
  alert.level = static_cast<AlertLevel>(level);
  return alert;
}

std::array<std::uint8_t, 2> encode_alert(Alert alert) {
  return {static_cast<std::uint8_t>(alert.level), alert.description};
}

}  // namespace edgefetch::tls::messages
