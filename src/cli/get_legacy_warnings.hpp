#pragma once
// The weaknesses of a negotiated legacy connection, one line each: SSLv3
// (POODLE), RC4 (keystream biases), 3DES (Sweet32), an AES suite with an RSA
// key exchange (no forward secrecy). The CDN still connects this way when the
// origin allows nothing better, so `get` succeeds, but says so.

#include <string>
#include <vector>

#include "edgefetch/tls/client.hpp"

namespace edgefetch::cli::get {

/// One warning per weakness of `negotiated` (empty for a modern connection or
/// when no cipher suite was negotiated).
std::vector<std::string> legacy_warnings(const tls::Negotiated& negotiated);

}  // namespace edgefetch::cli::get
