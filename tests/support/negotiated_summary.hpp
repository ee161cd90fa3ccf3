#pragma once
// The negotiated parameters as plain code points, so that edgefetch's Client,
// the libssl reference client and the servers can be compared field by field.

#include <cstdint>
#include <optional>
#include <string>

#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::support {

struct NegotiatedSummary {
  std::optional<policy::ProtocolVersion> version;
  std::uint16_t suite = 0;   // 0: none
  std::uint16_t group = 0;   // 0: none (RSA key exchange)
  std::uint16_t scheme = 0;  // 0: none

  /// "TLS1.2 ECDHE-RSA-AES128-GCM-SHA256 X25519 rsa_pkcs1_sha256"
  [[nodiscard]] std::string describe() const;
  friend bool operator==(const NegotiatedSummary&, const NegotiatedSummary&) = default;
};

}  // namespace edgefetch::support
