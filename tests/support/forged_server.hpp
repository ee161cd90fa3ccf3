#pragma once
// A TLS 1.2 "server" that answers a ClientHello with a hand-built flight making
// a choice no conforming server makes: a suite, group or signature scheme the
// client did not offer. Real servers only ever answer such a mismatch with a
// handshake_failure alert; this is how the engine's checks of the server's
// choices are exercised. The ServerKeyExchange carries a real key share and a
// real signature by the leaf key, so the only thing wrong is the choice itself.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "support/deadline.hpp"
#include "support/loopback_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::support {

struct ForgedFlight {
  std::uint16_t version = 0x0303;  // ServerHello.server_version
  std::uint16_t suite = 0xC02F;
  std::uint16_t group = 23;       // ServerKeyExchange named curve; 0: stop after ServerHello
  std::uint16_t scheme = 0x0401;  // ServerKeyExchange signature scheme
  Leaf leaf = Leaf::rsa2048;      // Certificate message and signing key
};

struct ClientReaction {
  bool client_hello_seen = false;
  std::vector<std::uint8_t> record_types;  // content types of the client's records after the flight
  std::optional<std::uint8_t> alert_level;
  std::optional<std::uint8_t> alert_description;  // the first alert the client sent
  bool closed = false;  // the exchange is over: the client closed, or the server gave up (see error())
};

class ForgedServer {
 public:
  static base::Expected<std::unique_ptr<ForgedServer>, std::string> start(ForgedFlight flight);
  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  /// What the client did with the flight, once it closed the connection (or the
  /// deadline passed: then `closed` is false).
  [[nodiscard]] ClientReaction reaction(Deadline deadline = Deadline::after(std::chrono::seconds(5))) const;
  /// Why the flight could not be built or sent (empty if it was).
  [[nodiscard]] std::string error() const;

 private:
  struct State;
  ForgedServer() = default;
  std::shared_ptr<State> state_;
  std::unique_ptr<LoopbackServer> server_;
};

}  // namespace edgefetch::support
