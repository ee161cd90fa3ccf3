// ReceiveBuffer: what the socket reads into directly. The unread bytes keep
// their order through every compaction and growth, a read lands behind a
// partial record without moving it while the tail has room, and a commit
// never makes unwritten bytes available.

#include "tls/record/receive_buffer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

namespace edgefetch::tls {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes sequence(std::size_t n, std::uint8_t first) {
  Bytes bytes(n);
  std::iota(bytes.begin(), bytes.end(), first);
  return bytes;
}

Bytes available(ReceiveBuffer& buffer) {
  const auto view = buffer.available();
  return Bytes(view.begin(), view.end());
}

TEST(ReceiveBuffer, CommittedBytesBecomeAvailableInOrder) {
  ReceiveBuffer buffer;
  EXPECT_EQ(buffer.buffered(), 0u);
  auto space = buffer.space(10);
  ASSERT_GE(space.size(), 10u);
  const Bytes first = sequence(10, 0);
  std::memcpy(space.data(), first.data(), first.size());
  buffer.commit(4);  // the socket delivered fewer bytes than there was room for
  EXPECT_EQ(available(buffer), Bytes(first.begin(), first.begin() + 4));
  buffer.append(sequence(3, 100));
  EXPECT_EQ(available(buffer), (Bytes{0, 1, 2, 3, 100, 101, 102}));
  buffer.consume(5);
  EXPECT_EQ(available(buffer), (Bytes{101, 102}));
  buffer.consume(99);  // clamped to what is there
  EXPECT_EQ(buffer.buffered(), 0u);
}

TEST(ReceiveBuffer, ReadLandsBehindAPartialRecordWithoutMovingIt) {
  ReceiveBuffer buffer;
  buffer.append(sequence(100, 0));
  (void)buffer.space(4096);  // grow once
  buffer.consume(60);        // 40 bytes of a record remain
  const std::uint8_t* partial = buffer.available().data();
  auto space = buffer.space(16);  // the tail has room: nothing moves
  EXPECT_EQ(buffer.available().data(), partial);
  EXPECT_EQ(space.data(), partial + 40);
  EXPECT_EQ(available(buffer), sequence(40, 60));
}

TEST(ReceiveBuffer, CompactsAndGrowsKeepingTheUnreadBytes) {
  ReceiveBuffer buffer;
  buffer.append(sequence(200, 0));
  buffer.consume(150);
  // More than the tail holds: the 50 unread bytes move to the front, and the
  // buffer grows for the rest.
  auto space = buffer.space(100000);
  ASSERT_GE(space.size(), 100000u);
  EXPECT_EQ(available(buffer), sequence(50, 150));
  std::fill_n(space.begin(), 100000, std::uint8_t{7});
  buffer.commit(100000);
  EXPECT_EQ(buffer.buffered(), 100050u);
  EXPECT_EQ(available(buffer)[49], 199);
  EXPECT_EQ(available(buffer)[50], 7);
  // Everything taken: the next read starts at the front again.
  buffer.consume(100050);
  const std::uint8_t* front = buffer.space(1).data();
  buffer.append(sequence(1, 9));
  EXPECT_EQ(buffer.available().data(), front);
}

TEST(ReceiveBuffer, CommitBeyondTheSpaceIsClamped) {
  ReceiveBuffer buffer;
  const auto space = buffer.space(8);
  std::fill(space.begin(), space.end(), std::uint8_t{1});
  buffer.commit(space.size() + 1000);
  EXPECT_EQ(buffer.buffered(), space.size());
}

TEST(ReceiveBuffer, TakeUnreadEmptiesTheBuffer) {
  ReceiveBuffer buffer;
  buffer.append(sequence(30, 0));
  buffer.consume(10);
  EXPECT_EQ(buffer.take_unread(), sequence(20, 10));
  EXPECT_EQ(buffer.buffered(), 0u);
  buffer.append(sequence(2, 5));
  EXPECT_EQ(available(buffer), (Bytes{5, 6}));
}

}  // namespace
}  // namespace edgefetch::tls
