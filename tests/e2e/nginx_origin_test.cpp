// The edge in front of nginx as the HTTPS origin, observed from the origin
// side: nginx's access log records, for every request the edge forwarded, the
// TLS connection it came on (and how many requests that connection had carried),
// whether the session was resumed, the protocol, cipher and group, the SNI, and
// the request as the origin got it. One nginx serves the whole suite; each test
// starts its own edge (its own pools and session cache) and its own URIs.

#include "support/nginx_origin.hpp"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "e2e/e2e_support.hpp"
#include "support/find_program.hpp"
#include "support/tcp.hpp"

namespace edgefetch::e2e {
namespace {
using nlohmann::json;
using support::NginxLogLine;
using namespace std::chrono_literals;

// Every server block answers any path outside /files/ with its name and the
// URI it got; /files/ is a static root that also takes PUT (the DAV module);
// /gz/ serves static files gzipped on the fly, so chunked (no length known;
// gzip_proxied because nginx takes a request with Via for a proxied one);
// /stall/ never answers: nginx forwards it to a socket the tests listen on but
// never accept from (STALL_PORT).
constexpr const char* kServers = R"(
  ssl_session_cache shared:e2e:1m;
  ssl_session_timeout 10m;
  server {
    listen 127.0.0.1:@port:main@ ssl default_server;
    server_name origin.test;
    ssl_certificate @cert:rsa2048@;
    ssl_certificate_key @key:rsa2048@;
    ssl_protocols TLSv1.2;
    ssl_session_tickets on;
    location /files/ { root @www@; dav_methods PUT; }
    location /small/ { root @www@; dav_methods PUT; client_max_body_size 1k; }
    location /gz/ { root @www@; gzip on; gzip_proxied any; gzip_types *; gzip_min_length 0; }
    location /stall/ { proxy_pass http://127.0.0.1:STALL_PORT; proxy_read_timeout 120s; }
    location / { return 200 "$server_name $request_uri\n"; }
  }
  server {
    listen 127.0.0.1:@port:main@ ssl;
    server_name other.test;
    ssl_certificate @cert:wrong-name@;
    ssl_certificate_key @key:wrong-name@;
    ssl_protocols TLSv1.2;
    location / { return 200 "$server_name $request_uri\n"; }
  }
  server {
    listen 127.0.0.1:@port:session_ids@ ssl;
    server_name origin.test;
    ssl_certificate @cert:rsa2048@;
    ssl_certificate_key @key:rsa2048@;
    ssl_protocols TLSv1.2;
    ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256;
    ssl_session_tickets off;
    location / { return 200 "$server_name $request_uri\n"; }
  }
  server {
    listen 127.0.0.1:@port:modern@ ssl;
    server_name origin.test;
    ssl_certificate @cert:rsa2048@;
    ssl_certificate_key @key:rsa2048@;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 "$server_name $request_uri\n"; }
  }
  server {
    listen 127.0.0.1:@port:plain@;
    server_name origin.test;
    location = /nginx_status { stub_status; }
    location / { return 200 "$server_name $request_uri\n"; }
  }
  server {
    listen 127.0.0.1:@port:dual_cert@ ssl;
    server_name origin.test;
    ssl_certificate @cert:rsa2048@;
    ssl_certificate_key @key:rsa2048@;
    ssl_certificate @cert:ecdsa-p256@;
    ssl_certificate_key @key:ecdsa-p256@;
    ssl_protocols TLSv1.2;
    location / { return 200 "$server_name $request_uri\n"; }
  }
  server {
    listen 127.0.0.1:@port:short_sessions@ ssl;
    server_name origin.test;
    ssl_certificate @cert:rsa2048@;
    ssl_certificate_key @key:rsa2048@;
    ssl_protocols TLSv1.2;
    ssl_session_timeout 1s;
    location / { return 200 "$server_name $request_uri\n"; }
  }
  server {
    listen 127.0.0.1:@port:short_keepalive@ ssl;
    server_name origin.test;
    ssl_certificate @cert:rsa2048@;
    ssl_certificate_key @key:rsa2048@;
    ssl_protocols TLSv1.2;
    keepalive_requests 2;
    keepalive_timeout 1s;
    location / { return 200 "$server_name $request_uri\n"; }
  }
  server {
    listen 127.0.0.1:@port:tls13_only@ ssl;
    server_name origin.test;
    ssl_certificate @cert:rsa2048@;
    ssl_certificate_key @key:rsa2048@;
    ssl_protocols TLSv1.3;
    location / { return 200 "$server_name $request_uri\n"; }
  }
)";

// The documented profile's offer (Appendix B) starts ECDHE-ECDSA-AES256-GCM,
// ECDHE-RSA-AES256-GCM; nginx honours the client's order by default
// (ssl_prefer_server_ciphers off), so with an RSA certificate the second one.
constexpr const char* kDefaultProfileCipher = "ECDHE-RSA-AES256-GCM-SHA384";
// P-256 is the first group of every profile (s2n_ecc_preferences_20230623).
constexpr const char* kFirstGroup = "prime256v1";

const std::vector<std::string>& port_names() {
  static const std::vector<std::string> names = {"main",  "session_ids",     "modern",         "tls13_only",
                                                 "plain", "short_keepalive", "short_sessions", "dual_cert"};
  return names;
}

class NginxOriginTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (support::find_program("nginx").empty()) return;
    auto stall = support::listen_loopback(0, 64);
    if (!stall) {
      start_error_ = stall.error();
      return;
    }
    stall_listener_ = std::move(*stall);
    std::string servers = kServers;
    const std::string stall_port = std::to_string(support::local_port(stall_listener_.get()));
    for (auto at = servers.find("STALL_PORT"); at != std::string::npos; at = servers.find("STALL_PORT")) {
      servers.replace(at, 10, stall_port);
    }
    auto started = support::NginxOrigin::start({port_names(), servers});
    if (!started) {
      start_error_ = started.error();
      return;
    }
    nginx_ = std::make_unique<support::NginxOrigin>(std::move(*started));
    std::filesystem::create_directories(nginx_->www() / "files");
  }
  static void TearDownTestSuite() {
    nginx_.reset();
    stall_listener_ = support::UniqueFd();
  }
  void SetUp() override {
    if (support::find_program("nginx").empty()) {
      GTEST_SKIP() << "nginx is not installed (scripts/install-deps.sh installs Debian's nginx)";
    }
    ASSERT_NE(nginx_, nullptr) << "nginx did not start: " << start_error_;
  }
  void TearDown() override {
    if (HasFailure() && nginx_ != nullptr) std::cerr << nginx_->describe() << '\n';
  }

  static std::uint16_t port(const std::string& name) { return nginx_->port(name); }

  /// An https-only origin "id" on nginx's port `port_name`.
  static ConfigBuilder& add_origin(ConfigBuilder& config, const std::string& id, const std::string& port_name,
                                   json custom_extra = json::object(), json extra = json::object()) {
    return config.origin(id, port(port_name), port(port_name), "https-only", std::move(extra),
                         std::move(custom_extra));
  }

  static std::unique_ptr<Edge> start_edge(const ConfigBuilder& config, std::vector<std::string> args = {},
                                          bool tls_listener = false) {
    Edge::Options options;
    options.config = config.text();
    options.args = std::move(args);
    options.tls_listener = tls_listener;
    for (const auto& name : port_names()) options.resolve_ports.push_back(port(name));
    return Edge::start(options);
  }

  /// The log lines of requests whose URI starts with `prefix`, once there are `count`.
  static std::vector<NginxLogLine> lines_for(const std::string& prefix, std::size_t count) {
    return nginx_->wait_for_lines(
        [&](const NginxLogLine& line) { return line.request_uri.starts_with(prefix); }, count,
        support::Deadline::after(10s));
  }

  /// One request's log line.
  static NginxLogLine line_for(const std::string& uri) {
    const auto lines = nginx_->wait_for_lines(
        [&](const NginxLogLine& line) { return line.request_uri == uri; }, 1, support::Deadline::after(10s));
    if (lines.size() != 1) {
      ADD_FAILURE() << "nginx logged " << lines.size() << " requests for " << uri;
      return {};
    }
    return lines.front();
  }

  /// Requests `uri` twice with the pooled connection expiring in between, and
  /// checks that the second connection resumed the first one's session.
  static void expect_resumption_after_keepalive_expiry(const std::string& port_name,
                                                       const std::string& prefix) {
    ConfigBuilder config;
    add_origin(config, "nginx", port_name, {{"OriginKeepaliveTimeout", 1}}).default_behavior("nginx");
    auto edge = start_edge(config);
    ASSERT_NE(edge, nullptr);

    ASSERT_EQ(curl(edge->url(prefix + "1")).status, 200);
    const NginxLogLine first = line_for(prefix + "1");
    EXPECT_EQ(first.session_reused, ".");  // a new edge has no session: full handshake
    EXPECT_EQ(first.connection_requests, 1);
    // The edge closes the idle connection after OriginKeepaliveTimeout (1 s):
    // nginx records its client closing connection *N.
    ASSERT_TRUE(nginx_->wait_error_log(
        "*" + std::to_string(first.connection) + " client 127.0.0.1 closed keepalive connection",
        support::Deadline::after(20s)))
        << "the edge did not close the pooled connection";

    ASSERT_EQ(curl(edge->url(prefix + "2")).status, 200);
    const NginxLogLine second = line_for(prefix + "2");
    EXPECT_NE(second.connection, first.connection);
    EXPECT_EQ(second.connection_requests, 1);
    EXPECT_EQ(second.session_reused, "r") << "the new connection did not resume the session";
    EXPECT_EQ(second.protocol, "TLSv1.2");
    EXPECT_EQ(second.cipher, first.cipher);
  }

  static inline std::unique_ptr<support::NginxOrigin> nginx_;
  static inline std::string start_error_;
  static inline support::UniqueFd stall_listener_;
};

