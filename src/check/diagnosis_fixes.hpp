#pragma once
// Server configuration lines for the fixes, derived from the policy's names so
// they always say exactly what the edge offers: nginx, Apache httpd (mod_ssl)
// and HAProxy spellings, all three OpenSSL-based.

#include <cstdint>
#include <string>
#include <vector>

#include "edgefetch/policy/profile.hpp"

namespace edgefetch::check::fixes {

enum class KeyKind { rsa, ecdsa, unknown };

/// "\n  nginx:   ssl_ciphers A:B;\n  Apache:  SSLCipherSuite A:B\n  HAProxy: ssl-default-bind-ciphers A:B":
/// one line per server, each after a line break and two spaces (renderers keep such lines verbatim).
std::string cipher_lines(const std::vector<std::string>& openssl_names);
/// The same for the TLS 1.3 suites, which OpenSSL configures apart ("Ciphersuites"):
/// nginx `ssl_conf_command Ciphersuites`, Apache `SSLCipherSuite TLSv1.3`, HAProxy
/// `ssl-default-bind-ciphersuites`.
std::string tls13_cipher_lines(const std::vector<std::string>& names);
/// The protocol floor lines ("TLSv1.2": nginx `ssl_protocols TLSv1.2 TLSv1.3;` ...).
std::string protocol_lines(policy::ProtocolVersion floor);
/// Curves lines with the edge's groups.
std::string curve_lines(const policy::Offer& offer);
/// Signature algorithm lines with the edge's schemes usable with `key`.
std::string sigalg_lines(const policy::Offer& offer, KeyKind key);

/// Suites to recommend for `version` and a certificate of kind `key`: the
/// edge's non-legacy suites valid in that version, AEAD ones only when the
/// version has them, in the edge's order, at most `per_key` per certificate
/// type (but every TLS 1.3 suite: they suit any key); followed by `keep` (the origin's current suites, to
/// keep other clients working) without duplicates. OpenSSL names.
std::vector<std::string> recommended_suites(const policy::Offer& offer, policy::ProtocolVersion version,
                                            KeyKind key, const std::vector<std::uint16_t>& keep,
                                            std::size_t per_key = 2);

/// "A, B and C".
std::string list_text(const std::vector<std::string>& items);

}  // namespace edgefetch::check::fixes
