#pragma once
// The verdict handshake: one full TLS handshake with exactly the edge's
// ClientHello (the profile narrowed by OriginSslProtocols), over a connection
// made with the CDN's ConnectionTimeout x ConnectionAttempts semantics, and
// the certificate verified as the edge verifies it. Its outcome decides the
// verdict; enumeration (enumerate.hpp) only explains it.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/net/connect.hpp"
#include "edgefetch/net/resolve.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::crypto {
class TrustStore;
}

namespace edgefetch::check {

enum class Verdict {
  compatible,    // the edge's handshake completed and the certificate verified
  incompatible,  // the origin answered, but the edge could not complete a handshake it accepts
  unreachable,   // no TLS conversation: DNS, refused, timed out (after every attempt)
};

/// "compatible", "incompatible", "unreachable".
std::string_view verdict_name(Verdict verdict);

/// The worse of two verdicts, for many origins: unreachable > incompatible > compatible.
Verdict worse(Verdict a, Verdict b);

/// The CDN settings the check applies (those of a CustomOriginConfig).
struct EdgeSettings {
  const policy::Profile* profile = nullptr;  // nullptr: policy::default_profile()
  std::vector<policy::ProtocolVersion> origin_ssl_protocols{policy::ProtocolVersion::tls1_2};
  std::chrono::seconds connection_timeout{10};  // per attempt; also bounds the handshake
  int connection_attempts = 3;

  [[nodiscard]] const policy::Profile& effective_profile() const;
  /// The exact offer of the edge's ClientHello for these settings.
  [[nodiscard]] policy::Offer offer() const;
};

/// Where the origin is and how this client reaches and trusts it.
struct OriginTarget {
  std::string host;  // origin domain name or IP literal (IPv6 without brackets)
  std::uint16_t port = 443;
  /// The Host header when it is forwarded to the origin: the edge then sends it
  /// as SNI and checks the certificate against it. Empty: the host.
  std::optional<std::string> host_header;
  std::vector<net::ResolveOverride> resolve_overrides;
  std::shared_ptr<const crypto::TrustStore> trust_store;  // required (the check always verifies)
  /// How the report names the trust store ("the system trust store", "--ca-file ca.pem").
  std::string trust_description = "the system trust store";

  /// SNI and the name the certificate must match.
  [[nodiscard]] std::string server_name() const;
  /// "host:port", "[::1]:8443".
  [[nodiscard]] std::string display() const;
};

struct VerdictHandshake {
  Verdict verdict = Verdict::unreachable;

  net::ResolveSource resolve_source = net::ResolveSource::dns;
  std::vector<boost::asio::ip::tcp::endpoint> addresses;  // what the name resolved to
  std::string resolve_error;                              // set when the name did not resolve

  std::vector<net::ConnectAttempt> connect_attempts;  // every attempt, in order
  std::optional<boost::asio::ip::tcp::endpoint> remote;

  bool handshake_started = false;    // TCP connected and the ClientHello was sent
  bool handshake_timed_out = false;  // no complete handshake within the connection timeout
  /// What was negotiated; partial when the handshake failed (e.g. the
  /// certificate chain is there when its verification failed).
  tls::Negotiated negotiated;
  /// The engine's error (code none on success). For a socket failure during
  /// the handshake: unexpected_eof with the socket's message (and
  /// connection_reset set when the origin reset the connection).
  tls::Error error;
  /// The origin reset the TCP connection (ECONNRESET) during the handshake.
  bool connection_reset = false;

  /// The origin sent a CertificateRequest (negotiated.client_certificate_requested):
  /// what it did next with the edge's empty answer. In TLS 1.3 it judges that
  /// after the handshake, so the verdict handshake then reads the server's next
  /// flight for a short time (kClientCertificateVerdictWait).
  enum class ClientCertificateAnswer {
    not_requested,
    accepted,   // TLS 1.2: its Finished; TLS 1.3: a NewSessionTicket or KeyUpdate
    refused,    // an alert (error: client_certificate_required or another)
    closed,     // TLS 1.3: the origin closed the connection instead of answering
    no_answer,  // TLS 1.3: nothing within the wait; no refusal seen
  };
  ClientCertificateAnswer client_certificate = ClientCertificateAnswer::not_requested;

  std::chrono::milliseconds elapsed{0};
  /// TCP connections attempted.
  [[nodiscard]] int connections() const { return static_cast<int>(connect_attempts.size()); }
};

/// How long a TLS 1.3 verdict handshake waits, after its Finished, for an
/// origin that asked for a client certificate to accept (NewSessionTicket) or
/// refuse (alert) the edge's empty one; bounded by the connection timeout too.
inline constexpr std::chrono::milliseconds kClientCertificateVerdictWait{2000};

/// Resolves, connects and handshakes on the current executor. Never throws
/// for network or TLS failures. target.trust_store must be set.
boost::asio::awaitable<VerdictHandshake> run_verdict_handshake(OriginTarget target, EdgeSettings settings);

/// The same on addresses already resolved (in the order the edge tries them),
/// e.g. a second handshake under another profile to the addresses of the first.
boost::asio::awaitable<VerdictHandshake> run_verdict_handshake_at(
    std::vector<boost::asio::ip::tcp::endpoint> addresses, net::ResolveSource resolve_source,
    OriginTarget target, EdgeSettings settings);

}  // namespace edgefetch::check