std::string pseudo_random_bytes(std::size_t size, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::string data(size, '\0');
  for (auto& byte : data) byte = static_cast<char>(generator() & 0xFF);
  return data;
}

TEST_F(NginxOriginTest, ManyRequestsShareOneTlsConnectionWithTheDefaultProfilesParameters) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main", {{"OriginKeepaliveTimeout", 30}}).default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  constexpr int kRequests = 12;
  std::vector<std::string> request_ids;
  for (int i = 0; i < kRequests; ++i) {
    const std::string uri = "/keepalive/" + std::to_string(i);
    const auto result = curl(edge->url(uri), {"-H", "X-Forwarded-For: 198.51.100.7"});
    ASSERT_EQ(result.status, 200) << result.err << result.body;
    EXPECT_EQ(result.body, "origin.test " + uri + "\n");
    request_ids.push_back(result.header("x-amz-cf-id"));
  }
  const auto lines = lines_for("/keepalive/", kRequests);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kRequests));
  for (int i = 0; i < kRequests; ++i) {
    const NginxLogLine& line = lines[static_cast<std::size_t>(i)];
    SCOPED_TRACE("request " + std::to_string(i));
    EXPECT_EQ(line.request_uri, "/keepalive/" + std::to_string(i));
    // One TLS connection carried every request, in order.
    EXPECT_EQ(line.connection, lines.front().connection);
    EXPECT_EQ(line.connection_requests, i + 1);
    EXPECT_EQ(line.session_reused, ".");
    EXPECT_EQ(line.protocol, "TLSv1.2");
    EXPECT_EQ(line.cipher, kDefaultProfileCipher);
    EXPECT_EQ(line.curve, kFirstGroup);
    EXPECT_EQ(line.sni, "origin.test");
    EXPECT_EQ(line.host, "origin.test");
    EXPECT_TRUE(line.via.starts_with("1.1 ")) << line.via;
    EXPECT_TRUE(line.via.ends_with(".cloudfront.net (CloudFront)")) << line.via;
    EXPECT_EQ(line.forwarded_for, "198.51.100.7, 127.0.0.1");
    EXPECT_EQ(line.user_agent, "Amazon CloudFront");
    EXPECT_EQ(line.cf_id.size(), 56u);
    EXPECT_EQ(line.cf_id, request_ids[static_cast<std::size_t>(i)]);
  }
}

