#pragma once
// Errors raised while decoding or checking a handshake message. Each carries the
// alert the client sends for it (RFC 5246 §7.2.2) so the state machine does not
// have to re-derive it.

#include <cstdint>
#include <string>
#include <utility>

#include "edgefetch/tls/alert_description.hpp"
#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::messages {

/// An error the client answers with `alert`.
inline Error client_error(ErrorCode code, std::uint8_t alert, std::string message) {
  return Error{code, AlertSender::client, alert, std::move(message)};
}

/// Malformed message: decode_error / decode_error alert.
inline Error malformed(std::string message) {
  return client_error(ErrorCode::decode_error, alert_description::kDecodeError, std::move(message));
}

/// Well-formed but illegal value: protocol_violation / illegal_parameter alert.
inline Error illegal_parameter(std::string message) {
  return client_error(ErrorCode::protocol_violation, alert_description::kIllegalParameter,
                      std::move(message));
}

}  // namespace edgefetch::tls::messages
