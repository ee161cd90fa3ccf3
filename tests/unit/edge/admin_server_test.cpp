// The admin listener over real sockets: curl and a Beast client for
// /metrics and /healthz, 404/405, keep-alive and pipelining, oversize
// requests, slow and idle clients timing out, the connection cap, bind
// errors and stop().

#include "edgefetch/edge/admin_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/deadline.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace edgefetch::edge {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Every client step is bounded by this; the server's own timeouts in these
// tests are far shorter, so a pass never waits for it.
constexpr auto kClientTimeout = 10s;

// The server under test on its own io_context thread.
class AdminServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metrics_ = std::make_shared<Metrics>();
    metrics_->record_request("origin-a", 200, 0.01);
    metrics_->record_origin_failure("origin-a", "cert_name_mismatch");
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    server_.reset();  // stop() posts to the io_context, which is still running
    work_.reset();
    io_.stop();
    thread_.join();
  }

  void start(AdminServer::Options options = {}) {
    auto server = AdminServer::start(
        io_.get_executor(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), metrics_,
        [this] { return healthy_.load(); }, options);
    ASSERT_TRUE(server) << server.error();
    server_ = std::move(*server);
    ASSERT_NE(server_->local_endpoint().port(), 0);
  }

  [[nodiscard]] std::uint16_t port() const { return server_->local_endpoint().port(); }

  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{io_.get_executor()};
  std::thread thread_;
  std::shared_ptr<Metrics> metrics_;
  std::atomic<bool> healthy_{true};
  std::unique_ptr<AdminServer> server_;
};

// ---- Clients ----

struct CurlResult {
  bool finished = false;
  std::string head_and_body;  // curl -i output
};

CurlResult curl(const std::vector<std::string>& args) {
  const auto dir = support::ScratchDir::create("admin-curl");
  support::ProcessOptions options;
  options.argv = {"curl", "-sS", "-i", "--max-time", "10"};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.stdout_path = dir / "out";
  options.stderr_path = dir / "err";
  auto child = support::ChildProcess::spawn(options);
  EXPECT_TRUE(child) << child.error();
  if (!child) {
    return {};
  }
  CurlResult result;
  result.finished = child->wait_exit(support::Deadline::after(std::chrono::milliseconds(15s)));
  child->kill();
  result.head_and_body = child->read_stdout();
  return result;
}

// Runs one client coroutine on a private io_context, bounded by kClientTimeout.
template <class Coroutine>
void run_client(Coroutine coroutine) {
  asio::io_context io;
  bool finished = false;
  asio::co_spawn(io, std::move(coroutine), [&finished](std::exception_ptr error) {
    finished = true;
    if (error) {
      std::rethrow_exception(error);
    }
  });
  io.run_for(kClientTimeout + 2s);
  EXPECT_TRUE(finished) << "client did not finish in time";
}

struct RawResult {
  std::string received;  // everything the server sent until it closed (or the client gave up)
  bool closed_by_server = false;
};

// Sends `bytes` (optionally leaving the connection open for writing) and
// reads until the server closes or kClientTimeout passes.
RawResult raw_exchange(std::uint16_t port, std::string bytes) {
  RawResult result;
  run_client([&result, port, bytes = std::move(bytes)]() -> asio::awaitable<void> {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(kClientTimeout);
    co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                  asio::use_awaitable);
    boost::system::error_code ec;
    co_await asio::async_write(stream, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
    std::array<char, 4096> chunk{};
    for (;;) {
      const std::size_t n =
          co_await stream.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
      result.received.append(chunk.data(), n);
      if (ec) {
        result.closed_by_server = ec == asio::error::eof || ec == asio::error::connection_reset;
        break;
      }
    }
  });
  return result;
}

// Several requests on one keep-alive connection with Beast; returns the responses.
std::vector<http::response<http::string_body>> beast_requests(
    std::uint16_t port, std::vector<http::request<http::string_body>> requests, bool pipelined = false) {
  std::vector<http::response<http::string_body>> responses;
  run_client([&]() -> asio::awaitable<void> {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(kClientTimeout);
    co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                  asio::use_awaitable);
    beast::flat_buffer buffer;
    if (pipelined) {
      for (auto& request : requests) {
        request.prepare_payload();
        co_await http::async_write(stream, request, asio::use_awaitable);
      }
    }
    for (auto& request : requests) {
      if (!pipelined) {
        request.prepare_payload();
        co_await http::async_write(stream, request, asio::use_awaitable);
      }
      http::response_parser<http::string_body> parser;
      parser.skip(request.method() == http::verb::head);
      co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
      responses.push_back(parser.release());
    }
  });
  return responses;
}