TEST_F(NginxOriginTest, EachOriginProtocolPolicyReachesTheMatchingListener) {
  ConfigBuilder config;
  for (const std::string policy : {"http-only", "https-only", "match-viewer"}) {
    config.origin(policy, port("plain"), port("main"), policy).behavior("/" + policy + "/*", policy);
  }
  config.default_behavior("http-only");
  auto edge = start_edge(config, {}, /*tls_listener=*/true);
  ASSERT_NE(edge, nullptr);
  struct Case {
    std::string url;
    std::string uri;
    bool origin_tls;
  };
  const std::vector<Case> cases = {
      {edge->url("/http-only/from-http"), "/http-only/from-http", false},
      {edge->tls_url("/http-only/from-https"), "/http-only/from-https", false},
      {edge->url("/https-only/from-http"), "/https-only/from-http", true},
      {edge->url("/match-viewer/from-http"), "/match-viewer/from-http", false},
      {edge->tls_url("/match-viewer/from-https"), "/match-viewer/from-https", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url);
    const auto result = curl(c.url);
    ASSERT_EQ(result.status, 200) << result.err << result.body;
    EXPECT_EQ(result.body, "origin.test " + c.uri + "\n");
    const NginxLogLine line = line_for(c.uri);
    EXPECT_EQ(line.scheme, c.origin_tls ? "https" : "http");
    EXPECT_EQ(line.server_port, c.origin_tls ? port("main") : port("plain"));
    EXPECT_EQ(line.protocol, c.origin_tls ? "TLSv1.2" : "-");
    EXPECT_EQ(line.host, "origin.test");
  }
  // Via carries the viewer's HTTP version.
  ASSERT_EQ(curl(edge->url("/http-only/http10"), {"--http1.0"}).status, 200);
  EXPECT_TRUE(line_for("/http-only/http10").via.starts_with("1.0 "));
}

