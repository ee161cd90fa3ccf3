// `edgefetch get` against origins that speak only legacy parameters (issue 4):
// a connection that negotiated SSLv3, RC4 or 3DES succeeds, shows its legacy
// parameters like any others in -v and --json, and names each weakness in a
// one-line stderr warning and in the JSON `warnings` array (POODLE, RC4
// biases, Sweet32, no forward secrecy for AES with an RSA key exchange).
// gnutls-serv serves TLS 1.0-1.2 with 3DES/RC4/AES; the Java JSSE server
// serves SSLv3. A modern connection has no such warning.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "support/gnutls_server.hpp"
#include "support/jsse_server.hpp"
#include "support/peer_names.hpp"
#include "support/pki.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using policy::ProtocolVersion;

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> get_args(std::uint16_t port, std::vector<std::string> extra) {
  const std::string p = std::to_string(port);
  std::vector<std::string> all = {"get",       "https://origin.test:" + p + "/",
                                  "--resolve", "origin.test:" + p + ":127.0.0.1",
                                  "--ca-file", support::TestPki::get().ca_file().string()};
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

// The stderr lines that are warnings and mention `word`.
std::vector<std::string> warning_lines(const std::string& err, std::string_view word) {
  std::vector<std::string> found;
  for (const std::string& line : lines_of(err)) {
    if (contains(line, "warning") && contains(line, word)) found.push_back(line);
  }
  return found;
}

std::vector<std::string> json_warnings(const json& doc, std::string_view word) {
  std::vector<std::string> found;
  if (!doc.contains("warnings")) return found;
  for (const auto& w : doc["warnings"]) {
    if (w.is_string() && contains(w.get<std::string>(), word)) found.push_back(w.get<std::string>());
  }
  return found;
}

struct Fetched {
  RunResult run;
  json doc;
};

Fetched get_json(std::uint16_t port, const std::string& protocols) {
  Fetched f;
  f.run = run_edgefetch(get_args(port, {"--origin-ssl-protocols", protocols, "--json"}));
  EXPECT_FALSE(f.run.timed_out) << f.run.command_line;
  EXPECT_EQ(f.run.exit_code, 0) << f.run.command_line << "\nstdout:\n"
                                << f.run.out << "\nstderr:\n"
                                << f.run.err;
  f.doc = json::parse(f.run.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(f.doc.is_discarded()) << f.run.out;
  return f;
}

struct GnuTlsCase {
  std::string name;
  ProtocolVersion version;
  std::uint16_t suite;
  std::string protocols;     // --origin-ssl-protocols
  std::string version_name;  // JSON tls.version.name
  std::string cipher;        // JSON tls.cipher.openssl
  std::string weakness;      // must be named exactly once
  std::string absent;        // a weakness that must not be named
};

class LegacyWarningsGnuTls : public ::testing::TestWithParam<GnuTlsCase> {};

TEST_P(LegacyWarningsGnuTls, NameTheWeaknessOnce) {
  const GnuTlsCase& c = GetParam();
  auto options =
      support::GnuTlsServerOptions::for_cell(support::Cell{c.version, c.suite, 0, 0, support::Leaf::rsa2048});
  ASSERT_TRUE(options) << options.error();
  auto server = support::GnuTlsServer::start(*options);
  ASSERT_TRUE(server) << server.error();

  const Fetched f = get_json(server->port(), c.protocols);
  ASSERT_FALSE(f.doc.is_discarded());
  ASSERT_FALSE(f.doc.contains("error")) << f.doc.dump(2) << "\n" << server->logs();
  EXPECT_EQ(f.doc["tls"]["version"]["name"], c.version_name) << f.doc["tls"].dump();
  EXPECT_EQ(f.doc["tls"]["cipher"]["openssl"], c.cipher) << f.doc["tls"].dump();
  EXPECT_EQ(json_warnings(f.doc, c.weakness).size(), 1U) << f.doc["warnings"].dump();
  EXPECT_EQ(warning_lines(f.run.err, c.weakness).size(), 1U) << f.run.err;
  EXPECT_TRUE(json_warnings(f.doc, c.absent).empty()) << f.doc["warnings"].dump();
  EXPECT_TRUE(json_warnings(f.doc, "POODLE").empty()) << "not SSLv3: " << f.doc["warnings"].dump();

  // -v shows the legacy parameters like any others, and the same warning.
  const RunResult verbose =
      run_edgefetch(get_args(server->port(), {"--origin-ssl-protocols", c.protocols, "-v"}));
  EXPECT_EQ(verbose.exit_code, 0) << verbose.err;
  EXPECT_TRUE(contains(verbose.err, c.cipher)) << verbose.err;
  EXPECT_EQ(warning_lines(verbose.err, c.weakness).size(), 1U) << verbose.err;
}

INSTANTIATE_TEST_SUITE_P(
    Issue4, LegacyWarningsGnuTls,
    ::testing::Values(GnuTlsCase{"rc4_tls10", ProtocolVersion::tls1_0, 0x0004, "TLSv1", "TLSv1", "RC4-MD5",
                                 "RC4", "Sweet32"},
                      GnuTlsCase{"rc4_tls12", ProtocolVersion::tls1_2, 0x0004, "TLSv1.2", "TLSv1.2",
                                 "RC4-MD5", "RC4", "Sweet32"},
                      GnuTlsCase{"3des_tls11", ProtocolVersion::tls1_1, 0x000A, "TLSv1.1", "TLSv1.1",
                                 "DES-CBC3-SHA", "Sweet32", "RC4"},
                      GnuTlsCase{"3des_tls12", ProtocolVersion::tls1_2, 0x000A, "TLSv1.2", "TLSv1.2",
                                 "DES-CBC3-SHA", "Sweet32", "forward secrecy"},
                      GnuTlsCase{"rsa_key_exchange_tls12", ProtocolVersion::tls1_2, 0x002F, "TLSv1.2",
                                 "TLSv1.2", "AES128-SHA", "forward secrecy", "Sweet32"}),
    [](const ::testing::TestParamInfo<GnuTlsCase>& param_info) { return param_info.param.name; });

TEST(LegacyWarnings, ModernTls10ConnectionHasNone) {
  auto options = support::GnuTlsServerOptions::for_cell(
      support::Cell{ProtocolVersion::tls1_0, 0xC013, policy::kGroupX25519, 0, support::Leaf::rsa2048});
  ASSERT_TRUE(options) << options.error();
  auto server = support::GnuTlsServer::start(*options);
  ASSERT_TRUE(server) << server.error();
  const Fetched f = get_json(server->port(), "TLSv1");
  ASSERT_FALSE(f.doc.contains("error")) << f.doc.dump(2);
  EXPECT_EQ(f.doc["tls"]["version"]["name"], "TLSv1");
  for (const char* weakness : {"POODLE", "RC4", "Sweet32", "forward secrecy"}) {
    EXPECT_TRUE(json_warnings(f.doc, weakness).empty()) << f.doc["warnings"].dump();
    EXPECT_TRUE(warning_lines(f.run.err, weakness).empty()) << f.run.err;
  }
}

// SSLv3 from JSSE (with ECDHE: JSSE 17 cannot take an SSLv3 RSA
// ClientKeyExchange, see tests/interop/legacy_matrix_test.cpp): POODLE only.
TEST(LegacyWarnings, Ssl3NamesPoodle) {
  support::JsseServerOptions options;
  options.identities = {support::TestPki::get().leaf(support::Leaf::rsa2048)};
  options.listeners.push_back(
      support::JsseListener{{"SSLv3"}, {std::string(support::peer_suite(0xC013)->jsse)}});
  auto server = support::JsseServer::start(std::move(options));
  ASSERT_TRUE(server) << server.error();
  const Fetched f = get_json(server->port(), "SSLv3");
  ASSERT_FALSE(f.doc.contains("error")) << f.doc.dump(2) << "\n" << server->logs();
  EXPECT_EQ(f.doc["tls"]["version"]["name"], "SSLv3") << f.doc["tls"].dump();
  EXPECT_EQ(f.doc["tls"]["cipher"]["openssl"], "ECDHE-RSA-AES128-SHA") << f.doc["tls"].dump();
  EXPECT_EQ(json_warnings(f.doc, "POODLE").size(), 1U) << f.doc["warnings"].dump();
  EXPECT_EQ(warning_lines(f.run.err, "POODLE").size(), 1U) << f.run.err;
  EXPECT_TRUE(json_warnings(f.doc, "RC4").empty()) << f.doc["warnings"].dump();
  EXPECT_TRUE(json_warnings(f.doc, "Sweet32").empty()) << f.doc["warnings"].dump();
}

}  // namespace
}  // namespace edgefetch::cli_test
