#pragma once
// A libssl client for the same cells: it validates the harness end to end
// (servers start, pin and report correctly) without edgefetch's engine, and is
// the other side of the differential tests. Debian's libssl lacks SSLv3, 3DES
// and RC4, so it only covers the cells OpenSSL can speak.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "edgefetch/policy/profile.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "support/negotiated_summary.hpp"
#include "support/tls_pump.hpp"

namespace edgefetch::support {

struct ReferenceClientOptions {
  policy::ProtocolVersion min_version = policy::ProtocolVersion::tls1_2;
  policy::ProtocolVersion max_version = policy::ProtocolVersion::tls1_2;
  std::string ciphers;                      // OpenSSL cipher list ("@SECLEVEL=0" is appended); empty: "ALL"
  std::string groups;                       // "P-256:X25519:P-384"; empty: libssl's default
  std::string sigalgs;                      // "RSA+SHA256:ECDSA+SHA256"; empty: libssl's default
  std::filesystem::path ca_file{};          // empty: TestPki::get().ca_file()
  std::string server_name = "origin.test";  // SNI; empty: none
  std::string verify_name = "origin.test";  // host name check; empty: none
  bool verify = true;
  std::chrono::milliseconds timeout{5000};
  std::string request = std::string(kDefaultRequest);

  /// The same offer as `offer` (suites, groups, schemes in order), minus what
  /// libssl cannot speak (3DES, RC4, SSLv3).
  static ReferenceClientOptions from_offer(const policy::Offer& offer);
  /// Pinned to one suite (and group and scheme when given).
  static ReferenceClientOptions pinned(policy::ProtocolVersion version, std::uint16_t suite,
                                       std::uint16_t group = 0, std::uint16_t scheme = 0);
};

struct ReferenceFetchResult {
  bool handshake_complete = false;
  std::string error;       // libssl's error queue / verify result / transport; empty on success
  long verify_result = 0;  // X509_V_OK = 0
  NegotiatedSummary summary;
  std::string response;
  bool peer_close_notify = false;

  [[nodiscard]] bool ok() const { return handshake_complete && error.empty(); }
  [[nodiscard]] std::string body() const;
  [[nodiscard]] std::string describe() const;
};

ReferenceFetchResult fetch_with_libssl(std::uint16_t port, const ReferenceClientOptions& options = {});

}  // namespace edgefetch::support
