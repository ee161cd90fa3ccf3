#pragma once
// When a saved Session may be offered, and whether a ServerHello that accepts
// it (echoes the session id) agrees with it.
//
// Offered only when it fits the connection exactly: same SNI and verified name,
// not expired, its version allowed and its suite offered (and valid in that
// version), a verifying connection only resumes a verified session, and the
// ClientHello can carry what resumption needs (the extended_master_secret
// extension, RFC 7627 §5.3; the session_ticket extension for a ticket).
//
// Sessions without an extended master secret (SSLv3, servers without EMS) are
// still offered: RFC 7627 §5.3 allows this legacy resumption (a SHOULD NOT),
// and the CDN's client resumes such origins. What §5.4 warns about does not
// apply: edgefetch refuses renegotiation and exports no keying material.

#include <ctime>
#include <string>

#include "edgefetch/base/expected.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/error.hpp"
#include "edgefetch/tls/session.hpp"
#include "tls/messages/server_hello.hpp"

namespace edgefetch::tls::handshake {

/// Why `session` must not be offered on a connection with `config` at `now`
/// (a sentence for diagnostics); empty when it fits. `config.offer` must be the
/// offer actually sent.
std::string session_misfit(const Session& session, const ClientConfig& config, std::time_t now);

/// The server echoed the offered session id, so it resumes `session`: its
/// version and suite must be the session's (RFC 5246 §7.4.1.3; else
/// protocol_violation with illegal_parameter), and the extended_master_secret
/// extension must be present exactly when the session used EMS (RFC 7627 §5.3;
/// else protocol_violation with handshake_failure).
base::Expected<void, Error> check_resumed_server_hello(const messages::ServerHello& server_hello,
                                                       const Session& session);

}  // namespace edgefetch::tls::handshake
