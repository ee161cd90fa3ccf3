#pragma once
// What a fatal alert from the server means, depending on when it arrives: in
// answer to our ClientHello a protocol_version alert means no version in common
// and handshake_failure / insufficient_security mean nothing in our offer was
// acceptable; after we declined a renegotiation it means the server insisted;
// after we answered a CertificateRequest with no certificate, an alert about
// certificates (or a bare handshake_failure) means the server requires one.

#include <cstdint>
#include <string>
#include <string_view>

#include "edgefetch/tls/error.hpp"

namespace edgefetch::tls::handshake {

enum class AlertContext {
  awaiting_server_hello,  // the alert answers our ClientHello
  handshake,              // later in the handshake
  connected,
  renegotiation_requested,  // the server asked to renegotiate (HelloRequest), which we ignored
  /// We answered a CertificateRequest with no certificate and the server has
  /// not yet shown that it accepts that (TLS 1.2: its Finished; TLS 1.3: its
  /// first post-handshake message).
  client_certificate_pending,
};

/// `offered_versions`: e.g. "TLS 1.0 to TLS 1.2"; `step`: what we were waiting for.
Error error_for_server_alert(std::uint8_t description, AlertContext context,
                             std::string_view offered_versions, std::string_view step);

}  // namespace edgefetch::tls::handshake
