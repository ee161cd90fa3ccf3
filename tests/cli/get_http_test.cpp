// `edgefetch get` with http:// URLs and bad input, as a user runs it.

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/cli_support.hpp"
#include "cli/get_servers.hpp"
#include "support/scratch.hpp"
#include "support/tcp.hpp"

namespace edgefetch::cli_test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitConnection = 3;
constexpr int kExitInternal = 4;

std::string url_for(const support::LoopbackServer& server, std::string_view path = "/") {
  return "http://127.0.0.1:" + std::to_string(server.port()) + std::string(path);
}

constexpr std::string_view kHello =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
    "Content-Length: 12\r\n\r\nhello world\n";

TEST(GetHttpTest, PrintsTheBodyOnStdout) {
  auto server = start_server(answer(std::string(kHello)));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server)}, kExitOk);
  EXPECT_EQ(result.out, "hello world\n");
  EXPECT_EQ(result.err, "");
}

TEST(GetHttpTest, JsonReportsStatusHeadersBodyAndTimings) {
  auto received = std::make_shared<ReceivedRequests>();
  auto server = start_server(answer(std::string(kHello), received));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server, "/a?b=c"), "--json"}, kExitOk);
  const json doc = json_output(result);
  EXPECT_EQ(doc["url"], url_for(*server, "/a?b=c"));
  EXPECT_EQ(doc["status"], 200);
  EXPECT_EQ(doc["body_bytes"], 12);
  EXPECT_EQ(doc["headers"]["content-type"], "text/plain");
  EXPECT_EQ(doc["headers"]["set-cookie"], json::array({"a=1", "b=2"}));
  EXPECT_FALSE(doc.contains("tls")) << "plain HTTP has no TLS object";
  EXPECT_FALSE(doc.contains("error"));
  for (const char* phase : {"dns", "connect", "first_byte", "total"}) {
    ASSERT_TRUE(doc["timings_ms"].contains(phase)) << phase;
    EXPECT_TRUE(doc["timings_ms"][phase].is_number()) << phase;
    EXPECT_GE(doc["timings_ms"][phase].get<double>(), 0.0) << phase;
  }
  EXPECT_FALSE(doc["timings_ms"].contains("tls"));
  EXPECT_EQ(doc["warnings"], json::array());
  ASSERT_EQ(doc["attempts"].size(), 1u);
  EXPECT_EQ(doc["attempts"][0]["outcome"], "connected");
  // The body is not printed with --json.
  EXPECT_FALSE(contains(result.out, "hello world"));

  const auto requests = received->all();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].starts_with("GET /a?b=c HTTP/1.1\r\n")) << requests[0];
  EXPECT_TRUE(contains(requests[0], "\r\nUser-Agent: Amazon CloudFront\r\n")) << requests[0];
  EXPECT_TRUE(contains(requests[0], "\r\nHost: 127.0.0.1\r\n")) << requests[0];
}

TEST(GetHttpTest, TheRequestCarriesTheEdgesViaAndRequestIdEachTimeNew) {
  auto received = std::make_shared<ReceivedRequests>();
  auto server = start_server(answer("HTTP/1.1 204 No Content\r\n\r\n", received));
  ASSERT_TRUE(server);
  run_expecting({"get", url_for(*server)}, kExitOk);
  run_expecting({"get", url_for(*server)}, kExitOk);
  const auto requests = received->all();
  ASSERT_EQ(requests.size(), 2u);
  const std::regex via(R"(\r\nVia: 1\.1 ([0-9a-f]{32})\.cloudfront\.net \(CloudFront\)\r\n)");
  const std::regex request_id(R"(\r\nX-Amz-Cf-Id: ([A-Za-z0-9_-]{56})\r\n)");
  std::smatch first_id;
  std::smatch second_id;
  ASSERT_TRUE(std::regex_search(requests[0], first_id, request_id)) << requests[0];
  ASSERT_TRUE(std::regex_search(requests[1], second_id, request_id)) << requests[1];
  EXPECT_NE(first_id[1].str(), second_id[1].str());
  EXPECT_TRUE(std::regex_search(requests[0], via)) << requests[0];
}

