#include "tls/messages/hello_request.hpp"

#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

base::Expected<void, Error> decode_hello_request(std::span<const std::uint8_t> body) {
  if (!body.empty()) return base::unexpected(malformed("HelloRequest has a non-empty body"));
  return {};
}

}  // namespace edgefetch::tls::messages
