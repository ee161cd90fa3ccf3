// `edgefetch check` against openssl s_server with certificates whose problem
// OpenSSL words poorly or the generic fix misses: an IP address that only the
// CN (or a DNS entry) spells, a leaf whose extended key usage is clientAuth
// only, and an expired intermediate (the leaf itself is current). Each reason
// must say what is wrong in the certificate's terms, and the fix what to do.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
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

// run_program does not search PATH.
std::string openssl_program() {
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): read-only
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::filesystem::path candidate = std::filesystem::path(dirs.substr(0, colon)) / "openssl";
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return "openssl";
}

// A certificate for /CN=`cn` with the extension lines `extensions`, valid
// from `start` to `end` (openssl ca's YYYYMMDDHHMMSSZ), signed by `ca_cert`
// with `ca_key` (`openssl ca`, which unlike `openssl x509 -req` in OpenSSL 3.0
// takes dates in the past). Files DIR/NAME.pem and DIR/NAME.key; error text or "".
std::string make_certificate(const support::ScratchDir& dir, const std::string& name, const std::string& cn,
                             const std::string& extensions, const std::string& start, const std::string& end,
                             const std::filesystem::path& ca_cert, const std::filesystem::path& ca_key) {
  const std::string base = (dir / name).string();
  const std::string ca_dir = (dir / (name + "-ca")).string();
  std::filesystem::create_directories(ca_dir);
  std::ofstream(ca_dir + "/index.txt").close();
  std::ofstream(ca_dir + "/serial") << "1000\n";
  std::ofstream(ca_dir + "/ca.cnf") << "[ca]\ndefault_ca = test\n[test]\ndatabase = " << ca_dir
                                    << "/index.txt\nnew_certs_dir = " << ca_dir << "\nserial = " << ca_dir
                                    << "/serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n"
                                    << "[any]\ncommonName = supplied\n";
  std::ofstream(base + ".ext") << extensions;
  const std::string openssl = openssl_program();
  const RunResult req = run_program(openssl, {"req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout",
                                              base + ".key", "-out", base + ".csr", "-subj", "/CN=" + cn});
  if (req.exit_code != 0) return "openssl req failed: " + req.err;
  const RunResult sign =
      run_program(openssl, {"ca", "-batch", "-notext", "-config", ca_dir + "/ca.cnf", "-cert",
                            ca_cert.string(), "-keyfile", ca_key.string(), "-startdate", start, "-enddate",
                            end, "-extfile", base + ".ext", "-in", base + ".csr", "-out", base + ".pem"});
  if (sign.exit_code != 0) return "openssl ca failed: " + sign.err + sign.out;
  return "";
}

class CheckCertificateMessagesTest : public ::testing::Test {
 protected:
  std::uint16_t serve(support::LeafFiles identity) {
    support::OpenSslServerOptions options;
    options.identity = std::move(identity);
    return origins_.serve(std::move(options));
  }

  // `edgefetch check 127.0.0.1:PORT` (no --resolve: the address is the origin).
  static CheckRun check_address(std::uint16_t port) {
    return run_check_args({"check", "127.0.0.1:" + std::to_string(port), "--ca-file",
                           support::TestPki::get().ca_file().string(), "--json", "--no-enumerate"},
                          kExitIncompatible);
  }

  support::ScratchDir dir_ = support::ScratchDir::create("cert-messages");
  LocalOrigins origins_;
};

TEST_F(CheckCertificateMessagesTest, AnAddressOnlyInTheCnIsExplainedAsNoMatch) {
  const support::TestPki& pki = support::TestPki::get();
  const std::string error = make_certificate(
      dir_, "ipcn", "127.0.0.1", "basicConstraints=CA:false\nextendedKeyUsage=serverAuth\n",
      "20240101000000Z", "20990101000000Z", pki.intermediate_file(), pki.dir() / "intermediate.key");
  ASSERT_EQ(error, "");
  support::LeafFiles leaf;
  leaf.cert = dir_ / "ipcn.pem";
  leaf.key = dir_ / "ipcn.key";
  leaf.intermediates = pki.intermediate_file();
  leaf.key_type = "RSA";
  const auto port = serve(leaf);
  ASSERT_NE(port, 0);

  const CheckRun result = check_address(port);
  const json r = reason(result.doc, "cert_name_mismatch");
  ASSERT_TRUE(r.is_object()) << result.run.out;
  const std::string message = r["message"];
  const std::string fix = r["fix"];
  EXPECT_TRUE(contains_text(message, "IP address is matched only against the IP address entries")) << message;
  EXPECT_TRUE(contains_text(message, "the CN is not used for addresses")) << message;
  EXPECT_TRUE(contains_text(message, "CN=127.0.0.1 and has no IP address entry")) << message;
  EXPECT_TRUE(contains_text(fix, "requires a DNS name as the origin domain")) << fix;
  EXPECT_TRUE(contains_text(fix, "--resolve NAME:" + std::to_string(port) + ":127.0.0.1")) << fix;
  // The audit's own wording (certificate.problems) says the same.
  ASSERT_EQ(result.doc["certificate"]["problems"].size(), 1U) << result.run.out;
  EXPECT_TRUE(contains_text(result.doc["certificate"]["problems"][0]["message"].get<std::string>(),
                            "the CN is not used for addresses"));
}

