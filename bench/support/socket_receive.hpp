#pragma once
// Bulk receive over loopback TCP: one connection, a handshake, an HTTP/1.0 GET,
// then the whole response until the server closes. The same transport for both
// clients: edgefetch's tls::Client fed from recv() in 17 KiB reads, and a libssl
// client on the socket with read-ahead (one recv per record, as for edgefetch).
// Handshake and receive work run in separate ClientMeter sections, so their
// CPU time and callgrind instructions are kept apart.

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "edgefetch/tls/client.hpp"
#include "support/client_meter.hpp"

namespace edgefetch::bench {

struct BulkOptions {
  std::uint64_t stop_after = 0;  // close after this many bytes (0: read to the end)
  std::chrono::seconds timeout{300};
  std::function<void()> after_handshake;  // e.g. a callgrind dump between the two phases
};

struct BulkResult {
  std::string error;                 // empty on success
  std::string negotiated;            // as the client reports it
  std::uint64_t bytes = 0;           // response bytes received (headers included)
  std::int64_t receive_wall_ns = 0;  // request sent -> end of stream
  std::int64_t receive_cpu_ns = 0;   // thread CPU over that stretch, recv() system time included
};

BulkResult edgefetch_bulk_receive(const tls::ClientConfig& config, std::uint16_t port, ClientMeter& handshake,
                                  ClientMeter& receive, const BulkOptions& options);

/// `ctx` should have read-ahead on (libssl_client_context does not set it).
BulkResult libssl_bulk_receive(SSL_CTX* ctx, std::uint16_t port, ClientMeter& handshake, ClientMeter& receive,
                               const BulkOptions& options);

}  // namespace edgefetch::bench
