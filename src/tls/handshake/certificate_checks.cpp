#include "tls/handshake/certificate_checks.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "edgefetch/policy/named_group.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls::handshake {

namespace ad = alert_description;
using messages::client_error;

Error certificate_error(const crypto::CertificateError& error) {
  using Kind = crypto::CertificateError::Kind;
  // Alerts as RFC 5246 §7.2.2 describes them (and as OpenSSL's client sends them).
  switch (error.kind) {
    case Kind::untrusted:
      return client_error(ErrorCode::cert_untrusted, ad::kUnknownCa, error.message);
    case Kind::expired:
      return client_error(ErrorCode::cert_expired, ad::kCertificateExpired, error.message);
    case Kind::not_yet_valid:
      return client_error(ErrorCode::cert_not_yet_valid, ad::kCertificateExpired, error.message);
    case Kind::name_mismatch:
      return client_error(ErrorCode::cert_name_mismatch, ad::kCertificateUnknown, error.message);
    case Kind::incomplete_chain:
      return client_error(ErrorCode::cert_incomplete_chain, ad::kUnknownCa, error.message);
    case Kind::key_unsupported:
      return client_error(ErrorCode::cert_key_unsupported, ad::kUnsupportedCertificate, error.message);
    case Kind::invalid:
      break;
  }
  return client_error(ErrorCode::cert_invalid, ad::kBadCertificate, error.message);
}

base::Expected<void, Error> check_server_key(
    const crypto::PublicKey& key, const policy::CipherSuite& suite,
    const std::optional<std::span<const std::uint16_t>>& offered_groups) {
  using crypto::KeyType;
  const KeyType type = key.type();
  bool fits = false;
  std::string needed;
  if (suite.key_exchange == policy::KeyExchange::rsa) {
    fits = type == KeyType::rsa;
    needed = "an RSA key (RSA key exchange encrypts to it)";
  } else if (suite.authentication == policy::Authentication::rsa) {
    fits = type == KeyType::rsa || type == KeyType::rsa_pss;
    needed = "an RSA key";
  } else if (suite.authentication == policy::Authentication::ecdsa) {
    fits = type == KeyType::ec;
    needed = "an EC key";
  }
  if (!fits) {
    return base::unexpected(client_error(ErrorCode::cert_key_unsupported, ad::kUnsupportedCertificate,
                                         "server certificate holds " + key.description() + ", but " +
                                             std::string(suite.openssl_name) + " needs " + needed));
  }
  if (type == KeyType::ec && offered_groups) {
    const auto group = key.curve_group();
    if (!group ||
        std::find(offered_groups->begin(), offered_groups->end(), *group) == offered_groups->end()) {
      return base::unexpected(client_error(ErrorCode::no_shared_group, ad::kHandshakeFailure,
                                           "server's ECDSA certificate is on " + key.curve_name() +
                                               ", which is not among the offered groups"));
    }
  }
  return {};
}

CertificateSummary summarize(const crypto::CertificateInfo& info) {
  return CertificateSummary{info.subject, info.issuer, info.not_before,          info.not_after,
                            info.san,     info.key,    info.signature_algorithm, info.not_after_time};
}

base::Expected<ServerLeaf, Error> examine_server_chain(std::span<const std::vector<std::uint8_t>> chain,
                                                       const ClientConfig& config,
                                                       std::time_t verification_time) {
  ServerLeaf result;
  auto& key = result.key;
  auto& summary = result.summary;
  if (config.verify_certificates) {
    auto verified = crypto::verify_chain(chain, *config.trust_store, config.verify_name, verification_time);
    if (!verified) return base::unexpected(certificate_error(verified.error()));
    key = verified->leaf_key;
    if (verified->leaf) summary = summarize(*verified->leaf);
  }
  if (!key || !summary) {
    // Verification off (or it returned no leaf details): decode the leaf ourselves.
    auto leaf = crypto::Certificate::from_der(chain.front());
    if (!leaf) {
      return base::unexpected(client_error(ErrorCode::cert_invalid, ad::kBadCertificate,
                                           "server certificate cannot be parsed: " + leaf.error().message));
    }
    if (!summary) summary = summarize(leaf->info());
    if (!key) {
      auto leaf_key = leaf->public_key();
      if (!leaf_key) {
        return base::unexpected(
            client_error(ErrorCode::cert_key_unsupported, ad::kUnsupportedCertificate,
                         "server certificate key cannot be used: " + leaf_key.error().message));
      }
      key = std::make_shared<const crypto::PublicKey>(std::move(*leaf_key));
    }
  }
  return result;
}

}  // namespace edgefetch::tls::handshake