TEST_F(NginxOriginTest, HeadAndNotModifiedAnswersFromAStaticFileHaveNoBodies) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main").default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  const std::string content = pseudo_random_bytes(5000, 3);
  std::ofstream(nginx_->www() / "files" / "static.bin", std::ios::binary) << content;

  const auto full = curl(edge->url("/files/static.bin"));
  ASSERT_EQ(full.status, 200) << full.err;
  EXPECT_TRUE(full.body == content);
  const std::string etag = full.header("etag");
  ASSERT_FALSE(etag.empty());

  const auto not_modified =
      curl(edge->url("/files/static.bin?conditional"), {"-H", "If-None-Match: " + etag});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty()) << not_modified.body.size() << " bytes";
  EXPECT_EQ(not_modified.header("etag"), etag);
  EXPECT_EQ(line_for("/files/static.bin?conditional").status, 304);

  const auto head = curl(edge->url("/files/static.bin?head"), {"-I"});
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(content.size()));
  EXPECT_TRUE(head.body.empty()) << head.body.size() << " bytes";
  const NginxLogLine head_line = line_for("/files/static.bin?head");
  EXPECT_EQ(head_line.method, "HEAD");
  EXPECT_EQ(head_line.body_bytes_sent, 0);

  // The pooled connection survived the bodiless answers: all three on one.
  const auto lines = lines_for("/files/static.bin", 3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2].connection, lines[0].connection);
  EXPECT_EQ(lines[2].connection_requests, 3);
}

TEST_F(NginxOriginTest, ChunkedGzipResponseIsStreamedToTheViewer) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main").default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  std::string text = pseudo_random_bytes(1u << 20, 4);
  for (auto& c : text) c = static_cast<char>('a' + (static_cast<unsigned char>(c) % 16));  // compressible
  std::filesystem::create_directories(nginx_->www() / "gz");
  std::ofstream(nginx_->www() / "gz" / "text.txt", std::ios::binary) << text;

  // curl asks for gzip and decodes it; the edge forwards Accept-Encoding.
  const auto result = curl(edge->url("/gz/text.txt"), {"--compressed"});
  ASSERT_EQ(result.status, 200) << result.err;
  EXPECT_EQ(result.header("content-encoding"), "gzip");
  EXPECT_EQ(result.header("transfer-encoding"), "chunked");
  EXPECT_EQ(result.header("content-length"), "");
  EXPECT_EQ(result.body.size(), text.size());
  EXPECT_TRUE(result.body == text) << "the decoded body differs from the origin's file";
  const NginxLogLine line = line_for("/gz/text.txt");
  EXPECT_GT(line.body_bytes_sent, 0);
  EXPECT_LT(line.body_bytes_sent, static_cast<long>(text.size()));  // nginx did compress

  // An HTTP/1.0 viewer cannot take chunks: the body ends when the edge closes.
  const auto http10 = curl(edge->url("/gz/text.txt?http10"), {"--compressed", "--http1.0"});
  ASSERT_EQ(http10.status, 200) << http10.err;
  EXPECT_EQ(http10.header("content-encoding"), "gzip");
  EXPECT_EQ(http10.header("transfer-encoding"), "");
  EXPECT_TRUE(http10.body == text) << "the decoded body differs from the origin's file";
}

TEST_F(NginxOriginTest, ConnectionsTheOriginEndsAreNotReused) {
  ConfigBuilder config;
  add_origin(config, "nginx", "short_keepalive", {{"OriginKeepaliveTimeout", 60}}).default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  // keepalive_requests 2: nginx answers every second request with
  // "Connection: close" and closes; the next request needs a new connection.
  for (const char* uri : {"/origin-close/1", "/origin-close/2", "/origin-close/3"}) {
    const auto result = curl(edge->url(uri));
    ASSERT_EQ(result.status, 200) << uri << ": " << result.body;
  }
  const auto lines = lines_for("/origin-close/", 3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].connection, lines[0].connection);
  EXPECT_EQ(lines[1].connection_requests, 2);
  EXPECT_NE(lines[2].connection, lines[0].connection);
  EXPECT_EQ(lines[2].connection_requests, 1);
  EXPECT_EQ(lines[2].session_reused, "r");  // the new connection resumed

  // keepalive_timeout 1s: nginx closes the idle pooled connection long before
  // OriginKeepaliveTimeout (60 s). Once nginx has no connection left but the
  // status request's own, the next request must still succeed.
  const std::string status_url = "http://127.0.0.1:" + std::to_string(port("plain")) + "/nginx_status";
  const auto deadline = support::Deadline::after(20s);
  std::string status;
  while (!deadline.expired()) {
    status = curl(status_url).body;
    if (status.starts_with("Active connections: 1 ")) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(status.starts_with("Active connections: 1 ")) << status;
  const auto after_idle_close = curl(edge->url("/origin-close/after-idle"));
  EXPECT_EQ(after_idle_close.status, 200) << after_idle_close.body;
  const NginxLogLine line = line_for("/origin-close/after-idle");
  EXPECT_NE(line.connection, lines[2].connection);
  EXPECT_EQ(line.connection_requests, 1);
}

