#pragma once
// Full handshakes in one thread, without sockets: the client (edgefetch's
// sans-IO tls::Client, or a libssl client on memory BIOs) and an in-process
// libssl server exchange their flights through byte buffers. Only calls on the
// client's own objects run inside ClientMeter sections (construction, start,
// feeding input, taking output, destruction); the server's work and the
// shuffling between the ends are not counted.

#include <openssl/ssl.h>

#include <string>

#include "edgefetch/tls/client.hpp"
#include "support/client_meter.hpp"
#include "support/libssl.hpp"

namespace edgefetch::bench {

struct HandshakeResult {
  bool ok = false;
  std::string error;       // why it failed (either side)
  std::string negotiated;  // "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 X25519" as the client reports it
  std::string server_saw;  // "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256" as the server reports it
  bool resumed = false;
};

/// One full handshake of a fresh tls::Client made from `config` (copied inside
/// a section: a real connection builds its config too).
HandshakeResult edgefetch_memory_handshake(const tls::ClientConfig& config, SSL_CTX* server_ctx,
                                           ClientMeter& meter);

/// One handshake of a fresh libssl client from `client_ctx`. With `resume`, the
/// session is offered for resumption. With `keep`, the resulting session is
/// stored there (taken outside the meter).
HandshakeResult libssl_memory_handshake(SSL_CTX* client_ctx, SSL_CTX* server_ctx, ClientMeter& meter,
                                        SSL_SESSION* resume = nullptr, SslSession* keep = nullptr);

}  // namespace edgefetch::bench
