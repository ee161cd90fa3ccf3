#pragma once
// How each independent peer spells a cipher suite, group, signature scheme and
// protocol version, keyed by IANA code point. Deliberately written out here
// rather than taken from edgefetch's policy catalogue: the harness must not
// inherit a mistake from the code it tests.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::support {

struct PeerSuiteNames {
  std::uint16_t code;
  std::string_view label;      // OpenSSL-style name, for test names and the matrix
  std::string_view openssl;    // s_server -cipher; empty: not in Debian's libssl
  std::string_view gnutls_kx;  // priority parts: key exchange, cipher, MAC
  std::string_view gnutls_cipher;
  std::string_view gnutls_mac;
  std::string_view jsse;  // SSLServerSocket.setEnabledCipherSuites
  bool ecdhe;
  bool ecdsa;  // authenticated by an ECDSA certificate
};

struct PeerGroupNames {
  std::uint16_t code;
  std::string_view openssl;  // -groups
  std::string_view gnutls;   // priority item without '+'
  std::string_view jsse;     // jdk.tls.namedGroups
  std::string_view label;    // short name for test names
};

struct PeerSchemeNames {
  std::uint16_t code;
  std::string_view openssl;  // -sigalgs
  std::string_view gnutls;   // empty: GnuTLS has no such TLS scheme
  std::string_view jsse;     // jdk.tls.server.SignatureSchemes
  std::string_view label;    // IANA-style name
  bool ecdsa;
};

std::span<const PeerSuiteNames> peer_suites();
const PeerSuiteNames* peer_suite(std::uint16_t code);
const PeerGroupNames* peer_group(std::uint16_t code);
const PeerSchemeNames* peer_scheme(std::uint16_t code);

std::string_view openssl_version_flag(policy::ProtocolVersion version);  // "-tls1_2"; empty for SSLv3
std::string_view gnutls_version(policy::ProtocolVersion version);        // "VERS-TLS1.2"; empty for SSLv3
std::string_view jsse_version(policy::ProtocolVersion version);          // "TLSv1.2", "SSLv3"
std::string_view version_label(policy::ProtocolVersion version);         // "TLS1.2", "SSL3"

/// Names used in test names and the matrix: "0xC02F" when the code is unknown.
std::string suite_label(std::uint16_t code);
std::string group_label(std::uint16_t code);
std::string scheme_label(std::uint16_t code);
std::string hex_code(std::uint16_t code);

// Code points used by tests outside the policy (negative cases).
inline constexpr std::uint16_t kSuiteEcdheRsaChacha20 = 0xCCA8;
inline constexpr std::uint16_t kSuiteEcdheEcdsaChacha20 = 0xCCA9;
inline constexpr std::uint16_t kSchemeRsaPssRsaeSha256 = 0x0804;

}  // namespace edgefetch::support
