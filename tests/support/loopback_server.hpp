#pragma once
// In-process loopback servers for the negative cases that need a misbehaving
// peer: a plain HTTP server on the TLS port, a server that closes in the middle
// of the handshake, and a proxy that tampers with one record of a real TLS
// server's stream. Each runs on its own thread, stops and joins on destruction.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "edgefetch/base/expected.hpp"
#include "support/deadline.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::support {

/// Handles one accepted connection. `stop_fd` becomes readable when the server
/// is being destroyed; handlers that wait should poll it too (or keep their own
/// waits short).
using ConnectionHandler = std::function<void(UniqueFd connection, int stop_fd)>;

class LoopbackServer {
 public:
  /// Listens on 127.0.0.1 (a kernel-chosen port) and serves connections one at a time.
  static base::Expected<std::unique_ptr<LoopbackServer>, std::string> start(ConnectionHandler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] int connections() const { return connections_.load(); }

 private:
  LoopbackServer(UniqueFd listener, UniqueFd stop, ConnectionHandler handler);
  void run();

  UniqueFd listener_;
  UniqueFd stop_;  // eventfd
  ConnectionHandler handler_;
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

/// Answers whatever arrives with an HTTP/1.1 400 response, as a plain HTTP
/// server does when a TLS ClientHello reaches it.
ConnectionHandler plain_http_handler();

/// Reads one complete TLS record (the ClientHello) and closes the connection
/// (FIN) without answering.
ConnectionHandler close_after_client_hello_handler();

/// Which server-to-client record the proxy corrupts.
struct TamperRule {
  std::uint8_t content_type = 23;         // application_data
  int occurrence = 1;                     // 1 = the first record of that type
  bool flip_last_byte = true;             // last byte (tag/MAC/padding); else the first byte after the header
  bool after_change_cipher_spec = false;  // count only records after the server's ChangeCipherSpec
  // With flip_last_byte: flip the byte this many bytes before the last one
  // instead (a block size back reaches the CBC padding length byte through the
  // previous block: a deterministic bad padding).
  std::size_t flip_offset_from_end = 0;
  // When non-zero: instead of flipping, drop this many bytes from the end of the
  // record and shorten its header to match (a truncated record, framing intact).
  std::size_t truncate_by = 0;
};

/// A proxy to 127.0.0.1:upstream_port that flips one bit in one server record,
/// leaving the record framing intact.
class TamperingProxy {
 public:
  static base::Expected<std::unique_ptr<TamperingProxy>, std::string> start(std::uint16_t upstream_port,
                                                                            TamperRule rule = {});
  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  /// True once a record was corrupted.
  [[nodiscard]] bool tampered() const { return state_->tampered.load(); }

 private:
  struct State {
    std::uint16_t upstream_port = 0;
    TamperRule rule;
    std::atomic<bool> tampered{false};
  };
  TamperingProxy() = default;
  std::shared_ptr<State> state_;
  std::unique_ptr<LoopbackServer> server_;  // stops before state_ goes
};

}  // namespace edgefetch::support
