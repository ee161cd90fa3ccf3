#include "support/cells.hpp"

#include <algorithm>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::bench {

std::string_view Cell::server_sigalgs() const {
  const bool rsa_key_exchange = group.empty();
  if (rsa_key_exchange || version < policy::ProtocolVersion::tls1_2) return {};
  return leaf == LeafKey::rsa2048 ? "RSA+SHA256" : "ECDSA+SHA256";
}

std::string Cell::describe() const {
  std::string out = std::string(policy::info(version).openssl_name) + " " + std::string(suite);
  if (!group.empty()) out += " " + std::string(group);
  out += leaf == LeafKey::rsa2048 ? " (RSA-2048 leaf)" : " (ECDSA P-256 leaf)";
  return out;
}

base::Expected<tls::ClientConfig, std::string> edgefetch_config(const Cell& cell,
                                                                const std::filesystem::path& ca_file) {
  const policy::CipherSuite* suite = policy::find_cipher_suite(cell.suite);
  if (suite == nullptr) return base::unexpected("edgefetch does not know suite " + std::string(cell.suite));
  const policy::NamedGroup* group = nullptr;
  if (!cell.group.empty()) {
    group = policy::find_named_group(cell.group);
    if (group == nullptr) return base::unexpected("edgefetch does not know group " + std::string(cell.group));
  }
  auto store = crypto::TrustStore::from_pem_file(ca_file.string());
  if (!store) return base::unexpected("cannot load " + ca_file.string() + ": " + store.error().message);

  const std::vector<policy::ProtocolVersion> floor{cell.version};
  tls::ClientConfig config;
  config.offer = policy::narrow(policy::default_profile(), floor);
  if (std::find(config.offer.cipher_suites.begin(), config.offer.cipher_suites.end(), suite) ==
      config.offer.cipher_suites.end()) {
    return base::unexpected("the default profile does not offer " + std::string(cell.suite));
  }
  config.offer.cipher_suites = {suite};
  if (group != nullptr) config.offer.groups = {group};
  config.server_name = kOriginName;
  config.verify_name = kOriginName;
  config.trust_store = std::move(*store);
  config.verify_certificates = true;
  return config;
}

}  // namespace edgefetch::bench
