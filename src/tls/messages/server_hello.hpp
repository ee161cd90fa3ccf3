#pragma once
// ServerHello (RFC 5246 §7.4.1.3) and its extensions. decode_server_hello checks
// the encoding (lengths, duplicates, extension bodies);
// check_server_hello_extensions checks the extensions against the ClientHello.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/messages/client_hello.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::messages {

struct ServerHello {
  std::uint16_t version = 0;
  std::array<std::uint8_t, kRandomLength> random{};
  std::vector<std::uint8_t> session_id;
  std::uint16_t cipher_suite = 0;
  std::uint8_t compression_method = 0;

  /// Extension types in the order received (each at most once).
  std::vector<std::uint16_t> extensions;
  std::optional<std::vector<std::uint8_t>> renegotiation_info;  // renegotiated_connection
  bool extended_master_secret = false;
  std::optional<std::vector<std::uint8_t>> ec_point_formats;
  bool session_ticket = false;
  std::optional<std::string> alpn;
  bool server_name_ack = false;

  [[nodiscard]] bool has_extension(std::uint16_t type) const;
};

/// Body of the handshake message (without its 4-byte header).
base::Expected<ServerHello, Error> decode_server_hello(std::span<const std::uint8_t> body);

/// Every extension must answer one the ClientHello carried (RFC 5246 §7.4.1.4:
/// unsupported_extension alert otherwise); renegotiation_info also answers the
/// SCSV (RFC 5746 §3.4). The ALPN protocol must be one we offered; the server's
/// ec_point_formats must include uncompressed (RFC 8422 §5.2).
base::Expected<void, Error> check_server_hello_extensions(const ServerHello& server_hello,
                                                          const ClientHello& client_hello);

/// RFC 8446 §4.1.3: a TLS 1.3-capable server that negotiates TLS 1.2 or below
/// with a client that offered more sets the last 8 random bytes to a sentinel.
/// Returns true when the random carries the sentinel for a TLS <= 1.1 answer to
/// a TLS 1.2 offer.
bool has_downgrade_sentinel_tls11(std::span<const std::uint8_t, kRandomLength> server_random);

}  // namespace edgefetch::tls::messages
