#pragma once
// The engine configuration for one origin: the profile narrowed by
// OriginSslProtocols, SNI and verified name, trust. Shared by fetch and the
// pooled client so both offer the same ClientHello.

#include <string>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/origin/config.hpp"
#include "edgefetch/origin/fetch.hpp"
#include "edgefetch/tls/client.hpp"

namespace edgefetch::origin {

/// Fails (invalid_config) only when the system trust store is needed and
/// cannot be loaded.
base::Expected<tls::ClientConfig, FetchError> make_tls_config(const OriginConfig& config,
                                                              const std::string& server_name);

}  // namespace edgefetch::origin
