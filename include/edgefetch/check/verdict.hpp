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
  /// the handshake: unexpected_eof with the socket's message.
  tls::Error error;

  std::chrono::milliseconds elapsed{0};
  /// TCP connections attempted.
  [[nodiscard]] int connections() const { return static_cast<int>(connect_attempts.size()); }
};

/// Resolves, connects and handshakes on the current executor. Never throws
/// for network or TLS failures. target.trust_store must be set.
boost::asio::awaitable<VerdictHandshake> run_verdict_handshake(OriginTarget target, EdgeSettings settings);

/// The same on addresses already resolved (in the order the edge tries them),
/// e.g. a second handshake under another profile to the addresses of the first.
boost::asio::awaitable<VerdictHandshake> run_verdict_handshake_at(
    std::vector<boost::asio::ip::tcp::endpoint> addresses, net::ResolveSource resolve_source,
    OriginTarget target, EdgeSettings settings);

}  // namespace edgefetch::check