TEST(GetHttpTest, AnEmptyHeaderRemovesViaAndOneGivenReplacesTheRequestId) {
  auto received = std::make_shared<ReceivedRequests>();
  auto server = start_server(answer("HTTP/1.1 204 No Content\r\n\r\n", received));
  ASSERT_TRUE(server);
  run_expecting({"get", url_for(*server), "-H", "Via:", "-H", "X-Amz-Cf-Id: mine"}, kExitOk);
  const auto requests = received->all();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_FALSE(contains(requests[0], "Via:")) << requests[0];
  EXPECT_TRUE(contains(requests[0], "\r\nX-Amz-Cf-Id: mine\r\n")) << requests[0];
  EXPECT_EQ(requests[0].find("X-Amz-Cf-Id"), requests[0].rfind("X-Amz-Cf-Id")) << requests[0];
}

TEST(GetHttpTest, JsonHeaderFieldsKeepOrderSpellingAndRepeats) {
  // Set-Cookie twice, spelled two ways, between two other fields.
  auto server =
      start_server(answer("HTTP/1.1 200 OK\r\nX-Trace: t1\r\nSet-Cookie: a=1; Path=/\r\nset-cookie: b=2\r\n"
                          "Content-Length: 2\r\n\r\nok"));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitOk);
  const json doc = json_output(result);
  const json expected = json::array({{{"name", "X-Trace"}, {"value", "t1"}},
                                     {{"name", "Set-Cookie"}, {"value", "a=1; Path=/"}},
                                     {{"name", "set-cookie"}, {"value", "b=2"}},
                                     {{"name", "Content-Length"}, {"value", "2"}}});
  EXPECT_EQ(doc["header_fields"], expected) << result.out;
  // `headers` keeps its stable shape: lower-case names, a repeat as an array.
  EXPECT_EQ(doc["headers"]["set-cookie"], json::array({"a=1; Path=/", "b=2"})) << result.out;
  EXPECT_EQ(doc["headers"]["x-trace"], "t1") << result.out;
}

// Beast's fields container would move a repeated field's later lines up next
// to its first; get reads with the edge's own parser, which keeps them as they came.
TEST(GetHttpTest, JsonHeaderFieldsKeepWireOrderBetweenRepeats) {
  auto server =
      start_server(answer("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Trace: t1\r\nSet-Cookie: b=2\r\n"
                          "Content-Length: 2\r\n\r\nok"));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitOk);
  const json doc = json_output(result);
  const json expected = json::array({{{"name", "Set-Cookie"}, {"value", "a=1"}},
                                     {{"name", "X-Trace"}, {"value", "t1"}},
                                     {{"name", "Set-Cookie"}, {"value", "b=2"}},
                                     {{"name", "Content-Length"}, {"value", "2"}}});
  EXPECT_EQ(doc["header_fields"], expected) << result.out;
}

TEST(GetHttpTest, JsonCarriesAHeaderValueThatIsNotUtf8) {
  // obs-text bytes are legal in a field value (RFC 9110 5.5); JSON cannot hold
  // them, so they are written as U+FFFD rather than failing the report.
  auto server = start_server(
      answer(std::string("HTTP/1.1 200 OK\r\nX-Bin: a\xff\xfe\xc3(b\r\nContent-Length: 2\r\n\r\nok")));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitOk);
  const json doc = json_output(result);
  EXPECT_EQ(doc["status"], 200);
  EXPECT_EQ(doc["headers"]["x-bin"], "a\uFFFD\uFFFD\uFFFD(b") << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(GetHttpTest, AResolveEntryForAnotherHostIsPointedOut) {
  auto server = start_server(answer(std::string(kHello)));
  ASSERT_TRUE(server);
  const std::string port = std::to_string(server->port());
  // localhost comes from /etc/hosts; the entry names another host.
  const auto result = run_edgefetch(
      {"get", "http://localhost:" + port + "/", "--resolve", "other.test:" + port + ":127.0.0.1"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "note: no --resolve entry is for localhost:" + port +
                                       ", so the name is resolved by DNS (an entry is localhost:" + port +
                                       ":ADDRESS)"))
      << result.err;
  const auto matching = run_edgefetch(
      {"get", "http://localhost:" + port + "/", "--resolve", "localhost:" + port + ":127.0.0.1"});
  EXPECT_EQ(matching.exit_code, 0) << matching.err;
  EXPECT_FALSE(contains(matching.err, "no --resolve entry")) << matching.err;
}

