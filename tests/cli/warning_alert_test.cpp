// A TLS 1.2 origin that sends a warning alert in its handshake: `openssl
// s_server -servername vhost.test` answers any other SNI with a warning
// unrecognized_name before its ServerHello and goes on with its default
// certificate. edgefetch goes on too, but the CDN's TLS library (s2n) ends
// the connection on a warning alert unless configured not to, so `check`
// warns (warning_alert) and `get` lists the alert and warns. An origin that
// sends none gets neither.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/check_support.hpp"
#include "cli/cli_support.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0;

class WarningAlertTest : public ::testing::Test {
 protected:
  // s_server with the origin.test certificate; with `other_site`, it also serves
  // vhost.test, so the SNI origin.test gets unrecognized_name.
  void start(bool other_site) {
    support::OpenSslServerOptions options;
    options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
    if (other_site) {
      const auto vhost = support::TestPki::get().leaf(support::Leaf::wrong_name);
      options.extra_args = {"-servername",       "vhost.test", "-cert2",
                            vhost.cert.string(), "-key2",      vhost.key.string()};
    }
    auto server = support::OpenSslServer::start(std::move(options));
    ASSERT_TRUE(server) << server.error();
    server_.emplace(std::move(*server));
  }

  [[nodiscard]] std::string port() const { return std::to_string(server_->port()); }

  json get_json() {
    const auto result = run_expecting(
        {"get", "https://origin.test:" + port() + "/", "--resolve", "origin.test:" + port() + ":127.0.0.1",
         "--ca-file", support::TestPki::get().ca_file().string(), "--json"},
        kExitOk);
    return json_output(result);
  }

  std::optional<support::OpenSslServer> server_;
};

TEST_F(WarningAlertTest, CheckWarnsThatTheEdgeMayRefuseAnUnrecognizedNameWarning) {
  start(true);
  const auto check = run_check(server_->port(), {}, kExitCompatible);
  EXPECT_EQ(check.doc["verdict"], "compatible") << check.run.out << server_->logs();
  ASSERT_TRUE(contains(warning_codes(check.doc), "warning_alert")) << check.doc["warnings"].dump(2);
  std::string message;
  for (const auto& warning : check.doc["warnings"]) {
    if (warning["code"] == "warning_alert") message = warning["message"].get<std::string>();
  }
  EXPECT_TRUE(contains_text(message,
                            "The origin sent the TLS warning alert unrecognized_name (no name it "
                            "serves is 'origin.test', the SNI sent)"))
      << message;
  EXPECT_TRUE(contains_text(message, "s2n")) << message;
  EXPECT_TRUE(contains_text(message, "serve 'origin.test' by name")) << message;
}

TEST_F(WarningAlertTest, GetListsTheAlertAndWarns) {
  start(true);
  const json doc = get_json();
  EXPECT_EQ(doc["status"], 200) << doc.dump(2);
  EXPECT_EQ(doc["tls"]["warning_alerts"], json({"unrecognized_name"})) << doc["tls"].dump(2);
  ASSERT_EQ(doc["warnings"].size(), 1u) << doc["warnings"];
  EXPECT_TRUE(contains_text(doc["warnings"][0].get<std::string>(),
                            "the origin sent the TLS warning alert unrecognized_name"))
      << doc["warnings"][0];
}

TEST_F(WarningAlertTest, AnOriginWithoutWarningsGetsNoWarning) {
  start(false);
  const auto check = run_check(server_->port(), {}, kExitCompatible);
  EXPECT_FALSE(contains(warning_codes(check.doc), "warning_alert")) << check.doc["warnings"].dump(2);
  const json doc = get_json();
  EXPECT_EQ(doc["tls"]["warning_alerts"], json::array()) << doc["tls"].dump(2);
  EXPECT_EQ(doc["warnings"], json::array());
}

}  // namespace
}  // namespace edgefetch::cli_test
