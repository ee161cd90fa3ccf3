// ByteReader / ByteWriter: every read is bounds-checked and all-or-nothing;
// every length prefix is back-patched; overflow is reported, never wrapped.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "tls/codec/byte_reader.hpp"
#include "tls/codec/byte_writer.hpp"

namespace edgefetch::tls::codec {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(ByteReader, ReadsBigEndianIntegers) {
  const Bytes data{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A};
  ByteReader r(data);
  std::uint8_t a = 0;
  std::uint16_t b = 0;
  std::uint32_t c = 0, d = 0;
  ASSERT_TRUE(r.read_u8(a));
  ASSERT_TRUE(r.read_u16(b));
  ASSERT_TRUE(r.read_u24(c));
  ASSERT_TRUE(r.read_u32(d));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x040506u);
  EXPECT_EQ(d, 0x0708090Au);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.read_u8(a));
}

TEST(ByteReader, FailedReadLeavesReaderUnchanged) {
  const Bytes data{0xAA, 0xBB, 0xCC};
  ByteReader r(data);
  std::uint32_t v = 0xDEADBEEF;
  EXPECT_FALSE(r.read_u32(v));
  EXPECT_EQ(v, 0xDEADBEEFu);
  EXPECT_EQ(r.remaining(), 3u);
  std::span<const std::uint8_t> out;
  EXPECT_FALSE(r.read_bytes(4, out));
  EXPECT_EQ(r.remaining(), 3u);
  EXPECT_TRUE(r.read_u24(v));
  EXPECT_EQ(v, 0xAABBCCu);
}

TEST(ByteReader, PrefixedFieldsAreSubReaders) {
  const Bytes data{0x02, 0xAA, 0xBB, 0x00, 0x01, 0xCC, 0x00, 0x00, 0x02, 0xDD, 0xEE, 0xFF};
  ByteReader r(data);
  ByteReader a, b, c;
  ASSERT_TRUE(r.read_u8_prefixed(a));
  ASSERT_TRUE(r.read_u16_prefixed(b));
  ASSERT_TRUE(r.read_u24_prefixed(c));
  EXPECT_EQ(a.remaining(), 2u);
  EXPECT_EQ(b.remaining(), 1u);
  EXPECT_EQ(c.remaining(), 2u);
  EXPECT_EQ(r.remaining(), 1u);
  std::uint16_t v = 0;
  ASSERT_TRUE(a.read_u16(v));
  EXPECT_EQ(v, 0xAABB);
  // A sub-reader never reads past its own length, even though the parent has more.
  std::uint16_t w = 0;
  EXPECT_FALSE(b.read_u16(w));
}

TEST(ByteReader, PrefixLongerThanDataFailsWithoutConsuming) {
  const Bytes data{0x00, 0x05, 0x01, 0x02};
  ByteReader r(data);
  ByteReader sub;
  EXPECT_FALSE(r.read_u16_prefixed(sub));
  EXPECT_EQ(r.remaining(), 4u);
  std::span<const std::uint8_t> bytes;
  EXPECT_FALSE(r.read_u16_prefixed_bytes(bytes));
  EXPECT_EQ(r.remaining(), 4u);
}

