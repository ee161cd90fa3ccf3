// The serve command as a process: config validation, SIGHUP reloads, SIGTERM
// drain, the admin listener, the access log.

#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <fstream>
#include <future>
#include <thread>

#include "cli/cli_support.hpp"
#include "e2e/e2e_origins.hpp"
#include "e2e/e2e_support.hpp"
#include "support/deadline.hpp"
#include "support/pki.hpp"
#include "support/tcp.hpp"

namespace edgefetch::e2e {
namespace {

// Waits until the shared plain origin has received one request besides our
// own /stats polls (each poll counts itself), i.e. the slow request is in flight.
bool slow_request_reached_origin(long requests_before, std::chrono::milliseconds budget) {
  const auto deadline = support::Deadline::after(budget);
  for (long polls = 1; !deadline.expired(); ++polls) {
    if (SharedOrigins::plain().stats()["requests"].get<long>() - requests_before - polls >= 1) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}
using namespace std::chrono_literals;
using nlohmann::json;

std::string simple_config(const std::string& id = "plain", json custom_extra = json::object()) {
  auto& plain = SharedOrigins::plain();
  ConfigBuilder config;
  config.origin(id, plain.port(), SharedOrigins::tls().port(), "http-only", json::object(), custom_extra)
      .default_behavior(id);
  return config.text();
}

cli_test::RunResult serve_with(const std::string& config_text, std::vector<std::string> args) {
  auto dir = support::ScratchDir::create("e2e-validate");
  const auto path = dir / "config.json";
  {
    std::ofstream out(path);
    out << config_text;
  }
  std::vector<std::string> argv = {"serve", "--config", path.string()};
  if (args.empty()) args = {"--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  cli_test::RunOptions options;
  options.timeout = 10s;
  return cli_test::run_edgefetch(argv, options);
}

TEST(ServeValidation, ValuesOutOfRangeExit2NamingTheField) {
  const auto result = serve_with(simple_config("plain", {{"OriginReadTimeout", 500}}), {});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find("OriginReadTimeout"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("listening"), std::string::npos);
}

TEST(ServeValidation, UnknownOriginIdInABehaviorExit2) {
  auto& plain = SharedOrigins::plain();
  ConfigBuilder config;
  config.origin("plain", plain.port(), 443, "http-only").default_behavior("missing");
  const auto result = serve_with(config.text(), {});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("TargetOriginId"), std::string::npos) << result.err;
}

TEST(ServeValidation, BadPortMissingFilesAndBadAddressesExit2) {
  const auto bad_port = serve_with(simple_config("plain", {{"HTTPSPort", 444}}), {});
  EXPECT_EQ(bad_port.exit_code, 2);
  EXPECT_NE(bad_port.err.find("HTTPSPort"), std::string::npos) << bad_port.err;

  cli_test::RunOptions options;
  options.timeout = 10s;
  const auto missing = cli_test::run_edgefetch(
      {"serve", "--config", "/nonexistent/config.json", "--listen", "127.0.0.1:0"}, options);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--config"), std::string::npos) << missing.err;

  const auto bad_listen = serve_with(simple_config(), {"--listen", "localhost:80x"});
  EXPECT_EQ(bad_listen.exit_code, 2);
  EXPECT_NE(bad_listen.err.find("--listen"), std::string::npos) << bad_listen.err;

  const auto no_key = serve_with(simple_config(), {"--listen-tls", "127.0.0.1:0", "--cert",
                                                   "/nonexistent.pem", "--key", "/nonexistent.key"});
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_NE(no_key.err.find("--cert"), std::string::npos) << no_key.err;

  // A key of another certificate: both files named, not OpenSSL's "key values mismatch".
  const auto& pki = support::TestPki::get();
  const auto mismatched =
      serve_with(simple_config(),
                 {"--listen-tls", "127.0.0.1:0", "--cert", pki.leaf(support::Leaf::rsa2048).cert.string(),
                  "--key", pki.leaf(support::Leaf::ecdsa_p256).key.string()});
  EXPECT_EQ(mismatched.exit_code, 2);
  EXPECT_NE(mismatched.err.find("does not match the certificate in --cert"), std::string::npos)
      << mismatched.err;
  EXPECT_EQ(mismatched.err.find("key values mismatch"), std::string::npos) << mismatched.err;

  const auto bad_resolve = serve_with(simple_config(), {"--listen", "127.0.0.1:0", "--resolve", "garbage"});
  EXPECT_EQ(bad_resolve.exit_code, 2);
  EXPECT_NE(bad_resolve.err.find("edgefetch serve: --resolve 'garbage'"), std::string::npos)
      << bad_resolve.err;

  const auto bad_format = serve_with(simple_config(), {"--listen", "127.0.0.1:0", "--log-format", "xml"});
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_NE(bad_format.err.find("--log-format"), std::string::npos);
}

TEST(ServeValidation, PolicyFilesThatCannotBeUsedExit2NamingTheFileAndField) {
  auto dir = support::ScratchDir::create("e2e-policies");
  const auto write = [&dir](const std::string& name, const std::string& text) {
    const auto path = dir / name;
    std::ofstream(path) << text;
    return path.string();
  };
  const auto request_policy = [](const std::string& headers) {
    return R"({"OriginRequestPolicy":{"Id":"r-1","OriginRequestPolicyConfig":{"Name":"p","HeadersConfig":)" +
           headers +
           R"(,"CookiesConfig":{"CookieBehavior":"none"},"QueryStringsConfig":{"QueryStringBehavior":"none"}}}})";
  };

  const auto missing =
      serve_with(simple_config(), {"--listen", "127.0.0.1:0", "--policies", "/nonexistent/p.json"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--policies"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("/nonexistent/p.json"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.out.find("listening"), std::string::npos);

  const std::string bad = write("bad.json", request_policy(R"({"HeaderBehavior":"everything"})"));
  const auto bad_behavior = serve_with(simple_config(), {"--listen", "127.0.0.1:0", "--policies", bad});
  EXPECT_EQ(bad_behavior.exit_code, 2);
  EXPECT_NE(bad_behavior.err.find(bad + ": OriginRequestPolicy.OriginRequestPolicyConfig.HeadersConfig."
                                        "HeaderBehavior: \"everything\" is not allowed here"),
            std::string::npos)
      << bad_behavior.err;

  const std::string authorization = write(
      "authorization.json",
      request_policy(R"({"HeaderBehavior":"whitelist","Headers":{"Quantity":1,"Items":["Authorization"]}})"));
  const auto refused = serve_with(simple_config(), {"--listen", "127.0.0.1:0", "--policies", authorization});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("Authorization cannot be forwarded"), std::string::npos) << refused.err;

  const std::string distribution = write("dist.json", simple_config());
  const auto not_a_policy =
      serve_with(simple_config(), {"--listen", "127.0.0.1:0", "--policies", distribution});
  EXPECT_EQ(not_a_policy.exit_code, 2);
  EXPECT_NE(not_a_policy.err.find("not a cache or origin request policy"), std::string::npos)
      << not_a_policy.err;

  // A custom policy the config names but no file holds: what it forwards is unknown.
  ConfigBuilder unknown;
  unknown.origin("plain", SharedOrigins::plain().port(), SharedOrigins::tls().port(), "http-only")
      .default_behavior("plain", {{"CachePolicyId", "0123abcd-0000-4000-8000-00000000e2e0"}});
  const auto unknown_policy = serve_with(unknown.text(), {});
  EXPECT_EQ(unknown_policy.exit_code, 2);
  EXPECT_NE(unknown_policy.err.find(
                "DistributionConfig.DefaultCacheBehavior.CachePolicyId: "
                "\"0123abcd-0000-4000-8000-00000000e2e0\" is not a managed policy; give it with "
                "--policies FILE (the output of `aws cloudfront get-cache-policy --id "
                "0123abcd-0000-4000-8000-00000000e2e0`)"),
            std::string::npos)
      << unknown_policy.err;
  EXPECT_EQ(unknown_policy.out.find("listening"), std::string::npos);

  // check: only with --distribution-config.
  cli_test::RunOptions options;
  options.timeout = 10s;
  const auto check = cli_test::run_edgefetch({"check", "origin.test", "--policies", bad}, options);
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.err.find("--policies is used with --distribution-config"), std::string::npos) << check.err;
}

TEST(ServeValidation, HelpDescribesTheCommand) {
  const auto help = cli_test::run_edgefetch({"serve", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option : {"--config", "--listen", "--listen-tls", "--admin", "--access-log", "SIGHUP"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
}

TEST(ServeLifecycle, SighupReloadsAGoodConfigAndKeepsTheOldOneOnABadOne) {
  Edge::Options options;
  options.config = simple_config("first");
  options.resolve_ports = {SharedOrigins::plain().port()};
  options.admin = true;
  options.access_log = "access.log";
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  EXPECT_EQ(curl(edge->url("/echo/1")).status, 200);

  // A config whose only behavior targets a new origin id: requests show which config served them.
  edge->write_config(simple_config("second", {{"OriginReadTimeout", 7}}));
  edge->signal(SIGHUP);
  ASSERT_TRUE(edge->wait_stderr("reloaded", 10s)) << edge->stderr_text();
  EXPECT_EQ(curl(edge->url("/echo/2")).status, 200);

  edge->write_config("{ not json");
  edge->signal(SIGHUP);
  ASSERT_TRUE(edge->wait_stderr("reload rejected", 10s)) << edge->stderr_text();
  EXPECT_EQ(curl(edge->url("/echo/3")).status, 200);

  const std::string log = edge->wait_access_log("/echo/3", 10s);
  EXPECT_NE(log.find("\tfirst\t"), std::string::npos) << log;
  EXPECT_NE(log.find("\tsecond\t"), std::string::npos) << log;
  const auto metrics = curl("http://127.0.0.1:" + std::to_string(edge->admin_port()) + "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("edgefetch_config_reloads_total{result=\"success\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("edgefetch_config_reloads_total{result=\"failure\"} 1"), std::string::npos);
}

// A template whose origin is "${Env}.${Zone}" (Zone has no Default: only
// --template-parameter gives it), on the shared plain origin's port; in
// production (a Condition on Env) requests go through OriginPath /prod.
std::string parameter_template(const std::string& env_default) {
  const json origin = {
      {"Id", "web"},
      {"DomainName", {{"Fn::Sub", "${Env}.${Zone}"}}},
      {"OriginPath", {{"Fn::If", {"IsProd", "/prod", {{"Ref", "AWS::NoValue"}}}}}},
      {"CustomOriginConfig",
       {{"HTTPPort", SharedOrigins::plain().port()}, {"OriginProtocolPolicy", "http-only"}}}};
  const json config = {{"Enabled", true},
                       {"Origins", {origin}},
                       {"DefaultCacheBehavior",
                        {{"TargetOriginId", "web"},
                         {"ViewerProtocolPolicy", "allow-all"},
                         {"CachePolicyId", "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}}}};
  const json root = {
      {"AWSTemplateFormatVersion", "2010-09-09"},
      {"Parameters",
       {{"Env", {{"Type", "String"}, {"Default", env_default}}}, {"Zone", {{"Type", "String"}}}}},
      {"Conditions", {{"IsProd", {{"Fn::Equals", {{{"Ref", "Env"}}, "prod"}}}}}},
      {"Resources",
       {{"Cdn",
         {{"Type", "AWS::CloudFront::Distribution"}, {"Properties", {{"DistributionConfig", config}}}}}}}};
  return root.dump(2);
}

TEST(ServeLifecycle, SighupAppliesTheTemplateParametersToTheEditedTemplate) {
  const std::string port = std::to_string(SharedOrigins::plain().port());
  Edge::Options options;
  options.config = parameter_template("staging");
  options.args = {"--template-parameter",
                  "Zone=edge.test",
                  "--resolve",
                  "staging.edge.test:" + port + ":127.0.0.1",
                  "--resolve",
                  "prod.edge.test:" + port + ":127.0.0.1"};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  // The Host the origin sees is the origin's DomainName.
  auto first = curl(edge->url("/echo/1"));
  ASSERT_EQ(first.status, 200) << first.body << edge->stderr_text();
  EXPECT_EQ(echo_header(first.json(), "Host"), "staging.edge.test") << first.body;
  EXPECT_EQ(first.json()["target"], "/echo/1") << first.body;

  // The edited template's Default makes it production; Zone must still be the
  // one given on the command line, or the reload would be refused (no Default).
  edge->write_config(parameter_template("prod"));
  edge->signal(SIGHUP);
  ASSERT_TRUE(edge->wait_stderr("reloaded", 10s)) << edge->stderr_text();
  auto second = curl(edge->url("/echo/2"));
  ASSERT_EQ(second.status, 200) << second.body << edge->stderr_text();
  EXPECT_EQ(echo_header(second.json(), "Host"), "prod.edge.test") << second.body;
  EXPECT_EQ(second.json()["target"], "/prod/echo/2") << second.body;
  EXPECT_EQ(edge->stderr_text().find("reload rejected"), std::string::npos) << edge->stderr_text();
}

TEST(ServeLifecycle, InFlightRequestFinishesOnTheOldConfigDuringAReload) {
  Edge::Options options;
  options.config = simple_config("before");
  options.resolve_ports = {SharedOrigins::plain().port()};
  options.access_log = "access.log";
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  const long requests_before = SharedOrigins::plain().stats()["requests"].get<long>();
  auto slow = std::async(std::launch::async, [&] { return curl(edge->url("/slow/2")); });
  ASSERT_TRUE(slow_request_reached_origin(requests_before, 10s));
  edge->write_config(simple_config("after"));
  edge->signal(SIGHUP);
  ASSERT_TRUE(edge->wait_stderr("reloaded", 10s));
  EXPECT_EQ(slow.get().status, 200);
  const std::string log = edge->wait_access_log("/slow/2", 10s);
  EXPECT_NE(log.find("/slow/2"), std::string::npos);
  EXPECT_NE(log.find("\tbefore\t"), std::string::npos) << log;
}

TEST(ServeLifecycle, SigtermDrainsInFlightRequestsAndExits0) {
  Edge::Options options;
  options.config = simple_config();
  options.resolve_ports = {SharedOrigins::plain().port()};
  options.admin = true;
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  const std::string health = "http://127.0.0.1:" + std::to_string(edge->admin_port()) + "/healthz";
  EXPECT_EQ(curl(health).status, 200);
  const long requests_before = SharedOrigins::plain().stats()["requests"].get<long>();
  auto slow = std::async(std::launch::async, [&] { return curl(edge->url("/slow/2")); });
  ASSERT_TRUE(slow_request_reached_origin(requests_before, 10s));
  edge->signal(SIGTERM);
  ASSERT_TRUE(edge->wait_stderr("draining", 5s));
  const auto finished = slow.get();
  EXPECT_EQ(finished.status, 200);
  EXPECT_EQ(finished.header("connection"), "close");
  EXPECT_EQ(edge->wait_exit(15s), 0) << edge->stderr_text();
  // New viewers are refused once the listener is closed.
  EXPECT_NE(curl(edge->url("/echo")).exit_code, 0);
}

// An error page for a request that was waiting on its origin when the drain
// began says `Connection: close`, as a relayed answer does: the connection
// closes after it. The origin is the test's own socket, so it answers (with
// bytes that are not HTTP: a 502) only once the edge is draining.
TEST(ServeLifecycle, AnErrorPageDuringTheDrainSaysConnectionClose) {
  auto listener = support::listen_loopback();
  ASSERT_TRUE(listener) << listener.error();
  const std::uint16_t origin_port = support::local_port(listener->get());
  ConfigBuilder config;
  config.origin("held", origin_port, SharedOrigins::tls().port(), "http-only", {{"ConnectionAttempts", 1}})
      .default_behavior("held");
  Edge::Options options;
  options.config = config.text();
  options.resolve_ports = {origin_port};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  auto answer = std::async(std::launch::async, [&] {
    return raw_exchange(edge->port(), "GET /held HTTP/1.1\r\nHost: a\r\n\r\n", 20s);
  });
  const auto deadline = support::Deadline::after(10s);
  auto origin_side = support::accept_one(listener->get(), deadline);
  ASSERT_TRUE(origin_side) << origin_side.error();
  std::string request;
  std::array<std::uint8_t, 4096> buffer{};
  while (request.find("\r\n\r\n") == std::string::npos) {
    auto n = support::recv_some(origin_side->get(), buffer, deadline);
    ASSERT_TRUE(n && *n > 0) << (n ? std::string("closed") : n.error()) << request;
    request.append(reinterpret_cast<const char*>(buffer.data()), *n);
  }
  edge->signal(SIGTERM);
  ASSERT_TRUE(edge->wait_stderr("draining", 5s)) << edge->stderr_text();
  ASSERT_TRUE(support::send_all(origin_side->get(), "this is not HTTP\r\n\r\n", deadline));
  const std::string response = answer.get();
  EXPECT_EQ(first_status(response), 502) << response;
  EXPECT_NE(response.find("\r\nX-Edgefetch-Origin-Error: invalid_response\r\n"), std::string::npos)
      << response;
  EXPECT_NE(response.find("\r\nConnection: close\r\n"), std::string::npos) << response;
  EXPECT_EQ(edge->wait_exit(15s), 0) << edge->stderr_text();
}

// A request waiting on a silent origin noticed the drain only when its own
// wait ended (OriginReadTimeout x ConnectionAttempts, 90 s by default).
TEST(ServeLifecycle, TheDrainTimeoutBoundsARequestStuckOnItsOrigin) {
  Edge::Options options;
  options.config = simple_config();
  options.resolve_ports = {SharedOrigins::plain().port()};
  options.args = {"--drain-timeout", "1"};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  const long requests_before = SharedOrigins::plain().stats()["requests"].get<long>();
  auto stuck = std::async(std::launch::async, [&] { return curl(edge->url("/slow/25")); });
  ASSERT_TRUE(slow_request_reached_origin(requests_before, 10s));
  const auto signalled = std::chrono::steady_clock::now();
  edge->signal(SIGTERM);
  EXPECT_EQ(edge->wait_exit(10s), 0) << edge->stderr_text();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 10s);
  EXPECT_NE(edge->stderr_text().find("abandoning 1 request(s) still waiting on their origins"),
            std::string::npos)
      << edge->stderr_text();
  EXPECT_NE(stuck.get().status, 200);
}

TEST(ServeLifecycle, ASecondSigtermExitsWithoutWaitingForTheDrain) {
  Edge::Options options;
  options.config = simple_config();
  options.resolve_ports = {SharedOrigins::plain().port()};
  auto edge = Edge::start(options);  // --drain-timeout 30
  ASSERT_NE(edge, nullptr);
  const long requests_before = SharedOrigins::plain().stats()["requests"].get<long>();
  auto stuck = std::async(std::launch::async, [&] { return curl(edge->url("/slow/25")); });
  ASSERT_TRUE(slow_request_reached_origin(requests_before, 10s));
  edge->signal(SIGTERM);
  ASSERT_TRUE(edge->wait_stderr("send it again to exit at once", 5s)) << edge->stderr_text();
  const auto again = std::chrono::steady_clock::now();
  edge->signal(SIGTERM);
  EXPECT_EQ(edge->wait_exit(10s), 0) << edge->stderr_text();
  EXPECT_LT(std::chrono::steady_clock::now() - again, 10s);
  EXPECT_NE(edge->stderr_text().find("again while draining"), std::string::npos) << edge->stderr_text();
  (void)stuck.get();
}

TEST(ServeLifecycle, AdminServesMetricsAndHealth) {
  Edge::Options options;
  options.config = simple_config();
  options.resolve_ports = {SharedOrigins::plain().port()};
  options.admin = true;
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(curl(edge->url("/echo")).status, 200);
  EXPECT_EQ(curl(edge->url("/status/404")).status, 404);
  const std::string admin = "http://127.0.0.1:" + std::to_string(edge->admin_port());
  const auto health = curl(admin + "/healthz");
  EXPECT_EQ(health.status, 200);
  const auto metrics = curl(admin + "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("edgefetch_requests_total{origin=\"plain\",status_class=\"2xx\"} 3"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("edgefetch_requests_total{origin=\"plain\",status_class=\"4xx\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("edgefetch_origin_connect_seconds"), std::string::npos);
  EXPECT_NE(metrics.body.find("edgefetch_viewer_connections"), std::string::npos);
}

// Out of file descriptors, accept() fails for as long as viewers queue: the
// loop backs off and logs the first failure and every 100th (it logged each
// one, about a hundred lines a second), and serves again once descriptors free up.
TEST(ServeLifecycle, RunningOutOfDescriptorsBacksOffQuietlyAndRecovers) {
  Edge::Options options;
  options.config = simple_config();
  options.resolve_ports = {SharedOrigins::plain().port()};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  ASSERT_EQ(curl(edge->url("/echo")).status, 200);
  // A soft limit just above what the process holds: the next few viewers
  // take it, the rest wait in the listen queue with accept() failing.
  const std::string limit = std::to_string(edge->fd_count() + 2) + ":";
  const auto lowered =
      cli_test::run_program("/usr/bin/prlimit", {"--pid", std::to_string(edge->pid()), "--nofile=" + limit},
                            cli_test::RunOptions{});
  ASSERT_EQ(lowered.exit_code, 0) << lowered.err;
  std::vector<support::UniqueFd> held;
  const auto deadline = support::Deadline::after(10s);
  for (int i = 0; i < 8; ++i) {
    auto fd = support::connect_loopback(edge->port(), deadline);
    ASSERT_TRUE(fd) << fd.error();
    held.push_back(std::move(*fd));
  }
  ASSERT_TRUE(
      edge->wait_stderr("accept failed: Too many open files (retrying; check the open-file limit", 5s))
      << edge->stderr_text();
  std::this_thread::sleep_for(3s);
  const std::string during = edge->stderr_text();
  std::size_t lines = 0;
  for (std::size_t at = during.find("accept failed"); at != std::string::npos;
       at = during.find("accept failed", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 1U) << during;
  const auto raised = cli_test::run_program(
      "/usr/bin/prlimit", {"--pid", std::to_string(edge->pid()), "--nofile=1024:"}, cli_test::RunOptions{});
  ASSERT_EQ(raised.exit_code, 0) << raised.err;
  held.clear();
  EXPECT_TRUE(edge->wait_stderr("accepting again after", 10s)) << edge->stderr_text();
  EXPECT_EQ(curl(edge->url("/echo")).status, 200);
}

TEST(ServeLifecycle, JsonAccessLogHasOneObjectPerRequest) {
  Edge::Options options;
  options.config = simple_config();
  options.resolve_ports = {SharedOrigins::plain().port()};
  options.access_log = "access.json";
  options.args = {"--log-format", "json"};
  auto edge = Edge::start(options);
  ASSERT_NE(edge, nullptr);
  const auto result = curl(edge->url("/echo/json?q=1"), {"-A", "agent/1"});
  ASSERT_EQ(result.status, 200);
  const auto lines = cli_test::lines_of(edge->wait_access_log("/echo/json", 10s));
  ASSERT_EQ(lines.size(), 1u);
  const auto entry = json::parse(lines[0]);
  EXPECT_EQ(entry["cs-method"], "GET");
  EXPECT_EQ(entry["cs-uri-stem"], "/echo/json");
  EXPECT_EQ(entry["cs-uri-query"], "q=1");
  EXPECT_EQ(entry["sc-status"], 200);
  EXPECT_EQ(entry["cs(User-Agent)"], "agent/1");
  EXPECT_EQ(entry["x-edge-request-id"], result.header("x-amz-cf-id"));
}

}  // namespace
}  // namespace edgefetch::e2e