TEST_F(NginxOriginTest, ConcurrentViewersFillThePoolAndLaterRequestsReuseIt) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main", {{"OriginKeepaliveTimeout", 60}}).default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  constexpr int kViewers = 16;
  std::vector<std::string> args = {
      "--parallel", "--parallel-immediate", "--parallel-max", std::to_string(kViewers),
      "-w",         "%{http_code}\n"};
  for (int i = 0; i < kViewers; ++i) {
    args.insert(args.end(), {"-o", "/dev/null", edge->url("/concurrent/" + std::to_string(i))});
  }
  const auto [code, out] = curl_output(args);
  EXPECT_EQ(code, 0);
  std::string expected;
  for (int i = 0; i < kViewers; ++i) expected += "200\n";
  EXPECT_EQ(out, expected);
  const auto wave = lines_for("/concurrent/", kViewers);
  ASSERT_EQ(wave.size(), static_cast<std::size_t>(kViewers));
  std::set<long> opened;
  for (const auto& line : wave) opened.insert(line.connection);

  // Sequential requests now find idle connections: nginx sees no new one.
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(curl(edge->url("/after-concurrent/" + std::to_string(i))).status, 200);
  }
  for (const auto& line : lines_for("/after-concurrent/", 8)) {
    EXPECT_TRUE(opened.contains(line.connection))
        << "request " << line.request_uri << " opened connection " << line.connection;
    EXPECT_GT(line.connection_requests, 1);
  }
}

TEST_F(NginxOriginTest, ViewerLeavingMidBodyDoesNotSpoilThePooledConnection) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main", {{"OriginKeepaliveTimeout", 60}}).default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  const std::string big = pseudo_random_bytes(8u << 20, 6);
  const std::string small = pseudo_random_bytes(10000, 7);
  std::ofstream(nginx_->www() / "files" / "leave-big.bin", std::ios::binary) << big;
  std::ofstream(nginx_->www() / "files" / "leave-small.bin", std::ios::binary) << small;
  {
    // A viewer reads the head and a little of the body, then goes away.
    const auto deadline = support::Deadline::after(10s);
    auto viewer = support::connect_loopback(edge->port(), deadline);
    ASSERT_TRUE(viewer) << viewer.error();
    ASSERT_TRUE(
        support::send_all(viewer->get(), "GET /files/leave-big.bin HTTP/1.1\r\nHost: x\r\n\r\n", deadline));
    std::array<std::uint8_t, 4096> some{};
    auto got = support::recv_some(viewer->get(), some, deadline);
    ASSERT_TRUE(got && *got > 0);
  }
  const NginxLogLine big_line = line_for("/files/leave-big.bin");
  // The next viewer gets its own, complete answer.
  for (int i = 0; i < 3; ++i) {
    const auto next = curl(edge->url("/files/leave-small.bin"));
    ASSERT_EQ(next.status, 200) << next.err;
    EXPECT_TRUE(next.body == small) << "the answer is not the small file";
  }
  for (const auto& line : lines_for("/files/leave-small.bin", 3)) {
    // Reusing the connection is only right if the rest of the big body was read off it.
    if (line.connection == big_line.connection) {
      EXPECT_EQ(big_line.body_bytes_sent, static_cast<long>(big.size()));
    }
  }
}

TEST_F(NginxOriginTest, SessionTicketResumesTheSessionAfterThePooledConnectionExpires) {
  expect_resumption_after_keepalive_expiry("main", "/resume-ticket/");
}

TEST_F(NginxOriginTest, SessionIdResumesTheSessionWhenTheOriginIssuesNoTickets) {
  expect_resumption_after_keepalive_expiry("session_ids", "/resume-id/");
  // This origin is pinned to one suite, as the benchmark's origin is.
  EXPECT_EQ(line_for("/resume-id/2").cipher, "ECDHE-RSA-AES128-GCM-SHA256");
}

TEST_F(NginxOriginTest, ReadTimeoutRetriesGetUpToConnectionAttemptsButNotPost) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main", {{"OriginReadTimeout", 1}}, {{"ConnectionAttempts", 3}})
      .default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  const auto get = curl(edge->url("/stall/get"));
  EXPECT_EQ(get.status, 504) << get.body;
  EXPECT_EQ(get.header("x-edgefetch-origin-error"), "read_timeout");
  // The origin got the GET three times, each on a connection the edge then
  // dropped (nginx logs 499: its client closed the connection).
  const auto tries = lines_for("/stall/get", 3);
  ASSERT_EQ(tries.size(), 3u);
  EXPECT_NE(tries[0].connection, tries[1].connection);
  EXPECT_NE(tries[1].connection, tries[2].connection);
  for (const auto& line : tries) {
    EXPECT_EQ(line.status, 499);
    EXPECT_EQ(line.cf_id, tries[0].cf_id);  // one viewer request, one request id
  }

  // A POST is not replayed: one try.
  const auto post = curl(edge->url("/stall/post"), {"-X", "POST", "--data-binary", "payload"});
  EXPECT_EQ(post.status, 504) << post.body;
  EXPECT_EQ(post.header("x-edgefetch-origin-error"), "read_timeout");
  ASSERT_EQ(lines_for("/stall/post", 1).size(), 1u);
  // A retry would have reached nginx before the viewer got its 504; a later
  // request gives nginx time to log a second try's close as well.
  ASSERT_EQ(curl(edge->url("/after-post")).status, 200);
  line_for("/after-post");
  EXPECT_EQ(lines_for("/stall/post", 1).size(), 1u);
}

