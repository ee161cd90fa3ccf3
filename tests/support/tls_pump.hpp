#pragma once
// Runs edgefetch's sans-IO tls::Client over a blocking-style loopback socket
// (poll-driven, bounded by one deadline): handshake, one HTTP/1.0 request, the
// whole response until the server closes. The result carries the negotiated
// parameters, the response and the typed tls::Error.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/error.hpp"
#include "support/negotiated_summary.hpp"

namespace edgefetch::support {

inline constexpr std::string_view kDefaultRequest = "GET / HTTP/1.0\r\nHost: origin.test\r\n\r\n";

struct TlsFetchOptions {
  std::chrono::milliseconds timeout{5000};  // the whole exchange, connect to last byte
  std::string request = std::string(kDefaultRequest);
};

struct TlsFetchResult {
  bool handshake_complete = false;
  tls::Error error;             // code none unless the engine failed
  std::string transport_error;  // connect failure, timeout, socket error; empty otherwise
  tls::Negotiated negotiated;   // as the Client reported it (copied)
  NegotiatedSummary summary;    // the same as code points
  std::string response;         // decrypted response bytes
  bool peer_close_notify = false;
  std::shared_ptr<const tls::Session> session;  // tls::Client::session() at the end

  [[nodiscard]] bool ok() const { return handshake_complete && !error && transport_error.empty(); }
  /// The part after the blank line that ends the HTTP header block.
  [[nodiscard]] std::string body() const;
  [[nodiscard]] std::string describe() const;
};

/// The summary of what a tls::Client negotiated.
NegotiatedSummary summarize(const tls::Negotiated& negotiated);

/// Connects to 127.0.0.1:port and runs `config` through it.
TlsFetchResult fetch_with_edgefetch(tls::ClientConfig config, std::uint16_t port,
                                    const TlsFetchOptions& options = {});

/// How tests build a ClientConfig: a named profile narrowed by OriginSslProtocols,
/// trusting only `ca_file` (the test root by default), SNI and verified name
/// "origin.test".
struct EdgefetchClientOptions {
  std::string profile = "cloudfront";
  std::vector<policy::ProtocolVersion> origin_ssl_protocols = {policy::ProtocolVersion::tls1_2};
  std::filesystem::path ca_file{};  // empty: TestPki::get().ca_file()
  std::string server_name = "origin.test";
  std::string verify_name = "origin.test";
};

base::Expected<tls::ClientConfig, std::string> make_client_config(const EdgefetchClientOptions& options = {});

}  // namespace edgefetch::support
