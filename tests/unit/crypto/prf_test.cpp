// TLS PRFs: published vectors, plus a cross-check of EVP_KDF "TLS1-PRF" against
// P_hash computed here directly from RFC 5246 §5 / RFC 2246 §5 with OpenSSL's
// one-shot HMAC() in the default library context (a second libcrypto path).
// SSLv3 constructions: cross-checked against the RFC 6101 formulas evaluated
// here with EVP_Digest.

#include "edgefetch/crypto/prf.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "edgefetch/crypto/hash.hpp"
#include "hex.hpp"

namespace edgefetch::crypto {
namespace {

using policy::HashAlgorithm;
using test::bytes_of;
using test::from_hex;
using test::to_hex;
using Bytes = std::vector<std::uint8_t>;

Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes reference_hmac(const EVP_MD* md, const Bytes& key, const Bytes& data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &length);
  out.resize(length);
  return out;
}

// RFC 5246 §5: P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...
Bytes reference_p_hash(const EVP_MD* md, const Bytes& secret, const Bytes& seed, std::size_t n) {
  Bytes out;
  Bytes a = reference_hmac(md, secret, seed);
  while (out.size() < n) {
    const Bytes block = reference_hmac(md, secret, concat(a, seed));
    out.insert(out.end(), block.begin(), block.end());
    a = reference_hmac(md, secret, a);
  }
  out.resize(n);
  return out;
}

Bytes reference_tls10_prf(const Bytes& secret, const Bytes& label_seed, std::size_t n) {
  const std::size_t half = (secret.size() + 1) / 2;  // the halves overlap by one byte for odd lengths
  const Bytes s1(secret.begin(), secret.begin() + static_cast<std::ptrdiff_t>(half));
  const Bytes s2(secret.end() - static_cast<std::ptrdiff_t>(half), secret.end());
  Bytes out = reference_p_hash(EVP_md5(), s1, label_seed, n);
  const Bytes sha = reference_p_hash(EVP_sha1(), s2, label_seed, n);
  for (std::size_t i = 0; i < n; ++i) out[i] ^= sha[i];
  return out;
}

TEST(TlsPrf, Tls12Sha256PublishedVector) {
  // IETF TLS list, msg03416 ("TLS 1.2 PRF test vectors").
  const auto secret = from_hex("9bbe436ba940f017b17652849a71db35");
  const auto seed = from_hex("a0ba9f936cda311827a6f796ffd5198c");
  auto out = tls_prf(HashAlgorithm::sha256, secret, "test label", seed, 100);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(
      to_hex(out.value()),
      "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022"
      "f7"
      "077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66");
}

TEST(TlsPrf, Tls10PublishedVector) {
  // PRF_TLS1.0("secret", "label", "seed") — as printed in "Implementing SSL/TLS" and reproduced in several
  // test suites.
  auto out = tls_prf(HashAlgorithm::md5_sha1, bytes_of("secret"), "label", bytes_of("seed"), 20);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(to_hex(out.value()), "b5baf4722b91851a8816d22ebd8c1d8cc2e94d55");
}

TEST(TlsPrf, MatchesDirectPHashComputation) {
  const Bytes secret =
      from_hex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627282930");
  const Bytes seed = from_hex("a0ba9f936cda311827a6f796ffd5198cdeadbeef00112233445566778899aabbccddeeff");
  const std::string label = "key expansion";
  const Bytes label_seed = concat(bytes_of(label), seed);
  for (const std::size_t n : {std::size_t{12}, std::size_t{48}, std::size_t{104}, std::size_t{136}}) {
    auto sha256 = tls_prf(HashAlgorithm::sha256, secret, label, seed, n);
    auto sha384 = tls_prf(HashAlgorithm::sha384, secret, label, seed, n);
    ASSERT_TRUE(sha256 && sha384);
    EXPECT_EQ(Bytes(sha256->begin(), sha256->end()), reference_p_hash(EVP_sha256(), secret, label_seed, n));
    EXPECT_EQ(Bytes(sha384->begin(), sha384->end()), reference_p_hash(EVP_sha384(), secret, label_seed, n));
    EXPECT_NE(Bytes(sha256->begin(), sha256->end()), Bytes(sha384->begin(), sha384->end()));
  }
  // TLS 1.0/1.1 PRF, with an odd-length secret (the halves share the middle byte).
  for (const std::size_t secret_length : {std::size_t{47}, std::size_t{48}}) {
    const Bytes s(secret.begin(), secret.begin() + static_cast<std::ptrdiff_t>(secret_length));
    auto out = tls_prf(HashAlgorithm::md5_sha1, s, label, seed, 104);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(Bytes(out->begin(), out->end()), reference_tls10_prf(s, label_seed, 104));
  }
}

TEST(TlsPrf, RejectsPlainMd5) {
  EXPECT_FALSE(tls_prf(HashAlgorithm::md5, bytes_of("s"), "l", bytes_of("x"), 12).has_value());
}

// ---- SSLv3 ----

Bytes evp_digest(const EVP_MD* md, const Bytes& data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &length, md, nullptr);
  out.resize(length);
  return out;
}

