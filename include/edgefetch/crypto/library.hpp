#pragma once
// edgefetch's own OpenSSL library context. Every crypto object is created in
// it, never in the process-wide default context, so neither openssl.cnf nor
// other users of libcrypto in the process change what edgefetch does. The
// context has the "default" provider and, when installed, the "legacy"
// provider (RC4; DES-EDE3 is in "default"). Initialisation is lazy, happens
// once, and is thread-safe.

#include "edgefetch/base/expected.hpp"
#include "edgefetch/crypto/error.hpp"

namespace edgefetch::crypto {

/// Initialises the context (idempotent). Fails if the default provider cannot
/// be loaded or a required algorithm cannot be fetched.
base::Expected<void, Error> initialize();

/// True when the legacy provider loaded (RC4 available).
bool legacy_provider_available();

}  // namespace edgefetch::crypto
