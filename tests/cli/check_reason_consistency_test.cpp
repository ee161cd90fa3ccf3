// Reasons that must not depend on how much `edgefetch check` looked: with and
// without enumeration, for the documented policy and in the 2025 comparison,
// and in the "what the edge would negotiate" rows, which all send the
// verdict handshake's ClientHello (facts Appendix B) and so cannot disagree
// with it. Also the TCP reset during the handshake, named connection_reset by
// both `check` and `get`.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/check_support.hpp"
#include "cli/get_servers.hpp"
#include "support/loopback_server.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using support::Leaf;

constexpr int kGetExitConnection = 3;

std::vector<std::string> codes_of(const json& reasons) {
  std::vector<std::string> out;
  for (const auto& r : reasons) out.push_back(r.value("code", ""));
  return out;
}

// Reads the first record (the ClientHello), then aborts the connection with
// an RST (SO_LINGER 0), as a server or firewall that resets mid-handshake.
support::ConnectionHandler reset_after_client_hello() {
  return [](support::UniqueFd connection, int stop_fd) {
    std::array<std::uint8_t, 4096> buffer{};
    std::array<pollfd, 2> fds{pollfd{connection.get(), POLLIN, 0}, pollfd{stop_fd, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), 5000) > 0 && (fds[0].revents & POLLIN) != 0) {
      (void)::recv(connection.get(), buffer.data(), buffer.size(), 0);
    }
    const linger abort_on_close{1, 0};
    (void)::setsockopt(connection.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
  };  // the descriptor closes here: RST
}

class CheckReasonConsistencyTest : public ::testing::Test {
 protected:
  std::uint16_t serve(support::OpenSslServerOptions options) {
    auto server = support::OpenSslServer::start(std::move(options));
    EXPECT_TRUE(server) << (server ? "" : server.error());
    if (!server) return 0;
    servers_.push_back(std::move(*server));
    return servers_.back().port();
  }
  std::uint16_t serve(std::string version_flag, std::string ciphers, support::LeafFiles identity,
                      std::string sigalgs = "", std::vector<std::string> extra = {}) {
    support::OpenSslServerOptions options;
    options.version_flag = std::move(version_flag);
    options.ciphers = std::move(ciphers);
    options.identity = std::move(identity);
    options.sigalgs = std::move(sigalgs);
    options.extra_args = std::move(extra);
    return serve(std::move(options));
  }

  // Every row of edge_by_setting says `result` and, when incompatible, lists `code`.
  static void expect_rows(const json& doc, const std::string& result, const std::string& code = "") {
    ASSERT_EQ(doc["edge_by_setting"].size(), 4U) << doc.dump();
    for (const auto& row : doc["edge_by_setting"]) {
      EXPECT_EQ(row["result"], result) << row.dump();
      if (!code.empty()) {
        const auto codes = row["reasons"].get<std::vector<std::string>>();
        EXPECT_TRUE(contains(codes, code)) << row.dump();
      }
    }
  }

  std::vector<support::OpenSslServer> servers_;
};

TEST_F(CheckReasonConsistencyTest, PssOnlySignaturesRefuseRsaKeyExchangeToo) {
  // OpenSSL uses no certificate without a shared signature scheme, so even the
  // RSA key exchange suites (which sign nothing) are refused.
  const auto port =
      serve("", "", support::TestPki::get().leaf(Leaf::rsa2048), "rsa_pss_rsae_sha256", {"-no_tls1_3"});
  ASSERT_NE(port, 0);
  const auto result = run_check(port, {}, kExitIncompatible);
  const json& doc = result.doc;
  EXPECT_EQ(reason_codes(doc), std::vector<std::string>({"no_shared_signature_scheme"}));
  const json why = reason(doc, "no_shared_signature_scheme");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "rsa_pss_rsae_sha256")) << why.dump();
  EXPECT_TRUE(contains_text(why["fix"].get<std::string>(), "RSA+SHA256")) << why.dump();
  expect_rows(doc, "incompatible", "no_shared_signature_scheme");
  EXPECT_EQ(doc["verdicts"][0]["verdict"], "incompatible");
  EXPECT_EQ(codes_of(doc["verdicts"][0]["reasons"]), reason_codes(doc));
}

TEST_F(CheckReasonConsistencyTest, P521EcdsaCertificateIsNoSharedGroupWithAndWithoutEnumeration) {
  const auto port = serve("", "", support::TestPki::get().leaf(Leaf::ecdsa_p521));
  ASSERT_NE(port, 0);
  const auto full = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(full.doc), std::vector<std::string>({"no_shared_group"}));
  expect_rows(full.doc, "incompatible", "no_shared_group");
  // TLS 1.3 signs with ecdsa_secp521r1_sha512, which the 2025 policy offers.
  EXPECT_EQ(full.doc["verdicts"][1]["verdict"], "compatible") << full.doc["verdicts"].dump();

  const auto quick = run_check(port, {"--no-enumerate"}, kExitIncompatible);
  EXPECT_EQ(reason_codes(quick.doc), std::vector<std::string>({"no_shared_group"}));
  const json why = reason(quick.doc, "no_shared_group");
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "P-521")) << why.dump();
  EXPECT_FALSE(contains_text(why["fix"].get<std::string>(), "ECDHE-ECDSA")) << why.dump();
}

