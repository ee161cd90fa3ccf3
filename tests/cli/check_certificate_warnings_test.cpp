// `edgefetch check` against openssl s_server origins the edge connects to but
// whose certificate or key exchange lies outside what CloudFront documents or
// is weak: a leaf signed with SHA-1, a P-384 or RSA-4160 key, and an AES suite
// with an RSA key exchange. Each is compatible with its own warning; the same
// origin done the documented way has none.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/check_support.hpp"
#include "cli/cli_support.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

class CheckCertificateWarningsTest : public ::testing::Test {
 protected:
  std::uint16_t serve(support::LeafFiles identity, std::string ciphers = "") {
    support::OpenSslServerOptions options;
    options.identity = std::move(identity);
    options.ciphers = std::move(ciphers);
    return origins_.serve(std::move(options));
  }

  static CheckRun compatible_check(std::uint16_t port) {
    CheckRun result = run_check(port, {"--no-enumerate"}, kExitCompatible);
    EXPECT_EQ(result.doc["verdict"], "compatible") << result.run.out;
    return result;
  }

  // An origin with `identity` (and `ciphers`), checked. When it could not
  // start, serve() has failed the test and the run is empty: reading its null
  // document throws, which ends the test.
  CheckRun check_origin(support::LeafFiles identity, std::string ciphers = "") {
    const auto port = serve(std::move(identity), std::move(ciphers));
    if (port == 0) return {};
    return compatible_check(port);
  }

  static std::string warning_message(const json& report, std::string_view code) {
    for (const auto& warning : report["warnings"]) {
      if (warning["code"] == code) return warning["message"].get<std::string>();
    }
    return "";
  }

  support::ScratchDir dir_ = support::ScratchDir::create("cert-warnings");
  LocalOrigins origins_;
};

TEST_F(CheckCertificateWarningsTest, ASha1SignedLeafIsCompatibleWithAWarning) {
  const MadeLeaf made =
      make_leaf(dir_, "sha1", support::kOriginName, 30, Signer::intermediate, "rsa:2048", "", "sha1");
  ASSERT_EQ(made.error, "");
  const auto port = serve(made.files);
  ASSERT_NE(port, 0);

  const CheckRun result = compatible_check(port);
  EXPECT_EQ(result.doc["certificate"]["signature_algorithm"], "sha1WithRSAEncryption") << result.run.out;
  const std::string message = warning_message(result.doc, "weak_certificate_signature");
  EXPECT_TRUE(contains_text(message, "The certificate 'CN=origin.test' is signed with sha1WithRSAEncryption"))
      << result.doc["warnings"].dump(2);
  EXPECT_TRUE(contains_text(message, "reissued signed with SHA-256")) << message;
  // The intermediate behind it is signed with SHA-256: one warning, for the leaf.
  const std::vector<std::string> codes = warning_codes(result.doc);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "weak_certificate_signature"), 1)
      << result.doc["warnings"].dump(2);

  const RunResult text = run_edgefetch({"check", "origin.test:" + std::to_string(port), "--resolve",
                                        "origin.test:" + std::to_string(port) + ":127.0.0.1", "--ca-file",
                                        support::TestPki::get().ca_file().string(), "--no-enumerate"});
  EXPECT_TRUE(contains_text(text.out, "Signed with  sha1WithRSAEncryption")) << text.out;
}

TEST_F(CheckCertificateWarningsTest, ASha256SignedLeafHasNoSignatureWarning) {
  const CheckRun result = check_origin(support::TestPki::get().leaf(support::Leaf::rsa2048));
  EXPECT_EQ(result.doc["certificate"]["signature_algorithm"], "sha256WithRSAEncryption") << result.run.out;
  for (const auto& entry : result.doc["certificate"]["chain"]) {
    EXPECT_EQ(entry["signature_algorithm"], "sha256WithRSAEncryption") << entry.dump();
  }
  EXPECT_FALSE(contains(warning_codes(result.doc), "weak_certificate_signature"))
      << result.doc["warnings"].dump(2);
}

TEST_F(CheckCertificateWarningsTest, AP384KeyIsOutsideWhatIsDocumented) {
  const CheckRun result = check_origin(support::TestPki::get().leaf(support::Leaf::ecdsa_p384));
  const std::string message = warning_message(result.doc, "undocumented_key");
  EXPECT_TRUE(contains_text(message, "has an EC P-384 key")) << result.doc["warnings"].dump(2);
  EXPECT_TRUE(contains_text(message, "only 256-bit ECDSA keys (prime256v1, P-256)")) << message;
}

TEST_F(CheckCertificateWarningsTest, AP256KeyIsDocumented) {
  const CheckRun result = check_origin(support::TestPki::get().leaf(support::Leaf::ecdsa_p256));
  EXPECT_FALSE(contains(warning_codes(result.doc), "undocumented_key")) << result.doc["warnings"].dump(2);
}

TEST_F(CheckCertificateWarningsTest, AnRsaKeyOver4096BitsIsOutsideWhatIsDocumented) {
  const MadeLeaf made =
      make_leaf(dir_, "rsa4160", support::kOriginName, 30, Signer::intermediate, "rsa:4160");
  ASSERT_EQ(made.error, "");
  const CheckRun result = check_origin(made.files);
  const std::string message = warning_message(result.doc, "undocumented_key");
  EXPECT_TRUE(contains_text(message, "has an RSA 4160 key")) << result.doc["warnings"].dump(2);
  EXPECT_TRUE(contains_text(message, "RSA keys of up to 4096 bits")) << message;
}

TEST_F(CheckCertificateWarningsTest, AnRsaKeyExchangeHasNoForwardSecrecy) {
  const CheckRun result = check_origin(support::TestPki::get().leaf(support::Leaf::rsa2048), "AES128-SHA");
  EXPECT_EQ(result.doc["negotiated"]["cipher"]["openssl"], "AES128-SHA") << result.doc["negotiated"].dump();
  const std::string message = warning_message(result.doc, "no_forward_secrecy");
  EXPECT_TRUE(
      contains_text(message, "The edge negotiated AES128-SHA, an RSA key exchange without forward secrecy"))
      << result.doc["warnings"].dump(2);
  EXPECT_TRUE(contains_text(message, "Enable an ECDHE suite")) << message;
}

TEST_F(CheckCertificateWarningsTest, AnEcdheKeyExchangeHasForwardSecrecy) {
  const CheckRun result =
      check_origin(support::TestPki::get().leaf(support::Leaf::rsa2048), "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_FALSE(contains(warning_codes(result.doc), "no_forward_secrecy")) << result.doc["warnings"].dump(2);
}

}  // namespace
}  // namespace edgefetch::cli_test
