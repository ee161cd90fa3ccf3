#pragma once
// Scripted HTTP origins for support::LoopbackServer: each handler reads one
// request and answers (or fails to) in a precise way. Every wait is bounded.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/deadline.hpp"
#include "support/loopback_server.hpp"

namespace edgefetch::net::test {

/// Requests a server received, as raw bytes (head and body).
class Captured {
 public:
  void add(std::string request) {
    const std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
  }
  [[nodiscard]] std::vector<std::string> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
};

/// Reads one request: the head up to the blank line, then Content-Length bytes.
std::string read_request(int fd, support::Deadline deadline);

/// Waits until the client closes its side (or the server stops, or 20 s pass).
void wait_for_client_close(int fd, int stop_fd);

/// Answers each connection with `response` and closes.
support::ConnectionHandler respond(std::string response, std::shared_ptr<Captured> captured = nullptr);

/// Sends the pieces with a pause between them, then closes.
support::ConnectionHandler respond_in_pieces(std::vector<std::string> pieces,
                                             std::chrono::milliseconds pause);

/// Reads the request and never answers (until the client gives up).
support::ConnectionHandler never_respond(std::shared_ptr<Captured> captured = nullptr);

/// Sends `partial` and then nothing more, keeping the connection open.
support::ConnectionHandler respond_then_stall(std::string partial);

/// Reads the request and closes without a byte of response.
support::ConnectionHandler close_without_response();

}  // namespace edgefetch::net::test
