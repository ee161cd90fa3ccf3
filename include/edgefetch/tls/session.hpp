#pragma once
// A TLS session (SSLv3 to TLS 1.2) that a later connection to the same origin
// can resume with an abbreviated handshake: by session id (RFC 5246 §7.4.1.2)
// or by ticket (RFC 5077). The CDN's client asks for tickets with an empty
// session_ticket extension (facts Appendix B); edgefetch's origin pools keep one
// Session per origin and offer it on the next connection.
//
// Sessions are immutable values shared between connections; the master secret
// lives in wiped memory and is never exposed through this header.

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edgefetch/crypto/secret.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/tls/certificate_summary.hpp"

namespace edgefetch::tls {

struct Negotiated;

class Session {
 public:
  /// What the full handshake established; the engine fills these in.
  struct State {
    policy::ProtocolVersion version = policy::ProtocolVersion::tls1_2;
    const policy::CipherSuite* cipher_suite = nullptr;
    std::vector<std::uint8_t> session_id;  // empty when the server gave none (ticket only)
    std::vector<std::uint8_t> ticket;      // empty: resume by session id
    std::uint32_t ticket_lifetime_hint_s = 0;
    crypto::SecretBytes master_secret;
    bool extended_master_secret = false;
    std::string server_name;  // SNI sent (ClientConfig::server_name)
    std::string verify_name;  // the name the certificate was checked against (ClientConfig::verify_name)
    /// Whether the full handshake verified the chain (ClientConfig::verify_certificates).
    /// A verifying connection never resumes an unverified session: resumption
    /// skips the certificate, so it would inherit the unverified peer.
    bool certificate_verified = false;
    std::vector<std::vector<std::uint8_t>> certificate_chain;  // as sent in the full handshake
    std::optional<CertificateSummary> certificate;             // the leaf, as the full handshake reported it
    /// Seconds since the epoch: the connection's verification time (the clock at
    /// start() unless ClientConfig::verification_time is set); expired() counts from it.
    std::time_t established_at = 0;
  };

  explicit Session(State state) : state_(std::move(state)) {}

  [[nodiscard]] const State& state() const { return state_; }
  [[nodiscard]] bool has_ticket() const { return !state_.ticket.empty(); }
  /// True when `now` is past the ticket's lifetime hint (or a day for session ids).
  [[nodiscard]] bool expired(std::time_t now) const;

 private:
  State state_;
};

}  // namespace edgefetch::tls
