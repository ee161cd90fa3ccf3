// Stable names for error codes and TLS alert descriptions.

#include "edgefetch/tls/error.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/tls/alert_description.hpp"

namespace edgefetch::tls {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::none:
      return "none";
    case ErrorCode::no_shared_version:
      return "no_shared_version";
    case ErrorCode::version_not_allowed:
      return "version_not_allowed";
    case ErrorCode::no_shared_cipher:
      return "no_shared_cipher";
    case ErrorCode::no_shared_group:
      return "no_shared_group";
    case ErrorCode::no_shared_signature_scheme:
      return "no_shared_signature_scheme";
    case ErrorCode::cert_untrusted:
      return "cert_untrusted";
    case ErrorCode::cert_expired:
      return "cert_expired";
    case ErrorCode::cert_not_yet_valid:
      return "cert_not_yet_valid";
    case ErrorCode::cert_name_mismatch:
      return "cert_name_mismatch";
    case ErrorCode::cert_incomplete_chain:
      return "cert_incomplete_chain";
    case ErrorCode::cert_key_unsupported:
      return "cert_key_unsupported";
    case ErrorCode::cert_invalid:
      return "cert_invalid";
    case ErrorCode::bad_signature:
      return "bad_signature";
    case ErrorCode::bad_record_mac:
      return "bad_record_mac";
    case ErrorCode::bad_finished:
      return "bad_finished";
    case ErrorCode::server_alert:
      return "server_alert";
    case ErrorCode::protocol_violation:
      return "protocol_violation";
    case ErrorCode::decode_error:
      return "decode_error";
    case ErrorCode::record_overflow:
      return "record_overflow";
    case ErrorCode::renegotiation_refused:
      return "renegotiation_refused";
    case ErrorCode::not_tls:
      return "not_tls";
    case ErrorCode::unexpected_eof:
      return "unexpected_eof";
    case ErrorCode::client_certificate_required:
      return "client_certificate_required";
    case ErrorCode::internal_error:
      return "internal_error";
  }
  return "unknown";
}

std::string alert_name(std::uint8_t description) {
  // RFC 5246 §7.2, RFC 6101 §5.4.2 (no_certificate), RFC 7507, RFC 8446 §6, RFC 7301.
  switch (description) {
    case 0:
      return "close_notify";
    case 10:
      return "unexpected_message";
    case 20:
      return "bad_record_mac";
    case 21:
      return "decryption_failed";
    case 22:
      return "record_overflow";
    case 30:
      return "decompression_failure";
    case 40:
      return "handshake_failure";
    case 41:
      return "no_certificate";
    case 42:
      return "bad_certificate";
    case 43:
      return "unsupported_certificate";
    case 44:
      return "certificate_revoked";
    case 45:
      return "certificate_expired";
    case 46:
      return "certificate_unknown";
    case 47:
      return "illegal_parameter";
    case 48:
      return "unknown_ca";
    case 49:
      return "access_denied";
    case 50:
      return "decode_error";
    case 51:
      return "decrypt_error";
    case 60:
      return "export_restriction";
    case 70:
      return "protocol_version";
    case 71:
      return "insufficient_security";
    case 80:
      return "internal_error";
    case 86:
      return "inappropriate_fallback";
    case 90:
      return "user_canceled";
    case 100:
      return "no_renegotiation";
    case 109:
      return "missing_extension";
    case 110:
      return "unsupported_extension";
    case 111:
      return "certificate_unobtainable";
    case 112:
      return "unrecognized_name";
    case 113:
      return "bad_certificate_status_response";
    case 114:
      return "bad_certificate_hash_value";
    case 115:
      return "unknown_psk_identity";
    case 116:
      return "certificate_required";
    case 120:
      return "no_application_protocol";
    default:
      break;
  }
  return "alert(" + std::to_string(description) + ")";
}

std::string warning_alerts_text(const std::vector<std::uint8_t>& descriptions, std::string_view sni) {
  std::string names;
  for (std::size_t i = 0; i < descriptions.size(); ++i) {
    if (i > 0) names += i + 1 == descriptions.size() ? " and " : ", ";
    names += alert_name(descriptions[i]);
    if (descriptions[i] == alert_description::kUnrecognizedName && !sni.empty()) {
      names += " (no name it serves is '" + std::string(sni) + "', the SNI sent)";
    }
  }
  return "the origin sent the TLS warning alert" + std::string(descriptions.size() == 1 ? " " : "s ") +
         names +
         " and edgefetch went on, but the CDN's TLS library (s2n) ends the connection on any warning alert "
         "unless it is configured to ignore them, and CloudFront does not document which it does: if it does "
         "not, the edge answers 502";
}

}  // namespace edgefetch::tls
