// ECDH key shares: agreement both ways, cross-checked against an independent
// EVP derivation; rejection of malformed, off-curve and small-order peer keys.

#include "edgefetch/crypto/key_share.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "edgefetch/policy/named_group.hpp"
#include "hex.hpp"

namespace edgefetch::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::from_hex;

constexpr std::uint16_t kGroups[] = {policy::kGroupSecp256r1, policy::kGroupSecp384r1,
                                     policy::kGroupSecp521r1, policy::kGroupX25519};

TEST(KeyShare, BothSidesAgree) {
  for (const auto group : kGroups) {
    auto a = KeyShare::generate(group);
    auto b = KeyShare::generate(group);
    ASSERT_TRUE(a && b) << group;
    EXPECT_EQ(a->group(), group);
    auto ab = a->derive(b->public_key());
    auto ba = b->derive(a->public_key());
    ASSERT_TRUE(ab && ba) << group;
    EXPECT_EQ(ab.value(), ba.value());
    const std::size_t expected_secret = group == policy::kGroupSecp256r1   ? 32
                                        : group == policy::kGroupSecp384r1 ? 48
                                        : group == policy::kGroupSecp521r1 ? 66
                                                                           : 32;
    EXPECT_EQ(ab->size(), expected_secret);
    // fresh keys each time
    EXPECT_NE(Bytes(a->public_key().begin(), a->public_key().end()),
              Bytes(b->public_key().begin(), b->public_key().end()));
  }
}

TEST(KeyShare, PublicEncodings) {
  auto p256 = KeyShare::generate(policy::kGroupSecp256r1);
  auto p384 = KeyShare::generate(policy::kGroupSecp384r1);
  auto x25519 = KeyShare::generate(policy::kGroupX25519);
  ASSERT_TRUE(p256 && p384 && x25519);
  EXPECT_EQ(p256->public_key().size(), 65u);
  EXPECT_EQ(p256->public_key()[0], 0x04);  // uncompressed point
  EXPECT_EQ(p384->public_key().size(), 97u);
  EXPECT_EQ(p384->public_key()[0], 0x04);
  EXPECT_EQ(x25519->public_key().size(), 32u);
  EXPECT_FALSE(KeyShare::generate(policy::kGroupX448).has_value());
  EXPECT_FALSE(key_share_supported(0x0100));
  EXPECT_TRUE(key_share_supported(policy::kGroupX25519));
}

// Independent derivation: the peer is a key made with EVP here; our derive()
// must equal what EVP computes from the peer's side.
TEST(KeyShare, MatchesIndependentEvpDerivation) {
  struct Case {
    std::uint16_t group;
    const char* type;
    const char* curve;
  };
  for (const Case c :
       {Case{policy::kGroupSecp256r1, "EC", "P-256"}, Case{policy::kGroupSecp384r1, "EC", "P-384"},
        Case{policy::kGroupX25519, "X25519", nullptr}}) {
    EVP_PKEY* peer = c.curve != nullptr ? EVP_PKEY_Q_keygen(nullptr, nullptr, c.type, c.curve)
                                        : EVP_PKEY_Q_keygen(nullptr, nullptr, c.type);
    ASSERT_NE(peer, nullptr);
    unsigned char* encoded = nullptr;
    const std::size_t length = EVP_PKEY_get1_encoded_public_key(peer, &encoded);
    const Bytes peer_public(encoded, encoded + length);
    OPENSSL_free(encoded);

    auto ours = KeyShare::generate(c.group);
    ASSERT_TRUE(ours.has_value());
    auto secret = ours->derive(peer_public);
    ASSERT_TRUE(secret.has_value()) << secret.error().message;

    // Peer side: import our public value and derive with EVP.
    EVP_PKEY* our_public = EVP_PKEY_new();
    ASSERT_EQ(EVP_PKEY_copy_parameters(our_public, peer), 1);
    ASSERT_EQ(
        EVP_PKEY_set1_encoded_public_key(our_public, ours->public_key().data(), ours->public_key().size()),
        1);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(peer, nullptr);
    ASSERT_EQ(EVP_PKEY_derive_init(ctx), 1);
    ASSERT_EQ(EVP_PKEY_derive_set_peer(ctx, our_public), 1);
    std::size_t n = 0;
    ASSERT_EQ(EVP_PKEY_derive(ctx, nullptr, &n), 1);
    Bytes expected(n);
    ASSERT_EQ(EVP_PKEY_derive(ctx, expected.data(), &n), 1);
    expected.resize(n);
    EXPECT_EQ(Bytes(secret->begin(), secret->end()), expected);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(our_public);
    EVP_PKEY_free(peer);
  }
}

TEST(KeyShare, RejectsBadNistPoints) {
  auto ours = KeyShare::generate(policy::kGroupSecp256r1);
  auto peer = KeyShare::generate(policy::kGroupSecp256r1);
  ASSERT_TRUE(ours && peer);
  Bytes good(peer->public_key().begin(), peer->public_key().end());
  ASSERT_TRUE(ours->derive(good).has_value());

  Bytes off_curve = good;
  off_curve[64] ^= 0x01;  // y no longer matches x
  auto r = ours->derive(off_curve);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("not on curve"), std::string::npos) << r.error().message;

  EXPECT_FALSE(ours->derive(Bytes(good.begin(), good.end() - 1)).has_value()) << "short";
  Bytes compressed(good.begin(), good.begin() + 33);
  compressed[0] = static_cast<std::uint8_t>(0x02 | (good[64] & 1));
  EXPECT_FALSE(ours->derive(compressed).has_value()) << "compressed points are not offered";
  Bytes wrong_form = good;
  wrong_form[0] = 0x06;  // hybrid form
  EXPECT_FALSE(ours->derive(wrong_form).has_value());
  EXPECT_FALSE(ours->derive(Bytes(65, 0)).has_value()) << "all zero";
  auto p384 = KeyShare::generate(policy::kGroupSecp384r1);
  ASSERT_TRUE(p384.has_value());
  EXPECT_FALSE(ours->derive(p384->public_key()).has_value()) << "point of another curve";
}

TEST(KeyShare, RejectsSmallOrderX25519Points) {
  auto ours = KeyShare::generate(policy::kGroupX25519);
  ASSERT_TRUE(ours.has_value());
  // Small-order points (RFC 7748 §6.1 all-zero check): 0, 1, and a point of order 8.
  for (const char* hex : {"0000000000000000000000000000000000000000000000000000000000000000",
                          "0100000000000000000000000000000000000000000000000000000000000000",
                          "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}) {
    auto r = ours->derive(from_hex(hex));
    EXPECT_FALSE(r.has_value()) << hex;
  }
  EXPECT_FALSE(ours->derive(Bytes(31, 9)).has_value());
}

}  // namespace
}  // namespace edgefetch::crypto
