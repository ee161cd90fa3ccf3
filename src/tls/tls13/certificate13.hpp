#pragma once
// The TLS 1.3 Certificate message (RFC 8446 §4.4.2): a request context (empty
// for server authentication) and CertificateEntry items, each a DER
// certificate with its own extensions.

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::tls13 {

struct CertificateEntry {
  std::vector<std::uint8_t> cert_data;  // DER X.509
  std::vector<std::uint16_t> extension_types;
};

struct Certificate13 {
  std::vector<std::uint8_t> request_context;
  std::vector<CertificateEntry> entries;  // leaf first

  /// The DER chain, leaf first.
  [[nodiscard]] std::vector<std::vector<std::uint8_t>> chain() const;
};

/// Decodes the body. Errors: decode_error (malformed, empty cert_data,
/// duplicate entry extensions, more than kMaxCertificateChainLength entries).
base::Expected<Certificate13, Error> decode_certificate13(std::span<const std::uint8_t> body);

/// The server's Certificate in a full handshake: empty request context, at
/// least one entry, entry extensions only of types the ClientHello offered.
base::Expected<void, Error> check_server_certificate13(const Certificate13& certificate,
                                                       std::span<const std::uint16_t> offered_extensions);

}  // namespace edgefetch::tls::tls13
