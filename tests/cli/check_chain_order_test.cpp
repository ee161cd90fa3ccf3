// `edgefetch check` against `openssl s_server` sending its chain out of order
// (leaf, root, intermediate): the path still verifies, as it does at the edge,
// so the origin is compatible, with a chain_order warning naming the order.
// The same chain in order gets no warning.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

#include "cli/check_support.hpp"
#include "cli/cli_support.hpp"
#include "support/openssl_server.hpp"
#include "support/pki.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class CheckChainOrderTest : public ::testing::Test {
 protected:
  // s_server sending the rsa2048 leaf, then `after_leaf` (PEM files, in order).
  void start(const std::vector<std::filesystem::path>& after_leaf) {
    const auto chain = dir_.path() / "chain.pem";
    std::ofstream out(chain, std::ios::binary);
    for (const auto& file : after_leaf) out << read_file(file);
    out.close();
    support::OpenSslServerOptions options;
    options.identity = support::TestPki::get().leaf(support::Leaf::rsa2048);
    options.identity.intermediates = chain;
    auto server = support::OpenSslServer::start(std::move(options));
    ASSERT_TRUE(server) << server.error();
    server_.emplace(std::move(*server));
  }

  static std::string warning_message(const json& report, std::string_view code) {
    for (const auto& warning : report["warnings"]) {
      if (warning["code"] == code) return warning["message"].get<std::string>();
    }
    return "";
  }

  support::ScratchDir dir_ = support::ScratchDir::create("chain-order");
  std::optional<support::OpenSslServer> server_;
};

TEST_F(CheckChainOrderTest, ARootBeforeTheIntermediateIsCompatibleWithAWarning) {
  const auto& pki = support::TestPki::get();
  start({pki.ca_file(), pki.intermediate_file()});
  const auto check = run_check(server_->port(), {"--no-enumerate"}, kExitCompatible);
  EXPECT_EQ(check.doc["verdict"], "compatible") << check.run.out << server_->logs();
  const std::string message = warning_message(check.doc, "chain_order");
  EXPECT_TRUE(contains_text(message, "The origin sends its chain out of order"))
      << check.doc["warnings"].dump(2);
  EXPECT_TRUE(contains_text(message, "certificate 2, 'CN=edgefetch test root CA")) << message;
  EXPECT_TRUE(contains_text(message, "is not the issuer of the one before it")) << message;
}

TEST_F(CheckChainOrderTest, AChainInOrderHasNoWarning) {
  const auto& pki = support::TestPki::get();
  start({pki.intermediate_file(), pki.ca_file()});
  const auto check = run_check(server_->port(), {"--no-enumerate"}, kExitCompatible);
  EXPECT_FALSE(contains(warning_codes(check.doc), "chain_order")) << check.doc["warnings"].dump(2);
}

}  // namespace
}  // namespace edgefetch::cli_test
