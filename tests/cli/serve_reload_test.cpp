// `edgefetch serve` reloading its config on SIGHUP: the line that says so
// comes first and claims the new config's warnings, which follow it, so that
// they do not read as being about something after the reload. No request is
// made: the origin is never contacted.

#include <gtest/gtest.h>
#include <sys/types.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "cli/cli_support.hpp"
#include "support/deadline.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// A distribution with one http-only origin; `custom_extra` goes into its CustomOriginConfig.
std::string config_text(const json& custom_extra = json::object()) {
  json custom = {{"HTTPPort", 80}, {"HTTPSPort", 443}, {"OriginProtocolPolicy", "http-only"}};
  custom.update(custom_extra);
  const json origin = {{"Id", "web"}, {"DomainName", "origin.test"}, {"CustomOriginConfig", custom}};
  const json config = {{"CallerReference", "serve-reload-test"},
                       {"Origins", {{"Quantity", 1}, {"Items", json::array({origin})}}},
                       {"DefaultCacheBehavior",
                        {{"TargetOriginId", "web"},
                         {"ViewerProtocolPolicy", "allow-all"},
                         {"CachePolicyId", "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}}},
                       {"Comment", ""},
                       {"Enabled", true}};
  return json{{"DistributionConfig", config}}.dump(2);
}

bool wait_for(const support::ChildProcess& child, const std::string& marker,
              std::chrono::milliseconds budget) {
  const auto deadline = support::Deadline::after(budget);
  while (!deadline.expired()) {
    if (child.read_stderr().find(marker) != std::string::npos) return true;
    std::this_thread::sleep_for(20ms);
  }
  return child.read_stderr().find(marker) != std::string::npos;
}

TEST(ServeReload, TheReloadedLineComesFirstAndClaimsTheNewConfigsWarnings) {
  const auto dir = support::ScratchDir::create("serve-reload");
  const auto config = dir / "live.json";
  std::ofstream(config) << config_text();

  support::ProcessOptions process;
  process.argv = {EDGEFETCH_BINARY, "serve", "--config", config.string(), "--listen", "127.0.0.1:0"};
  process.stdout_path = dir / "stdout";
  process.stderr_path = dir / "stderr";
  auto child = support::ChildProcess::spawn(process);
  ASSERT_TRUE(child) << child.error();
  const auto listening =
      support::wait_for_output(*child, process.stdout_path, "listening on", support::Deadline::after(20s));
  ASSERT_TRUE(listening) << listening.error() << child->read_stderr();
  EXPECT_EQ(child->read_stderr(), "") << "the first config has no warnings";

  // The new config has a misspelt field: a warning about it.
  std::ofstream(config) << config_text({{"OriginReadTimout", 30}});
  ASSERT_EQ(::kill(child->pid(), SIGHUP), 0);
  ASSERT_TRUE(wait_for(*child, "OriginReadTimout", 10s)) << child->read_stderr();

  const std::vector<std::string> lines = lines_of(child->read_stderr());
  ASSERT_EQ(lines.size(), 2U) << child->read_stderr();
  EXPECT_EQ(lines[0], "edgefetch serve: reloaded " + config.string() + ", with these warnings about it (1):");
  EXPECT_TRUE(lines[1].starts_with("edgefetch serve: warning: ")) << lines[1];
  EXPECT_TRUE(contains(lines[1], "unknown field \"OriginReadTimout\"")) << lines[1];

  // Without warnings, the line is just that.
  std::ofstream(config) << config_text();
  ASSERT_EQ(::kill(child->pid(), SIGHUP), 0);
  ASSERT_TRUE(wait_for(*child, "reloaded " + config.string() + "\n", 10s)) << child->read_stderr();

  ASSERT_EQ(::kill(child->pid(), SIGTERM), 0);
  EXPECT_TRUE(child->wait_exit(support::Deadline::after(10s))) << child->describe_status();
}

}  // namespace
}  // namespace edgefetch::cli_test
