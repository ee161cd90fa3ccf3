#include "tls/messages/change_cipher_spec.hpp"

#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

base::Expected<void, Error> decode_change_cipher_spec(std::span<const std::uint8_t> fragment) {
  if (fragment.size() != 1 || fragment[0] != 1) {
    return base::unexpected(malformed("ChangeCipherSpec must be the single byte 1"));
  }
  return {};
}

}  // namespace edgefetch::tls::messages