// Every truncation of a valid nested structure must fail cleanly at some read
// and never read outside the buffer (ASan checks the latter in sanitizer builds).
TEST(ByteReader, EveryTruncationFailsCleanly) {
  ByteWriter w;
  w.u16(0x0303);
  {
    auto outer = w.u16_prefixed();
    w.u8_prefixed_bytes(Bytes{1, 2, 3});
    {
      auto inner = w.u24_prefixed();
      w.u32(0x01020304);
    }
  }
  w.u8(7);
  ASSERT_TRUE(w.ok());
  const Bytes full = w.take();

  auto parse = [](std::span<const std::uint8_t> data) {
    ByteReader r(data);
    std::uint16_t version = 0;
    ByteReader outer, first, inner;
    std::span<const std::uint8_t> first_bytes;
    std::uint32_t value = 0;
    std::uint8_t tail = 0;
    return r.read_u16(version) && r.read_u16_prefixed(outer) && outer.read_u8_prefixed_bytes(first_bytes) &&
           outer.read_u24_prefixed(inner) && inner.read_u32(value) && inner.empty() && outer.empty() &&
           r.read_u8(tail) && r.empty() && value == 0x01020304 && tail == 7;
  };
  EXPECT_TRUE(parse(full));
  for (std::size_t n = 0; n < full.size(); ++n) {
    // Copy into an exactly-sized heap buffer so any overread is an ASan error.
    const Bytes truncated(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(parse(truncated)) << "accepted a truncation to " << n << " bytes";
  }
}

TEST(ByteReader, ReadIntoAndSkip) {
  const Bytes data{1, 2, 3, 4, 5};
  ByteReader r(data);
  std::array<std::uint8_t, 3> out{};
  ASSERT_TRUE(r.read_into(out));
  EXPECT_EQ(out, (std::array<std::uint8_t, 3>{1, 2, 3}));
  EXPECT_FALSE(r.skip(3));
  EXPECT_TRUE(r.skip(2));
  EXPECT_TRUE(r.empty());
  std::array<std::uint8_t, 1> one{};
  EXPECT_FALSE(r.read_into(one));
}

TEST(ByteWriter, BackPatchesNestedLengths) {
  ByteWriter w;
  {
    auto a = w.u16_prefixed();
    w.u8(0xAA);
    {
      auto b = w.u8_prefixed();
      w.u16(0xBBCC);
    }
    { auto c = w.u24_prefixed(); }
  }
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w.take(), (Bytes{0x00, 0x07, 0xAA, 0x02, 0xBB, 0xCC, 0x00, 0x00, 0x00}));
}

TEST(ByteWriter, ExplicitCloseThenDestructionIsHarmless) {
  ByteWriter w;
  auto s = w.u8_prefixed();
  w.u8(1);
  s.close();
  w.u8(2);  // after the scope: not counted
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w.take(), (Bytes{0x01, 0x01, 0x02}));
}

TEST(ByteWriter, OverlongU8PrefixedBodyFails) {
  ByteWriter w;
  {
    auto s = w.u8_prefixed();
    w.zeros(256);
  }
  EXPECT_FALSE(w.ok());
}

TEST(ByteWriter, MaximalU8PrefixedBodyFits) {
  ByteWriter w;
  w.u8_prefixed_bytes(Bytes(255, 0x11));
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(w.data()[0], 0xFF);
}

TEST(ByteWriter, OverlongU16PrefixedBodyFails) {
  ByteWriter w;
  w.u16_prefixed_bytes(Bytes(65536, 0));
  EXPECT_FALSE(w.ok());
}

TEST(ByteWriter, U24ValueOutOfRangeFails) {
  ByteWriter w;
  w.u24(0x1000000);
  EXPECT_FALSE(w.ok());
  ByteWriter v;
  v.u24(0xFFFFFF);
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.take(), (Bytes{0xFF, 0xFF, 0xFF}));
}

TEST(ByteWriter, OpenScopeMeansNotOk) {
  ByteWriter w;
  auto s = w.u16_prefixed();
  EXPECT_FALSE(w.ok());
  s.close();
  EXPECT_TRUE(w.ok());
}

TEST(ByteWriter, OutOfOrderCloseFails) {
  ByteWriter w;
  auto outer = w.u16_prefixed();
  auto inner = w.u16_prefixed();
  outer.close();
  inner.close();
  EXPECT_FALSE(w.ok());
}

TEST(ByteWriter, RoundTripsThroughReader) {
  ByteWriter w;
  w.u32(0xCAFEBABE);
  w.u24_prefixed_bytes(Bytes{9, 8, 7});
  ASSERT_TRUE(w.ok());
  const Bytes bytes = w.take();
  ByteReader r(bytes);
  std::uint32_t v = 0;
  std::span<const std::uint8_t> body;
  ASSERT_TRUE(r.read_u32(v));
  ASSERT_TRUE(r.read_u24_prefixed_bytes(body));
  EXPECT_EQ(v, 0xCAFEBABEu);
  EXPECT_EQ(Bytes(body.begin(), body.end()), (Bytes{9, 8, 7}));
  EXPECT_TRUE(r.empty());
}

}  // namespace
}  // namespace edgefetch::tls::codec
