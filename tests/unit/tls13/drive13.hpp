#pragma once
// Drives tls13::Client13 against a MemoryServer13: builds the CDN's 2025
// ClientHello (the TLS 1.2 builder plus supported_versions and key_share as the
// handover expects them), hands over at the ServerHello and pumps bytes both
// ways, with an optional hook to tamper with the server's bytes.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "memory_server13.hpp"
#include "tls/tls13/client13.hpp"

namespace edgefetch::tls::tls13::test {

struct DriveOptions {
  std::string profile = "cloudfront-2025";
  bool verify_certificates = true;
  std::vector<std::string> alpn;
  /// Called on each batch of server bytes before the client sees it.
  std::function<void(std::vector<std::uint8_t>&)> tamper_server_bytes;
};

struct Driven {
  std::unique_ptr<Client13> client;  // null when the handover did not happen
  std::string failure;               // why the drive stopped early (test setup problems)
};

/// The CDN's 2025 ClientHello for `options` and what the handover needs.
struct BuiltHello {
  Handover handover;  // config, verification time, encoded hello, key share
  std::string failure;
};
BuiltHello build_hello(const DriveOptions& options);

/// A plaintext record around `body`.
std::vector<std::uint8_t> plaintext_record(std::uint8_t type, std::uint16_t version,
                                           std::span<const std::uint8_t> body);

/// Runs the handshake to completion or failure (bounded number of rounds).
Driven drive_handshake(MemoryServer13& server, const DriveOptions& options = {});

/// Moves bytes both ways until neither side has anything to send (bounded).
void pump(Client13& client, MemoryServer13& server,
          const std::function<void(std::vector<std::uint8_t>&)>& tamper = {});

}  // namespace edgefetch::tls::tls13::test