TEST(GetHttpTest, AnyHttpStatusIsSuccess) {
  auto server = start_server(answer("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown"));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitOk);
  EXPECT_EQ(json_output(result)["status"], 503);
}

TEST(GetHttpTest, OutputFileGetsTheBody) {
  auto server = start_server(answer(std::string(kHello)));
  ASSERT_TRUE(server);
  const auto dir = support::ScratchDir::create("get-output");
  const auto path = dir / "body.txt";
  const auto result = run_expecting({"get", url_for(*server), "-o", path.string()}, kExitOk);
  EXPECT_EQ(result.out, "");
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "hello world\n");
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// A fetch that fails before its body leaves an existing -o file as it was and
// makes no new one; an empty body still makes its empty file.
TEST(GetHttpTest, AFailedFetchLeavesTheOutputFileAlone) {
  const auto dir = support::ScratchDir::create("get-output-kept");
  const auto kept = dir / "kept.txt";
  std::ofstream(kept) << "precious\n";
  const std::string closed = "http://127.0.0.1:" + std::to_string(support::pick_free_port()) + "/";
  run_expecting({"get", closed, "-o", kept.string(), "--connection-attempts", "1"}, kExitConnection);
  EXPECT_EQ(file_text(kept), "precious\n");
  const auto fresh = dir / "fresh.txt";
  run_expecting({"get", closed, "-o", fresh.string(), "--connection-attempts", "1"}, kExitConnection);
  EXPECT_FALSE(std::filesystem::exists(fresh));

  auto server = start_server(answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
  ASSERT_TRUE(server);
  run_expecting({"get", url_for(*server), "-o", fresh.string()}, kExitOk);
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_EQ(file_text(fresh), "");
}

TEST(GetHttpTest, DashIsStdoutAndAnEmptyOutputIsRefused) {
  auto server = start_server(answer(std::string(kHello)));
  ASSERT_TRUE(server);
  const auto dash = run_expecting({"get", url_for(*server), "-o", "-"}, kExitOk);
  EXPECT_EQ(dash.out, "hello world\n");
  const auto empty = run_expecting({"get", url_for(*server), "-o", ""}, kExitUsage);
  EXPECT_TRUE(contains(empty.err, "a file name, or - for stdout")) << empty.err;
  const auto with_json = run_expecting({"get", url_for(*server), "-o", "-", "--json"}, kExitUsage);
  EXPECT_TRUE(contains(with_json.err, "standard output carries the JSON report")) << with_json.err;
}

TEST(GetHttpTest, AJsonReportOfABodyThatCouldNotBeWrittenHasTheError) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  auto server = start_server(answer(std::string(kHello)));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "-o", "/dev/full", "--json"}, kExitInternal);
  const auto doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "output_failed") << doc.dump(2);
  EXPECT_TRUE(contains(doc["error"]["message"].get<std::string>(), "/dev/full")) << doc.dump(2);
}

