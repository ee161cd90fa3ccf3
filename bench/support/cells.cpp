#include "support/cells.hpp"

#include <algorithm>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/lookup.hpp"
#include "edgefetch/policy/profile.hpp"

namespace edgefetch::bench {
namespace {

constexpr std::string_view kTls13Profile = "CloudFront-Upstream-TLS-1-3-2025";

}  // namespace

std::string_view Cell::server_sigalgs() const {
  if (version == policy::ProtocolVersion::tls1_3) {
    // TLS 1.3 signs with RSA-PSS (rsaEncryption key) or ECDSA bound to the curve.
    return leaf == LeafKey::rsa2048 ? "rsa_pss_rsae_sha256" : "ECDSA+SHA256";
  }
  const bool rsa_key_exchange = group.empty();
  if (rsa_key_exchange || version < policy::ProtocolVersion::tls1_2) return {};
  return leaf == LeafKey::rsa2048 ? "RSA+SHA256" : "ECDSA+SHA256";
}

std::string Cell::describe() const {
  std::string out = std::string(policy::info(version).openssl_name) + " " + std::string(suite);
  if (!group.empty()) out += " " + std::string(group);
  if (!client_groups.empty()) out += " (client offers " + std::string(client_groups) + ")";
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

  const bool tls13 = cell.version == policy::ProtocolVersion::tls1_3;
  const policy::Profile* profile =
      tls13 ? policy::profile_by_name(kTls13Profile) : &policy::default_profile();
  if (profile == nullptr) return base::unexpected("edgefetch has no profile " + std::string(kTls13Profile));
  // OriginSslProtocols has no TLSv1.3 value: TLS 1.2 is the selection, the profile keeps its TLS 1.3 floor.
  const std::vector<policy::ProtocolVersion> floor{tls13 ? policy::ProtocolVersion::tls1_2 : cell.version};
  tls::ClientConfig config;
  config.offer = policy::narrow(*profile, floor);
  if (std::find(config.offer.cipher_suites.begin(), config.offer.cipher_suites.end(), suite) ==
      config.offer.cipher_suites.end()) {
    return base::unexpected("profile " + std::string(profile->name) + " does not offer " +
                            std::string(cell.suite));
  }
  config.offer.cipher_suites = {suite};
  if (!cell.client_groups.empty()) {
    config.offer.groups.clear();
    std::string_view rest = cell.client_groups;
    while (!rest.empty()) {
      const std::string_view name = rest.substr(0, rest.find(':'));
      rest = name.size() < rest.size() ? rest.substr(name.size() + 1) : std::string_view();
      const policy::NamedGroup* offered = policy::find_named_group(name);
      if (offered == nullptr) return base::unexpected("edgefetch does not know group " + std::string(name));
      config.offer.groups.push_back(offered);
    }
  } else if (group != nullptr) {
    config.offer.groups = {group};
  }
  config.server_name = kOriginName;
  config.verify_name = kOriginName;
  config.trust_store = std::move(*store);
  config.verify_certificates = true;
  return config;
}

}  // namespace edgefetch::bench
