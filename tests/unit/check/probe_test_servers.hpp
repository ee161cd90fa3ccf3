#pragma once
// Helpers for the probe and enumeration tests: a target on 127.0.0.1 named
// like the test PKI's leaf, enumeration against it, and readable dumps of the
// results for failure messages.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "edgefetch/check/enumerate.hpp"
#include "edgefetch/check/probe.hpp"
#include "edgefetch/check/supported.hpp"

namespace edgefetch::check::testing {

/// origin.test on 127.0.0.1:port, SNI origin.test, short timeouts.
ProbeTarget loopback_target(std::uint16_t port,
                            std::chrono::milliseconds read_timeout = std::chrono::milliseconds(3000));

/// enumerate_blocking on a loopback target; fails the test (ADD_FAILURE) on a resolution error.
SupportedSummary enumerate_loopback(std::uint16_t port, EnumerateOptions options = {},
                                    std::chrono::milliseconds read_timeout = std::chrono::milliseconds(3000));

/// Multi-line dump: versions with suites (OpenSSL names), groups, schemes, notes, probes.
std::string describe(const SupportedSummary& summary);

/// Suite codes for OpenSSL names (fails the test for an unknown name).
std::vector<std::uint16_t> suite_codes(const std::vector<std::string>& openssl_names);

/// The suites accepted in `version` (empty when not accepted).
std::vector<std::uint16_t> suites_of(const SupportedSummary& summary, policy::ProtocolVersion version);

}  // namespace edgefetch::check::testing
