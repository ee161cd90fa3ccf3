#include "tls/handshake/resumption_rules.hpp"

#include <algorithm>

#include "tls/handshake/server_hello_checks.hpp"
#include "tls/handshake/version_rules.hpp"
#include "tls/key_schedule.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;
using messages::client_error;

std::string session_misfit(const Session& session, const ClientConfig& config, std::time_t now) {
  const Session::State& state = session.state();
  if (state.master_secret.size() != kMasterSecretLength || state.cipher_suite == nullptr) {
    return "the session is incomplete";
  }
  if (state.session_id.empty() && state.ticket.empty()) return "the session has neither an id nor a ticket";
  if (state.server_name != config.server_name) {
    return "the session is for server name '" + state.server_name + "', not '" + config.server_name + "'";
  }
  if (config.verify_certificates) {
    if (!state.certificate_verified) return "the session's certificate was never verified";
    if (state.verify_name != config.verify_name) {
      return "the session's certificate was verified for '" + state.verify_name + "', not '" +
             config.verify_name + "'";
    }
  }
  if (session.expired(now)) return "the session has expired";
  if (!config.offer.allows(state.version)) return "the session's version is not allowed";
  const bool suite_offered = std::find(config.offer.cipher_suites.begin(), config.offer.cipher_suites.end(),
                                       state.cipher_suite) != config.offer.cipher_suites.end();
  if (!suite_offered || !state.cipher_suite->valid_in(state.version)) {
    return "the session's cipher suite is not offered";
  }
  // RFC 7627 §5.3: a client offering an abbreviated handshake MUST send extended_master_secret.
  if (!config.hello.extended_master_secret) return "the ClientHello carries no extended_master_secret";
  if (state.session_id.empty() && !config.hello.session_ticket) {
    return "the session has only a ticket and the ClientHello carries no session_ticket extension";
  }
  return {};
}

base::Expected<void, Error> check_resumed_server_hello(const messages::ServerHello& server_hello,
                                                       const Session& session) {
  const Session::State& state = session.state();
  if (server_hello.version != policy::wire(state.version)) {
    return base::unexpected(client_error(
        ErrorCode::protocol_violation, ad::kIllegalParameter,
        "server resumed the session with " + version_display_name(server_hello.version) +
            ", but the session was established with " + std::string(policy::info(state.version).name)));
  }
  if (server_hello.cipher_suite != state.cipher_suite->code) {
    const policy::CipherSuite* chosen = policy::cipher_suite_by_code(server_hello.cipher_suite);
    return base::unexpected(
        client_error(ErrorCode::protocol_violation, ad::kIllegalParameter,
                     "server resumed the session with cipher suite " +
                         (chosen != nullptr ? std::string(chosen->openssl_name) : std::string("(unknown)")) +
                         ", but the session uses " + std::string(state.cipher_suite->openssl_name)));
  }
  const bool ems_now =
      server_hello.extended_master_secret && VersionRules(state.version).supports_extended_master_secret();
  if (state.extended_master_secret && !ems_now) {
    return base::unexpected(client_error(ErrorCode::protocol_violation, ad::kHandshakeFailure,
                                         "server resumed a session that used the extended master secret "
                                         "without the extended_master_secret extension (RFC 7627 §5.3)"));
  }
  if (!state.extended_master_secret && ems_now) {
    return base::unexpected(client_error(ErrorCode::protocol_violation, ad::kHandshakeFailure,
                                         "server resumed a session without an extended master secret but "
                                         "now sends the extended_master_secret extension (RFC 7627 §5.3)"));
  }
  return {};
}

}  // namespace edgefetch::tls::handshake
