#include "edgefetch/crypto/constant_time.hpp"

#include <gtest/gtest.h>

#include "edgefetch/crypto/random.hpp"
#include "hex.hpp"

namespace edgefetch::crypto {
namespace {

constexpr std::size_t kAll = ~static_cast<std::size_t>(0);

TEST(ConstantTime, Masks) {
  EXPECT_EQ(ct_lt_mask(1, 2), kAll);
  EXPECT_EQ(ct_lt_mask(2, 2), 0u);
  EXPECT_EQ(ct_lt_mask(3, 2), 0u);
  EXPECT_EQ(ct_lt_mask(0, kAll), kAll);
  EXPECT_EQ(ct_lt_mask(kAll, 0), 0u);
  EXPECT_EQ(ct_ge_mask(2, 2), kAll);
  EXPECT_EQ(ct_ge_mask(1, 2), 0u);
  EXPECT_EQ(ct_eq_mask(7, 7), kAll);
  EXPECT_EQ(ct_eq_mask(7, 8), 0u);
  EXPECT_EQ(ct_is_zero_mask(0), kAll);
  EXPECT_EQ(ct_is_zero_mask(1), 0u);
  EXPECT_EQ(ct_select(kAll, 5, 9), 5u);
  EXPECT_EQ(ct_select(0, 5, 9), 9u);
  EXPECT_EQ(ct_byte(kAll), 0xFF);
  for (std::size_t a = 0; a < 300; a += 7) {
    for (std::size_t b = 0; b < 300; b += 5) {
      EXPECT_EQ(ct_lt_mask(a, b), a < b ? kAll : 0u) << a << " " << b;
      EXPECT_EQ(ct_eq_mask(a, b), a == b ? kAll : 0u);
    }
  }
}

TEST(ConstantTime, Equal) {
  const auto a = test::bytes_of("abcdef");
  auto b = a;
  EXPECT_TRUE(ct_equal(a, b));
  b[5] = 'g';
  EXPECT_FALSE(ct_equal(a, b));
  EXPECT_FALSE(ct_equal(a, std::span(a).first(5)));
  EXPECT_TRUE(ct_equal({}, {}));
}

TEST(Random, FillsAndDiffers) {
  std::vector<std::uint8_t> a(32), b(32);
  ASSERT_TRUE(random_bytes(a).has_value());
  ASSERT_TRUE(random_bytes(b).has_value());
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::vector<std::uint8_t>(32, 0));
  EXPECT_TRUE(random_bytes({}).has_value());
}

}  // namespace
}  // namespace edgefetch::crypto
