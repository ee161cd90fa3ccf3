#include "tls/messages/finished.hpp"

#include <string>

#include "tls/messages/handshake_header.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

base::Expected<std::vector<std::uint8_t>, Error> decode_finished(std::span<const std::uint8_t> body,
                                                                 std::size_t expected_length) {
  if (body.size() != expected_length) {
    return base::unexpected(malformed("Finished verify_data is " + std::to_string(body.size()) +
                                      " bytes, expected " + std::to_string(expected_length)));
  }
  return std::vector<std::uint8_t>(body.begin(), body.end());
}

std::vector<std::uint8_t> encode_finished(std::span<const std::uint8_t> verify_data) {
  return frame_handshake(HandshakeType::finished, verify_data);
}

}  // namespace edgefetch::tls::messages