// A body cut short after the head: the report keeps the head, and says the
// viewer would have had the origin's status, not a 502.
TEST(GetHttpTest, ABodyCutShortKeepsTheHeadInTheReport) {
  auto server = start_server(answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nX-Cut: yes\r\n\r\nhello"));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitConnection);
  const auto doc = json_output(result);
  EXPECT_EQ(doc["status"], 200) << doc.dump(2);
  EXPECT_EQ(doc["headers"]["x-cut"], "yes") << doc.dump(2);
  EXPECT_EQ(doc["body_bytes"], 5) << doc.dump(2);
  EXPECT_EQ(doc["error"]["cdn_status"], 200) << doc.dump(2);
  EXPECT_TRUE(
      contains(result.err, "The origin's 200 had arrived: the CDN would have sent it on to its viewer"))
      << result.err;
  EXPECT_FALSE(contains(result.err, "would answer its viewer 502")) << result.err;
  EXPECT_FALSE(contains(result.err, "speaks TLS")) << "the port answered in HTTP: " << result.err;
}

// The parser's two-word findings ("bad field") become what to look for.
TEST(GetHttpTest, AnInvalidResponseSaysWhichRuleItBreaks) {
  struct Case {
    std::string response;
    std::string says;
  };
  for (const Case& c : {
           Case{"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
                "no three-digit status code followed by a space"},
           Case{"HTTP/1.1 200 OK\nContent-Length: 2\n\nok", "bare LF instead of CRLF"},
           Case{"HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 2\r\n\r\nok", "is not 'Name: value'"},
           Case{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: "
                "chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
                "comes with a Content-Length"},
           Case{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nok\r\n0\r\n\r\n",
                "chunk's size line is not a hexadecimal size"},
       }) {
    auto server = start_server(answer(c.response));
    ASSERT_TRUE(server);
    const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitConnection);
    const auto doc = json_output(result);
    EXPECT_EQ(doc["error"]["code"], "invalid_response") << doc.dump(2);
    EXPECT_TRUE(contains(doc["error"]["message"].get<std::string>(), c.says)) << doc.dump(2);
  }
}

