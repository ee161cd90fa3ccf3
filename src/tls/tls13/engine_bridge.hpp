#pragma once
// What the TLS 1.2 engine needs to know about TLS 1.3 when its offer includes
// it: the supported_versions list the CDN's client writes, and the checks a
// TLS 1.2-or-lower answer to a TLS 1.3 offer must pass (RFC 8446 §4.1.3:
// downgrade sentinels; §4.2.1: no supported_versions / key_share below 1.3).

#include <cstdint>
#include <span>
#include <vector>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::tls13 {

/// True when the offer includes TLS 1.3.
bool offers_tls13(const policy::Offer& offer);

/// supported_versions as s2n writes it (facts §3.5): every version from the
/// offer's maximum down to the policy's minimum (the profile's, not the
/// OriginSslProtocols floor, which is enforced on the ServerHello only).
std::vector<std::uint16_t> supported_versions_for(const policy::Offer& offer);

/// A ServerHello choosing `version` (below TLS 1.3) in answer to a ClientHello
/// that offered TLS 1.3: the random must not carry a downgrade sentinel, and
/// supported_versions / key_share must be absent. Errors: protocol_violation
/// with illegal_parameter.
base::Expected<void, Error> check_answer_below_tls13(
    std::span<const std::uint8_t, messages::kRandomLength> random, std::uint16_t version,
    std::span<const std::uint16_t> extensions);

}  // namespace edgefetch::tls::tls13
