#pragma once
// Scripted plain-HTTP origins for the `edgefetch get` CLI tests, served by
// support::LoopbackServer on 127.0.0.1. Every wait is bounded.

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

/// Reads one request and never answers, until the client closes.
support::ConnectionHandler stay_silent();

/// Starts a server or fails the current test.
std::unique_ptr<support::LoopbackServer> start_server(support::ConnectionHandler handler);

}  // namespace edgefetch::cli_test
