// Handshake messages fragmented across records and coalesced into one record.

#include "tls/messages/handshake_assembler.hpp"

#include <gtest/gtest.h>

#include "test_bytes.hpp"

namespace edgefetch::tls::messages {
namespace {

using test::Bytes;
using test::concat;
using test::hex;

Bytes next_bytes(HandshakeAssembler& a) {
  auto m = a.next();
  EXPECT_TRUE(m);
  if (!m || !m->has_value()) return {};
  return Bytes((*m)->bytes.begin(), (*m)->bytes.end());
}

TEST(HandshakeAssembler, SplitsCoalescedMessages) {
  HandshakeAssembler a;
  const Bytes hello = hex("02 000003 aabbcc");
  const Bytes done = hex("0e 000000");
  a.add(concat({hello, done}));
  auto first = a.next();
  ASSERT_TRUE(first && first->has_value());
  EXPECT_EQ((*first)->type, 2);
  EXPECT_EQ(Bytes((*first)->body.begin(), (*first)->body.end()), hex("aabbcc"));
  EXPECT_EQ(Bytes((*first)->bytes.begin(), (*first)->bytes.end()), hello);
  EXPECT_EQ(next_bytes(a), done);
  auto none = a.next();
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_TRUE(a.empty());
}

TEST(HandshakeAssembler, ReassemblesByteByByte) {
  HandshakeAssembler a;
  const Bytes message = hex("0b 000006 000003 010203");
  for (std::size_t i = 0; i + 1 < message.size(); ++i) {
    a.add(std::span<const std::uint8_t>(message).subspan(i, 1));
    auto m = a.next();
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->has_value()) << "complete after " << i + 1 << " bytes";
    EXPECT_FALSE(a.empty());
  }
  a.add(std::span<const std::uint8_t>(message).last(1));
  EXPECT_EQ(next_bytes(a), message);
  EXPECT_TRUE(a.empty());
}

TEST(HandshakeAssembler, MessageStraddlingRecordsWithNextOneStarting) {
  HandshakeAssembler a;
  a.add(hex("14 00000c 0102030405"));
  a.add(hex("060708090a0b0c 0e 00"));
  EXPECT_EQ(next_bytes(a), hex("14 00000c 0102030405060708090a0b0c"));
  auto partial = a.next();
  ASSERT_TRUE(partial);
  EXPECT_FALSE(partial->has_value());
  EXPECT_EQ(a.buffered(), 2u);
  a.add(hex("0000"));
  EXPECT_EQ(next_bytes(a), hex("0e 000000"));
}

TEST(HandshakeAssembler, RejectsMessageAboveLimitFromHeaderAlone) {
  HandshakeAssembler a(1024);
  a.add(hex("0c 000401"));
  auto m = a.next();
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::decode_error);
  HandshakeAssembler b(1024);
  b.add(concat({hex("0b 000400"), Bytes(1024, 0)}));
  auto ok = b.next();
  ASSERT_TRUE(ok && ok->has_value());
  EXPECT_EQ((*ok)->body.size(), 1024u);
}

TEST(HandshakeAssembler, TheDefaultLimitIsTheCdns64KiB) {
  // s2n refuses a handshake message whose body is over 64 KiB; OpenSSL would take up to 100 KiB.
  HandshakeAssembler at_limit;
  at_limit.add(concat({hex("0b 010000"), Bytes(65536, 0)}));
  auto ok = at_limit.next();
  ASSERT_TRUE(ok && ok->has_value());
  HandshakeAssembler over;
  over.add(hex("0b 010001"));
  auto refused = over.next();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().alert, std::uint8_t{10}) << "unexpected_message, as s2n sends";
  EXPECT_NE(refused.error().message.find("CDN's TLS library"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("shorter chain"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().code, ErrorCode::cert_invalid) << "a chain the CDN cannot take";
}

}  // namespace
}  // namespace edgefetch::tls::messages