// RFC 6101 §6.1 / §6.2.2, written out round by round.
Bytes reference_ssl3_prf(const Bytes& secret, const Bytes& seed, std::size_t n) {
  Bytes out;
  for (int round = 0; out.size() < n; ++round) {
    const Bytes salt(static_cast<std::size_t>(round + 1), static_cast<std::uint8_t>('A' + round));
    const Bytes sha = evp_digest(EVP_sha1(), concat(concat(salt, secret), seed));
    const Bytes md5 = evp_digest(EVP_md5(), concat(secret, sha));
    out.insert(out.end(), md5.begin(), md5.end());
  }
  out.resize(n);
  return out;
}

TEST(Ssl3, KeyDerivationMatchesRfc6101Formula) {
  const Bytes pre_master = from_hex(
      "0300aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677");
  const Bytes client_random(32, 0x11);
  const Bytes server_random(32, 0x22);
  Bytes master(48);
  ASSERT_TRUE(ssl3_prf(pre_master, concat(client_random, server_random), master).has_value());
  EXPECT_EQ(master, reference_ssl3_prf(pre_master, concat(client_random, server_random), 48));
  Bytes key_block(104);  // 3DES-EDE-CBC-SHA: 2*(20+24+8)
  ASSERT_TRUE(ssl3_prf(master, concat(server_random, client_random), key_block).has_value());
  EXPECT_EQ(key_block, reference_ssl3_prf(master, concat(server_random, client_random), 104));
  // The first 16 bytes are round "A" only: MD5(secret + SHA1("A" + secret + seed)).
  const Bytes first = evp_digest(
      EVP_md5(), concat(master, evp_digest(EVP_sha1(), concat(concat(bytes_of("A"), master),
                                                              concat(server_random, client_random)))));
  EXPECT_EQ(Bytes(key_block.begin(), key_block.begin() + 16), first);
  Bytes too_long(26 * 16 + 1);
  EXPECT_FALSE(ssl3_prf(master, client_random, too_long).has_value());
}

TEST(Ssl3, FinishedMatchesRfc6101Formula) {
  const Bytes master(48, 0x5a);
  const Bytes messages =
      bytes_of("ClientHello...ServerHello...Certificate...ServerHelloDone...ClientKeyExchange");
  HashContext md5(HashAlgorithm::md5);
  HashContext sha1(HashAlgorithm::sha1);
  md5.update(messages);
  sha1.update(messages);
  const auto client = ssl3_finished(md5, sha1, kSsl3SenderClient, master);
  const auto server = ssl3_finished(md5, sha1, kSsl3SenderServer, master);
  ASSERT_EQ(client.size(), 36u);
  EXPECT_NE(client, server);

  const Bytes sender = bytes_of("CLNT");
  const Bytes pad1_md5(48, 0x36), pad2_md5(48, 0x5c), pad1_sha(40, 0x36), pad2_sha(40, 0x5c);
  const Bytes md5_inner = evp_digest(EVP_md5(), concat(concat(concat(messages, sender), master), pad1_md5));
  const Bytes md5_outer = evp_digest(EVP_md5(), concat(concat(master, pad2_md5), md5_inner));
  const Bytes sha_inner = evp_digest(EVP_sha1(), concat(concat(concat(messages, sender), master), pad1_sha));
  const Bytes sha_outer = evp_digest(EVP_sha1(), concat(concat(master, pad2_sha), sha_inner));
  EXPECT_EQ(client, concat(md5_outer, sha_outer));
}

TEST(Ssl3, MacMatchesRfc6101Formula) {
  for (const auto hash : {HashAlgorithm::md5, HashAlgorithm::sha1}) {
    const EVP_MD* md = hash == HashAlgorithm::md5 ? EVP_md5() : EVP_sha1();
    const std::size_t pad = hash == HashAlgorithm::md5 ? 48 : 40;
    const Bytes secret(digest_length(hash), 0x42);
    // seq_num(8) type(1) length(2) content
    const Bytes header = from_hex("0000000000000007 17 0005");
    const Bytes content = bytes_of("hello");
    auto mac = Ssl3Mac::create(hash, secret);
    ASSERT_TRUE(mac.has_value());
    EXPECT_EQ(mac->inner_prefix_length(), secret.size() + pad);
    Bytes out(mac->length());
    for (int round = 0; round < 2; ++round) {  // reusable after finish()
      mac->update(header);
      mac->update(content);
      mac->finish(out);
      const Bytes inner = evp_digest(md, concat(concat(concat(secret, Bytes(pad, 0x36)), header), content));
      EXPECT_EQ(out, evp_digest(md, concat(concat(secret, Bytes(pad, 0x5c)), inner)));
    }
  }
  EXPECT_FALSE(Ssl3Mac::create(HashAlgorithm::sha256, Bytes(32, 1)).has_value());
}

}  // namespace
}  // namespace edgefetch::crypto
