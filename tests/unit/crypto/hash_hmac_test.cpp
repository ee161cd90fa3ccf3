// Known-answer tests for digests (FIPS 180 / RFC 1321 "abc" vectors) and HMAC
// (RFC 2202 for MD5/SHA-1, RFC 4231 for SHA-256/SHA-384).

#include <gtest/gtest.h>

#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/hmac.hpp"
#include "edgefetch/crypto/library.hpp"
#include "hex.hpp"

namespace edgefetch::crypto {
namespace {

using policy::HashAlgorithm;
using test::bytes_of;
using test::from_hex;
using test::to_hex;

TEST(Library, InitializesOwnContextWithLegacyProvider) {
  ASSERT_TRUE(initialize().has_value());
  EXPECT_TRUE(legacy_provider_available());
}

struct DigestVector {
  HashAlgorithm hash;
  const char* hex;
};

TEST(Digest, AbcKnownAnswers) {
  const DigestVector vectors[] = {
      {HashAlgorithm::md5, "900150983cd24fb0d6963f7d28e17f72"},
      {HashAlgorithm::sha1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {HashAlgorithm::sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {HashAlgorithm::sha384,
       "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
      // TLS 1.0/1.1 signature/Finished hash: MD5 || SHA-1
      {HashAlgorithm::md5_sha1, "900150983cd24fb0d6963f7d28e17f72a9993e364706816aba3e25717850c26c9cd0d89d"},
  };
  for (const auto& v : vectors) {
    const auto out = digest(v.hash, bytes_of("abc"));
    EXPECT_EQ(to_hex(out), v.hex) << static_cast<int>(v.hash);
    EXPECT_EQ(out.size(), digest_length(v.hash));
  }
}

TEST(HashContext, IncrementalEqualsOneShotAndCopiesAreIndependent) {
  const auto data = bytes_of("The quick brown fox jumps over the lazy dog, twice over.");
  for (const auto hash : {HashAlgorithm::md5, HashAlgorithm::sha1, HashAlgorithm::sha256,
                          HashAlgorithm::sha384, HashAlgorithm::md5_sha1}) {
    HashContext ctx(hash);
    ctx.update(std::span(data).first(10));
    HashContext snapshot = ctx;  // transcript snapshot
    ctx.update(std::span(data).subspan(10));
    EXPECT_EQ(ctx.peek(), digest(hash, data));
    EXPECT_EQ(ctx.peek(), ctx.peek()) << "peek must not disturb the context";
    EXPECT_EQ(snapshot.finish(), digest(hash, std::span(data).first(10)));
    EXPECT_EQ(ctx.finish(), digest(hash, data));
    // finish() resets: an empty message now
    EXPECT_EQ(ctx.finish(), digest(hash, {}));
  }
}

struct HmacVector {
  HashAlgorithm hash;
  std::vector<std::uint8_t> key;
  std::vector<std::uint8_t> data;
  const char* hex;
};

TEST(Hmac, RfcKnownAnswers) {
  const std::vector<HmacVector> vectors = {
      // RFC 2202 test cases 1 and 2
      {HashAlgorithm::md5, std::vector<std::uint8_t>(16, 0x0b), bytes_of("Hi There"),
       "9294727a3638bb1c13f48ef8158bfc9d"},
      {HashAlgorithm::md5, bytes_of("Jefe"), bytes_of("what do ya want for nothing?"),
       "750c783e6ab0b503eaa86e310a5db738"},
      {HashAlgorithm::sha1, std::vector<std::uint8_t>(20, 0x0b), bytes_of("Hi There"),
       "b617318655057264e28bc0b6fb378c8ef146be00"},
      {HashAlgorithm::sha1, bytes_of("Jefe"), bytes_of("what do ya want for nothing?"),
       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      // RFC 4231 test cases 1 and 2
      {HashAlgorithm::sha256, std::vector<std::uint8_t>(20, 0x0b), bytes_of("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {HashAlgorithm::sha256, bytes_of("Jefe"), bytes_of("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {HashAlgorithm::sha384, std::vector<std::uint8_t>(20, 0x0b), bytes_of("Hi There"),
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"},
  };
  for (const auto& v : vectors) {
    auto one_shot = hmac(v.hash, v.key, v.data);
    ASSERT_TRUE(one_shot.has_value()) << one_shot.error().message;
    EXPECT_EQ(to_hex(one_shot.value()), v.hex);

    // Incremental, and the same keyed object reused for a second message.
    auto mac = Hmac::create(v.hash, v.key);
    ASSERT_TRUE(mac.has_value());
    for (int round = 0; round < 2; ++round) {
      mac->update(std::span(v.data).first(3));
      mac->update(std::span(v.data).subspan(3));
      EXPECT_EQ(to_hex(mac->finish()), v.hex) << "round " << round;
    }
    // reset() discards a partial message
    mac->update(bytes_of("garbage"));
    mac->reset();
    mac->update(v.data);
    EXPECT_EQ(to_hex(mac->finish()), v.hex);
  }
}

TEST(Hmac, RejectsMd5Sha1) {
  EXPECT_FALSE(Hmac::create(HashAlgorithm::md5_sha1, bytes_of("k")).has_value());
}

TEST(Hmac, DifferentKeysDiffer) {
  auto a = hmac(HashAlgorithm::sha256, bytes_of("key-a"), bytes_of("msg"));
  auto b = hmac(HashAlgorithm::sha256, bytes_of("key-b"), bytes_of("msg"));
  ASSERT_TRUE(a && b);
  EXPECT_NE(a.value(), b.value());
}

}  // namespace
}  // namespace edgefetch::crypto
