#pragma once
// One probe: a TCP connection, one ClientHello built from explicit lists, and
// the server's answer read only as far as asked (ServerHello, Certificate,
// ServerKeyExchange), or its alert, EOF, garbage or silence. The handshake is
// never completed; the connection is closed when the answer is known. Every
// probe has a deadline that covers connect and read.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/net/resolve.hpp"

namespace edgefetch::check {

/// Where and how to reach the origin. Resolution happens once per enumeration
/// (resolve_target); probes then connect to `endpoints` in order.
struct ProbeTarget {
  std::string host;  // DNS name or IP literal (IPv6 without brackets), as the user gave it
  std::uint16_t port = 443;
  /// curl-style --resolve overrides consulted by resolve_target.
  std::vector<net::ResolveOverride> resolve_overrides;
  /// The addresses probes connect to (filled by resolve_target, or set directly).
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;
  /// The SNI value for probes "with SNI" (the CDN sends the origin domain, or
  /// the Host header when it is forwarded). Empty or an IP literal: no SNI.
  std::string server_name;
  /// TCP connect timeout of one probe (the CDN's ConnectionTimeout bounds it too).
  std::chrono::milliseconds connect_timeout{10000};
  /// Time allowed from the ClientHello sent to the answer read, per probe.
  std::chrono::milliseconds read_timeout{5000};
};

/// Resolves target.host:port (literal, --resolve override, or DNS) into
/// target.endpoints. Error: a one-line message (the name did not resolve).
boost::asio::awaitable<base::Expected<void, std::string>> resolve_target(ProbeTarget& target);

/// How far a probe reads before it stops.
enum class ReadDepth {
  server_hello,        // stop at ServerHello (suite and version choice)
  certificate,         // also the Certificate (TLS <= 1.2), if the suite has one
  server_key_exchange  // also the ServerKeyExchange (group and signature scheme), if the suite has one
};

/// The ClientHello of a probe, field by field.
struct ProbeOffer {
  /// Record-layer version of the record carrying the ClientHello (0x0300 for SSLv3 probes).
  std::uint16_t record_version = 0x0301;
  /// ClientHello.legacy_version (client_version): the highest version for TLS <= 1.2 probes, 0x0303 for
  /// TLS 1.3.
  std::uint16_t client_version = 0x0303;
  /// Non-empty: a supported_versions extension with these versions (TLS 1.3 probes), highest first.
  std::vector<std::uint16_t> supported_versions;
  std::vector<std::uint16_t> cipher_suites;  // in offer order
  bool renegotiation_scsv = true;            // append TLS_EMPTY_RENEGOTIATION_INFO_SCSV (as the CDN)
  /// supported_groups; empty: omitted (ec_point_formats is sent with it).
  std::vector<std::uint16_t> groups;
  /// TLS 1.3 key_share entries to generate (groups crypto::KeyShare supports);
  /// an empty list with supported_versions set sends an empty key_share (asks for a HelloRetryRequest).
  std::vector<std::uint16_t> key_share_groups;
  /// signature_algorithms; empty: omitted.
  std::vector<std::uint16_t> signature_schemes;
  bool send_sni = true;         // send ProbeTarget::server_name (unless empty or an IP literal)
  bool send_extensions = true;  // false: no extensions block at all
  bool extended_master_secret = true;
  bool session_ticket = true;
  ReadDepth depth = ReadDepth::server_hello;
};

enum class ProbeOutcome {
  server_hello,    // a ServerHello (or HelloRetryRequest) arrived
  alert,           // the server sent an alert before any ServerHello
  closed,          // EOF or reset before a complete ServerHello
  not_tls,         // the first bytes are not TLS (plain HTTP, SSLv2, garbage)
  timeout,         // nothing complete within the deadline
  connect_failed,  // TCP connect failed (refused, timed out, unreachable)
  malformed,       // TLS records, but an undecodable or illegal handshake message
  local_error,     // the probe could not be built (e.g. key share generation failed)
};

/// "server_hello", "alert", "closed", ...
std::string_view probe_outcome_name(ProbeOutcome outcome);

struct ProbeResult {
  ProbeOutcome outcome = ProbeOutcome::local_error;
  std::string detail;  // one line for everything but server_hello (what happened, with values)

  // ServerHello. `version` is the negotiated version: supported_versions' value
  // in a TLS 1.3 ServerHello/HRR, otherwise ServerHello.server_version.
  std::optional<std::uint16_t> version;
  std::uint16_t server_hello_version = 0;  // legacy/server_version field as sent
  std::uint16_t record_version = 0;        // record-layer version of the ServerHello record
  std::optional<std::uint16_t> cipher_suite;
  bool hello_retry_request = false;       // the ServerHello was a TLS 1.3 HRR
  std::vector<std::uint16_t> extensions;  // ServerHello extension types, in order
  bool renegotiation_info = false;
  bool extended_master_secret = false;
  bool server_name_acknowledged = false;

  /// The group: TLS 1.3 key_share (or the HRR's selected_group), or the ECDHE ServerKeyExchange's curve.
  std::optional<std::uint16_t> group;
  /// TLS 1.2 ServerKeyExchange signature scheme.
  std::optional<std::uint16_t> signature_scheme;
  /// DHE ServerKeyExchange: the size of the prime p in bits (explicit parameters, no group code).
  std::optional<int> dhe_prime_bits;
  /// The Certificate message's chain (DER, leaf first), when read.
  std::vector<std::vector<std::uint8_t>> certificate_chain;
  bool server_hello_done = false;  // ServerHelloDone seen (the flight ended)

  // Alert (outcome alert, or an alert after the ServerHello).
  std::optional<std::uint8_t> alert_level;
  std::optional<std::uint8_t> alert_description;

  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_read = 0;
  std::chrono::milliseconds elapsed{0};
  /// The endpoint connected to (unset when connect failed).
  std::optional<boost::asio::ip::tcp::endpoint> endpoint;

  [[nodiscard]] bool got_server_hello() const { return outcome == ProbeOutcome::server_hello; }
};

/// Runs one probe against target.endpoints (first address; the next ones only
/// if connecting to it fails) on the current executor. Never throws for
/// network failures; they come back as outcomes.
boost::asio::awaitable<ProbeResult> run_probe(ProbeTarget target, ProbeOffer offer);

/// The same on a private io_context, blocking the caller.
ProbeResult run_probe_blocking(const ProbeTarget& target, const ProbeOffer& offer);

/// The TLS 1.3 HelloRetryRequest random (RFC 8446 §4.1.3).
bool is_hello_retry_request_random(std::span<const std::uint8_t> random);

}  // namespace edgefetch::check
