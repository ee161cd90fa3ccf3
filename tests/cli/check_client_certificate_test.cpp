// Origins that ask for a client certificate, against `edgefetch check` and
// `edgefetch get`. The edge sends none unless origin mTLS is configured (facts
// §2.5), so an origin that requires one fails every request with 502, and in
// TLS 1.3 it says so only after the client's Finished: the check must read
// that far before it calls the origin compatible. Optional client
// authentication (s_server -verify) is compatible.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/check_support.hpp"
#include "support/gnutls_server.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

// `get`'s exit codes (README "Exit codes").
constexpr int kGetExitTlsFailure = 1;

class CheckClientCertificateTest : public ::testing::Test {
 protected:
  // s_server -www with every version, asking for a client certificate:
  // `verify_flag` "-Verify" (required) or "-verify" (optional).
  std::uint16_t serve(const std::string& verify_flag) {
    support::OpenSslServerOptions options;
    options.version_flag = "";
    options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
    options.extra_args = {verify_flag, "1", "-CAfile", support::TestPki::get().ca_file().string()};
    auto server = support::OpenSslServer::start(std::move(options));
    EXPECT_TRUE(server) << (server ? "" : server.error());
    if (!server) return 0;
    servers_.push_back(std::move(*server));
    return servers_.back().port();
  }

  static CheckRun get(std::uint16_t port, const std::vector<std::string>& extra, int expected_exit) {
    const std::string host = std::string(support::kOriginName) + ":" + std::to_string(port);
    std::vector<std::string> args = {"get",       "https://" + host + "/",
                                     "--resolve", host + ":127.0.0.1",
                                     "--ca-file", support::TestPki::get().ca_file().string(),
                                     "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_check_args(args, expected_exit);
  }

  static std::vector<std::string> codes_of(const json& verdict) {
    std::vector<std::string> out;
    for (const auto& r : verdict["reasons"]) out.push_back(r.value("code", ""));
    return out;
  }

  std::vector<support::OpenSslServer> servers_;
};

TEST_F(CheckClientCertificateTest, RequiredClientCertificateIsIncompatibleUnderTls13) {
  const auto port = serve("-Verify");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {"--profile", "cloudfront-2025"}, kExitIncompatible);
  const json& doc = result.doc;
  EXPECT_EQ(doc["verdict"], "incompatible");
  EXPECT_EQ(reason_codes(doc), std::vector<std::string>({"client_certificate_required"}));
  ASSERT_EQ(doc["verdicts"].size(), 1U) << doc["verdicts"].dump();
  EXPECT_EQ(doc["verdicts"][0]["verdict"], "incompatible");
  EXPECT_EQ(codes_of(doc["verdicts"][0]), std::vector<std::string>({"client_certificate_required"}));
  const json why = reason(doc, "client_certificate_required");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "certificate_required")) << why.dump();
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "OriginMtlsConfig.ClientCertificateArn"))
      << why.dump();
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "ssl_verify_client optional")) << why.dump();
  EXPECT_EQ(doc["negotiated"], nullptr) << doc["negotiated"].dump();
  for (const auto& row : doc["edge_by_setting"]) {
    EXPECT_EQ(row["result"], "incompatible") << row.dump();
  }

  // The verdict handshake alone tells it: the same without enumeration.
  const auto quick = run_check(port, {"--profile", "cloudfront-2025", "--no-enumerate"}, kExitIncompatible);
  EXPECT_EQ(reason_codes(quick.doc), std::vector<std::string>({"client_certificate_required"}));
}

TEST_F(CheckClientCertificateTest, RequiredClientCertificateIsNamedUnderTls12AndInTheComparison) {
  const auto port = serve("-Verify");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  const json& doc = result.doc;
  EXPECT_EQ(doc["verdict"], "incompatible");
  EXPECT_EQ(reason_codes(doc), std::vector<std::string>({"client_certificate_required"}));
  const json why = reason(doc, "client_certificate_required");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "handshake_failure")) << why.dump();
  EXPECT_FALSE(contains_text(why["fix"].get<std::string>(), "TLS error log")) << why.dump();
  ASSERT_EQ(doc["verdicts"].size(), 2U) << doc["verdicts"].dump();
  EXPECT_EQ(doc["verdicts"][1]["role"], "comparison");
  EXPECT_EQ(doc["verdicts"][1]["verdict"], "incompatible") << doc["verdicts"][1].dump();
  EXPECT_EQ(codes_of(doc["verdicts"][1]), std::vector<std::string>({"client_certificate_required"}));
  // Neither profile connects: no sentence claims one does.
  EXPECT_EQ(doc["verdicts_summary"], nullptr) << doc["verdicts_summary"].dump();
  for (const auto& row : doc["edge_by_setting"]) {
    EXPECT_EQ(row["result"], "incompatible") << row.dump();
  }
}

