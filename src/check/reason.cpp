#include "edgefetch/check/reason.hpp"

namespace edgefetch::check {

std::string_view reason_code_name(ReasonCode code) {
  switch (code) {
    case ReasonCode::no_shared_version:
      return "no_shared_version";
    case ReasonCode::tls13_only:
      return "tls13_only";
    case ReasonCode::no_shared_cipher:
      return "no_shared_cipher";
    case ReasonCode::no_shared_group:
      return "no_shared_group";
    case ReasonCode::no_shared_signature_scheme:
      return "no_shared_signature_scheme";
    case ReasonCode::cert_untrusted:
      return "cert_untrusted";
    case ReasonCode::cert_expired:
      return "cert_expired";
    case ReasonCode::cert_not_yet_valid:
      return "cert_not_yet_valid";
    case ReasonCode::cert_name_mismatch:
      return "cert_name_mismatch";
    case ReasonCode::cert_incomplete_chain:
      return "cert_incomplete_chain";
    case ReasonCode::cert_key_unsupported:
      return "cert_key_unsupported";
    case ReasonCode::cert_invalid:
      return "cert_invalid";
    case ReasonCode::not_tls:
      return "not_tls";
    case ReasonCode::server_alert:
      return "server_alert";
    case ReasonCode::connection_closed:
      return "connection_closed";
    case ReasonCode::protocol_error:
      return "protocol_error";
    case ReasonCode::client_certificate_required:
      return "client_certificate_required";
    case ReasonCode::dns_failure:
      return "dns_failure";
    case ReasonCode::connection_refused:
      return "connection_refused";
    case ReasonCode::connect_timeout:
      return "connect_timeout";
    case ReasonCode::host_unreachable:
      return "host_unreachable";
    case ReasonCode::connection_reset:
      return "connection_reset";
    case ReasonCode::connect_failed:
      return "connect_failed";
    case ReasonCode::tls_handshake_timeout:
      return "tls_handshake_timeout";
  }
  return "protocol_error";
}

bool is_unreachable_reason(ReasonCode code) {
  switch (code) {
    case ReasonCode::dns_failure:
    case ReasonCode::connection_refused:
    case ReasonCode::connect_timeout:
    case ReasonCode::host_unreachable:
    case ReasonCode::connection_reset:
    case ReasonCode::connect_failed:
    case ReasonCode::tls_handshake_timeout:
      return true;
    default:
      return false;
  }
}

bool is_certificate_reason(ReasonCode code) {
  switch (code) {
    case ReasonCode::cert_untrusted:
    case ReasonCode::cert_expired:
    case ReasonCode::cert_not_yet_valid:
    case ReasonCode::cert_name_mismatch:
    case ReasonCode::cert_incomplete_chain:
    case ReasonCode::cert_key_unsupported:
    case ReasonCode::cert_invalid:
      return true;
    default:
      return false;
  }
}

std::string_view warning_code_name(WarningCode code) {
  switch (code) {
    case WarningCode::cert_expiring_soon:
      return "cert_expiring_soon";
    case WarningCode::legacy_version:
      return "legacy_version";
    case WarningCode::legacy_cipher:
      return "legacy_cipher";
    case WarningCode::legacy_signature:
      return "legacy_signature";
    case WarningCode::weak_rsa_key:
      return "weak_rsa_key";
    case WarningCode::warning_alert:
      return "warning_alert";
    case WarningCode::chain_order:
      return "chain_order";
    case WarningCode::weak_certificate_signature:
      return "weak_certificate_signature";
    case WarningCode::undocumented_key:
      return "undocumented_key";
    case WarningCode::no_forward_secrecy:
      return "no_forward_secrecy";
  }
  return "cert_expiring_soon";
}

}  // namespace edgefetch::check