TEST_F(NginxOriginTest, ExpiredSessionFallsBackToAFullHandshake) {
  ConfigBuilder config;
  add_origin(config, "nginx", "short_sessions", {{"OriginKeepaliveTimeout", 1}}).default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  ASSERT_EQ(curl(edge->url("/expired-session/1")).status, 200);
  const NginxLogLine first = line_for("/expired-session/1");
  // Past nginx's ssl_session_timeout (1 s) and the edge's OriginKeepaliveTimeout
  // (1 s): the edge offers its session on a new connection, nginx refuses it.
  std::this_thread::sleep_for(2500ms);
  ASSERT_TRUE(nginx_->wait_error_log(
      "*" + std::to_string(first.connection) + " client 127.0.0.1 closed keepalive connection",
      support::Deadline::after(20s)));
  const auto second = curl(edge->url("/expired-session/2"));
  EXPECT_EQ(second.status, 200) << second.body;
  const NginxLogLine line = line_for("/expired-session/2");
  EXPECT_NE(line.connection, first.connection);
  EXPECT_EQ(line.session_reused, ".");
}

TEST_F(NginxOriginTest, ForwardedHostIsTheSniAndSelectsTheOriginsServerBlock) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main")
      .behavior(
          "/host/*", "nginx",
          {{"ForwardedValues", {{"QueryString", true}, {"Headers", {{"Quantity", 1}, {"Items", {"Host"}}}}}}})
      .default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);

  // Host forwarded: SNI other.test, nginx answers with the other.test block and
  // its certificate (other.test only), which the edge accepts for that name.
  const auto forwarded = curl(edge->url("/host/forwarded"), {"-H", "Host: other.test"});
  ASSERT_EQ(forwarded.status, 200) << forwarded.body;
  EXPECT_EQ(forwarded.body, "other.test /host/forwarded\n");
  const NginxLogLine forwarded_line = line_for("/host/forwarded");
  EXPECT_EQ(forwarded_line.sni, "other.test");
  EXPECT_EQ(forwarded_line.server_name, "other.test");
  EXPECT_EQ(forwarded_line.host, "other.test");

  // A port in the forwarded Host stays in Host but is not part of the SNI.
  const auto with_port = curl(edge->url("/host/with-port"), {"-H", "Host: other.test:8443"});
  ASSERT_EQ(with_port.status, 200) << with_port.body;
  EXPECT_EQ(with_port.body, "other.test /host/with-port\n");
  const NginxLogLine with_port_line = line_for("/host/with-port");
  EXPECT_EQ(with_port_line.sni, "other.test");
  EXPECT_EQ(with_port_line.host, "other.test:8443");

  // Host not forwarded: the origin's domain name is both SNI and Host.
  const auto not_forwarded = curl(edge->url("/default/path"), {"-H", "Host: other.test"});
  ASSERT_EQ(not_forwarded.status, 200) << not_forwarded.body;
  EXPECT_EQ(not_forwarded.body, "origin.test /default/path\n");
  const NginxLogLine default_line = line_for("/default/path");
  EXPECT_EQ(default_line.sni, "origin.test");
  EXPECT_EQ(default_line.server_name, "origin.test");
  EXPECT_EQ(default_line.host, "origin.test");
  // Different names, different TLS connections, and other.test's session is
  // not offered under origin.test.
  EXPECT_NE(default_line.connection, forwarded_line.connection);
  EXPECT_EQ(default_line.session_reused, ".");
}