TEST(GetHttpTest, VerboseShowsInterimResponsesAndAnUnaskedSwitchIsInvalid) {
  auto hints =
      start_server(answer("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  ASSERT_TRUE(hints);
  const auto verbose = run_expecting({"get", url_for(*hints), "-v", "-o", "/dev/null"}, kExitOk);
  const auto interim = verbose.err.find("< HTTP/1.1 103 Early Hints\n< Link: </style.css>; rel=preload\n");
  const auto final_head = verbose.err.find("< HTTP/1.1 200 OK");
  ASSERT_NE(interim, std::string::npos) << verbose.err;
  EXPECT_LT(interim, final_head) << verbose.err;

  // A coded body is written as it came, and -v says so.
  auto coded =
      start_server(answer("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\nzz"));
  ASSERT_TRUE(coded);
  const auto gzip = run_expecting({"get", url_for(*coded), "-v"}, kExitOk);
  EXPECT_EQ(gzip.out, "zz");
  EXPECT_TRUE(
      contains(gzip.err, "Received 2 body bytes (Content-Encoding: gzip, written as received, not decoded)"))
      << gzip.err;

  // RFC 9110 15.2.2: no 101 without an Upgrade in the request.
  auto switched = start_server(
      answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw"));
  ASSERT_TRUE(switched);
  const auto result = run_expecting({"get", url_for(*switched), "--json"}, kExitConnection);
  const auto doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "invalid_response") << doc.dump(2);
  EXPECT_TRUE(contains(doc["error"]["message"].get<std::string>(), "switched protocols (101)"))
      << doc.dump(2);
}

TEST(GetHttpTest, AResetBeforeAnyResponseIsSaidSo) {
  // Reads the request head, then closes with SO_LINGER 0: an RST.
  auto server = start_server([](support::UniqueFd connection, int stop_fd) {
    if (!read_request_head(connection.get(), stop_fd)) return;
    const linger abort_close{1, 0};
    (void)::setsockopt(connection.get(), SOL_SOCKET, SO_LINGER, &abort_close, sizeof abort_close);
  });
  ASSERT_TRUE(server);
  const auto result =
      run_expecting({"get", url_for(*server), "--json", "--connection-attempts", "1"}, kExitConnection);
  const auto doc = json_output(result);
  const std::string message = doc["error"]["message"];
  EXPECT_TRUE(contains(message, "the origin reset the connection without sending a response")) << doc.dump(2);
  EXPECT_FALSE(contains(message, "body bytes")) << doc.dump(2);
}

TEST(GetHttpTest, UnwritableOutputFileIsAUsageError) {
  const auto result =
      run_expecting({"get", "http://127.0.0.1:9/", "-o", "/nonexistent-dir/x/body"}, kExitUsage);
  EXPECT_TRUE(contains(result.err, "cannot open for writing")) << result.err;
}

TEST(GetHttpTest, MethodHeadersBodyAndHostHeaderAreSent) {
  auto received = std::make_shared<ReceivedRequests>();
  auto server = start_server(answer("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", received));
  ASSERT_TRUE(server);
  run_expecting({"get", url_for(*server, "/submit"), "-X", "PUT", "-d", "x=1", "-H", "X-One: 1", "-H",
                 "User-Agent: probe/2", "--host-header", "www.example.test"},
                kExitOk);
  const auto requests = received->all();
  ASSERT_EQ(requests.size(), 1u);
  const std::string& sent = requests[0];
  EXPECT_TRUE(sent.starts_with("PUT /submit HTTP/1.1\r\n")) << sent;
  EXPECT_TRUE(contains(sent, "\r\nHost: www.example.test\r\n")) << sent;
  EXPECT_TRUE(contains(sent, "\r\nUser-Agent: probe/2\r\n")) << sent;
  EXPECT_FALSE(contains(sent, "Amazon CloudFront")) << sent;
  EXPECT_TRUE(contains(sent, "\r\nX-One: 1\r\n")) << sent;
  EXPECT_TRUE(contains(sent, "\r\nContent-Length: 3\r\n\r\nx=1")) << sent;
}

TEST(GetHttpTest, DataAloneMeansPost) {
  auto received = std::make_shared<ReceivedRequests>();
  auto server = start_server(answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", received));
  ASSERT_TRUE(server);
  run_expecting({"get", url_for(*server), "-d", "a"}, kExitOk);
  ASSERT_EQ(received->all().size(), 1u);
  EXPECT_TRUE(received->all()[0].starts_with("POST / HTTP/1.1\r\n"));
}

TEST(GetHttpTest, ResolveSendsTheNameButConnectsToTheAddress) {
  auto received = std::make_shared<ReceivedRequests>();
  auto server = start_server(answer("HTTP/1.1 204 No Content\r\n\r\n", received));
  ASSERT_TRUE(server);
  const std::string port = std::to_string(server->port());
  const auto result = run_expecting({"get", "http://origin.test:" + port + "/", "--resolve",
                                     "origin.test:" + port + ":127.0.0.1", "--json"},
                                    kExitOk);
  EXPECT_EQ(json_output(result)["status"], 204);
  ASSERT_EQ(received->all().size(), 1u);
  EXPECT_TRUE(contains(received->all()[0], "\r\nHost: origin.test\r\n"));
}

TEST(GetHttpTest, VerboseNarratesTheFetchOnStderr) {
  auto server = start_server(answer(std::string(kHello)));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", "-v", url_for(*server)}, kExitOk);
  EXPECT_EQ(result.out, "hello world\n");
  EXPECT_TRUE(contains(
      result.err, "Connection attempt 1 of 3 to 127.0.0.1:" + std::to_string(server->port()) + ": connected"))
      << result.err;
  EXPECT_TRUE(contains(result.err, "> GET / HTTP/1.1")) << result.err;
  EXPECT_TRUE(contains(result.err, "< HTTP/1.1 200 OK")) << result.err;
  EXPECT_TRUE(contains(result.err, "Timings: dns ")) << result.err;
  EXPECT_TRUE(contains(result.err, "first byte ")) << result.err;
  EXPECT_FALSE(contains(result.err, "\x1b[")) << "no colour when stderr is not a terminal";
}

TEST(GetHttpTest, RefusedPortIsAConnectionFailureAfterEveryAttempt) {
  const std::string port = std::to_string(support::pick_free_port());
  const auto result = run_expecting(
      {"get", "http://127.0.0.1:" + port + "/", "--connection-attempts", "2", "--json"}, kExitConnection);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "connection_refused");
  EXPECT_EQ(doc["error"]["cdn_status"], 502);
  EXPECT_EQ(doc["error"]["phase"], "connect") << "the phase stderr shows is in the JSON too";
  EXPECT_FALSE(doc.contains("status"));
  EXPECT_FALSE(doc.contains("header_fields")) << "no response, no header fields";
  ASSERT_EQ(doc["attempts"].size(), 2u);
  EXPECT_EQ(doc["attempts"][0]["outcome"], "refused");
  EXPECT_EQ(doc["attempts"][1]["outcome"], "refused");
  EXPECT_TRUE(contains(result.err, "connection_refused")) << result.err;
  EXPECT_TRUE(contains(result.err, "refused (2 attempts)")) << result.err;
  EXPECT_TRUE(contains(result.err, "listens on port " + port)) << result.err;
}

TEST(GetHttpTest, SilentOriginHitsTheReadTimeout) {
  auto server = start_server(stay_silent());
  ASSERT_TRUE(server);
  const auto started = std::chrono::steady_clock::now();
  const auto result =
      run_expecting({"get", url_for(*server), "--read-timeout", "1", "--connection-attempts", "1", "--json"},
                    kExitConnection);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 8s);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "read_timeout");
  EXPECT_EQ(doc["error"]["cdn_status"], 504);
  EXPECT_EQ(doc["error"]["phase"], "response");
  EXPECT_TRUE(contains(result.err, "read_timeout (response, ")) << result.err;
  EXPECT_TRUE(contains(result.err, "read timeout of 1 second")) << result.err;
}

