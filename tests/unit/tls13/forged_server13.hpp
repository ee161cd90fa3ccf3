#pragma once
// A scripted TLS 1.3 server for negative tests: it answers one ClientHello with
// a ServerHello (or HelloRetryRequest) and an encrypted flight built with the
// engine's own key schedule and record protection, and can get any part of it
// wrong on purpose (group, session id echo, signature, Finished, order).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "support/pki.hpp"

namespace edgefetch::tls::tls13::test {

struct ForgeOptions {
  support::Leaf leaf = support::Leaf::rsa2048;
  std::uint16_t suite = 0x1301;
  std::optional<std::uint16_t> answer_group;  // default: the group of the client's share
  std::optional<std::uint16_t> retry_group;   // send a HelloRetryRequest for this group instead
  std::vector<std::uint8_t> retry_cookie;     // a cookie extension in that HelloRetryRequest
  bool echo_session_id = true;
  std::uint16_t signature_scheme = 0x0804;     // rsa_pss_rsae_sha256 (RSA leaves), 0x0403 for P-256
  std::uint16_t claimed_signature_scheme = 0;  // 0: the scheme used; else announced instead
  bool corrupt_signature = false;
  bool corrupt_finished = false;
  bool certificate_before_encrypted_extensions = false;
  std::vector<std::uint8_t> extra_encrypted_extension;  // a raw extension appended to EncryptedExtensions
};

struct ForgedFlight {
  std::vector<std::uint8_t> server_hello;  // handshake message (header included)
  std::vector<std::uint8_t> records;       // what follows on the wire (CCS, encrypted flight)
  std::string failure;                     // set when the script itself could not run
};

ForgedFlight forge_server_flight(std::span<const std::uint8_t> client_hello, const ForgeOptions& options);

}  // namespace edgefetch::tls::tls13::test
