#include "tls/messages/server_hello_done.hpp"

#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::messages {

base::Expected<void, Error> decode_server_hello_done(std::span<const std::uint8_t> body) {
  if (!body.empty()) return base::unexpected(malformed("ServerHelloDone has a non-empty body"));
  return {};
}

}  // namespace edgefetch::tls::messages
