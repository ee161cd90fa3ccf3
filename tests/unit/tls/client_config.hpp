#pragma once
// The verifying client configuration the handshake and resumption tests share:
// origin.test, a profile narrowed to some versions, the test CA as trust store.

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/client.hpp"
#include "support/pki.hpp"

namespace edgefetch::tls::test {

/// The test CA (loaded once).
inline std::shared_ptr<const crypto::TrustStore> test_trust_store() {
  static const std::shared_ptr<const crypto::TrustStore> store = [] {
    auto loaded = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
    if (!loaded) throw std::runtime_error("cannot load the test CA: " + loaded.error().message);
    return *loaded;
  }();
  return store;
}

/// A client for origin.test that verifies against the test CA, offering
/// `profile` narrowed to `allowed`.
inline ClientConfig test_client_config(
    std::vector<policy::ProtocolVersion> allowed = {policy::ProtocolVersion::tls1_2},
    std::string_view profile = "cloudfront") {
  ClientConfig config;
  const policy::Profile* p = policy::profile_by_name(profile);
  if (p == nullptr) throw std::runtime_error("no profile " + std::string(profile));
  config.offer = policy::narrow(*p, allowed);
  config.server_name = "origin.test";
  config.verify_name = "origin.test";
  config.trust_store = test_trust_store();
  return config;
}

}  // namespace edgefetch::tls::test
