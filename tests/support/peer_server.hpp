#pragma once
// What the peer servers have in common: the cell a server is pinned to, and the
// parameters the server says it negotiated ("what the server saw"), normalised
// to edgefetch's catalogue.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/protocol_version.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "support/pki.hpp"

namespace edgefetch::support {

enum class PeerKind { openssl, gnutls, jsse, nss, bcjsse };
std::string_view name(PeerKind peer);  // "openssl", "gnutls", "jsse", "nss", "bcjsse"

/// One cell of the interop matrix: a server pinned to exactly these parameters.
struct Cell {
  policy::ProtocolVersion version = policy::ProtocolVersion::tls1_2;
  std::uint16_t suite = 0;   // IANA code point
  std::uint16_t group = 0;   // 0: none (RSA key exchange)
  std::uint16_t scheme = 0;  // 0: none (RSA key exchange, or before TLS 1.2)
  Leaf leaf = Leaf::rsa2048;

  /// "TLS1.2 ECDHE-RSA-AES128-GCM-SHA256 X25519 rsa_pkcs1_sha256"
  [[nodiscard]] std::string label() const;
  /// The label as a gtest-safe identifier (letters, digits, '_').
  [[nodiscard]] std::string identifier() const;
};

/// The parameters a server reported for the connection it served.
struct ServerView {
  std::optional<policy::ProtocolVersion> version;
  const policy::CipherSuite* cipher_suite = nullptr;          // nullptr: unreported or unknown spelling
  const policy::NamedGroup* group = nullptr;                  // where the server reports it
  const policy::SignatureScheme* signature_scheme = nullptr;  // where the server reports it
  // The raw spellings, for messages.
  std::string protocol_text;
  std::string cipher_text;
  std::string group_text;
  std::string scheme_text;

  [[nodiscard]] std::string describe() const;
};

/// Helpers shared by the page parsers.
std::string trim(std::string_view text);
/// The text after `key` up to the end of its line, trimmed; nullopt when absent.
std::optional<std::string> value_after(std::string_view text, std::string_view key);
/// "TLSv1.2", "TLS1.2", "TLSv1", "SSLv3", "SSL3.0" (as the peers print them).
std::optional<policy::ProtocolVersion> parse_peer_version(std::string_view text);

}  // namespace edgefetch::support
