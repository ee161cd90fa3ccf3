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
  std::string many = "GET / HTTP/1.1\r\n";
  for (std::size_t i = 0; i < kMaxHeaderFields; ++i) many += "X: y\r\n";
  EXPECT_EQ(scan_status(many + "\r\n"), 0);
  EXPECT_EQ(scan_status(many + "Z: z\r\n\r\n"), 431);
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

TEST(CheckRequestHead, RefusesWhatBeastLetsThrough) {
  // Beast accepts a Transfer-Encoding without chunked as its last coding.
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")->status, 400);
  EXPECT_EQ(check("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")->status, 400);
  EXPECT_EQ(check("GET / HTTP/1.1\r\n\r\n")->status, 400);
  EXPECT_EQ(check("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")->status, 400);
  EXPECT_EQ(check("GET * HTTP/1.1\r\nHost: a\r\n\r\n")->status, 400);
  EXPECT_EQ(check("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")->status, 400);
}

}  // namespace
}  // namespace edgefetch::edge
