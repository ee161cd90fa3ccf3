// Public keys: signature verification for every signature scheme of the
// catalogue (signatures made here with EVP in the default context), the
// pre-TLS 1.2 signature forms, and RSA PKCS#1 v1.5 premaster encryption.

#include "edgefetch/crypto/public_key.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <cstdlib>

#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "hex.hpp"
#include "mini_pki.hpp"

namespace edgefetch::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;
using policy::SignatureAlgorithm;
using test::bytes_of;

const test::Key& rsa2048() {
  static const test::Key key = test::rsa_key(2048);
  return key;
}
const test::Key& rsa_pss2048() {
  // EVP_PKEY_Q_keygen does not know "RSA-PSS"; use the generic path (2048 bits by default).
  static const test::Key key = [] {
    EVP_PKEY* raw = nullptr;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr);
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_generate(ctx, &raw);
    EVP_PKEY_CTX_free(ctx);
    return test::Key(raw, test::PkeyFree{});
  }();
  return key;
}
const test::Key& p256() {
  static const test::Key key = test::ec_key("P-256");
  return key;
}

PublicKey public_of(const test::Key& key) {
  auto parsed = PublicKey::from_spki_der(test::spki(key));
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message;
    std::abort();  // every caller needs a key
  }
  return std::move(parsed.value());
}

const char* md_name(policy::HashAlgorithm hash) {
  switch (hash) {
    case policy::HashAlgorithm::md5:
      return "MD5";
    case policy::HashAlgorithm::sha1:
      return "SHA1";
    case policy::HashAlgorithm::sha224:
      return "SHA224";
    case policy::HashAlgorithm::sha256:
      return "SHA256";
    case policy::HashAlgorithm::sha384:
      return "SHA384";
    case policy::HashAlgorithm::sha512:
      return "SHA512";
    case policy::HashAlgorithm::md5_sha1:
      return "MD5-SHA1";
  }
  return "";
}

Bytes sign(const test::Key& key, const policy::SignatureScheme& scheme, const Bytes& message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestSignInit_ex(ctx, &pctx, md_name(scheme.hash), nullptr, nullptr, key.get(), nullptr), 1);
  if (scheme.algorithm == SignatureAlgorithm::rsa_pss_rsae ||
      scheme.algorithm == SignatureAlgorithm::rsa_pss_pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t n = 0;
  EVP_DigestSign(ctx, nullptr, &n, message.data(), message.size());
  Bytes signature(n);
  EXPECT_EQ(EVP_DigestSign(ctx, signature.data(), &n, message.data(), message.size()), 1);
  signature.resize(n);
  EVP_MD_CTX_free(ctx);
  return signature;
}

TEST(PublicKey, Descriptions) {
  EXPECT_EQ(public_of(rsa2048()).description(), "RSA 2048");
  EXPECT_EQ(public_of(rsa2048()).type(), KeyType::rsa);
  const auto ec = public_of(p256());
  EXPECT_EQ(ec.description(), "EC P-256");
  EXPECT_EQ(ec.curve_group(), std::optional<std::uint16_t>(23));
  EXPECT_EQ(public_of(test::ec_key("P-384")).description(), "EC P-384");
  const auto p521 = public_of(test::ec_key("P-521"));
  EXPECT_EQ(p521.description(), "EC P-521");
  EXPECT_EQ(p521.bits(), 521);
  EXPECT_EQ(public_of(test::ed25519_key()).description(), "Ed25519");
  EXPECT_EQ(public_of(test::ed25519_key()).type(), KeyType::ed25519);
  EXPECT_FALSE(PublicKey::from_spki_der(bytes_of("not DER")).has_value());
  // copies share the key
  const PublicKey copy = ec;
  EXPECT_EQ(copy.description(), "EC P-256");
  EXPECT_EQ(copy.evp_pkey(), ec.evp_pkey());
}

TEST(Signature, EveryCatalogueSchemeVerifiesAndRejectsTampering) {
  const Bytes message = bytes_of("client_random || server_random || ServerECDHParams");
  int checked = 0;
  for (const auto& scheme : policy::all_signature_schemes()) {
    const test::Key* key = nullptr;
    switch (scheme.algorithm) {
      case SignatureAlgorithm::rsa_pkcs1:
      case SignatureAlgorithm::rsa_pss_rsae:
        key = &rsa2048();
        break;
      case SignatureAlgorithm::rsa_pss_pss:
        key = &rsa_pss2048();
        break;
      case SignatureAlgorithm::ecdsa:
        key = &p256();
        break;
    }
    const PublicKey pub = public_of(*key);
    const Bytes signature = sign(*key, scheme, message);
    auto ok = verify_signature(pub, scheme, message, signature);
    EXPECT_TRUE(ok.has_value()) << scheme.iana_name << ": " << (ok ? "" : ok.error().message);

    Bytes other = message;
    other[0] ^= 1;
    EXPECT_FALSE(verify_signature(pub, scheme, other, signature).has_value()) << scheme.iana_name;
    Bytes bad_signature = signature;
    bad_signature[bad_signature.size() / 2] ^= 0x10;
    EXPECT_FALSE(verify_signature(pub, scheme, message, bad_signature).has_value()) << scheme.iana_name;
    EXPECT_FALSE(verify_signature(pub, scheme, message, {}).has_value()) << scheme.iana_name;
    ++checked;
  }
  EXPECT_GE(checked, 16);
}

