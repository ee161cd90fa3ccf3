#include "tls/handshake/server_hello_checks.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;
using messages::client_error;

namespace {

std::string hex16(std::uint16_t v) {
  std::array<char, 8> text{};
  const int n = std::snprintf(text.data(), text.size(), "0x%04X", static_cast<unsigned>(v));
  return {text.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
}

std::string suite_display_name(std::uint16_t code) {
  const policy::CipherSuite* suite = policy::cipher_suite_by_code(code);
  if (suite == nullptr) return hex16(code);
  return std::string(suite->openssl_name) + " (" + hex16(code) + ")";
}

std::string range_text(const policy::Offer& offer) {
  if (offer.min_version == offer.max_version) return "only " + version_display_name(wire(offer.min_version));
  return version_display_name(wire(offer.min_version)) + " to " +
         version_display_name(wire(offer.max_version));
}

}  // namespace

std::string version_display_name(std::uint16_t wire_version) {
  if (auto v = policy::version_from_wire(wire_version)) return std::string(policy::info(*v).name);
  return hex16(wire_version);
}

base::Expected<ServerChoice, Error> check_server_hello(const messages::ServerHello& server_hello,
                                                       const messages::ClientHello& sent,
                                                       const policy::Offer& offer, bool resumption_offered) {
  // Version: inside the allowed range, and never above what the ClientHello offered.
  const auto version = policy::version_from_wire(server_hello.version);
  const bool above_hello = server_hello.version > sent.legacy_version;
  if (!version || !offer.allows(*version) || above_hello || *version == policy::ProtocolVersion::tls1_3) {
    std::string message = "server chose " + version_display_name(server_hello.version) + ", but " +
                          range_text(offer) + (offer.min_version == offer.max_version ? " is" : " are") +
                          " allowed";
    if (version && *version < offer.min_version) {
      message +=
          " (the floor set by OriginSslProtocols is " + version_display_name(wire(offer.min_version)) + ")";
    }
    return base::unexpected(client_error(ErrorCode::version_not_allowed, ad::kProtocolVersion, message));
  }
  if (sent.legacy_version >= policy::wire(policy::ProtocolVersion::tls1_2) &&
      *version <= policy::ProtocolVersion::tls1_1 &&
      messages::has_downgrade_sentinel_tls11(server_hello.random)) {
    return base::unexpected(
        client_error(ErrorCode::protocol_violation, ad::kIllegalParameter,
                     "server random carries the TLS 1.3 downgrade sentinel while choosing " +
                         version_display_name(server_hello.version)));
  }

  // Cipher suite: one we sent (the SCSV is not a suite), known, and valid in this version.
  const std::uint16_t code = server_hello.cipher_suite;
  const policy::CipherSuite* suite = policy::cipher_suite_by_code(code);
  if (code == policy::kEmptyRenegotiationInfoScsv || !sent.offers_cipher_suite(code) || suite == nullptr ||
      suite->key_exchange == policy::KeyExchange::tls13) {
    return base::unexpected(client_error(
        ErrorCode::no_shared_cipher, ad::kIllegalParameter,
        "server chose cipher suite " + suite_display_name(code) + ", which the ClientHello did not offer"));
  }
  // valid_in() follows the CDN's client library (s2n's minimum_required_tls_version,
  // facts Appendix A.1): GCM/SHA256/SHA384 suites only in TLS 1.2, and the ECDHE
  // CBC-SHA suites from SSLv3 on although RFC 4492 defines them for TLS 1.0 and
  // later only. Accepting ECDHE in SSLv3 is deliberate: an origin answering that
  // way works through the CDN, so edgefetch must connect to it too (the SSLv3
  // ServerKeyExchange is then signed as in TLS 1.0, MD5+SHA-1 or SHA-1).
  if (!suite->valid_in(*version)) {
    return base::unexpected(client_error(
        ErrorCode::protocol_violation, ad::kIllegalParameter,
        "server chose " + suite_display_name(code) + " in " + version_display_name(server_hello.version) +
            ", but that suite is defined only for " + std::string(policy::info(suite->min_version).name) +
            " to " + std::string(policy::info(suite->max_version).name)));
  }

  if (server_hello.compression_method != messages::kCompressionNull) {
    return base::unexpected(client_error(ErrorCode::protocol_violation, ad::kIllegalParameter,
                                         "server chose compression method " +
                                             std::to_string(server_hello.compression_method) +
                                             "; only null compression was offered"));
  }

  if (auto extensions = messages::check_server_hello_extensions(server_hello, sent); !extensions) {
    return base::unexpected(extensions.error());
  }
  // RFC 5746 §3.4: on the initial handshake renegotiated_connection must be empty.
  if (server_hello.renegotiation_info && !server_hello.renegotiation_info->empty()) {
    return base::unexpected(
        client_error(ErrorCode::protocol_violation, ad::kHandshakeFailure,
                     "server's renegotiation_info is not empty on the initial handshake"));
  }
  // Without a session offered our session_id is fresh randomness: an echo would
  // claim an abbreviated handshake for a session that does not exist.
  if (!resumption_offered && !sent.session_id.empty() && server_hello.session_id == sent.session_id) {
    return base::unexpected(client_error(ErrorCode::protocol_violation, ad::kIllegalParameter,
                                         "server tried to resume a session the client never established"));
  }
  return ServerChoice{*version, suite};
}

}  // namespace edgefetch::tls::handshake
