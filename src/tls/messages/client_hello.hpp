#pragma once
// ClientHello: an explicit description of every field and extension (so the
// `check` command can send altered offers), its encoder, and the builder that
// derives the CDN client's ClientHello from a policy::Offer (facts file,
// Appendix B; s2n-tls's client).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/policy/profile.hpp"
#include "tls/codec/byte_writer.hpp"
#include "tls/messages/types.hpp"

namespace edgefetch::tls::messages {

/// An extension sent verbatim (probing: unusual or deliberately wrong extensions).
struct RawExtension {
  std::uint16_t type = 0;
  std::vector<std::uint8_t> data;
};

/// One key_share entry (TLS 1.3): the group and our public value.
struct KeyShareOffer {
  std::uint16_t group = 0;
  std::vector<std::uint8_t> key_exchange;
};

struct ClientHello {
  std::uint16_t legacy_version = 0x0303;  // client_version on the wire
  std::array<std::uint8_t, kRandomLength> random{};
  std::vector<std::uint8_t> session_id;      // 0..32 bytes
  std::vector<std::uint16_t> cipher_suites;  // exactly as sent (SCSV included when wanted)
  std::vector<std::uint8_t> compression_methods{kCompressionNull};

  // Extensions, written in this order when present (the s2n client's order):
  std::vector<std::uint16_t> supported_versions;                   // 0x002B (TLS 1.3 offered); empty: omitted
  std::optional<std::vector<std::uint16_t>> supported_groups;      // 0x000A
  std::optional<std::vector<KeyShareOffer>> key_shares;            // 0x0033 (TLS 1.3 offered)
  std::optional<std::vector<std::uint16_t>> signature_algorithms;  // 0x000D
  std::string server_name;                                         // 0x0000 host_name; empty: omitted
  std::vector<std::string> alpn;                                   // 0x0010; empty: omitted
  bool session_ticket = true;                                      // 0x0023
  std::vector<std::uint8_t> session_ticket_data;  // the 0x0023 body: empty, or a ticket to resume (RFC 5077)
  std::optional<std::vector<std::uint8_t>> ec_point_formats;  // 0x000B
  /// 0xFF01 with this renegotiated_connection value; the CDN sends none (SCSV only).
  std::optional<std::vector<std::uint8_t>> renegotiation_info;
  bool extended_master_secret = true;          // 0x0017
  std::vector<RawExtension> extra_extensions;  // appended last, verbatim
  /// false: no extensions block at all, whatever the fields above say (a bare
  /// SSLv3-style hello for probing).
  bool send_extensions = true;

  /// Whether the encoded hello carries an extension of this type.
  [[nodiscard]] bool offers_extension(std::uint16_t type) const;
  /// Whether the cipher_suites list carries this code (SCSV included).
  [[nodiscard]] bool offers_cipher_suite(std::uint16_t code) const;
};

/// Writes the complete handshake message (header included) into `w`. The
/// caller checks w.ok(): false if a list was too long for its length field.
void encode_client_hello(const ClientHello& hello, codec::ByteWriter& w);
/// The handshake message bytes; std::nullopt if a field overflowed.
std::optional<std::vector<std::uint8_t>> encode_client_hello(const ClientHello& hello);

/// True for IPv4 and IPv6 literals ("127.0.0.1", "::1", "[::1]"): RFC 6066 forbids them in SNI.
bool is_ip_literal(std::string_view host);

/// The values of a ClientHello that are not part of the offer.
struct ClientHelloInputs {
  std::string server_name;  // SNI; empty or an IP literal: no server_name extension; one trailing dot dropped
  std::vector<std::string> alpn;
  std::array<std::uint8_t, kRandomLength> random{};
  std::vector<std::uint8_t> session_id;  // the CDN client sends 32 fresh random bytes
};

/// The CDN client's ClientHello for `offer` (facts file Appendix B):
/// - legacy_version = min(offer.max_version, TLS 1.2);
/// - cipher_suites: the offer's suites in order, then TLS_EMPTY_RENEGOTIATION_INFO_SCSV (when a
///   suite below TLS 1.3 is offered, as s2n);
/// - compression: null only;
/// - extensions: supported_groups (only when an ECDHE suite is offered), signature_algorithms
///   (only when TLS 1.2 is offered, as s2n), server_name (not for IP literals), ALPN (only when
///   asked), session_ticket (empty), ec_point_formats (uncompressed; with supported_groups),
///   extended_master_secret. Sent for SSLv3-only offers too: an SSLv3 server ignores extensions
///   (RFC 6101 §5.6.1.2 lets the hello carry trailing data) and s2n sends them.
/// - when the offer includes TLS 1.3 (the 2025 profiles; Appendix B): supported_versions first
///   (the offer's maximum down to the profile's minimum) and supported_groups even without an
///   ECDHE suite; the key_share entries are the engine's to add (it holds the private keys).
ClientHello build_client_hello(const policy::Offer& offer, const ClientHelloInputs& inputs);

}  // namespace edgefetch::tls::messages