TEST_F(NginxOriginTest, ForwardedHostTheCertificateDoesNotCoverIs502CertNameMismatch) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main", json::object(), {{"ConnectionAttempts", 1}})
      .behavior(
          "/host/*", "nginx",
          {{"ForwardedValues", {{"QueryString", true}, {"Headers", {{"Quantity", 1}, {"Items", {"Host"}}}}}}})
      .default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  // First a session with the default block under origin.test.
  ASSERT_EQ(curl(edge->url("/default/before-mismatch")).status, 200);
  ASSERT_EQ(line_for("/default/before-mismatch").sni, "origin.test");
  // nginx has no block for third.test: its default block's certificate
  // (origin.test, *.wild.test) does not cover the name the edge checks. The
  // origin.test session must not be offered for third.test (nginx would
  // resume it, and no certificate would be checked).
  const auto mismatch = curl(edge->url("/host/mismatch"), {"-H", "Host: third.test"});
  EXPECT_EQ(mismatch.status, 502) << mismatch.body;
  EXPECT_EQ(mismatch.header("x-edgefetch-origin-error"), "cert_name_mismatch");
  EXPECT_EQ(mismatch.header("x-cache"), "Error from cloudfront");
  EXPECT_NE(mismatch.body.find("<H1>502 ERROR</H1>"), std::string::npos) << mismatch.body;

  // A name the certificate covers works on the same behavior; by the time its
  // line is logged, a request that had reached nginx would be logged too.
  ASSERT_EQ(curl(edge->url("/host/covered"), {"-H", "Host: a.wild.test"}).status, 200);
  const NginxLogLine covered = line_for("/host/covered");
  EXPECT_EQ(covered.sni, "a.wild.test");
  for (const auto& line : nginx_->access_log()) EXPECT_NE(line.request_uri, "/host/mismatch");
  // nginx saw the edge abort the handshake with an alert.
  EXPECT_TRUE(nginx_->wait_error_log("alert certificate unknown", support::Deadline::after(5s)));
}

TEST_F(NginxOriginTest, OriginGetsTheOriginPathPrefixAndTheCustomHeaders) {
  ConfigBuilder config;
  add_origin(
      config, "nginx", "main", json::object(),
      {{"OriginPath", "/base"},
       {"CustomHeaders",
        {{"Quantity", 1}, {"Items", {{{"HeaderName", "X-Origin-Secret"}, {"HeaderValue", "s3cr3t"}}}}}}})
      .default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  const auto result = curl(edge->url("/custom/page?q=1&r=two"), {"-H", "X-Origin-Secret: from-viewer"});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, "origin.test /base/custom/page?q=1&r=two\n");
  const NginxLogLine line = line_for("/base/custom/page?q=1&r=two");
  EXPECT_EQ(line.origin_secret, "s3cr3t");  // the configured value replaces the viewer's
  EXPECT_EQ(line.method, "GET");
}

TEST_F(NginxOriginTest, BodiesOverAMebibyteStreamBothWaysByteForByte) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main").default_behavior("nginx");
  auto edge = start_edge(config, {}, /*tls_listener=*/true);
  ASSERT_NE(edge, nullptr);
  const auto scratch = support::ScratchDir::create("e2e-nginx-bodies");
  const std::string sized = pseudo_random_bytes((3u << 20) + 123, 1);
  const std::string chunked = pseudo_random_bytes((2u << 20) + 7, 2);
  std::ofstream(scratch / "sized.bin", std::ios::binary) << sized;
  std::ofstream(scratch / "chunked.bin", std::ios::binary) << chunked;

  // Upload with Content-Length, and with chunked encoding: nginx's DAV module
  // writes what arrived to its document root.
  const auto put_sized = curl(edge->url("/files/sized.bin"),
                              {"-X", "PUT", "--data-binary", "@" + (scratch / "sized.bin").string()});
  EXPECT_EQ(put_sized.status, 201) << put_sized.err << put_sized.body;
  const auto put_chunked =
      curl(edge->url("/files/chunked.bin"), {"-X", "PUT", "-H", "Transfer-Encoding: chunked", "--data-binary",
                                             "@" + (scratch / "chunked.bin").string()});
  EXPECT_EQ(put_chunked.status, 201) << put_chunked.err << put_chunked.body;
  const std::string stored_sized = support::read_file(nginx_->www() / "files" / "sized.bin");
  EXPECT_EQ(stored_sized.size(), sized.size());
  EXPECT_TRUE(stored_sized == sized) << "the uploaded body differs from what the viewer sent";
  const std::string stored_chunked = support::read_file(nginx_->www() / "files" / "chunked.bin");
  EXPECT_EQ(stored_chunked.size(), chunked.size());
  EXPECT_TRUE(stored_chunked == chunked) << "the chunked upload differs from what the viewer sent";
  const NginxLogLine put_line = line_for("/files/sized.bin");
  EXPECT_EQ(put_line.method, "PUT");
  EXPECT_GT(put_line.request_length, static_cast<long>(sized.size()));

  // Download: the origin's Content-Length is kept, the bytes are the same,
  // for an HTTP and an HTTPS viewer.
  for (const auto& url : {edge->url("/files/sized.bin"), edge->tls_url("/files/sized.bin")}) {
    SCOPED_TRACE(url);
    const auto got = curl(url);
    ASSERT_EQ(got.status, 200) << got.err;
    EXPECT_EQ(got.header("content-length"), std::to_string(sized.size()));
    EXPECT_EQ(got.body.size(), sized.size());
    EXPECT_TRUE(got.body == sized) << "the downloaded body differs from the origin's file";
  }
  // An HTTPS viewer's upload: TLS on both sides of the edge.
  const auto put_tls = curl(edge->tls_url("/files/over-tls.bin"),
                            {"-X", "PUT", "--data-binary", "@" + (scratch / "chunked.bin").string()});
  EXPECT_EQ(put_tls.status, 201) << put_tls.err << put_tls.body;
  EXPECT_TRUE(support::read_file(nginx_->www() / "files" / "over-tls.bin") == chunked);
}

