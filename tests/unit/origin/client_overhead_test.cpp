// The pooled client's CPU cost per request, measured on the client's own
// thread (RUSAGE_THREAD: the test origin runs on other threads). Prints the
// figures; asserts only what must hold (the pool carried the requests).

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdio>

#include "client_harness.hpp"

namespace edgefetch::origin::test {
namespace {

double thread_cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

// Runs `count` sequential GETs of a 1 KiB response; returns CPU µs per request.
double measure(bool tls, bool keep_alive, int count, PoolStats* stats) {
  TestOriginOptions options;
  options.tls = tls;
  const std::string body(1024, 'k');
  auto origin = TestOrigin::start(
      [&](const ReceivedRequest&) {
        return keep_alive ? Reply::send(ok_response(body)) : Reply::send_then_close(ok_response(body));
      },
      options);
  boost::asio::io_context io;
  OriginClient client(io.get_executor());
  const Target target = target_for(origin->port(), tls);
  auto loop = [&]() -> boost::asio::awaitable<int> {
    std::vector<std::uint8_t> buffer(16 * 1024);
    const RequestHead head = request("origin.test");
    for (int i = 0; i < count; ++i) {
      auto sent = co_await client.send(target, head);
      if (!sent) {
        ADD_FAILURE() << "request " << i << ": " << sent.error().code() << ": " << sent.error().message;
        co_return i;
      }
      auto response = co_await (*sent)->read_response_head();
      if (!response) {
        ADD_FAILURE() << "request " << i << ": " << response.error().code() << ": "
                      << response.error().message;
        co_return i;
      }
      for (;;) {
        auto n = co_await (*sent)->read_body(buffer);
        if (!n) {
          ADD_FAILURE() << "request " << i << ": " << n.error().code() << ": " << n.error().message;
          co_return i;
        }
        if (*n == 0) break;
      }
    }
    co_return count;
  };
  const double before = thread_cpu_us();
  const int done = run(io, loop());
  const double cpu = thread_cpu_us() - before;
  EXPECT_EQ(done, count);
  *stats = only_pool(client);
  return cpu / count;
}

TEST(ClientOverheadTest, CpuPerRequest) {
  PoolStats stats;
  const double plain = measure(false, true, 3000, &stats);
  EXPECT_EQ(stats.opened, 1u);
  const double tls = measure(true, true, 3000, &stats);
  EXPECT_EQ(stats.opened, 1u);
  EXPECT_EQ(stats.tls_full, 1u);
  const double resumed = measure(true, false, 200, &stats);
  EXPECT_EQ(stats.opened, 200u);
  EXPECT_EQ(stats.tls_resumed, 199u);
  std::printf(
      "origin client CPU per 1 KiB GET (client thread): keep-alive HTTP %.1f us, keep-alive HTTPS %.1f us, "
      "new resumed TLS connection per request %.1f us\n",
      plain, tls, resumed);
}

}  // namespace
}  // namespace edgefetch::origin::test