TEST_F(CheckClientCertificateTest, GnuTlsRefusingTheEmptyCertificateWithDecodeErrorIsNamedToo) {
  // gnutls-serv -r (a client certificate required) answers the edge's empty
  // Certificate in TLS 1.2 with decode_error, not handshake_failure.
  support::GnuTlsServerOptions options;
  options.priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2";
  options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
  options.request_client_certificate = true;
  options.extra_args = {"-r", "--x509cafile", support::TestPki::get().ca_file().string()};
  auto server = support::GnuTlsServer::start(std::move(options));
  ASSERT_TRUE(server) << server.error();
  const auto result = run_check(server->port(), {"--no-enumerate", "--no-compare"}, kExitIncompatible);
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"client_certificate_required"}))
      << result.doc["reasons"].dump();
  const auto fetched = get(server->port(), {}, kGetExitTlsFailure);
  EXPECT_EQ(fetched.doc["error"]["code"], "client_certificate_required") << fetched.doc.dump();
  EXPECT_EQ(fetched.doc["error"]["alert"]["name"], "decode_error") << fetched.doc.dump();
}

TEST_F(CheckClientCertificateTest, OptionalClientCertificateIsCompatibleWithANote) {
  const auto port = serve("-verify");
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitCompatible);
  const json& doc = result.doc;
  EXPECT_EQ(doc["verdict"], "compatible");
  EXPECT_EQ(doc["reasons"], json::array());
  ASSERT_EQ(doc["verdicts"].size(), 2U) << doc["verdicts"].dump();
  EXPECT_EQ(doc["verdicts"][1]["verdict"], "compatible") << doc["verdicts"][1].dump();
  EXPECT_EQ(doc["verdicts"][1]["negotiated"]["version"]["name"], "TLSv1.3");
  bool noted = false;
  for (const auto& note : doc["notes"]) {
    noted = noted || contains_text(note.get<std::string>(), "optional client authentication");
  }
  EXPECT_TRUE(noted) << doc["notes"].dump();

  const auto tls13 = run_check(port, {"--profile", "cloudfront-2025"}, kExitCompatible);
  EXPECT_EQ(tls13.doc["verdict"], "compatible");
  EXPECT_EQ(tls13.doc["negotiated"]["version"]["name"], "TLSv1.3");
}

TEST_F(CheckClientCertificateTest, GetNamesTheRefusalUnderBothVersions) {
  const auto port = serve("-Verify");
  ASSERT_NE(port, 0);
  const auto tls12 = get(port, {}, kGetExitTlsFailure);
  EXPECT_EQ(tls12.doc["error"]["code"], "client_certificate_required") << tls12.run.out;
  EXPECT_EQ(tls12.doc["error"]["alert"]["name"], "handshake_failure") << tls12.run.out;
  EXPECT_EQ(tls12.doc["error"]["cdn_status"], 502);
  EXPECT_EQ(tls12.doc["error"]["phase"], "tls_handshake") << tls12.run.out;

  const auto tls13 = get(port, {"--profile", "cloudfront-2025"}, kGetExitTlsFailure);
  EXPECT_EQ(tls13.doc["error"]["code"], "client_certificate_required") << tls13.run.out;
  EXPECT_EQ(tls13.doc["error"]["alert"]["name"], "certificate_required") << tls13.run.out;
  EXPECT_EQ(tls13.doc["error"]["cdn_status"], 502);
  // TLS 1.3: the refusal comes after the handshake (README), in the JSON as on stderr.
  EXPECT_EQ(tls13.doc["error"]["phase"], "response") << tls13.run.out;
}

TEST_F(CheckClientCertificateTest, GetSucceedsWhenTheClientCertificateIsOptional) {
  const auto port = serve("-verify");
  ASSERT_NE(port, 0);
  const auto tls13 = get(port, {"--profile", "cloudfront-2025"}, 0);
  EXPECT_EQ(tls13.doc["status"], 200) << tls13.run.out;
}

}  // namespace
}  // namespace edgefetch::cli_test
