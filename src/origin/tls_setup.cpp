#include "tls_setup.hpp"

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/profile.hpp"
#include "errors.hpp"

namespace edgefetch::origin {

base::Expected<tls::ClientConfig, FetchError> make_tls_config(const OriginConfig& config,
                                                              const std::string& server_name) {
  const policy::Profile& profile = config.profile ? *config.profile : policy::default_profile();
  tls::ClientConfig tls_config;
  tls_config.offer = policy::narrow(profile, config.origin_ssl_protocols);
  tls_config.server_name = server_name;
  tls_config.verify_name = server_name;
  tls_config.verify_certificates = config.verify_certificates;
  tls_config.alpn = config.alpn;
  tls_config.trust_store = config.trust_store;
  if (config.verify_certificates && !tls_config.trust_store) {
    auto system = crypto::TrustStore::system_default();
    if (!system) {
      return base::unexpected(make_error(FailureKind::invalid_config, Phase::setup,
                                         "could not load the system trust store: " + system.error().message));
    }
    tls_config.trust_store = std::move(system).value();
  }
  return tls_config;
}

}  // namespace edgefetch::origin