TEST_F(CheckCertificateMessagesTest, AnAddressSpelledAsADnsEntryIsNoMatchEither) {
  const MadeLeaf made = make_leaf(dir_, "ipdns", "127.0.0.1", 30);
  ASSERT_EQ(made.error, "");
  const auto port = serve(made.files);
  ASSERT_NE(port, 0);

  const CheckRun result = check_address(port);
  const json r = reason(result.doc, "cert_name_mismatch");
  ASSERT_TRUE(r.is_object()) << result.run.out;
  const std::string message = r["message"];
  EXPECT_TRUE(contains_text(message, "names DNS:127.0.0.1 and has no IP address entry")) << message;
}

TEST_F(CheckCertificateMessagesTest, AClientAuthOnlyLeafLacksServerAuth) {
  const MadeLeaf made = make_leaf(dir_, "eku", support::kOriginName, 30, Signer::intermediate, "rsa:2048",
                                  "extendedKeyUsage=clientAuth\n");
  ASSERT_EQ(made.error, "");
  const auto port = serve(made.files);
  ASSERT_NE(port, 0);

  const CheckRun result = run_check(port, {"--no-enumerate"}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>{"cert_invalid"}) << result.run.out;
  const json r = reason(result.doc, "cert_invalid");
  ASSERT_TRUE(r.is_object()) << result.run.out;
  const std::string message = r["message"];
  const std::string fix = r["fix"];
  EXPECT_TRUE(contains_text(message, "extended key usage lists TLS Web Client Authentication (clientAuth)"))
      << message;
  EXPECT_TRUE(contains_text(message, "not TLS Web Server Authentication (serverAuth)")) << message;
  EXPECT_FALSE(contains_text(message, "unsuitable certificate purpose")) << message;
  EXPECT_TRUE(contains_text(fix, "Reissue the certificate with serverAuth")) << fix;
}

TEST_F(CheckCertificateMessagesTest, AnExpiredIntermediateAsksForTheCurrentChainNotARenewal) {
  const support::TestPki& pki = support::TestPki::get();
  std::string error =
      make_certificate(dir_, "stale-int", "Stale Intermediate CA",
                       "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n",
                       "20200101000000Z", "20240101000000Z", pki.ca_file(), pki.dir() / "ca.key");
  ASSERT_EQ(error, "");
  error =
      make_certificate(dir_, "leaf", std::string(support::kOriginName),
                       "basicConstraints=CA:false\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:" +
                           std::string(support::kOriginName) + "\n",
                       "20210101000000Z", "20990101000000Z", dir_ / "stale-int.pem", dir_ / "stale-int.key");
  ASSERT_EQ(error, "");
  support::LeafFiles leaf;
  leaf.cert = dir_ / "leaf.pem";
  leaf.key = dir_ / "leaf.key";
  leaf.intermediates = dir_ / "stale-int.pem";
  leaf.key_type = "RSA";
  const auto port = serve(leaf);
  ASSERT_NE(port, 0);

  const CheckRun result = run_check(port, {"--no-enumerate"}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>{"cert_expired"}) << result.run.out;
  const json r = reason(result.doc, "cert_expired");
  ASSERT_TRUE(r.is_object()) << result.run.out;
  const std::string message = r["message"];
  const std::string fix = r["fix"];
  EXPECT_TRUE(contains_text(message, "Intermediate certificate 'CN=Stale Intermediate CA' expired"))
      << message;
  EXPECT_TRUE(contains_text(fix, "install the chain file the CA issues now")) << fix;
  EXPECT_TRUE(contains_text(fix, "current intermediate")) << fix;
  EXPECT_FALSE(contains_text(fix, "Renew the certificate")) << fix;
}

TEST_F(CheckCertificateMessagesTest, AnExpiredLeafStillAsksForARenewal) {
  const auto port = serve(support::TestPki::get().leaf(support::Leaf::expired));
  ASSERT_NE(port, 0);
  const CheckRun result = run_check(port, {"--no-enumerate"}, kExitIncompatible);
  const json r = reason(result.doc, "cert_expired");
  ASSERT_TRUE(r.is_object()) << result.run.out;
  EXPECT_TRUE(contains_text(r["message"].get<std::string>(), "Certificate 'CN=")) << r.dump();
  EXPECT_TRUE(contains_text(r["fix"].get<std::string>(), "Renew the certificate")) << r.dump();
}

}  // namespace
}  // namespace edgefetch::cli_test
