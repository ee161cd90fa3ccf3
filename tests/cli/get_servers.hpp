#pragma once
// Scripted plain-HTTP origins for the `edgefetch get` CLI tests, served by
// support::LoopbackServer on 127.0.0.1. Every wait is bounded.

#include <openssl/ssl.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/loopback_server.hpp"

namespace edgefetch::cli_test {

/// The raw requests (head and body) a server received.
class ReceivedRequests {
 public:
  void add(std::string request);
  [[nodiscard]] std::vector<std::string> all() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
};

/// Reads one request, answers `response`, closes.
support::ConnectionHandler answer(std::string response, std::shared_ptr<ReceivedRequests> received = nullptr);

/// Reads up to the end of the request head (the blank line), and perhaps some
/// of the body with it, but no more; false when the client went away first.
bool read_request_head(int fd, int stop_fd);

/// Reads one request and never answers, until the client closes.
support::ConnectionHandler stay_silent();

/// A libssl server context for origin.test (the test PKI's RSA leaf), TLS
/// versions `min_version` to `max_version` (TLS1_2_VERSION, ...); null with a
/// test failure when it cannot be set up.
std::shared_ptr<SSL_CTX> tls_server_context(int min_version, int max_version);

/// A TLS connection with `context`: blocking I/O bounded by a 10 s receive
/// timeout, the handshake, then `serve(ssl, fd, stop_fd)` (libssl sends
/// TLS 1.3 session tickets as the handshake ends).
support::ConnectionHandler tls_connection(std::shared_ptr<SSL_CTX> context,
                                          std::function<void(SSL*, int fd, int stop_fd)> serve);

/// Waits until the client closes `fd` or the server stops (bounded).
void wait_for_close(int fd, int stop_fd);

/// Starts a server or fails the current test.
std::unique_ptr<support::LoopbackServer> start_server(support::ConnectionHandler handler);

}  // namespace edgefetch::cli_test
