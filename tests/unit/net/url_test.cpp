#include "edgefetch/net/url.hpp"

#include <gtest/gtest.h>

namespace edgefetch::net {
namespace {

Url parse_ok(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_TRUE(url.has_value()) << text << ": " << (url ? "" : url.error());
  return url ? *url : Url{};
}

std::string parse_error(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_FALSE(url.has_value()) << text << " should be refused";
  return url ? std::string() : url.error();
}

TEST(UrlTest, HttpsWithDefaults) {
  const Url url = parse_ok("https://origin.example.com");
  EXPECT_EQ(url.scheme, Scheme::https);
  EXPECT_EQ(url.host, "origin.example.com");
  EXPECT_EQ(url.host_kind, HostKind::dns_name);
  EXPECT_EQ(url.port, 443);
  EXPECT_FALSE(url.port_explicit);
  EXPECT_EQ(url.target, "/");
  EXPECT_EQ(url.to_string(), "https://origin.example.com/");
}

TEST(UrlTest, HttpDefaultPortIs80) {
  const Url url = parse_ok("HTTP://a.test/x");
  EXPECT_EQ(url.scheme, Scheme::http);
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/x");
}

TEST(UrlTest, ExplicitPortPathAndQuery) {
  const Url url = parse_ok("https://origin.test:8443/a/b.html?x=1&y=%20z");
  EXPECT_EQ(url.port, 8443);
  EXPECT_TRUE(url.port_explicit);
  EXPECT_EQ(url.target, "/a/b.html?x=1&y=%20z");
  EXPECT_EQ(url.to_string(), "https://origin.test:8443/a/b.html?x=1&y=%20z");
}

TEST(UrlTest, QueryWithoutPathGetsSlash) {
  EXPECT_EQ(parse_ok("http://a.test?q=1").target, "/?q=1");
}

TEST(UrlTest, FragmentIsDropped) {
  EXPECT_EQ(parse_ok("https://a.test/p#frag").target, "/p");
}

TEST(UrlTest, Ipv4Literal) {
  const Url url = parse_ok("http://127.0.0.1:8080/");
  EXPECT_EQ(url.host_kind, HostKind::ipv4);
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 8080);
}

TEST(UrlTest, BracketedIpv6Literal) {
  const Url url = parse_ok("https://[::1]:8443/x");
  EXPECT_EQ(url.host_kind, HostKind::ipv6);
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 8443);
  EXPECT_EQ(url.host_for_uri(), "[::1]");
  EXPECT_EQ(url.to_string(), "https://[::1]:8443/x");
}

TEST(UrlTest, Ipv6WithoutPort) {
  const Url url = parse_ok("https://[2001:db8::1]/");
  EXPECT_EQ(url.host, "2001:db8::1");
  EXPECT_EQ(url.port, 443);
}

TEST(UrlTest, UnderscoreAndTrailingDotAreValidNames) {
  EXPECT_EQ(parse_ok("https://my_origin.test./").host, "my_origin.test.");
}

TEST(UrlTest, RefusesOtherSchemes) {
  EXPECT_NE(parse_error("ftp://a.test/").find("unsupported scheme 'ftp'"), std::string::npos);
  EXPECT_NE(parse_error("wss://a.test/").find("http:// and https://"), std::string::npos);
}

TEST(UrlTest, RefusesMissingScheme) {
  EXPECT_NE(parse_error("origin.test/").find("no scheme"), std::string::npos);
}

TEST(UrlTest, RefusesEmptyAndHostless) {
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("https:///path").find("no host"), std::string::npos);
  EXPECT_NE(parse_error("https://:443/").find("no host"), std::string::npos);
}

TEST(UrlTest, RefusesBadPorts) {
  EXPECT_NE(parse_error("https://a.test:0/").find("not a valid port"), std::string::npos);
  EXPECT_NE(parse_error("https://a.test:65536/").find("not a valid port"), std::string::npos);
  EXPECT_NE(parse_error("https://a.test:12ab/").find("not a valid port"), std::string::npos);
  EXPECT_NE(parse_error("https://a.test:/").find("no port"), std::string::npos);
}

TEST(UrlTest, RefusesUserinfo) {
  EXPECT_NE(parse_error("https://user:pw@a.test/").find("Authorization"), std::string::npos);
}

TEST(UrlTest, RefusesBadHosts) {
  EXPECT_NE(parse_error("https://a..test/").find("not a valid host name"), std::string::npos);
  EXPECT_NE(parse_error("https://-a.test!/").find("not a valid host name"), std::string::npos);
  EXPECT_NE(parse_error("https://1.2.3/").find("not a valid host name"), std::string::npos);
  EXPECT_NE(parse_error("https://999.1.1.1/").find("not a valid host name"), std::string::npos);
  EXPECT_NE(parse_error("https://" + std::string(64, 'a') + ".test/").find("not a valid host name"),
            std::string::npos);
}

TEST(UrlTest, RefusesBadIpv6) {
  EXPECT_NE(parse_error("https://[::1/").find("no closing"), std::string::npos);
  EXPECT_NE(parse_error("https://[::g]/").find("not a valid IPv6"), std::string::npos);
  EXPECT_NE(parse_error("https://[fe80::1%25eth0]/").find("zone"), std::string::npos);
  EXPECT_NE(parse_error("https://::1/").find("brackets"), std::string::npos);
  EXPECT_NE(parse_error("https://[::1]x/").find("after the IPv6"), std::string::npos);
}

TEST(UrlTest, RefusesUnencodedCharacters) {
  EXPECT_NE(parse_error("https://a.test/a b").find("percent-encode"), std::string::npos);
  EXPECT_NE(parse_error("https://a.test/a\"b").find("percent-encoded"), std::string::npos);
  EXPECT_NE(parse_error("https://a.test/%zz").find("two hex digits"), std::string::npos);
  EXPECT_NE(parse_error("https://a.test/caf\xC3\xA9").find("non-ASCII"), std::string::npos);
}

TEST(UrlTest, DnsNameValidation) {
  EXPECT_TRUE(is_valid_dns_name("localhost"));
  EXPECT_TRUE(is_valid_dns_name("a-b.c_d.test"));
  EXPECT_TRUE(is_valid_dns_name("3com.test"));
  EXPECT_FALSE(is_valid_dns_name(""));
  EXPECT_FALSE(is_valid_dns_name("."));
  EXPECT_FALSE(is_valid_dns_name("a.b.1"));
  EXPECT_FALSE(is_valid_dns_name(std::string(254, 'a')));
}

}  // namespace
}  // namespace edgefetch::net
