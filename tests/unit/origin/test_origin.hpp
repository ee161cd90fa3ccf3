#pragma once
// A scripted HTTP/1.1 origin on a loopback address, plain or TLS (libssl), that
// keeps connections alive and counts what the origin side sees: TCP
// connections, TLS handshakes (and resumed ones), requests per connection,
// request bodies (size and checksum, never stored whole), connections the
// client closed. Each connection has its own thread (test code only); every
// wait is bounded and the destructor stops and joins everything.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/deadline.hpp"
#include "support/pki.hpp"
#include "support/unique_fd.hpp"

namespace edgefetch::origin::test {

struct ReceivedRequest {
  int connection = 0;            // 1-based, in accept order
  int number_on_connection = 0;  // 1-based
  std::string method;
  std::string target;
  std::string head;  // request line and headers, as received
  bool chunked = false;
  std::uint64_t body_bytes = 0;
  std::uint64_t body_checksum = 0;  // body_checksum() of the body
  std::string body_prefix;          // the first KiB of the body
};

/// The checksum TestOrigin computes over request bodies (FNV-1a, 64 bit).
std::uint64_t body_checksum(std::uint64_t state, const char* data, std::size_t size);
inline constexpr std::uint64_t kChecksumSeed = 14695981039346656037ULL;

/// Byte i of the pattern the origin generates for large bodies.
inline char pattern_byte(std::uint64_t i) {
  return static_cast<char>('a' + (i * 7 + i / 4096) % 26);
}

struct Reply {
  std::string bytes;                   // sent as is (status line, headers, maybe a body)
  std::uint64_t generated_body = 0;    // then this many pattern bytes
  bool generated_chunked = false;      // ...as 64 KiB chunks and a last chunk
  std::chrono::milliseconds delay{0};  // before replying
  std::chrono::milliseconds pace{0};   // > 0: the generated body goes out 1 KiB at a time, this far apart
  bool close_after = false;            // close the connection after the reply
  bool silent = false;                 // never reply; wait until the client closes
  bool drop = false;                   // close without a byte of reply
  std::size_t write_piece = 0;         // > 0: `bytes` goes out in writes this size (TLS: a record each)
  bool hello_request = false;          // TLS 1.2: a HelloRequest after `bytes`, before the generated body
  bool silent_after = false;           // after `bytes` (and the HelloRequest): wait until the client closes
  bool key_update_after = false;       // TLS 1.3: after the reply, a KeyUpdate asking for the client's
  std::string raw_after;               // after the reply, these bytes straight to the socket (past TLS)

  static Reply send(std::string bytes) {
    Reply reply;
    reply.bytes = std::move(bytes);
    return reply;
  }
  static Reply send_then_close(std::string bytes) {
    Reply reply = send(std::move(bytes));
    reply.close_after = true;
    return reply;
  }
  static Reply silence() {
    Reply reply;
    reply.silent = true;
    return reply;
  }
  static Reply drop_connection() {
    Reply reply;
    reply.drop = true;
    return reply;
  }
};

using Script = std::function<Reply(const ReceivedRequest&)>;

struct TestOriginOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks
  bool tls = false;
  bool tls13 = false;  // TLS 1.3 allowed (libssl then sends two session tickets after the handshake)
  support::Leaf leaf = support::Leaf::rsa2048;
};

class TestOrigin {
 public:
  static std::unique_ptr<TestOrigin> start(Script script, TestOriginOptions options = {});
  ~TestOrigin();
  TestOrigin(const TestOrigin&) = delete;
  TestOrigin& operator=(const TestOrigin&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] int connections() const { return connections_.load(); }
  [[nodiscard]] int closed_connections() const { return closed_.load(); }
  [[nodiscard]] int handshakes() const { return handshakes_.load(); }
  [[nodiscard]] int resumed_handshakes() const { return resumed_.load(); }
  [[nodiscard]] std::vector<ReceivedRequest> requests() const;
  /// Waits (bounded) until at least `count` connections have ended.
  bool wait_closed(int count, support::Deadline deadline) const;

  struct Tls;  // libssl context (TLS origins)

 private:
  TestOrigin(support::UniqueFd listener, support::UniqueFd stop, Script script, std::unique_ptr<Tls> tls);
  void accept_loop();
  void serve(support::UniqueFd fd, int number);
  void record(ReceivedRequest request);

  support::UniqueFd listener_;
  support::UniqueFd stop_;  // eventfd: readable when stopping
  Script script_;
  std::unique_ptr<Tls> tls_;
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<int> closed_{0};
  std::atomic<int> handshakes_{0};
  std::atomic<int> resumed_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<ReceivedRequest> requests_;
  std::vector<std::thread> workers_;  // guarded by mutex_
  std::thread acceptor_;
};

}  // namespace edgefetch::origin::test