TEST(GetHttpTest, ATlsAlertInAnswerToPlainHttpSaysThePortSpeaksTls) {
  // What gnutls-serv sends when a plain HTTP request reaches it: a fatal
  // unexpected_message alert, which no HTTP parser reads.
  auto server = start_server(answer(std::string("\x15\x03\x03\x00\x02\x02\x0a", 7)));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitConnection);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "invalid_response");
  EXPECT_EQ(doc["error"]["cdn_status"], 502);
  const std::string message = doc["error"]["message"];
  EXPECT_TRUE(contains(message, "a TLS alert (unexpected_message)")) << message;
  EXPECT_TRUE(contains(message, "the port speaks TLS")) << message;
  // Not mistaken for a dropped connection.
  EXPECT_FALSE(contains(result.err, "before the response was complete")) << result.err;
}

TEST(GetHttpTest, AGzipTransferCodingIsAnInvalidResponseAsAtTheEdge) {
  auto server = start_server(
      answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitConnection);
  const json doc = json_output(result);
  EXPECT_EQ(doc["error"]["code"], "invalid_response");
  EXPECT_TRUE(contains(doc["error"]["message"].get<std::string>(), "Transfer-Encoding: gzip, chunked"))
      << doc.dump();
  // Over http:// the port may be a TLS one; over https:// the hint is about the response instead.
  EXPECT_TRUE(contains(result.err, "is it a TLS port reached with http://?")) << result.err;
}