http::request<http::string_body> get(std::string target, http::verb verb = http::verb::get) {
  http::request<http::string_body> request(verb, target, 11);
  request.set(http::field::host, "127.0.0.1");
  return request;
}

// ---- curl ----

TEST_F(AdminServerTest, CurlScrapesMetrics) {
  start();
  const auto r = curl({"http://127.0.0.1:" + std::to_string(port()) + "/metrics"});
  ASSERT_TRUE(r.finished);
  EXPECT_TRUE(r.head_and_body.starts_with("HTTP/1.1 200 OK\r\n")) << r.head_and_body;
  EXPECT_NE(r.head_and_body.find("Content-Type: text/plain; version=0.0.4"), std::string::npos)
      << r.head_and_body;
  EXPECT_NE(r.head_and_body.find("edgefetch_requests_total{origin=\"origin-a\",status_class=\"2xx\"} 1\n"),
            std::string::npos)
      << r.head_and_body;
  EXPECT_NE(r.head_and_body.find(
                "edgefetch_origin_tls_failures_total{origin=\"origin-a\",reason=\"cert_name_mismatch\"} 1\n"),
            std::string::npos);
}

TEST_F(AdminServerTest, CurlHealthzFollowsTheHealthCallback) {
  start();
  const std::string url = "http://127.0.0.1:" + std::to_string(port()) + "/healthz";
  const auto ok = curl({url});
  ASSERT_TRUE(ok.finished);
  EXPECT_TRUE(ok.head_and_body.starts_with("HTTP/1.1 200 OK\r\n")) << ok.head_and_body;
  EXPECT_TRUE(ok.head_and_body.ends_with("\r\n\r\nok\n")) << ok.head_and_body;

  healthy_ = false;  // e.g. draining
  const auto draining = curl({url});
  ASSERT_TRUE(draining.finished);
  EXPECT_TRUE(draining.head_and_body.starts_with("HTTP/1.1 503 Service Unavailable\r\n"))
      << draining.head_and_body;
}

TEST_F(AdminServerTest, CurlGets404And405) {
  start();
  const std::string base = "http://127.0.0.1:" + std::to_string(port());
  const auto missing = curl({base + "/nope"});
  ASSERT_TRUE(missing.finished);
  EXPECT_TRUE(missing.head_and_body.starts_with("HTTP/1.1 404 Not Found\r\n")) << missing.head_and_body;

  const auto post = curl({"-X", "POST", "--data", "x=1", base + "/metrics"});
  ASSERT_TRUE(post.finished);
  EXPECT_TRUE(post.head_and_body.starts_with("HTTP/1.1 405 Method Not Allowed\r\n")) << post.head_and_body;
  EXPECT_NE(post.head_and_body.find("Allow: GET, HEAD\r\n"), std::string::npos) << post.head_and_body;
}

// ---- Beast ----

