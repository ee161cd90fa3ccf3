#pragma once
// ClientKeyExchange (RFC 5246 §7.4.7): the client's ECDH public point
// (u8-prefixed, RFC 8422 §5.7), or the RSA-encrypted premaster secret
// (u16-prefixed in TLS; bare in SSLv3, RFC 6101 §5.6.7.1).

#include <cstdint>
#include <span>
#include <vector>

namespace edgefetch::tls::messages {

/// Handshake messages (header included).
std::vector<std::uint8_t> encode_ecdhe_client_key_exchange(std::span<const std::uint8_t> public_point);
std::vector<std::uint8_t> encode_rsa_client_key_exchange(std::span<const std::uint8_t> encrypted_premaster,
                                                         bool ssl3);

}  // namespace edgefetch::tls::messages
