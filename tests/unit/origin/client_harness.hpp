#pragma once
// Drives OriginClient exchanges from tests: one io_context on the test thread,
// run until a coroutine finishes (idle pool timers keep the context busy, so
// never io_context::run()), every wait bounded.

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "edgefetch/origin/client.hpp"
#include "test_origin.hpp"

namespace edgefetch::origin::test {

/// One exchange's input: the head, and a body sent in pieces (given bytes, or
/// generated pattern bytes).
struct Call {
  RequestHead head;
  std::string body;
  std::uint64_t generated_body = 0;
  std::size_t piece = 16 * 1024;
  std::size_t read_buffer = 16 * 1024;
  bool view = false;      // read the body with read_body_view() instead of read_body()
  bool gather = false;    // view: after each read_body_view(), also take what body_view_now() has
  bool keep_body = true;  // collect the response body in Outcome::body
};

struct Outcome {
  std::optional<FetchError> error;
  bool sent = false;  // send() succeeded
  ResponseHead head;
  std::string body;
  std::uint64_t body_bytes = 0;
  std::uint64_t reads = 0;     // read_body calls that returned bytes
  std::uint64_t gathered = 0;  // pieces body_view_now() returned (Call::gather)
  bool pattern_ok = true;      // the body matched pattern_byte() (for generated replies)
  std::optional<ExchangeInfo> info;
};

/// GET (or `method`) / for `host` with the CDN's User-Agent.
RequestHead request(std::string host, std::string method = "GET", std::string target = "/");

/// Runs work on io until it completes (or 120 s pass: a test failure).
template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  std::optional<T> result;
  std::exception_ptr failure;
  bool done = false;
  boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr error, T value) {
    failure = error;
    if (!error) result.emplace(std::move(value));
    done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  io.restart();
  while (!done && std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(100));
  if (failure) std::rethrow_exception(failure);
  if (!done) throw std::runtime_error("the exchange did not finish within 120 s");
  return std::move(*result);
}

/// Runs io until `condition` holds or the deadline passes; returns the condition.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& condition,
               std::chrono::milliseconds budget = std::chrono::seconds(15));

/// The whole exchange: send, body, head, body.
boost::asio::awaitable<Outcome> perform(OriginClient& client, Target target, Call call);

inline Outcome exchange(boost::asio::io_context& io, OriginClient& client, const Target& target, Call call) {
  return run(io, perform(client, target, std::move(call)));
}

/// A target for origin.test on `port` resolved to `address`; TLS trusts the test PKI.
Target target_for(std::uint16_t port, bool tls, std::string address = "127.0.0.1");

/// The stats of the only pool (or an empty PoolStats when there is none).
PoolStats only_pool(const OriginClient& client);

/// "HTTP/1.1 200 OK" with Content-Length and the body.
std::string ok_response(const std::string& body, const std::string& extra_headers = "");

/// A test's origin and client: one TestOrigin (plain or TLS) and an
/// OriginClient on the test thread's io_context. Fixtures derive from it
/// next to their gtest base.
class OriginClientFixture {
 protected:
  void start_origin(Script script, bool tls) {
    TestOriginOptions options;
    options.tls = tls;
    origin_ = TestOrigin::start(std::move(script), options);
    target_ = target_for(origin_->port(), tls);
  }
  Outcome call(Call c) { return exchange(io_, client_, target_, std::move(c)); }
  /// `method` `target` on origin.test; `view`: the body through read_body_view().
  Outcome get(std::string target = "/", std::string method = "GET", bool view = false) {
    Call c;
    c.head = request("origin.test", std::move(method), std::move(target));
    c.view = view;
    return call(std::move(c));
  }

  boost::asio::io_context io_;
  OriginClient client_{io_.get_executor()};
  std::unique_ptr<TestOrigin> origin_;
  Target target_;
};

}  // namespace edgefetch::origin::test