TEST(GetHttpTest, AStatusWithoutAClassIsAnInvalidResponseAsAtTheEdge) {
  for (const char* status : {"000", "099", "600", "999"}) {
    auto server =
        start_server(answer(std::string("HTTP/1.1 ") + status + " Odd\r\nContent-Length: 0\r\n\r\n"));
    ASSERT_TRUE(server);
    const auto result = run_expecting({"get", url_for(*server), "--json"}, kExitConnection);
    const json doc = json_output(result);
    EXPECT_EQ(doc["error"]["code"], "invalid_response") << status;
    EXPECT_EQ(doc["error"]["cdn_status"], 502) << status;
    EXPECT_TRUE(contains(doc["error"]["message"].get<std::string>(), "is outside 100-599")) << doc.dump();
  }
  auto server = start_server(answer("HTTP/1.1 599 Edge\r\nContent-Length: 0\r\n\r\n"));
  ASSERT_TRUE(server);
  EXPECT_EQ(json_output(run_expecting({"get", url_for(*server), "--json"}, kExitOk))["status"], 599);
}

TEST(GetHttpTest, AnHttpUrlWhoseOriginHangsUpSilentlyIsAskedWhetherThePortSpeaksTls) {
  // openssl s_server closes on a plain HTTP request without a byte.
  auto server = start_server(answer(""));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server)}, kExitConnection);
  EXPECT_TRUE(contains(result.err, "connection_closed")) << result.err;
  EXPECT_TRUE(contains(result.err, "If port " + std::to_string(server->port()) + " speaks TLS, use https://"))
      << result.err;
}

TEST(GetHttpTest, InsecureWarnsLoudlyEvenForHttp) {
  auto server = start_server(answer(std::string(kHello)));
  ASSERT_TRUE(server);
  const auto result = run_expecting({"get", url_for(*server), "--insecure", "--json"}, kExitOk);
  EXPECT_TRUE(contains(result.err, "WARNING: --insecure")) << result.err;
  const json doc = json_output(result);
  ASSERT_TRUE(doc["warnings"].is_array());
  bool found = false;
  for (const auto& warning : doc["warnings"])
    found = found || contains(warning.get<std::string>(), "--insecure");
  EXPECT_TRUE(found) << doc["warnings"].dump();
}

struct UsageCase {
  std::vector<std::string> args;
  std::string message;  // expected on stderr
};

