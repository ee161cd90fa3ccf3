// `edgefetch check` as a command: what it refuses before connecting (exit 2,
// naming the flag), the text report (verdict line first, colour only on a
// terminal), the HOST[:PORT] forms it accepts, and its help.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/check_support.hpp"
#include "cli/get_servers.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

RunResult usage_error(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"check"};
  all.insert(all.end(), args.begin(), args.end());
  RunResult result = run_edgefetch(all);
  EXPECT_EQ(result.exit_code, kExitUsage) << result.command_line << "\n" << result.out << result.err;
  EXPECT_FALSE(result.err.empty()) << result.command_line;
  EXPECT_TRUE(result.out.empty()) << result.command_line << "\n" << result.out;
  return result;
}

TEST(CheckCommandTest, RefusesBadInputBeforeConnecting) {
  const std::string ca = support::TestPki::get().ca_file().string();
  EXPECT_TRUE(contains_text(usage_error({}).err, "HOST[:PORT]"));
  EXPECT_TRUE(contains_text(usage_error({"origin.test:0"}).err, "port"));
  EXPECT_TRUE(contains_text(usage_error({"origin.test:70000"}).err, "port"));
  EXPECT_TRUE(contains_text(usage_error({"bad host!"}).err, "host"));
  EXPECT_TRUE(contains_text(usage_error({"[::1"}).err, "]"));
  EXPECT_TRUE(contains_text(usage_error({"http://origin.test/"}).err, "https"));
  EXPECT_TRUE(contains_text(usage_error({"origin.test", "--origin-ssl-protocols", "TLSv1.3"}).err,
                            "--origin-ssl-protocols"));
  EXPECT_TRUE(contains_text(usage_error({"origin.test", "--profile", "nope"}).err, "unknown profile"));
  EXPECT_TRUE(contains_text(usage_error({"origin.test", "--resolve", "origin.test"}).err, "--resolve"));
  EXPECT_TRUE(contains_text(usage_error({"origin.test", "--ca-file", "/nonexistent/ca.pem"}).err,
                            "--ca-file '/nonexistent/ca.pem': cannot read it (No such file or directory)"));
  EXPECT_TRUE(contains_text(usage_error({"origin.test", "--connect-timeout", "11"}).err, "connect-timeout"));
  EXPECT_TRUE(
      contains_text(usage_error({"origin.test", "--connection-attempts", "4"}).err, "connection-attempts"));
  // The check always verifies: --insecure is refused with why and what to use instead.
  const std::string insecure = usage_error({"origin.test", "--insecure", "--ca-file", ca}).err;
  EXPECT_TRUE(contains_text(insecure, "check has no --insecure: it always verifies")) << insecure;
  EXPECT_TRUE(contains_text(insecure, "--ca-file FILE")) << insecure;
  EXPECT_FALSE(contains_text(insecure, "was not expected")) << insecure;
}

// An origin has no path: given one, check says so (not that the port is bad),
// and an https:// URL's path is refused the same way rather than dropped.
TEST(CheckCommandTest, APathIsRefusedAsNoPartOfAnOrigin) {
  for (const char* origin : {"origin.test:8443/path", "origin.test/path", "[::1]:8443/a/b",
                             "https://origin.test:8443/foo", "https://origin.test/foo?x=1"}) {
    const std::string err = usage_error({origin}).err;
    EXPECT_TRUE(contains_text(err, "is a path, which is not part of an origin")) << origin << ": " << err;
    EXPECT_TRUE(contains_text(err, "give HOST[:PORT]")) << err;
    EXPECT_FALSE(contains_text(err, "the port must be a number")) << err;
  }
}

// SNI has no trailing dot (RFC 6066 3): a name written with one is refused
// with the name to give, not sent as "origin.test." and then mismatched.
TEST(CheckCommandTest, ANameEndingWithADotIsRefusedWithTheNameToGive) {
  for (const char* origin : {"origin.test.", "origin.test.:8443", "https://origin.test./"}) {
    const std::string err = usage_error({origin}).err;
    EXPECT_TRUE(contains_text(err,
                              "'origin.test.' ends with a dot: give the origin's name without it "
                              "(origin.test)"))
        << origin << ": " << err;
  }
}