TEST(Signature, KeyTypeMustFitScheme) {
  const auto* pkcs1 = policy::signature_scheme_by_code(0x0401);
  const auto* ecdsa = policy::signature_scheme_by_code(0x0403);
  const auto* pss_pss = policy::signature_scheme_by_code(0x0809);
  ASSERT_TRUE(pkcs1 && ecdsa && pss_pss);
  const Bytes message = bytes_of("m");
  auto r = verify_signature(public_of(p256()), *pkcs1, message, sign(p256(), *ecdsa, message));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("EC P-256"), std::string::npos) << r.error().message;
  EXPECT_FALSE(
      verify_signature(public_of(rsa2048()), *ecdsa, message, sign(rsa2048(), *pkcs1, message)).has_value());
  // rsa_pss_pss needs an RSA-PSS key, rsa_pss_rsae an rsaEncryption key
  EXPECT_FALSE(verify_signature(public_of(rsa2048()), *pss_pss, message, sign(rsa2048(), *pss_pss, message))
                   .has_value());
  // PSS signature presented as PKCS#1 fails
  const auto* pss_rsae = policy::signature_scheme_by_code(0x0804);
  ASSERT_NE(pss_rsae, nullptr);
  EXPECT_FALSE(verify_signature(public_of(rsa2048()), *pkcs1, message, sign(rsa2048(), *pss_rsae, message))
                   .has_value());
}

TEST(Signature, LegacyRsaMd5Sha1WithoutDigestInfo) {
  const Bytes message = bytes_of("params of a TLS 1.0 ServerKeyExchange");
  const auto md5_sha1 = digest(policy::HashAlgorithm::md5_sha1, message);
  // Sign the raw 36 bytes with PKCS#1 type 1 padding (no DigestInfo), as TLS 1.0 servers do.
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(rsa2048().get(), nullptr);
  ASSERT_EQ(EVP_PKEY_sign_init(ctx), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 1);
  std::size_t n = 0;
  ASSERT_EQ(EVP_PKEY_sign(ctx, nullptr, &n, md5_sha1.data(), md5_sha1.size()), 1);
  Bytes signature(n);
  ASSERT_EQ(EVP_PKEY_sign(ctx, signature.data(), &n, md5_sha1.data(), md5_sha1.size()), 1);
  EVP_PKEY_CTX_free(ctx);

  const PublicKey pub = public_of(rsa2048());
  EXPECT_TRUE(verify_legacy_signature(pub, message, signature).has_value());
  Bytes other = message;
  other.back() ^= 1;
  EXPECT_FALSE(verify_legacy_signature(pub, other, signature).has_value());
  // A TLS 1.2 style PKCS#1 signature (with DigestInfo) is not the legacy form.
  const auto* sha1_pkcs1 = policy::signature_scheme_by_code(0x0201);
  ASSERT_NE(sha1_pkcs1, nullptr);
  EXPECT_FALSE(verify_legacy_signature(pub, message, sign(rsa2048(), *sha1_pkcs1, message)).has_value());
}

TEST(Signature, LegacyEcdsaSha1) {
  const Bytes message = bytes_of("params");
  const auto* ecdsa_sha1 = policy::signature_scheme_by_code(0x0203);
  const auto* ecdsa_sha256 = policy::signature_scheme_by_code(0x0403);
  ASSERT_TRUE(ecdsa_sha1 && ecdsa_sha256);
  const PublicKey pub = public_of(p256());
  EXPECT_TRUE(verify_legacy_signature(pub, message, sign(p256(), *ecdsa_sha1, message)).has_value());
  EXPECT_FALSE(verify_legacy_signature(pub, message, sign(p256(), *ecdsa_sha256, message)).has_value());
  EXPECT_FALSE(verify_legacy_signature(public_of(test::ed25519_key()), message, Bytes(64, 0)).has_value());
}

TEST(RsaEncrypt, Pkcs1PremasterDecryptsWithPrivateKey) {
  Bytes premaster(48, 0x42);
  premaster[0] = 0x03;
  premaster[1] = 0x03;
  const PublicKey pub = public_of(rsa2048());
  auto encrypted = rsa_pkcs1_encrypt(pub, premaster);
  ASSERT_TRUE(encrypted.has_value()) << encrypted.error().message;
  EXPECT_EQ(encrypted->size(), 256u);
  auto again = rsa_pkcs1_encrypt(pub, premaster);
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(encrypted.value(), again.value()) << "PKCS#1 v1.5 padding is random";

  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(rsa2048().get(), nullptr);
  ASSERT_EQ(EVP_PKEY_decrypt_init(ctx), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 1);
  Bytes decrypted(256);
  std::size_t n = decrypted.size();
  ASSERT_EQ(EVP_PKEY_decrypt(ctx, decrypted.data(), &n, encrypted->data(), encrypted->size()), 1);
  decrypted.resize(n);
  EVP_PKEY_CTX_free(ctx);
  EXPECT_EQ(decrypted, premaster);

  EXPECT_FALSE(rsa_pkcs1_encrypt(public_of(p256()), premaster).has_value());
}

}  // namespace
}  // namespace edgefetch::crypto