TEST(GetHttpTest, BadInputIsAUsageErrorWithAMessage) {
  const std::vector<UsageCase> cases = {
      {{"get"}, "which URL? give https://HOST[:PORT]/PATH or http://HOST[:PORT]/PATH"},
      {{"get", "ftp://origin.test/"}, "unsupported scheme 'ftp'"},
      {{"get", "origin.test/"}, "no scheme"},
      {{"get", "https://origin.test:99999/"}, "not a valid port"},
      {{"get", "https://[::1/"}, "no closing ']'"},
      {{"get", "https://a b/"}, "percent-encode"},
      {{"get", "https://origin.test/", "--connect-timeout", "0"},
       "--connect-timeout: 0 is out of range; give a whole number from 1 to 10"},
      {{"get", "https://origin.test/", "--connect-timeout", "11"}, "11 is out of range"},
      {{"get", "https://origin.test/", "--connect-timeout", "99999999999"}, "99999999999 is out of range"},
      {{"get", "https://origin.test/", "--connection-attempts", "4"}, "whole number from 1 to 3"},
      {{"get", "https://origin.test/", "--read-timeout", "121"}, "whole number from 1 to 120"},
      // Not a number at all: said so, rather than CLI11's "Value soon not in range".
      {{"get", "https://origin.test/", "--read-timeout", "soon"},
       "--read-timeout: 'soon' is not a whole number; give one from 1 to 120"},
      {{"get", "https://origin.test/", "--connect-timeout", "2.5"}, "'2.5' is not a whole number"},
      {{"get", "https://origin.test/", "--resolve", "origin.test:443"}, "HOST:PORT:ADDRESS"},
      {{"get", "https://origin.test/", "--resolve", "origin.test:443:nowhere"},
       "not an IPv4 or IPv6 address"},
      {{"get", "https://origin.test/", "-H", "NoColon"}, "expected 'Name: value'"},
      {{"get", "https://origin.test/", "-H", "Bad Name: x"}, "not a valid header name"},
      {{"get", "https://origin.test/", "-X", "GE T"}, "not a valid HTTP method"},
      // Methods the CDN never forwards, and a GET body it answers itself (facts 5.2).
      {{"get", "https://origin.test/", "-X", "get"},
       "-X 'get': CloudFront forwards only GET, HEAD, OPTIONS, PUT, PATCH, POST and DELETE"},
      {{"get", "https://origin.test/", "-X", "CONNECT"}, "CloudFront forwards only GET"},
      {{"get", "https://origin.test/", "-X", "GET", "-d", "x"},
       "-d with GET: the CDN answers a GET request with a body 403 and never sends it to the origin"},
      // Framing is edgefetch's own: a second Content-Length would contradict it.
      {{"get", "https://origin.test/", "-H", "Content-Length: 5"}, "edgefetch frames the request itself"},
      {{"get", "https://origin.test/", "-H", "transfer-encoding: chunked"},
       "edgefetch frames the request itself"},
      {{"get", "https://origin.test/", "-H", "Upgrade: websocket"}, "leave the header out"},
      {{"get", "https://origin.test/", "--profile", "nosuch"}, "known profiles: cloudfront"},
      {{"get", "https://origin.test/", "--origin-ssl-protocols", "TLSv9"}, "--origin-ssl-protocols"},
      {{"get", "https://origin.test/", "--alpn", "h2,,x"}, "--alpn"},
      {{"get", "https://origin.test/", "--host-header", "a.test", "-H", "Host: b.test"}, "conflicts"},
      {{"get", "https://origin.test/", "--ca-file", "/nonexistent/ca.pem"},
       "--ca-file '/nonexistent/ca.pem': cannot read it (No such file or directory)"},
      {{"get", "https://origin.test/", "--ca-file", "/"},
       "--ca-file '/': cannot read it (it is a directory)"},
      {{"get", "https://origin.test/", "--ca-file", "/proc/version"},
       "--ca-file '/proc/version': no PEM certificate found (no '-----BEGIN CERTIFICATE-----' block"},
      {{"get", "http://origin.test/", "-d", "@/nonexistent/body.bin"},
       "-d @/nonexistent/body.bin: cannot read '/nonexistent/body.bin' (No such file or directory)"},
      {{"get", "https://origin.test/", "--no-such-flag"}, "--no-such-flag"},
      {{"get", "https://origin.test.:8443/"},
       "invalid URL 'https://origin.test.:8443/': 'origin.test.' ends with a dot: give the origin's name "
       "without it (origin.test)"},
  };
  for (const auto& c : cases) {
    const auto result = run_expecting(c.args, kExitUsage);
    EXPECT_TRUE(contains(result.err, c.message)) << result.command_line << "\nstderr:\n" << result.err;
    EXPECT_EQ(result.out, "") << result.command_line;
  }
}

TEST(GetHttpTest, HelpDocumentsExitCodes) {
  const auto result = run_expecting({"get", "--help"}, kExitOk);
  EXPECT_TRUE(contains(result.out, "Exit codes: 0 any HTTP response, 1 TLS or certificate failure"))
      << result.out;
  EXPECT_TRUE(contains(result.out, "4 the body or the --json report could not be written (output_failed)"))
      << result.out;
  // A silent origin costs attempts x read timeout, as at the edge.
  EXPECT_TRUE(contains(result.out, "up to --connection-attempts tries in all")) << result.out;
  EXPECT_TRUE(contains(result.out, "(90 s with the defaults)")) << result.out;
  EXPECT_TRUE(contains(result.out, "--origin-ssl-protocols")) << result.out;
  EXPECT_TRUE(contains(result.out, "--resolve")) << result.out;
}

}  // namespace
}  // namespace edgefetch::cli_test
