#pragma once
// The ClientHellos enumeration sends, and how a version probe's answer is read
// into a VersionSupport. Pure functions (no I/O), so they are unit-tested
// without a server.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "edgefetch/check/probe.hpp"
#include "edgefetch/check/probe_catalogue.hpp"
#include "edgefetch/check/supported.hpp"
#include "edgefetch/policy/protocol_version.hpp"

namespace edgefetch::check::detail {

/// A ClientHello for `version` offering `suites`:
///  - SSLv3..TLS 1.2: client_version = version, record version 0x0300 for SSLv3
///    else 0x0301, every candidate group, signature_algorithms (every candidate)
///    for TLS 1.2 only, no supported_versions;
///  - TLS 1.3: client_version 0x0303, supported_versions {0x0304}, one X25519
///    key share, every candidate group and signature scheme.
ProbeOffer offer_for_version(policy::ProtocolVersion version, std::vector<std::uint16_t> suites,
                             ReadDepth depth);

/// Fills `support` from the answer to the version's first probe (which offered `offered`).
void classify_version_probe(const ProbeResult& result, std::span<const std::uint16_t> offered,
                            VersionSupport& support);

/// True when `result` ends an elimination normally: the server refused the
/// remaining candidates (an alert, or a close without an answer, or a fatal
/// alert right after its ServerHello).
bool is_refusal(const ProbeResult& result);

/// The suite's authentication, or nullopt for unknown codes.
std::optional<SuiteAuthentication> suite_authentication(std::uint16_t suite);
/// ECDHE suites signed by the certificate (RSA or ECDSA), not anonymous ones.
bool is_signed_ecdhe(std::uint16_t suite);

/// `values` without the elements of `remove` (order kept).
std::vector<std::uint16_t> without(std::span<const std::uint16_t> values,
                                   std::span<const std::uint16_t> remove);
bool contains(std::span<const std::uint16_t> values, std::uint16_t value);

}  // namespace edgefetch::check::detail