TEST_F(AdminServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  const auto responses = beast_requests(
      port(), {get("/metrics"), get("/healthz"), get("/metrics?x=1"), get("/metrics", http::verb::head),
               get("/other"), get("/healthz", http::verb::delete_)});
  ASSERT_EQ(responses.size(), 6U);
  EXPECT_EQ(responses[0].result(), http::status::ok);
  EXPECT_EQ(responses[0][http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(responses[0].body().find("# TYPE edgefetch_requests_total counter"), std::string::npos);
  EXPECT_EQ(responses[1].result(), http::status::ok);
  EXPECT_EQ(responses[1].body(), "ok\n");
  EXPECT_EQ(responses[2].result(), http::status::ok);  // the query is ignored for routing
  EXPECT_EQ(responses[3].result(), http::status::ok);  // HEAD: the GET's length, no body
  EXPECT_TRUE(responses[3].body().empty());
  EXPECT_GT(std::stoul(std::string(responses[3][http::field::content_length])), 100U);
  EXPECT_EQ(responses[4].result(), http::status::not_found);
  EXPECT_EQ(responses[5].result(), http::status::method_not_allowed);
  for (const auto& r : responses) {
    EXPECT_TRUE(r.keep_alive());
  }
}

TEST_F(AdminServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  const auto responses = beast_requests(port(), {get("/healthz"), get("/nope"), get("/metrics")}, true);
  ASSERT_EQ(responses.size(), 3U);
  EXPECT_EQ(responses[0].result(), http::status::ok);
  EXPECT_EQ(responses[1].result(), http::status::not_found);
  EXPECT_EQ(responses[2].result(), http::status::ok);
}

TEST_F(AdminServerTest, MetricsReflectRecordingBetweenScrapes) {
  start();
  const auto before = beast_requests(port(), {get("/metrics")});
  metrics_->record_request("origin-a", 200, 0.01);
  const auto after = beast_requests(port(), {get("/metrics")});
  ASSERT_EQ(before.size(), 1U);
  ASSERT_EQ(after.size(), 1U);
  EXPECT_NE(before[0].body().find("status_class=\"2xx\"} 1\n"), std::string::npos);
  EXPECT_NE(after[0].body().find("status_class=\"2xx\"} 2\n"), std::string::npos);
}

// ---- Limits ----

TEST_F(AdminServerTest, OversizeRequestHeadIsRejectedWith431) {
  start();
  const std::string request =
      "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(AdminServer::kMaxRequestHeadBytes, 'a') +
      "\r\n\r\n";
  const auto r = raw_exchange(port(), request);
  EXPECT_TRUE(r.received.starts_with("HTTP/1.1 431 ")) << r.received.substr(0, 200);
  EXPECT_TRUE(r.closed_by_server);
}

TEST_F(AdminServerTest, OversizeRequestBodyIsRejectedWith413) {
  start();
  const std::string body(AdminServer::kMaxRequestBodyBytes + 1, 'b');
  const std::string request =
      "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
      body;
  const auto r = raw_exchange(port(), request);
  EXPECT_TRUE(r.received.starts_with("HTTP/1.1 413 ")) << r.received.substr(0, 200);
  EXPECT_TRUE(r.closed_by_server);
}

TEST_F(AdminServerTest, MalformedRequestGets400) {
  start();
  const auto r = raw_exchange(port(), "GET /metrics HTTP/1.1\r\nBad Header Without Colon\r\n\r\n");
  EXPECT_TRUE(r.received.starts_with("HTTP/1.1 400 ")) << r.received;
  EXPECT_TRUE(r.closed_by_server);
}

TEST_F(AdminServerTest, SlowClientWithHalfARequestTimesOut) {
  AdminServer::Options options;
  options.request_timeout = 300ms;
  start(options);
  // Half a request, then nothing: the server must give up and close, without a response.
  const auto r = raw_exchange(port(), "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  EXPECT_TRUE(r.closed_by_server) << "the server kept a half-sent request open";
  EXPECT_EQ(r.received, "");
}

TEST_F(AdminServerTest, SilentConnectionTimesOut) {
  AdminServer::Options options;
  options.request_timeout = 300ms;
  start(options);
  const auto r = raw_exchange(port(), "");
  EXPECT_TRUE(r.closed_by_server);
  EXPECT_EQ(r.received, "");
}

TEST_F(AdminServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  AdminServer::Options options;
  options.idle_timeout = 300ms;
  start(options);
  // One complete request, then silence: the response arrives, then the close.
  const auto r = raw_exchange(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(r.received.starts_with("HTTP/1.1 200 OK\r\n")) << r.received;
  EXPECT_TRUE(r.received.ends_with("\r\n\r\nok\n")) << r.received;
  EXPECT_TRUE(r.closed_by_server);
}

TEST_F(AdminServerTest, ConnectionCloseIsHonoured) {
  start();
  const auto r = raw_exchange(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(r.received.starts_with("HTTP/1.1 200 OK\r\n")) << r.received;
  EXPECT_NE(r.received.find("Connection: close\r\n"), std::string::npos) << r.received;
  EXPECT_TRUE(r.closed_by_server);
}

TEST_F(AdminServerTest, ConnectionsBeyondTheCapAreClosed) {
  AdminServer::Options options;
  options.max_connections = 2;
  start(options);
  RawResult third;
  std::vector<int> first_two_status;
  run_client([&]() -> asio::awaitable<void> {
    const tcp::endpoint target(asio::ip::make_address("127.0.0.1"), port());
    std::vector<std::unique_ptr<beast::tcp_stream>> held;
    for (int i = 0; i < 2; ++i) {
      // A full request/response proves the server registered the connection.
      auto stream = std::make_unique<beast::tcp_stream>(co_await asio::this_coro::executor);
      stream->expires_after(kClientTimeout);
      co_await stream->async_connect(target, asio::use_awaitable);
      auto request = get("/healthz");
      co_await http::async_write(*stream, request, asio::use_awaitable);
      beast::flat_buffer buffer;
      http::response<http::string_body> response;
      co_await http::async_read(*stream, buffer, response, asio::use_awaitable);
      first_two_status.push_back(response.result_int());
      held.push_back(std::move(stream));
    }
    beast::tcp_stream extra(co_await asio::this_coro::executor);
    extra.expires_after(kClientTimeout);
    co_await extra.async_connect(target, asio::use_awaitable);
    boost::system::error_code ec;
    auto request = get("/healthz");
    co_await http::async_write(extra, request, asio::redirect_error(asio::use_awaitable, ec));
    std::array<char, 256> chunk{};
    const std::size_t n =
        co_await extra.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    third.received.assign(chunk.data(), n);
    third.closed_by_server = ec == asio::error::eof || ec == asio::error::connection_reset;
  });
  EXPECT_EQ(first_two_status, (std::vector<int>{200, 200}));
  EXPECT_TRUE(third.closed_by_server);
  EXPECT_EQ(third.received, "");
}

// ---- Lifecycle ----

TEST_F(AdminServerTest, BindErrorNamesTheAddress) {
  start();
  const tcp::endpoint taken(asio::ip::make_address("127.0.0.1"), port());
  auto second = AdminServer::start(io_.get_executor(), taken, metrics_, {});
  ASSERT_FALSE(second);
  // The shape of serve's --listen messages, which serve prefixes with the option.
  EXPECT_TRUE(second.error().starts_with("127.0.0.1:" + std::to_string(port()) + ": cannot listen: "))
      << second.error();
  EXPECT_NE(second.error().find("in use"), std::string::npos) << second.error();
}

TEST_F(AdminServerTest, StopClosesTheListenerAndOpenConnections) {
  AdminServer::Options options;
  options.idle_timeout = 60s;  // longer than the client's patience: only stop() can end the connection
  start(options);
  const tcp::endpoint target(asio::ip::make_address("127.0.0.1"), port());
  unsigned status = 0;
  bool closed_by_server = false;
  run_client([&]() -> asio::awaitable<void> {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(kClientTimeout);
    co_await stream.async_connect(target, asio::use_awaitable);
    auto request = get("/healthz");
    co_await http::async_write(stream, request, asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    co_await http::async_read(stream, buffer, response, asio::use_awaitable);
    status = response.result_int();
    server_->stop();  // from another thread than the server's
    boost::system::error_code ec;
    std::array<char, 64> chunk{};
    co_await stream.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    closed_by_server = ec == asio::error::eof || ec == asio::error::connection_reset;
  });
  EXPECT_EQ(status, 200U);
  EXPECT_TRUE(closed_by_server);
  // The listener is gone too.
  boost::system::error_code connect_error;
  run_client([&]() -> asio::awaitable<void> {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(kClientTimeout);
    co_await stream.async_connect(target, asio::redirect_error(asio::use_awaitable, connect_error));
  });
  EXPECT_EQ(connect_error, asio::error::connection_refused);
  server_->stop();  // idempotent
}

TEST(AdminServerStandalone, EmptyHealthCallbackMeansHealthyAndNullMetricsRenderEmpty) {
  asio::io_context io;
  auto server = AdminServer::start(io.get_executor(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0),
                                   nullptr, {});
  ASSERT_TRUE(server) << server.error();
  const auto port = (*server)->local_endpoint().port();
  std::thread runner([&io] { io.run_for(std::chrono::milliseconds(kClientTimeout)); });
  const auto responses = beast_requests(port, {get("/healthz"), get("/metrics")});
  server->reset();
  io.stop();
  runner.join();
  ASSERT_EQ(responses.size(), 2U);
  EXPECT_EQ(responses[0].result(), http::status::ok);
  EXPECT_EQ(responses[1].result(), http::status::ok);
  EXPECT_EQ(responses[1].body(), "");
}

}  // namespace
}  // namespace edgefetch::edge
