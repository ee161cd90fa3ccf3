// A bounded soak: concurrent viewers, an origin that drops connections at
// random. Every viewer gets an answer (200 or 502), the edge survives, and
// its file descriptors return to where they started.

#include <gtest/gtest.h>

#include <future>
#include <sstream>
#include <thread>

#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"

namespace edgefetch::e2e {
namespace {
using namespace std::chrono_literals;

constexpr int kViewers = 6;
constexpr int kRequestsPerViewer = 60;

TEST(Soak, ConcurrentViewersAgainstAFlakyOrigin) {
  auto& flaky = SharedOrigins::flaky();
  ConfigBuilder config;
  config
      .origin("flaky", flaky.port(), 443, "http-only", {{"ConnectionAttempts", 1}},
              {{"OriginKeepaliveTimeout", 1}})
      .default_behavior("flaky");
  Edge::Options options;
  options.config = config.text();
  options.resolve_ports = {flaky.port()};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  const std::size_t fds_before = edge->fd_count();

  // Each viewer is one curl process with many URLs over up to 4 parallel connections.
  std::vector<std::future<std::pair<int, std::string>>> viewers;
  for (int v = 0; v < kViewers; ++v) {
    viewers.push_back(std::async(std::launch::async, [&] {
      std::vector<std::string> args = {"--parallel", "--parallel-max", "4", "-o", "/dev/null",
                                       "-w",         "%{http_code}\\n"};
      for (int i = 0; i < kRequestsPerViewer; ++i) {
        args.push_back(edge->url(i % 5 == 0 ? "/bytes/200000" : "/flaky"));
        if (i + 1 < kRequestsPerViewer) args.push_back("-o");
        if (i + 1 < kRequestsPerViewer) args.push_back("/dev/null");
      }
      return curl_output(args, 90s);
    }));
  }
  int ok = 0;
  int bad_gateway = 0;
  int other = 0;
  for (auto& viewer : viewers) {
    const auto [exit_code, out] = viewer.get();
    std::istringstream lines(out);
    std::string code;
    while (std::getline(lines, code)) {
      if (code == "200") {
        ++ok;
      } else if (code == "502") {
        ++bad_gateway;
      } else {
        ++other;
      }
    }
  }
  EXPECT_EQ(ok + bad_gateway, kViewers * kRequestsPerViewer) << "other answers: " << other;
  EXPECT_EQ(other, 0);
  EXPECT_GT(ok, 0);
  RecordProperty("ok", ok);
  RecordProperty("bad_gateway", bad_gateway);

  // Pooled origin connections close after OriginKeepaliveTimeout (1 s); then
  // the edge holds exactly what it held before the load.
  const auto deadline = support::Deadline::after(15s);
  while (edge->fd_count() != fds_before && !deadline.expired()) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(edge->fd_count(), fds_before);
  EXPECT_EQ(curl(edge->url("/echo/after")).status, 200);
}

}  // namespace
}  // namespace edgefetch::e2e
