#include "edgefetch/edge/request_checks.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

namespace edgefetch::edge {
namespace {
namespace http = boost::beast::http;

int scan_status(const std::string& text) {
  const auto scan = scan_request_head(text);
  return scan.problem ? scan.problem->status : 0;
}

TEST(ScanRequestHead, FindsTheEndOfACompleteHead) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const auto scan = scan_request_head(head + "GET /next");
  EXPECT_FALSE(scan.problem);
  EXPECT_EQ(scan.head_size, head.size());
}

TEST(ScanRequestHead, WaitsForMoreWhileIncomplete) {
  const auto scan = scan_request_head("GET / HTTP/1.1\r\nHost: a\r\n");
  EXPECT_FALSE(scan.problem);
  EXPECT_EQ(scan.head_size, 0u);
}

TEST(ScanRequestHead, RefusesBareLineEndingsAndFolding) {
  EXPECT_EQ(scan_status("GET / HTTP/1.1\nHost: a\n\n"), 400);
  EXPECT_EQ(scan_status("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n"), 400);
  EXPECT_EQ(scan_status("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(scan_status("GET / HTTP/1.1\r\nHost: a\r\n\tfolded\r\n\r\n"), 400);
}

TEST(ScanRequestHead, EnforcesTheCdnLimits) {
  EXPECT_EQ(scan_status("GET /" + std::string(kMaxUrlBytes, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n"), 414);
  EXPECT_EQ(scan_status("GET /" + std::string(kMaxUrlBytes - 1, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
  EXPECT_EQ(scan_status("GET /" + std::string(kMaxUrlBytes + 100, 'a')), 414);  // no line end yet
  EXPECT_EQ(scan_status("GET / HTTP/1.1\r\nX: " + std::string(kMaxRequestHeadBytes, 'b')), 413);
  // A request line with one space: everything after it is the target.
  EXPECT_EQ(scan_status("GET /" + std::string(kMaxUrlBytes, 'a') + "\r\n\r\n"), 414);
  std::string many = "GET / HTTP/1.1\r\n";
  for (std::size_t i = 0; i < kMaxHeaderFields; ++i) many += "X: y\r\n";
  EXPECT_EQ(scan_status(many + "\r\n"), 0);
  EXPECT_EQ(scan_status(many + "Z: z\r\n\r\n"), 431);
}

TEST(ScanRequestHead, ReachesTheSameVerdictWhateverTheReadsWere) {
  // A long method with a URL at the limit: the partial line is longer than the
  // URL limit plus a version, but the URL in it is not (viewer_request_fuzz
  // checks that pieces and one read agree).
  const std::string line = std::string(40, 'M') + " /" + std::string(kMaxUrlBytes - 1, 'a') + " HTTP/1.1";
  const std::string head = line + "\r\nHost: a\r\n\r\n";
  for (std::size_t arrived = 1; arrived < head.size(); arrived += 97) {
    EXPECT_EQ(scan_status(head.substr(0, arrived)), 0) << arrived << " bytes";
  }
  EXPECT_EQ(scan_status(line), 0);
  EXPECT_EQ(scan_request_head(head).head_size, head.size());
  EXPECT_EQ(scan_status(std::string(40, 'M') + " /" + std::string(kMaxUrlBytes, 'a')), 414);
}

std::optional<HeadProblem> check(const std::string& text) {
  http::request_parser<http::empty_body> parser;
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(text), ec);
  EXPECT_FALSE(ec) << ec.message() << " for " << text;
  return check_request_head(parser.get().base());
}

TEST(CheckRequestHead, AcceptsOrdinaryRequests) {
  EXPECT_FALSE(check("GET /a?b=c HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(check("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
  EXPECT_FALSE(check("GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(check("GET / HTTP/1.0\r\n\r\n"));
}

// RFC 9110 4.2.3: the scheme's default port, written or not, is the same
// authority (explore18 http #10: "http://a:80/x" with "Host: a" was a 400).
TEST(CheckRequestHead, AnAbsoluteTargetMayWriteTheDefaultPortTheHostLeavesOut) {
  EXPECT_FALSE(check("GET http://a:80/x HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(check("GET http://a/x HTTP/1.1\r\nHost: a:80\r\n\r\n"));
  EXPECT_FALSE(check("GET https://A:443/x HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(check("GET http://a:8080/x HTTP/1.1\r\nHost: a\r\n\r\n")->status, 400);
  EXPECT_EQ(check("GET http://a:443/x HTTP/1.1\r\nHost: a\r\n\r\n")->status, 400);
  EXPECT_EQ(check("GET http://b:80/x HTTP/1.1\r\nHost: a\r\n\r\n")->status, 400);
}

// RFC 9112 2.2: empty lines before a request line are ignored; only whole CRLFs.
TEST(LeadingEmptyLines, CountsTheCrlfsBeforeTheRequestLine) {
  EXPECT_EQ(leading_empty_lines("\r\nGET / HTTP/1.1\r\n"), 2u);
  EXPECT_EQ(leading_empty_lines("\r\n\r\nGET /"), 4u);
  EXPECT_EQ(leading_empty_lines("GET / HTTP/1.1\r\n\r\n"), 0u);
  EXPECT_EQ(leading_empty_lines("\r"), 0u);
  EXPECT_EQ(leading_empty_lines("\r\n\r"), 2u);
  EXPECT_EQ(leading_empty_lines("\n"), 0u);
  EXPECT_EQ(leading_empty_lines(""), 0u);
}

TEST(CheckRequestHead, RefusesWhatBeastLetsThrough) {
  // Beast accepts a Transfer-Encoding without chunked as its last coding.
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")->status, 400);
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")->status, 400);
  EXPECT_EQ(check("GET / HTTP/1.1\r\n\r\n")->status, 400);
  EXPECT_EQ(check("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")->status, 400);
  EXPECT_EQ(check("GET * HTTP/1.1\r\nHost: a\r\n\r\n")->status, 400);
  // Beast accepts obs-text in the target; the origin client would refuse it
  // and the viewer would get a 502 (found by viewer_request_fuzz).
  const auto raw_byte = check("GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_TRUE(raw_byte);
  EXPECT_EQ(raw_byte->status, 400);
  EXPECT_EQ(raw_byte->reason,
            "The request target contains a byte outside visible ASCII (percent-encode it).");
  EXPECT_FALSE(check("GET /caf%C3%A9 HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(check("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")->status, 400);
  // A fragment is not part of a request-target (RFC 9112 3.2); past a
  // filtered query it would stick to the last parameter kept.
  for (const char* target : {"/a#b", "/a?x=1#&y=2", "/#", "http://a/x#y"}) {
    const auto fragment = check(std::string("GET ") + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
    ASSERT_TRUE(fragment) << target;
    EXPECT_EQ(fragment->status, 400);
    EXPECT_EQ(fragment->reason, "The request target contains a fragment ('#'); percent-encode it as %23.");
  }
  EXPECT_FALSE(check("GET /a%23b HTTP/1.1\r\nHost: a\r\n\r\n"));
}

TEST(WebSocketUpgrade, IsAnHttp11GetListingWebsocketAndUpgrade) {
  const auto head = [](const std::string& text) {
    http::request_parser<http::empty_body> parser;
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(text), ec);
    EXPECT_FALSE(ec) << ec.message() << " for " << text;
    return parser.release().base();
  };
  EXPECT_TRUE(is_websocket_upgrade(
      head("GET /c HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")));
  // Browsers send "keep-alive, Upgrade"; names are case-insensitive; lists may repeat fields.
  EXPECT_TRUE(is_websocket_upgrade(
      head("GET /c HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: WebSocket\r\n\r\n")));
  EXPECT_TRUE(is_websocket_upgrade(
      head("GET /c HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nUpgrade: websocket\r\nConnection: x\r\nConnection: "
           "upgrade\r\n\r\n")));
  // Not an upgrade the edge relays: another protocol, no Connection token,
  // HTTP/1.0 (Upgrade means nothing there), another method.
  EXPECT_FALSE(is_websocket_upgrade(
      head("GET /c HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n")));
  EXPECT_FALSE(is_websocket_upgrade(head("GET /c HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n")));
  EXPECT_FALSE(is_websocket_upgrade(
      head("GET /c HTTP/1.1\r\nHost: a\r\nUpgrade: websocket2\r\nConnection: Upgrade\r\n\r\n")));
  EXPECT_FALSE(is_websocket_upgrade(
      head("GET /c HTTP/1.0\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")));
  EXPECT_FALSE(is_websocket_upgrade(
      head("POST /c HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")));
}

TEST(CheckRequestHead, HostMustBeAHostWithAnOptionalPort) {
  const auto with_host = [](const std::string& host) {
    return check("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
  };
  for (const char* good : {"origin.test", "origin.test:8080", "ORIGIN.test:65535", "127.0.0.1:80", "[::1]",
                           "[::1]:8443", "[2001:db8::1]", "xn--bcher-kva.example", "a_b.test", "%61.test"}) {
    EXPECT_FALSE(with_host(good)) << good;
  }
  for (const char* bad :
       {"", "a b", "evil.com/foo?", "origin.test:", "origin.test:abc", "origin.test:99999",
        "origin.test:123456", "[::1", "[::1]x", "[zz::1]", "a@b.test", "[]", "origin.test:-1"}) {
    const auto problem = with_host(bad);
    ASSERT_TRUE(problem) << "'" << bad << "'";
    EXPECT_EQ(problem->status, 400) << bad;
    EXPECT_NE(problem->reason.find("Host header"), std::string::npos) << problem->reason;
  }
}

std::variant<BodyFraming, HeadProblem> read(const std::string& head) {
  RequestParser parser;
  return read_request_head(parser, head);
}

TEST(ReadRequestHead, GivesTheBodyFraming) {
  const auto none = std::get<BodyFraming>(read("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(none.has_body());
  const auto length = std::get<BodyFraming>(read("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n"));
  EXPECT_FALSE(length.chunked);
  EXPECT_EQ(length.content_length, 12u);
  const auto chunked =
      std::get<BodyFraming>(read("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
  EXPECT_TRUE(chunked.chunked);
  EXPECT_FALSE(chunked.content_length);
  // A GET that says its body is empty has none.
  EXPECT_FALSE(
      std::get<BodyFraming>(read("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")).has_body());
}

TEST(ReadRequestHead, RefusesAsTheEdgeAnswers) {
  const auto malformed = std::get<HeadProblem>(read("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n"));
  EXPECT_EQ(malformed.status, 400);
  EXPECT_TRUE(malformed.reason.starts_with("The request head is malformed (")) << malformed.reason;
  EXPECT_EQ(std::get<HeadProblem>(read("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).status, 400);
  // Beast itself refuses versions other than 1.0 and 1.1.
  EXPECT_EQ(std::get<HeadProblem>(read("GET / HTTP/1.2\r\nHost: a\r\n\r\n")).reason,
            "The request head is malformed (bad version).");
  // Facts 5.2: a GET or HEAD with a body is refused with 403.
  const auto get_body = std::get<HeadProblem>(read("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n"));
  EXPECT_EQ(get_body.status, 403);
  EXPECT_EQ(get_body.reason, "The request is a GET or HEAD request with a body.");
  EXPECT_EQ(
      std::get<HeadProblem>(read("HEAD / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")).status,
      403);
  // Not a whole head: the caller passes exactly what scan_request_head delimited.
  EXPECT_EQ(std::get<HeadProblem>(read("GET / HTTP/1.1\r\nHost: a\r\n")).reason,
            "The request head is malformed (need more).");
}

TEST(ReadRequestHead, KeepsTheHeadForTheLogWhenItRefuses) {
  RequestParser parser;
  const auto result = read_request_head(parser, "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n");
  ASSERT_TRUE(std::holds_alternative<HeadProblem>(result));
  ASSERT_TRUE(parser.is_header_done());
  EXPECT_EQ(parser.get().base().version(), 10u);
}

}  // namespace
}  // namespace edgefetch::edge
