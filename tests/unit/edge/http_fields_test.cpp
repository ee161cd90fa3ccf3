// Hop-by-hop names and the Connection-listed ones (facts 5.2/5.4).

#include "edgefetch/edge/http_fields.hpp"

#include <gtest/gtest.h>

#include <string>

namespace edgefetch::edge {
namespace {

TEST(HopByHop, MatchesTheNineNamesInAnyCaseAndNothingElse) {
  for (const char* name : {"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
                           "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade"}) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(c | 0x20);
    EXPECT_TRUE(is_hop_by_hop(name)) << name;
    EXPECT_TRUE(is_hop_by_hop(lower)) << lower;
  }
  // Same lengths as hop-by-hop names, and near misses.
  for (const char* name :
       {"Set-Cookie", "Connectio", "Connections", "Te ", "Trailers", "Upgrade-Insecure-Requests",
        "Proxy-Authorizatio", "Content-Type", "Transfer-Encodinh", "", "T"}) {
    EXPECT_FALSE(is_hop_by_hop(name)) << name;
  }
}

TEST(ConnectionTokens, SplitsTrimsAndMatchesCaseInsensitively) {
  const std::string first = " keep-alive ,\tX-Private,, ";
  const std::string second = "close";
  ConnectionTokens tokens;
  EXPECT_EQ(tokens.size(), 0u);
  EXPECT_FALSE(tokens.contains("keep-alive"));
  tokens.add_value(first);
  tokens.add_value(second);
  tokens.add_value("");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0], "keep-alive");
  EXPECT_EQ(tokens[1], "X-Private");
  EXPECT_EQ(tokens[2], "close");
  EXPECT_TRUE(tokens.contains("x-private"));
  EXPECT_TRUE(tokens.contains("Keep-Alive"));
  EXPECT_FALSE(tokens.contains("X-Privat"));
  EXPECT_FALSE(tokens.contains(""));

  EXPECT_TRUE(is_connection_specific("X-PRIVATE", tokens));
  EXPECT_TRUE(is_connection_specific("Upgrade", tokens));  // hop-by-hop, listed or not
  EXPECT_FALSE(is_connection_specific("X-Public", tokens));
}

TEST(ConnectionTokens, KeepsMoreTokensThanTheInlineRoom) {
  std::string value;
  for (int i = 0; i < 20; ++i) value += "X-T" + std::to_string(i) + ", ";
  ConnectionTokens tokens;
  tokens.add_value(value);
  ASSERT_EQ(tokens.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(tokens[static_cast<std::size_t>(i)], "X-T" + std::to_string(i));
    EXPECT_TRUE(tokens.contains("x-t" + std::to_string(i))) << i;
  }
  EXPECT_FALSE(tokens.contains("X-T20"));
}

TEST(ListsToken, FindsAWholeElementOfACommaSeparatedList) {
  EXPECT_TRUE(base::lists_token("Upgrade", "upgrade"));
  EXPECT_TRUE(base::lists_token("keep-alive, Upgrade", "upgrade"));
  EXPECT_TRUE(base::lists_token(" keep-alive ,\tUPGRADE\t", "upgrade"));
  EXPECT_TRUE(base::lists_token("h2c,websocket", "websocket"));
  EXPECT_FALSE(base::lists_token("websocket2", "websocket"));
  EXPECT_FALSE(base::lists_token("web socket", "websocket"));
  EXPECT_FALSE(base::lists_token("", "websocket"));
  EXPECT_FALSE(base::lists_token(",,", "websocket"));
}

TEST(SafeFieldValue, RefusesOnlyCrLfAndNul) {
  EXPECT_TRUE(is_safe_field_value(""));
  EXPECT_TRUE(is_safe_field_value("text/html; charset=\"utf-8\"\t\x7f\x80\xff"));
  for (const char bad : {'\r', '\n', '\0'}) {
    EXPECT_FALSE(is_safe_field_value(std::string("a long value that spans words ") + bad));
    EXPECT_FALSE(is_safe_field_value(std::string(1, bad)));
  }
}

}  // namespace
}  // namespace edgefetch::edge
