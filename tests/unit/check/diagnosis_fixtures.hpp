#pragma once
// What the diagnosis tests share: a certificate chain read from a PEM file
// and an enumeration summary of an origin that speaks TLS 1.2 alone.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "edgefetch/check/supported.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "support/pki.hpp"

namespace edgefetch::check::test_fixtures {

using policy::ProtocolVersion;

inline std::vector<std::vector<std::uint8_t>> chain_of(const std::filesystem::path& pem_file) {
  std::ifstream in(pem_file);
  std::stringstream text;
  text << in.rdbuf();
  auto certificates = crypto::Certificate::from_pem(text.str());
  EXPECT_TRUE(certificates) << pem_file;
  std::vector<std::vector<std::uint8_t>> out;
  if (certificates) {
    for (const auto& c : *certificates) out.push_back(c.der());
  }
  return out;
}

/// The test PKI's CA as a trust store.
inline std::shared_ptr<const crypto::TrustStore> test_store() {
  auto store = crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
  EXPECT_TRUE(store);
  return store ? *store : nullptr;
}

/// TLS 1.2 only, with `suites`, secp256r1 and rsa_pkcs1_sha256.
inline SupportedSummary tls12_summary(std::vector<std::uint16_t> suites) {
  SupportedSummary s;
  for (ProtocolVersion v : {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1,
                            ProtocolVersion::tls1_2, ProtocolVersion::tls1_3}) {
    VersionSupport support;
    support.version = v;
    support.accepted = v == ProtocolVersion::tls1_2;
    support.refusal = support.accepted ? Refusal::none : Refusal::alert;
    if (support.accepted) support.cipher_suites = suites;
    s.versions.push_back(support);
  }
  s.groups = {policy::kGroupSecp256r1};
  s.signature_schemes_rsa = {0x0401};
  return s;
}

}  // namespace edgefetch::check::test_fixtures