TEST_F(NginxOriginTest, OriginsEarlyAnswerToAnUploadReachesTheViewer) {
  ConfigBuilder config;
  add_origin(config, "nginx", "main").default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  const auto scratch = support::ScratchDir::create("e2e-nginx-early");
  std::ofstream(scratch / "big.bin", std::ios::binary) << pseudo_random_bytes(2u << 20, 5);
  // nginx refuses a body over client_max_body_size (1k) with 413 as soon as
  // it has the head, while the edge is still sending the body.
  for (const std::vector<std::string>& framing :
       {std::vector<std::string>{}, {"-H", "Transfer-Encoding: chunked"}}) {
    std::vector<std::string> args = {"-X", "PUT", "--data-binary", "@" + (scratch / "big.bin").string()};
    args.insert(args.end(), framing.begin(), framing.end());
    const auto result = curl(edge->url("/small/big.bin"), args);
    EXPECT_EQ(result.status, 413) << result.err << result.body;
    EXPECT_EQ(result.header("x-edgefetch-origin-error"), "");
  }
  // And the edge still works for the next viewer.
  EXPECT_EQ(curl(edge->url("/after-early-answer")).status, 200);
}

TEST_F(NginxOriginTest, OriginWithRsaAndEcdsaCertificatesServesTheEcdsaOneForTheFirstSuite) {
  ConfigBuilder config;
  add_origin(config, "nginx", "dual_cert").default_behavior("nginx");
  auto edge = start_edge(config);
  ASSERT_NE(edge, nullptr);
  ASSERT_EQ(curl(edge->url("/dual/page")).status, 200);
  // The documented order starts with ECDHE-ECDSA-AES256-GCM: nginx picks its
  // ECDSA certificate for it, and the edge verifies that chain.
  EXPECT_EQ(line_for("/dual/page").cipher, "ECDHE-ECDSA-AES256-GCM-SHA384");
}

TEST_F(NginxOriginTest, The2025ProfileNegotiatesTls13WithTheOrigin) {
  ConfigBuilder config;
  add_origin(config, "modern", "modern");
  add_origin(config, "tls13-only", "tls13_only")
      .behavior("/only13/*", "tls13-only")
      .default_behavior("modern");
  auto edge = start_edge(config, {"--profile", "cloudfront-2025"});
  ASSERT_NE(edge, nullptr);
  for (const std::string uri : {"/tls13/modern", "/only13/page"}) {
    const auto result = curl(edge->url(uri));
    ASSERT_EQ(result.status, 200) << uri << ": " << result.body;
    const NginxLogLine line = line_for(uri);
    EXPECT_EQ(line.protocol, "TLSv1.3") << uri;
    // TLS 1.3 first, TLS_AES_128_GCM_SHA256 first among them (Appendix A.2),
    // one key share for the first group, so no HelloRetryRequest is needed.
    EXPECT_EQ(line.cipher, "TLS_AES_128_GCM_SHA256") << uri;
    EXPECT_EQ(line.curve, kFirstGroup) << uri;
    EXPECT_EQ(line.sni, "origin.test") << uri;
  }
}

TEST_F(NginxOriginTest, Tls13OnlyOriginIsRefusedUnderTheDocumentedProfileWith502) {
  ConfigBuilder config;
  add_origin(config, "modern", "modern");
  add_origin(config, "tls13-only", "tls13_only", json::object(), {{"ConnectionAttempts", 1}})
      .behavior("/only13/*", "tls13-only")
      .default_behavior("modern");
  auto edge = start_edge(config);  // the documented profile: TLS 1.2 at most
  ASSERT_NE(edge, nullptr);
  const auto refused = curl(edge->url("/only13/refused"));
  EXPECT_EQ(refused.status, 502) << refused.body;
  EXPECT_EQ(refused.header("x-edgefetch-origin-error"), "no_shared_version");
  EXPECT_NE(refused.body.find("<H1>502 ERROR</H1>"), std::string::npos) << refused.body;

  // The origin that also speaks TLS 1.2 gets it.
  ASSERT_EQ(curl(edge->url("/tls12/modern")).status, 200);
  const NginxLogLine line = line_for("/tls12/modern");
  EXPECT_EQ(line.protocol, "TLSv1.2");
  EXPECT_EQ(line.cipher, kDefaultProfileCipher);
  for (const auto& logged : nginx_->access_log()) EXPECT_NE(logged.request_uri, "/only13/refused");
  // nginx refused the edge's TLS 1.2-at-most ClientHello.
  EXPECT_TRUE(nginx_->wait_error_log("unsupported protocol", support::Deadline::after(5s)));
}

}  // namespace
}  // namespace edgefetch::e2e
