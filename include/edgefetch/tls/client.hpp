#pragma once
// The sans-IO TLS client. Bytes from the network go in through feed(), bytes to
// send come out of pending_output(); application data is written with write()
// and read with readable()/consume_readable(). No sockets, clocks or threads:
// the time used for certificate checks comes in ClientConfig.

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/certificate_summary.hpp"
#include "edgefetch/tls/error.hpp"
#include "edgefetch/tls/session.hpp"

namespace edgefetch::crypto {
class TrustStore;
}

namespace edgefetch::tls {

/// ClientHello details beyond the offer. The defaults are the CDN client's hello
/// (facts file, Appendix B); the `check` command switches parts off to find out
/// what an origin insists on. Lists (versions, suites, groups, schemes) come from
/// ClientConfig::offer, in its order.
struct HelloOptions {
  bool renegotiation_scsv = true;    // TLS_EMPTY_RENEGOTIATION_INFO_SCSV after the suites
  bool supported_groups = true;      // sent when an ECDHE suite is offered
  bool signature_algorithms = true;  // sent when TLS 1.2 is offered
  bool session_ticket = true;        // empty session_ticket extension
  bool ec_point_formats = true;      // sent when an ECDHE suite is offered
  bool extended_master_secret = true;
  bool random_session_id = true;  // 32 fresh random bytes; false: an empty session_id
};

struct ClientConfig {
  policy::Offer offer;      // versions, suites, groups, schemes, in order
  std::string server_name;  // SNI; empty or an IP literal: no server_name extension
  std::string verify_name;  // name checked against the certificate (DNS name or IP)
  std::shared_ptr<const crypto::TrustStore> trust_store;  // required unless verify_certificates is false
  bool verify_certificates = true;                        // only ever false when the user explicitly asked
  std::time_t verification_time = 0;  // seconds since the epoch; 0 = now (taken once at start())
  std::vector<std::string> alpn;      // empty: no ALPN extension (the CDN sends none)
  HelloOptions hello;                 // the CDN's hello unless probing
  /// A session from an earlier connection to offer for resumption (ticket or
  /// session id). Ignored when it does not fit this connection (other server
  /// name or verified name, a version or suite not in the offer, expired at
  /// verification_time, an unverified session on a verifying connection); a
  /// server that declines gets a full handshake, never an error. A resumed
  /// connection does not verify the certificate again: the session carries
  /// the chain verified in its full handshake, so keep sessions per trust store.
  std::shared_ptr<const Session> resume_session;
};

enum class State {
  idle,  // constructed, start() not called
  handshaking,
  connected,  // application data may flow
  closed,     // close_notify received (and ours queued)
  failed,     // error() says why; pending_output() may still hold our alert
};

struct Negotiated {
  policy::ProtocolVersion version = policy::ProtocolVersion::tls1_2;
  const policy::CipherSuite* cipher_suite = nullptr;
  const policy::NamedGroup* group = nullptr;  // nullptr for RSA key exchange
  const policy::SignatureScheme* signature_scheme =
      nullptr;  // nullptr where none (RSA kx, or pre-1.2 signature)
  std::vector<std::vector<std::uint8_t>> certificate_chain;  // DER, leaf first, as sent
  std::optional<CertificateSummary> certificate;             // leaf
  std::vector<std::uint8_t> session_id;
  bool extended_master_secret = false;
  bool secure_renegotiation = false;
  bool session_ticket_received = false;
  bool resumed = false;
  bool hello_retry_request = false;  // TLS 1.3: the server asked for a key share in another group first
  /// The server sent a CertificateRequest. The client answers with no
  /// certificate (the CDN has none unless origin mTLS is configured); in TLS 1.3
  /// the server judges that only after the client's Finished, so a connected
  /// state does not yet mean the server accepted it.
  bool client_certificate_requested = false;
  std::string alpn;
  /// HelloRequests the server sent after the handshake (TLS <= 1.2): each was
  /// ignored, as the CDN's TLS library does (it supports no renegotiation).
  int hello_requests_ignored = 0;
  /// TLS 1.3 KeyUpdates the server sent after the handshake: each changed the
  /// keys of what it sends next (and, when it asked, ours too).
  int key_updates_received = 0;
  /// Warning alerts the server sent that the connection went on after (each
  /// description once, in order; e.g. unrecognized_name when no name it
  /// serves matches the SNI). The CDN's TLS library ends the connection on
  /// any of them unless told to ignore warnings.
  std::vector<std::uint8_t> warning_alerts;
};

/// Adds `description` to `negotiated.warning_alerts` unless it is there (or the list is full).
void note_warning_alert(Negotiated& negotiated, std::uint8_t description);

class Client {
 public:
  explicit Client(ClientConfig config);
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Queues the ClientHello. Call once.
  void start();

  /// Feeds bytes received from the server. Returns the error on failure (also
  /// kept in error()); after a failure the connection is unusable, but
  /// pending_output() may hold the alert we send.
  base::Expected<void, Error> feed(std::span<const std::uint8_t> bytes);
  /// feed() without the copy (as rustls's read_tls): a socket reads straight
  /// into input_space(), at least `at_least` bytes of the engine's receive
  /// buffer, and commit_input() passes on the `n` bytes it wrote, with feed()'s
  /// result. The space is valid until the next input_space(), commit_input()
  /// or feed(). Asking for it ends readable()'s validity, as feed() does.
  [[nodiscard]] std::span<std::uint8_t> input_space(std::size_t at_least);
  base::Expected<void, Error> commit_input(std::size_t n);

  /// Tells the engine the transport reached end of stream.
  void feed_eof();

  [[nodiscard]] std::span<const std::uint8_t> pending_output() const;
  void consume_output(std::size_t n);

  /// Encrypts application data (valid once connected).
  base::Expected<void, Error> write(std::span<const std::uint8_t> data);
  /// The next decrypted application data: in place, in the engine's receive
  /// buffer (valid until consume_readable(), feed() or input_space()).
  /// Records are opened one at a time as their data is consumed, so after
  /// consume_readable() more may be readable (and an error in a later record
  /// shows in state()/error()): drain with `while (!readable().empty())`.
  [[nodiscard]] std::span<const std::uint8_t> readable() const;
  void consume_readable(std::size_t n);

  /// Queues close_notify.
  void close();

  [[nodiscard]] State state() const;
  [[nodiscard]] bool handshake_complete() const {
    return state() == State::connected || state() == State::closed;
  }
  [[nodiscard]] const Negotiated& negotiated() const;
  [[nodiscard]] const Error& error() const;
  /// True once the server's close_notify arrived.
  [[nodiscard]] bool peer_closed() const;
  /// Part of a record or of a handshake message is buffered (more of it must come).
  [[nodiscard]] bool input_pending() const;

  /// The session this connection can be resumed from, once connected; nullptr
  /// when the server offered neither a session id nor a ticket. A
  /// NewSessionTicket (in either handshake) yields a new Session holding it; an
  /// abbreviated handshake without one yields the resumed Session itself.
  /// Sessions are only created by a completed handshake. A verifying
  /// connection's session is marked verified; one from a connection with
  /// verify_certificates false is marked unverified and is never resumed by a
  /// verifying connection. After a fatal alert (sent or received) this is
  /// nullptr again (RFC 5246 §7.2.2): a cache that took the session earlier
  /// should drop it when the connection fails with an alert.
  [[nodiscard]] std::shared_ptr<const Session> session() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgefetch::tls
