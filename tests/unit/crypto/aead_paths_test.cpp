// Aead has two paths: the provider's cipher functions called directly (the
// default) and EVP_CIPHER_CTX (the fallback). Both are checked here against
// published vectors, against each other for many lengths, and for rejecting
// every kind of tampering, with contexts reused record after record as the TLS
// record layer does.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <vector>

#include "crypto/aead_access.hpp"
#include "edgefetch/crypto/cipher.hpp"
#include "edgefetch/crypto/random.hpp"
#include "hex.hpp"

namespace edgefetch::crypto {
namespace {

using detail::AeadAccess;
using policy::BulkCipher;
using test::bytes_of;
using test::from_hex;
using test::to_hex;
using Bytes = std::vector<std::uint8_t>;

constexpr BulkCipher kAeads[] = {BulkCipher::aes_128_gcm, BulkCipher::aes_256_gcm,
                                 BulkCipher::chacha20_poly1305};

enum class Path { provider, evp };
constexpr Path kPaths[] = {Path::provider, Path::evp};

const char* name(Path path) {
  return path == Path::provider ? "provider" : "evp";
}

Aead make(BulkCipher cipher, const Bytes& key, CipherDirection direction, Path path) {
  auto aead = path == Path::provider ? Aead::create(cipher, key, direction)
                                     : AeadAccess::create_over_evp(cipher, key, direction);
  if (!aead) {
    ADD_FAILURE() << aead.error().message;
    std::abort();
  }
  return std::move(aead.value());
}

Bytes random_key(BulkCipher cipher) {
  Bytes key(policy::info(cipher).key_length);
  EXPECT_TRUE(random_bytes(key).has_value());
  return key;
}

Bytes nonce_for(std::uint64_t record) {
  Bytes nonce = from_hex("000102030405060708090a0b");
  for (std::size_t i = 0; i < 8; ++i) {
    nonce[11 - i] ^= static_cast<std::uint8_t>(record >> (8 * i));
  }
  return nonce;
}

TEST(AeadPaths, ProviderFunctionsAreCalledDirectlyForEveryAead) {
  for (const auto cipher : kAeads) {
    const Bytes key = random_key(cipher);
    for (const auto direction : {CipherDirection::encrypt, CipherDirection::decrypt}) {
      auto direct = Aead::create(cipher, key, direction);
      auto evp = AeadAccess::create_over_evp(cipher, key, direction);
      ASSERT_TRUE(direct && evp);
      EXPECT_TRUE(AeadAccess::calls_provider_directly(*direct)) << policy::info(cipher).name;
      EXPECT_FALSE(AeadAccess::calls_provider_directly(*evp));
      EXPECT_EQ(direct->direction(), direction);
    }
  }
}

struct Vector {
  const char* what;
  BulkCipher cipher;
  const char* key;
  const char* nonce;
  const char* aad;
  std::string plaintext;  // hex
  std::string sealed;     // ciphertext || tag, hex
};

// GCM specification (McGrew/Viega) test cases 1, 2, 4, 13, 16; RFC 8439 2.8.2.
const Vector kVectors[] = {
    {"GCM 1 (empty)", BulkCipher::aes_128_gcm, "00000000000000000000000000000000", "000000000000000000000000",
     "", "", "58e2fccefa7e3061367f1d57a4e7455a"},
    {"GCM 2", BulkCipher::aes_128_gcm, "00000000000000000000000000000000", "000000000000000000000000", "",
     "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf"},
    {"GCM 4", BulkCipher::aes_128_gcm, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf"
     "5aa0d"
     "e657ba637b39",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b3"
     "96a0a"
     "ac973d58e0915bc94fbc3221a5db94fae95ae7121a47"},
    {"GCM 13 (AES-256, empty)", BulkCipher::aes_256_gcm,
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"GCM 16 (AES-256)", BulkCipher::aes_256_gcm,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf"
     "5aa0d"
     "e657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6"
     "393ba"
     "7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b"},
    {"RFC 8439 2.8.2", BulkCipher::chacha20_poly1305,
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "070000004041424344454647",
     "50515253c0c1c2c3c4c5c6c7",
     to_hex(bytes_of("Ladies and Gentlemen of the class of '99: If I could offer you "
                     "only one tip for the future, sunscreen would be it.")),
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0"
     "a9e06"
     "0b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de57"
     "6d265"
     "86cec64b61161ae10b594f09e26a7e902ecbd0600691"},
};

TEST(AeadPaths, PublishedVectorsOnBothPaths) {
  for (const auto& v : kVectors) {
    for (const auto path : kPaths) {
      SCOPED_TRACE(std::string(v.what) + " via " + name(path));
      const Bytes key = from_hex(v.key);
      Aead sealer = make(v.cipher, key, CipherDirection::encrypt, path);
      Aead opener = make(v.cipher, key, CipherDirection::decrypt, path);
      for (int round = 0; round < 2; ++round) {  // a reused context gives the same answer
        Bytes sealed;
        ASSERT_TRUE(
            sealer.seal(from_hex(v.nonce), from_hex(v.aad), from_hex(v.plaintext), sealed).has_value());
        EXPECT_EQ(to_hex(sealed), v.sealed);
        Bytes buffer = from_hex(v.sealed);
        auto length = opener.open_in_place(from_hex(v.nonce), from_hex(v.aad), buffer);
        ASSERT_TRUE(length.has_value()) << length.error().message;
        buffer.resize(*length);
        EXPECT_EQ(to_hex(buffer), v.plaintext);
      }
    }
  }
}

TEST(AeadPaths, PathsAgreeAndInteroperateAcrossLengths) {
  const std::size_t lengths[] = {0, 1, 15, 16, 17, 63, 64, 65, 255, 256, 288, 1100, 4096, 16385};
  const std::size_t aad_lengths[] = {0, 5, 13};
  for (const auto cipher : kAeads) {
    SCOPED_TRACE(std::string(policy::info(cipher).name));
    const Bytes key = random_key(cipher);
    Aead direct_sealer = make(cipher, key, CipherDirection::encrypt, Path::provider);
    Aead evp_sealer = make(cipher, key, CipherDirection::encrypt, Path::evp);
    Aead direct_opener = make(cipher, key, CipherDirection::decrypt, Path::provider);
    Aead evp_opener = make(cipher, key, CipherDirection::decrypt, Path::evp);
    std::uint64_t record = 0;
    for (const std::size_t length : lengths) {
      for (const std::size_t aad_length : aad_lengths) {
        SCOPED_TRACE("length " + std::to_string(length) + ", aad " + std::to_string(aad_length));
        const Bytes nonce = nonce_for(record++);
        Bytes plaintext(length);
        Bytes aad(aad_length);
        ASSERT_TRUE(random_bytes(plaintext).has_value());
        ASSERT_TRUE(random_bytes(aad).has_value());
        // Sealing appends after what `out` already holds (a record header, say).
        Bytes direct = bytes_of("hdr");
        Bytes evp = bytes_of("hdr");
        ASSERT_TRUE(direct_sealer.seal(nonce, aad, plaintext, direct).has_value());
        ASSERT_TRUE(evp_sealer.seal(nonce, aad, plaintext, evp).has_value());
        ASSERT_EQ(direct.size(), 3 + length + Aead::kTagLength);
        EXPECT_EQ(direct, evp);
        const Bytes sealed(direct.begin() + 3, direct.end());
        for (Aead* opener : {&direct_opener, &evp_opener}) {
          Bytes buffer = sealed;
          auto opened = opener->open_in_place(nonce, aad, buffer);
          ASSERT_TRUE(opened.has_value()) << opened.error().message;
          ASSERT_EQ(*opened, length);
          EXPECT_TRUE(std::equal(plaintext.begin(), plaintext.end(), buffer.begin()));
        }
      }
    }
  }
}

TEST(AeadPaths, EveryTamperingIsRejectedAndTheContextStaysUsable) {
  for (const auto cipher : kAeads) {
    for (const auto path : kPaths) {
      SCOPED_TRACE(std::string(policy::info(cipher).name) + " via " + name(path));
      const Bytes key = random_key(cipher);
      Aead sealer = make(cipher, key, CipherDirection::encrypt, path);
      Aead opener = make(cipher, key, CipherDirection::decrypt, path);
      for (const std::size_t length : {std::size_t{0}, std::size_t{1}, std::size_t{37}, std::size_t{1100}}) {
        SCOPED_TRACE("length " + std::to_string(length));
        const Bytes nonce = nonce_for(length);
        const Bytes aad = from_hex("17030300ff");
        Bytes plaintext(length, 0x5a);
        Bytes sealed;
        ASSERT_TRUE(sealer.seal(nonce, aad, plaintext, sealed).has_value());
        const auto opens = [&](const Bytes& n, const Bytes& a, Bytes record) {
          return opener.open_in_place(n, a, record).has_value();
        };
        // Every tag byte, and the first, a middle and the last ciphertext byte.
        std::vector<std::size_t> positions;
        for (std::size_t i = length; i < sealed.size(); ++i) positions.push_back(i);
        if (length != 0) positions.insert(positions.end(), {0, length / 2, length - 1});
        for (const std::size_t i : positions) {
          Bytes bad = sealed;
          bad[i] ^= 0x80;
          EXPECT_FALSE(opens(nonce, aad, bad)) << "flipped byte " << i;
          EXPECT_TRUE(opens(nonce, aad, sealed)) << "a good record after a rejected one";
        }
        Bytes wrong_aad = aad;
        wrong_aad[4] ^= 0x01;
        EXPECT_FALSE(opens(nonce, wrong_aad, sealed));
        EXPECT_FALSE(opens(nonce, {}, sealed)) << "AAD left out";
        EXPECT_FALSE(opens(nonce_for(length + 1), aad, sealed)) << "next record's nonce";
        Bytes truncated(sealed.begin(), sealed.end() - 1);
        EXPECT_FALSE(opens(nonce, aad, truncated));
        Bytes zero_tag = sealed;
        std::fill(zero_tag.end() - static_cast<std::ptrdiff_t>(Aead::kTagLength), zero_tag.end(), 0);
        EXPECT_FALSE(opens(nonce, aad, zero_tag));
        EXPECT_TRUE(opens(nonce, aad, sealed));
      }
      Bytes too_short(Aead::kTagLength - 1);
      EXPECT_FALSE(opener.open_in_place(nonce_for(0), {}, too_short).has_value()) << "shorter than a tag";
    }
  }
}

TEST(AeadPaths, MisuseIsRejectedOnBothPaths) {
  for (const auto cipher : kAeads) {
    for (const auto path : kPaths) {
      SCOPED_TRACE(std::string(policy::info(cipher).name) + " via " + name(path));
      const Bytes key = random_key(cipher);
      Aead sealer = make(cipher, key, CipherDirection::encrypt, path);
      Aead opener = make(cipher, key, CipherDirection::decrypt, path);
      Bytes out = bytes_of("kept");
      EXPECT_FALSE(sealer.seal(Bytes(11), {}, bytes_of("x"), out).has_value()) << "11-byte nonce";
      EXPECT_FALSE(sealer.seal(Bytes(13), {}, bytes_of("x"), out).has_value()) << "13-byte nonce";
      EXPECT_EQ(out, bytes_of("kept")) << "a refused seal appends nothing";
      EXPECT_FALSE(opener.seal(Bytes(12), {}, bytes_of("x"), out).has_value()) << "seal on a decrypting AEAD";
      Bytes record(Aead::kTagLength + 1);
      EXPECT_FALSE(sealer.open_in_place(Bytes(12), {}, record).has_value()) << "open on an encrypting AEAD";
      EXPECT_FALSE(opener.open_in_place(Bytes(11), {}, record).has_value()) << "11-byte nonce";
      Bytes short_key(key.begin(), key.end() - 1);
      const auto direction = CipherDirection::encrypt;
      EXPECT_FALSE((path == Path::provider ? Aead::create(cipher, short_key, direction)
                                           : AeadAccess::create_over_evp(cipher, short_key, direction))
                       .has_value());
    }
  }
  EXPECT_FALSE(
      AeadAccess::create_over_evp(BulkCipher::aes_128_cbc, Bytes(16), CipherDirection::encrypt).has_value());
}

}  // namespace
}  // namespace edgefetch::crypto
