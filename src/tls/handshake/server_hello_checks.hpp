#pragma once
// What the client accepts in a ServerHello: a version inside the allowed range,
// a suite it offered that is valid in that version, null compression, only
// solicited extensions, an empty renegotiation_info on the initial handshake,
// no TLS 1.3 downgrade sentinel, no resumption of a session we never had.

#include <string>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/error.hpp"
#include "tls/messages/client_hello.hpp"
#include "tls/messages/server_hello.hpp"

namespace edgefetch::tls::handshake {

struct ServerChoice {
  policy::ProtocolVersion version;
  const policy::CipherSuite* suite;
};

/// `offer` supplies the allowed version range (min..max); `sent` is the
/// ClientHello as encoded (its suites and extensions are what was offered).
/// `resumption_offered`: the ClientHello's session_id (or its ticket) names a
/// real session, so an echoed session_id is an accepted resumption (checked by
/// the caller against the session); otherwise an echo is refused.
base::Expected<ServerChoice, Error> check_server_hello(const messages::ServerHello& server_hello,
                                                       const messages::ClientHello& sent,
                                                       const policy::Offer& offer,
                                                       bool resumption_offered = false);

/// "TLS 1.2" or "0x7F12" for unknown wire versions.
std::string version_display_name(std::uint16_t wire_version);

}  // namespace edgefetch::tls::handshake
