#include "tls/handshake/key_exchange.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "edgefetch/crypto/key_share.hpp"
#include "edgefetch/crypto/random.hpp"
#include "tls/codec/byte_writer.hpp"
#include "tls/messages/client_key_exchange.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;
using messages::client_error;

namespace {

bool contains(const std::optional<std::vector<std::uint16_t>>& list, std::uint16_t value) {
  return list && std::find(list->begin(), list->end(), value) != list->end();
}

std::string code_text(std::uint16_t code) {
  static constexpr std::string_view kDigits = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kDigits[(code >> shift) & 0xF]);
  return out;
}

bool scheme_fits_key(const policy::SignatureScheme& scheme, crypto::KeyType key) {
  switch (scheme.algorithm) {
    case policy::SignatureAlgorithm::rsa_pkcs1:
    case policy::SignatureAlgorithm::rsa_pss_rsae:
      return key == crypto::KeyType::rsa;
    case policy::SignatureAlgorithm::rsa_pss_pss:
      return key == crypto::KeyType::rsa_pss;
    case policy::SignatureAlgorithm::ecdsa:
      return key == crypto::KeyType::ec;
  }
  return false;
}

Error internal(const std::string& what, const crypto::Error& error) {
  return client_error(ErrorCode::internal_error, ad::kInternalError, what + ": " + error.message);
}

}  // namespace

base::Expected<EcdheParameters, Error> check_server_key_exchange(
    const messages::EcdheServerKeyExchange& message, const messages::ClientHello& sent,
    const VersionRules& rules, const crypto::PublicKey& server_key,
    std::span<const std::uint8_t> client_random, std::span<const std::uint8_t> server_random) {
  EcdheParameters out;
  out.group = policy::named_group_by_code(message.named_group);
  if (!contains(sent.supported_groups, message.named_group) ||
      !crypto::key_share_supported(message.named_group)) {
    const std::string name =
        out.group != nullptr ? std::string(out.group->name) : code_text(message.named_group);
    return base::unexpected(
        client_error(ErrorCode::no_shared_group, ad::kIllegalParameter,
                     "server chose group " + name + ", which the ClientHello did not offer"));
  }

  std::vector<std::uint8_t> signed_message;
  signed_message.reserve(client_random.size() + server_random.size() + message.signed_params.size());
  signed_message.insert(signed_message.end(), client_random.begin(), client_random.end());
  signed_message.insert(signed_message.end(), server_random.begin(), server_random.end());
  signed_message.insert(signed_message.end(), message.signed_params.begin(), message.signed_params.end());

  if (rules.signatures_name_scheme()) {
    const std::uint16_t code = message.signature_scheme.value_or(0);
    out.scheme = policy::signature_scheme_by_code(code);
    if (!contains(sent.signature_algorithms, code) || out.scheme == nullptr) {
      const std::string name = out.scheme != nullptr ? std::string(out.scheme->iana_name) : code_text(code);
      return base::unexpected(
          client_error(ErrorCode::no_shared_signature_scheme, ad::kIllegalParameter,
                       "server signed with " + name + ", which the ClientHello did not offer"));
    }
    if (!scheme_fits_key(*out.scheme, server_key.type())) {
      return base::unexpected(client_error(ErrorCode::protocol_violation, ad::kIllegalParameter,
                                           "server signed with " + std::string(out.scheme->iana_name) +
                                               ", which its certificate key (" + server_key.description() +
                                               ") cannot produce"));
    }
    if (auto verified = crypto::verify_signature(server_key, *out.scheme, signed_message, message.signature);
        !verified) {
      return base::unexpected(client_error(ErrorCode::bad_signature, ad::kDecryptError,
                                           "ServerKeyExchange signature (" +
                                               std::string(out.scheme->iana_name) +
                                               ") does not verify: " + verified.error().message));
    }
  } else if (auto verified = crypto::verify_legacy_signature(server_key, signed_message, message.signature);
             !verified) {
    return base::unexpected(
        client_error(ErrorCode::bad_signature, ad::kDecryptError,
                     "ServerKeyExchange signature does not verify: " + verified.error().message));
  }
  out.server_point = message.public_point;
  return out;
}

base::Expected<ClientKeyExchange, Error> ecdhe_client_key_exchange(const EcdheParameters& parameters) {
  auto share = crypto::KeyShare::generate(parameters.group->code);
  if (!share) return base::unexpected(internal("cannot generate an ECDH key", share.error()));
  auto shared = share->derive(parameters.server_point);
  if (!shared) {
    return base::unexpected(client_error(ErrorCode::protocol_violation, ad::kIllegalParameter,
                                         "server's " + std::string(parameters.group->name) +
                                             " public value is invalid: " + shared.error().message));
  }
  return ClientKeyExchange{messages::encode_ecdhe_client_key_exchange(share->public_key()),
                           std::move(*shared)};
}

base::Expected<ClientKeyExchange, Error> rsa_client_key_exchange(const crypto::PublicKey& server_key,
                                                                 std::uint16_t client_hello_version,
                                                                 const VersionRules& rules) {
  crypto::SecretBytes premaster(48);
  premaster[0] = static_cast<std::uint8_t>(client_hello_version >> 8);
  premaster[1] = static_cast<std::uint8_t>(client_hello_version);
  if (auto random = crypto::random_bytes(std::span<std::uint8_t>(premaster).subspan(2)); !random) {
    return base::unexpected(internal("no randomness for the premaster secret", random.error()));
  }
  auto encrypted = crypto::rsa_pkcs1_encrypt(server_key, premaster);
  if (!encrypted) {
    return base::unexpected(internal("RSA encryption of the premaster failed", encrypted.error()));
  }
  return ClientKeyExchange{
      messages::encode_rsa_client_key_exchange(*encrypted, !rules.rsa_premaster_length_prefixed()),
      std::move(premaster)};
}

}  // namespace edgefetch::tls::handshake
