#pragma once
// A one-shot SunJSSE client (tests/support/java/JsseClient.java), compiled into
// the build tree on first use. OpenJDK 17 sends the SSLv3 RSA
// ClientKeyExchange with a TLS-style length prefix when its ClientHello offered
// TLS (RFC 6101 has none): the harness uses it to show that a server refuses
// that form, i.e. that it reads the message as the RFC has it.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "support/cli_clients.hpp"

namespace edgefetch::support {

/// Connects to 127.0.0.1:port offering `protocols` (JSSE names: "SSLv3",
/// "TLSv1.2") and the one `suite` (JSSE name), sends kDefaultRequest. The
/// output starts with "HANDSHAKE OK <protocol> <suite>" or "HANDSHAKE FAILED <why>".
CliClientResult fetch_with_jsse_client(std::uint16_t port, const std::vector<std::string>& protocols,
                                       const std::string& suite,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace edgefetch::support
