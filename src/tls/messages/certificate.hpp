#pragma once
// Certificate (RFC 5246 §7.4.2): the server's chain as DER blobs, leaf first;
// and the client's empty Certificate (the CDN presents no client certificate).

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

struct Certificate {
  std::vector<std::vector<std::uint8_t>> chain;  // DER, as sent
};

/// Upper bound on the chain length we accept (s2n's default max depth is 7;
/// servers sometimes send extra cross-signs).
inline constexpr std::size_t kMaxCertificateChainLength = 16;

base::Expected<Certificate, Error> decode_certificate(std::span<const std::uint8_t> body);

/// The handshake message (header included) of an empty client Certificate.
std::vector<std::uint8_t> encode_empty_certificate();

}  // namespace edgefetch::tls::messages
