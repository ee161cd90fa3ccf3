// Record ciphers: NIST vectors (GCM spec test case 4, SP 800-38A CBC),
// RFC 6229 for RC4, and cross-checks against one-shot EVP in a separate
// library context (a second libcrypto path) for 3DES and ChaCha20-Poly1305.

#include "edgefetch/crypto/cipher.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "edgefetch/crypto/random.hpp"
#include "hex.hpp"

namespace edgefetch::crypto {
namespace {

using policy::BulkCipher;
using test::bytes_of;
using test::from_hex;
using test::to_hex;
using Bytes = std::vector<std::uint8_t>;

TEST(Aead, AesGcmNistTestCase4) {
  const Bytes key = from_hex("feffe9928665731c6d6a8f9467308308");
  const Bytes iv = from_hex("cafebabefacedbaddecaf888");
  const Bytes aad = from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const Bytes plaintext = from_hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aed"
      "f5aa0de6"
      "57ba637b39");
  const std::string expected =
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b"
      "396a0aac"
      "973d58e091"
      "5bc94fbc3221a5db94fae95ae7121a47";
  auto sealer = Aead::create(BulkCipher::aes_128_gcm, key, CipherDirection::encrypt);
  auto opener = Aead::create(BulkCipher::aes_128_gcm, key, CipherDirection::decrypt);
  ASSERT_TRUE(sealer && opener);
  for (int round = 0; round < 2; ++round) {  // the context is reused with a new nonce each time
    Bytes out;
    ASSERT_TRUE(sealer->seal(iv, aad, plaintext, out).has_value());
    EXPECT_EQ(to_hex(out), expected);
    auto opened = opener->open(iv, aad, out);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_EQ(opened.value(), plaintext);
  }
}

TEST(Aead, TamperedTagAadOrNonceFails) {
  for (const auto cipher :
       {BulkCipher::aes_128_gcm, BulkCipher::aes_256_gcm, BulkCipher::chacha20_poly1305}) {
    Bytes key(policy::info(cipher).key_length);
    ASSERT_TRUE(random_bytes(key).has_value());
    auto sealer = Aead::create(cipher, key, CipherDirection::encrypt);
    auto opener = Aead::create(cipher, key, CipherDirection::decrypt);
    ASSERT_TRUE(sealer && opener);
    const Bytes nonce(12, 7);
    const Bytes aad = bytes_of("header");
    Bytes sealed;
    ASSERT_TRUE(sealer->seal(nonce, aad, bytes_of("attack at dawn"), sealed).has_value());
    EXPECT_EQ(sealed.size(), 14 + Aead::kTagLength);
    EXPECT_TRUE(opener->open(nonce, aad, sealed).has_value());
    for (std::size_t i = 0; i < sealed.size(); ++i) {
      Bytes bad = sealed;
      bad[i] ^= 0x01;
      EXPECT_FALSE(opener->open(nonce, aad, bad).has_value()) << "byte " << i;
    }
    EXPECT_FALSE(opener->open(nonce, bytes_of("headex"), sealed).has_value());
    EXPECT_FALSE(opener->open(Bytes(12, 8), aad, sealed).has_value());
    EXPECT_FALSE(opener->open(nonce, aad, Bytes(15, 0)).has_value()) << "shorter than a tag";
    // empty plaintext still authenticates
    Bytes empty;
    ASSERT_TRUE(sealer->seal(nonce, aad, {}, empty).has_value());
    auto opened = opener->open(nonce, aad, empty);
    ASSERT_TRUE(opened.has_value());
    EXPECT_TRUE(opened->empty());
    // direction is enforced
    Bytes unused;
    EXPECT_FALSE(opener->seal(nonce, aad, bytes_of("x"), unused).has_value());
  }
}

TEST(Aead, RejectsWrongKeyLengthAndNonAead) {
  EXPECT_FALSE(Aead::create(BulkCipher::aes_128_gcm, Bytes(15, 0), CipherDirection::encrypt).has_value());
  EXPECT_FALSE(Aead::create(BulkCipher::aes_128_cbc, Bytes(16, 0), CipherDirection::encrypt).has_value());
}

TEST(BlockCipher, AesCbcSp800_38aVectors) {
  const Bytes iv = from_hex("000102030405060708090a0b0c0d0e0f");
  const Bytes plaintext = from_hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
  struct Case {
    BulkCipher cipher;
    const char* key;
    const char* ciphertext;
  };
  const Case cases[] = {
      {BulkCipher::aes_128_cbc, "2b7e151628aed2a6abf7158809cf4f3c",
       "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"},
      {BulkCipher::aes_256_cbc, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
       "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"},
  };
  for (const auto& c : cases) {
    auto enc = BlockCipher::create(c.cipher, from_hex(c.key), CipherDirection::encrypt);
    auto dec = BlockCipher::create(c.cipher, from_hex(c.key), CipherDirection::decrypt);
    ASSERT_TRUE(enc && dec);
    EXPECT_EQ(enc->block_size(), 16u);
    for (int round = 0; round < 2; ++round) {
      Bytes buffer = plaintext;
      ASSERT_TRUE(enc->process(iv, buffer, buffer).has_value());  // in place
      EXPECT_EQ(to_hex(buffer), c.ciphertext);
      ASSERT_TRUE(dec->process(iv, buffer, buffer).has_value());
      EXPECT_EQ(buffer, plaintext) << "no padding block may be held back or stripped";
    }
    Bytes odd(17);
    EXPECT_FALSE(enc->process(iv, odd, odd).has_value());
    Bytes out(plaintext.size());
    EXPECT_FALSE(enc->process(Bytes(8), plaintext, out).has_value());
  }
}

// One-shot EVP in a library context of the test's own, with its own providers.
Bytes reference_encrypt(const char* name, const Bytes& key, const Bytes& iv, const Bytes& in, bool padding) {
  OSSL_LIB_CTX* ctx = OSSL_LIB_CTX_new();
  OSSL_PROVIDER* def = OSSL_PROVIDER_load(ctx, "default");
  OSSL_PROVIDER* legacy = OSSL_PROVIDER_load(ctx, "legacy");
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(ctx, name, nullptr);
  Bytes out(in.size() + 64);
  int n1 = 0, n2 = 0;
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex2(c, cipher, key.data(), iv.empty() ? nullptr : iv.data(), nullptr);
  EVP_CIPHER_CTX_set_padding(c, padding ? 1 : 0);
  EVP_EncryptUpdate(c, out.data(), &n1, in.data(), static_cast<int>(in.size()));
  EVP_EncryptFinal_ex(c, out.data() + n1, &n2);
  out.resize(static_cast<std::size_t>(n1 + n2));
  EVP_CIPHER_CTX_free(c);
  EVP_CIPHER_free(cipher);
  if (legacy != nullptr) OSSL_PROVIDER_unload(legacy);
  OSSL_PROVIDER_unload(def);
  OSSL_LIB_CTX_free(ctx);
  return out;
}

TEST(BlockCipher, TripleDesMatchesSecondEvpPath) {
  const Bytes key = from_hex("0123456789abcdef23456789abcdef01456789abcdef0123");
  const Bytes iv = from_hex("1234567890abcdef");
  const Bytes plaintext = bytes_of("The quick brown fox jumps over.!");  // 32 bytes
  auto enc = BlockCipher::create(BulkCipher::des_ede3_cbc, key, CipherDirection::encrypt);
  auto dec = BlockCipher::create(BulkCipher::des_ede3_cbc, key, CipherDirection::decrypt);
  ASSERT_TRUE(enc && dec);
  EXPECT_EQ(enc->block_size(), 8u);
  Bytes buffer = plaintext;
  ASSERT_TRUE(enc->process(iv, buffer, buffer).has_value());
  EXPECT_EQ(buffer, reference_encrypt("DES-EDE3-CBC", key, iv, plaintext, false));
  ASSERT_TRUE(dec->process(iv, buffer, buffer).has_value());
  EXPECT_EQ(buffer, plaintext);
}

TEST(StreamCipher, Rc4Rfc6229AndStateAcrossCalls) {
  // RFC 6229, 128-bit key 0x0102...10, keystream at offset 0 and 16.
  const Bytes key = from_hex("0102030405060708090a0b0c0d0e0f10");
  auto enc = StreamCipher::create(BulkCipher::rc4_128, key, CipherDirection::encrypt);
  ASSERT_TRUE(enc.has_value()) << enc.error().message;
  Bytes first(16, 0), second(16, 0);
  ASSERT_TRUE(enc->process(first, first).has_value());
  ASSERT_TRUE(enc->process(second, second).has_value());  // continues the keystream
  EXPECT_EQ(to_hex(first), "9ac7cc9a609d1ef7b2932899cde41b97");
  EXPECT_EQ(to_hex(second), "5248c4959014126a6e8a84f11d1a9e1c");
  const Bytes message = bytes_of("RC4 keeps its state from record to record");
  auto a = StreamCipher::create(BulkCipher::rc4_128, key, CipherDirection::encrypt);
  auto b = StreamCipher::create(BulkCipher::rc4_128, key, CipherDirection::decrypt);
  ASSERT_TRUE(a && b);
  Bytes c = message;
  ASSERT_TRUE(a->process(c, c).has_value());
  EXPECT_EQ(c, reference_encrypt("RC4", key, {}, message, false));
  ASSERT_TRUE(b->process(std::span(c).first(10), std::span(c).first(10)).has_value());
  ASSERT_TRUE(b->process(std::span(c).subspan(10), std::span(c).subspan(10)).has_value());
  EXPECT_EQ(c, message);
}

TEST(Aead, ChaCha20Poly1305MatchesSecondEvpPath) {
  const Bytes key(32, 0x42);
  const Bytes nonce = from_hex("070000004041424344454647");
  const Bytes plaintext = bytes_of("Ladies and Gentlemen of the class of '99");
  auto sealer = Aead::create(BulkCipher::chacha20_poly1305, key, CipherDirection::encrypt);
  ASSERT_TRUE(sealer.has_value());
  Bytes sealed;
  ASSERT_TRUE(sealer->seal(nonce, {}, plaintext, sealed).has_value());
  // Without AAD the ciphertext part equals a plain ChaCha20-Poly1305 encryption.
  const Bytes reference = reference_encrypt("ChaCha20-Poly1305", key, nonce, plaintext, false);
  EXPECT_EQ(Bytes(sealed.begin(), sealed.begin() + static_cast<std::ptrdiff_t>(plaintext.size())), reference);
}

}  // namespace
}  // namespace edgefetch::crypto
