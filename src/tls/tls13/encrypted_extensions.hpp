#pragma once
// EncryptedExtensions (RFC 8446 §4.3.1): the server's answers to ClientHello
// extensions that are not needed to establish keys.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::tls13 {

struct EncryptedExtensions {
  std::vector<std::uint16_t> extensions;  // types, in order, each once
  std::optional<std::string> alpn;
  bool server_name_ack = false;
  std::optional<std::vector<std::uint16_t>> supported_groups;  // the server's preference (informational)
};

/// Decodes the body. Errors: decode_error (malformed), protocol_violation /
/// illegal_parameter for extensions that may not appear here (supported_versions,
/// key_share, pre_shared_key, cookie: RFC 8446 §4.2's table).
base::Expected<EncryptedExtensions, Error> decode_encrypted_extensions(std::span<const std::uint8_t> body);

/// Every extension must answer one the ClientHello offered (unsupported_extension
/// otherwise); supported_groups may always appear (RFC 8446 §4.2.7). The ALPN
/// protocol must be one we offered.
base::Expected<void, Error> check_encrypted_extensions(const EncryptedExtensions& extensions,
                                                       std::span<const std::uint16_t> offered_extensions,
                                                       std::span<const std::string> offered_alpn);

}  // namespace edgefetch::tls::tls13