TEST_F(CheckReasonConsistencyTest, Ed25519CertificateIsOnlyAnUnsupportedKey) {
  const auto port = serve("", "", support::TestPki::get().leaf(Leaf::ed25519));
  ASSERT_NE(port, 0);
  const auto full = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(full.doc), std::vector<std::string>({"cert_key_unsupported"}));
  const std::string message = reason(full.doc, "cert_key_unsupported")["message"];
  EXPECT_TRUE(contains_text(message, "an Ed25519 key")) << message;
  EXPECT_FALSE(contains_text(full.doc["reasons"].dump(), "ECDSA certificate)")) << full.doc["reasons"].dump();
  ASSERT_EQ(full.doc["verdicts"].size(), 2U);
  EXPECT_EQ(codes_of(full.doc["verdicts"][1]["reasons"]), std::vector<std::string>({"cert_key_unsupported"}))
      << full.doc["verdicts"].dump();
  expect_rows(full.doc, "incompatible", "cert_key_unsupported");

  // Without enumeration no handshake reads the certificate: the refusal is
  // all there is, and the reason says no more than it shows.
  const auto quick = run_check(port, {"--no-enumerate"}, kExitIncompatible);
  const auto codes = reason_codes(quick.doc);
  ASSERT_EQ(codes.size(), 1U) << quick.doc["reasons"].dump();
  const json why = quick.doc["reasons"][0];
  EXPECT_TRUE(contains_text(why["message"].get<std::string>(), "does not tell which")) << why.dump();
  EXPECT_FALSE(contains_text(why["message"].get<std::string>(), "ECDSA certificate)")) << why.dump();
}

TEST_F(CheckReasonConsistencyTest, RsaPssKeyIsOnlyAnUnsupportedKey) {
  const auto dir = support::ScratchDir::create("pss-leaf");
  const MadeLeaf leaf = make_leaf(dir, "pss", support::kOriginName, 30, Signer::intermediate, "rsa-pss");
  ASSERT_TRUE(leaf.error.empty()) << leaf.error;
  const auto port = serve("", "", leaf.files, "", {"-no_tls1_3"});
  ASSERT_NE(port, 0);
  const auto full = run_check(port, {}, kExitIncompatible);
  EXPECT_EQ(reason_codes(full.doc), std::vector<std::string>({"cert_key_unsupported"}));
  const std::string message = reason(full.doc, "cert_key_unsupported")["message"];
  EXPECT_TRUE(contains_text(message, "an RSA-PSS")) << message;
  expect_rows(full.doc, "incompatible", "cert_key_unsupported");
}

TEST_F(CheckReasonConsistencyTest, ResetDuringTheHandshakeIsConnectionReset) {
  auto server = start_server(reset_after_client_hello());
  ASSERT_NE(server, nullptr);
  const auto result = run_check(server->port(), {"--connection-attempts", "1"}, kExitIncompatible);
  EXPECT_EQ(result.doc["verdict"], "incompatible");
  EXPECT_EQ(reason_codes(result.doc), std::vector<std::string>({"connection_reset"}));
  EXPECT_TRUE(contains_text(reason(result.doc, "connection_reset")["message"].get<std::string>(), "reset"));
  ASSERT_EQ(result.doc["verdicts"].size(), 2U);
  EXPECT_EQ(codes_of(result.doc["verdicts"][1]["reasons"]), std::vector<std::string>({"connection_reset"}));

  const std::string host = std::string(support::kOriginName) + ":" + std::to_string(server->port());
  const auto get =
      run_check_args({"get", "https://" + host + "/", "--resolve", host + ":127.0.0.1", "--ca-file",
                      support::TestPki::get().ca_file().string(), "--connection-attempts", "1", "--json"},
                     kGetExitConnection);
  EXPECT_EQ(get.doc["error"]["code"], "connection_reset") << get.run.out;
  EXPECT_EQ(get.doc["error"]["cdn_status"], 502) << get.run.out;
}

TEST_F(CheckReasonConsistencyTest, ResetDuringTheHandshakeIsColouredAsAFailure) {
  // connection_reset is unreachable's code while connecting, but a reset during
  // the handshake makes the verdict incompatible: red, as the verdict it
  // causes, never the warning yellow.
  auto server = start_server(reset_after_client_hello());
  ASSERT_NE(server, nullptr);
  const auto text_args = [](std::uint16_t port) {
    const std::string host = std::string(support::kOriginName) + ":" + std::to_string(port);
    return std::vector<std::string>{"check",
                                    host,
                                    "--resolve",
                                    host + ":127.0.0.1",
                                    "--ca-file",
                                    support::TestPki::get().ca_file().string(),
                                    "--connection-attempts",
                                    "1",
                                    "--connect-timeout",
                                    "2"};
  };
  RunOptions tty;
  tty.stdout_is_terminal = true;
  tty.unset_environment = {"NO_COLOR"};
  tty.set_environment = {{"TERM", "xterm-256color"}};  // CI consoles may say TERM=dumb
  const RunResult reset = run_edgefetch(text_args(server->port()), tty);
  EXPECT_EQ(reset.exit_code, kExitIncompatible) << reset.out << reset.err;
  EXPECT_TRUE(contains_text(reset.out, "\x1b[31mINCOMPATIBLE")) << reset.out;
  EXPECT_TRUE(contains_text(reset.out, "1. \x1b[31mconnection_reset\x1b[0m")) << reset.out;
  EXPECT_FALSE(contains_text(reset.out, "\x1b[33mconnection_reset")) << reset.out;

  // Where the reset (or a refusal) leaves the origin unreachable, its reason
  // keeps the colour of that verdict.
  std::uint16_t closed_port = 0;
  {
    auto closed = start_server(support::plain_http_handler());
    ASSERT_NE(closed, nullptr);
    closed_port = closed->port();
  }
  const RunResult refused = run_edgefetch(text_args(closed_port), tty);
  EXPECT_EQ(refused.exit_code, kExitUnreachable) << refused.out << refused.err;
  EXPECT_TRUE(contains_text(refused.out, "1. \x1b[33mconnection_refused\x1b[0m")) << refused.out;
}

}  // namespace
}  // namespace edgefetch::cli_test
