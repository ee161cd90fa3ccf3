#pragma once
// The loop every extensions block shares (ServerHello in each version,
// EncryptedExtensions): entries of a u16 type and a u16-prefixed body, none
// twice (RFC 5246 §7.4.1.4, RFC 8446 §4.2). What each body means is the
// caller's.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/codec/byte_reader.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::messages {

/// Reads the entries of `block` (the extensions of `message`, e.g.
/// "ServerHello"), appending each type to `types` in order and then calling
/// `parse(type, body)`, which returns base::Expected<void, Error>. Fails with
/// a malformed error on a truncated entry or a repeated type, or with parse's
/// error.
template <class Parse>
base::Expected<void, Error> read_extension_block(codec::ByteReader block, std::string_view message,
                                                 std::vector<std::uint16_t>& types, Parse&& parse) {
  while (!block.empty()) {
    std::uint16_t type = 0;
    codec::ByteReader body;
    if (!block.read_u16(type) || !block.read_u16_prefixed(body)) {
      return base::unexpected(malformed(std::string(message) + " extension is truncated"));
    }
    if (std::find(types.begin(), types.end(), type) != types.end()) {
      return base::unexpected(
          malformed(std::string(message) + " repeats the " + extension_name(type) + " extension"));
    }
    types.push_back(type);
    if (auto parsed = parse(type, body); !parsed) return base::unexpected(parsed.error());
  }
  return {};
}

}  // namespace edgefetch::tls::messages
