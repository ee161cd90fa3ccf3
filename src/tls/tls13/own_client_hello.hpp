#pragma once
// What the TLS 1.3 client needs to know about the ClientHello it sent (read
// back from the encoded message, so the TLS 1.3 state machine does not depend
// on how the hello was built), and the second ClientHello after a
// HelloRetryRequest (RFC 8446 §4.1.2: the same hello with the key_share
// replaced and the cookie added).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tls/tls13/server_hello13.hpp"

namespace edgefetch::tls::tls13 {

struct OwnClientHello {
  std::vector<std::uint8_t> session_id;
  std::vector<std::uint16_t> cipher_suites;
  std::vector<std::uint16_t> extensions;  // types, in order
  std::vector<std::uint16_t> supported_groups;
  std::vector<std::uint16_t> signature_schemes;
  std::vector<std::uint16_t> key_share_groups;
  std::vector<KeyShareEntry> key_shares;  // the public values, in order
  std::vector<std::string> alpn;

  [[nodiscard]] bool offers_extension(std::uint16_t type) const;
};

/// Reads back our own encoded ClientHello (handshake header included);
/// std::nullopt when it is not a well-formed ClientHello.
std::optional<OwnClientHello> read_own_client_hello(std::span<const std::uint8_t> client_hello);

/// The second ClientHello: `client_hello` with its key_share replaced by
/// `share` and, when `cookie` is not empty, a cookie extension inserted
/// before extended_master_secret (s2n's extension order) or at the end.
std::optional<std::vector<std::uint8_t>> client_hello_for_retry(std::span<const std::uint8_t> client_hello,
                                                                const KeyShareEntry& share,
                                                                std::span<const std::uint8_t> cookie);

}  // namespace edgefetch::tls::tls13