TEST(CheckCommandTest, HelpDocumentsExitCodesAndTheWorstOrder) {
  const RunResult result = run_edgefetch({"check", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* text : {"0 compatible", "1 incompatible", "2 usage", "3 unreachable",
                           "unreachable (3) > incompatible (1) > compatible (0)", "--distribution-config",
                           "--no-enumerate", "--origin-ssl-protocols", "no path"}) {
    EXPECT_TRUE(contains_text(result.out, text)) << text << " missing in:\n" << result.out;
  }
  // The per-origin options that --distribution-config refuses say so.
  for (const char* option :
       {"--origin-ssl-protocols", "--host-header", "--connect-timeout", "--connection-attempts"}) {
    const auto at = result.out.find(std::string("  ") + option + " ");
    ASSERT_NE(at, std::string::npos) << option;
    const auto next = result.out.find("\n  --", at + 3);
    EXPECT_TRUE(contains_text(result.out.substr(at, next - at), "Not with --distribution-config"))
        << option << ":\n"
        << result.out.substr(at, next - at);
  }
  EXPECT_FALSE(contains_text(result.out, "--insecure ")) << result.out;
}

class CheckTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    support::OpenSslServerOptions options;
    options.version_flag = "-tls1";
    options.ciphers = "ECDHE-RSA-AES128-SHA";
    options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
    auto server = support::OpenSslServer::start(std::move(options));
    ASSERT_TRUE(server) << (server ? "" : server.error());
    server_.emplace(std::move(*server));
  }
  [[nodiscard]] std::vector<std::string> args() const {
    const std::string port = std::to_string(server_->port());
    return {"check",     "origin.test:" + port,
            "--resolve", "origin.test:" + port + ":127.0.0.1",
            "--ca-file", support::TestPki::get().ca_file().string()};
  }
  std::optional<support::OpenSslServer> server_;
};

TEST_F(CheckTextTest, VerdictLineFirstThenReasonFixAndTables) {
  const auto result = run_check_args(args(), kExitIncompatible);
  const auto lines = lines_of(result.run.out);
  ASSERT_GT(lines.size(), 10U) << result.run.out;
  EXPECT_TRUE(lines.front().starts_with("INCOMPATIBLE  origin.test:")) << lines.front();
  EXPECT_TRUE(contains_text(lines.front(), "no_shared_version")) << lines.front();
  for (const char* text : {"Fix:", "What the origin supports", "TLSv1 suites", "ECDHE-RSA-AES128-SHA",
                           "What the edge would negotiate", "TLSv1.2 (checked)", "connections,"}) {
    EXPECT_TRUE(contains_text(result.run.out, text)) << text << " missing in:\n" << result.run.out;
  }
  EXPECT_FALSE(contains_text(result.run.out, "\x1b[")) << "colour on a pipe";
  EXPECT_TRUE(result.run.err.empty()) << "no progress on a non-terminal stderr: " << result.run.err;
}

TEST_F(CheckTextTest, ColourOnATerminalUnlessNoColor) {
  RunOptions tty;
  tty.stdout_is_terminal = true;
  tty.unset_environment = {"NO_COLOR"};
  tty.set_environment = {{"TERM", "xterm-256color"}};  // CI consoles may say TERM=dumb
  const RunResult coloured = run_edgefetch(args(), tty);
  EXPECT_EQ(coloured.exit_code, kExitIncompatible) << coloured.out << coloured.err;
  EXPECT_TRUE(contains_text(coloured.out, "\x1b[31mINCOMPATIBLE")) << coloured.out;
  tty.unset_environment.clear();
  tty.set_environment = {{"NO_COLOR", "1"}};
  const RunResult plain = run_edgefetch(args(), tty);
  EXPECT_FALSE(contains_text(plain.out, "\x1b[")) << plain.out;
}

TEST_F(CheckTextTest, AcceptsAnHttpsUrlForTheOrigin) {
  // With or without the root path, and HOST:PORT/ as HOST:PORT.
  for (const std::string& form : {"https://" + args()[1] + "/", "https://" + args()[1], args()[1] + "/"}) {
    std::vector<std::string> all = args();
    all[1] = form;
    all.insert(all.end(), {"--json", "--no-enumerate", "--no-compare"});
    const auto result = run_check_args(all, kExitIncompatible);
    EXPECT_EQ(result.doc["target"]["host"], "origin.test") << form;
    EXPECT_EQ(result.doc["target"]["port"], server_->port()) << form;
  }
}

TEST(CheckCommandTest, BracketedIpv6WithPortIsParsed) {
  // Nothing listens on this port of ::1 (or the host has no IPv6): unreachable either way.
  std::uint16_t port = 0;
  {
    auto server = start_server(support::plain_http_handler());
    ASSERT_NE(server, nullptr);
    port = server->port();
  }
  const auto result = run_check_args(
      {"check", "[::1]:" + std::to_string(port), "--connection-attempts", "1", "--connect-timeout", "1",
       "--json", "--ca-file", support::TestPki::get().ca_file().string()},
      kExitUnreachable);
  EXPECT_EQ(result.doc["target"]["host"], "::1");
  EXPECT_EQ(result.doc["target"]["port"], port);
  EXPECT_EQ(result.doc["target"]["resolved_by"], "literal");
  ASSERT_EQ(result.doc["attempts"].size(), 1U);
  EXPECT_EQ(result.doc["attempts"][0]["address"], "[::1]:" + std::to_string(port));
}

TEST(CheckCommandTest, DefaultPortIs443) {
  const auto result =
      run_check_args({"check", "127.0.0.2", "--connection-attempts", "1", "--connect-timeout", "1", "--json",
                      "--no-enumerate", "--ca-file", support::TestPki::get().ca_file().string()},
                     kExitUnreachable);
  EXPECT_EQ(result.doc["target"]["port"], 443);
}

}  // namespace
}  // namespace edgefetch::cli_test
