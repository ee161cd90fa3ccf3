// The TLS 1.3 key schedule against RFC 8448 §3 (Simple 1-RTT Handshake), and
// HKDF against RFC 5869's test cases.

#include "tls/tls13/key_schedule.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/hkdf.hpp"
#include "edgefetch/policy/cipher_suite.hpp"
#include "hex.hpp"
#include "rfc8448.hpp"

namespace edgefetch::tls::tls13 {
namespace {

using policy::HashAlgorithm;
using test::hex;
using test::to_hex;
namespace trace = test::rfc8448;

TEST(Hkdf, Rfc5869TestCase1) {
  const auto ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const auto salt = hex("000102030405060708090a0b0c");
  const auto info = hex("f0f1f2f3f4f5f6f7f8f9");
  auto prk = crypto::hkdf_extract(HashAlgorithm::sha256, salt, ikm);
  ASSERT_TRUE(prk);
  EXPECT_EQ(to_hex(*prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  auto okm = crypto::hkdf_expand(HashAlgorithm::sha256, *prk, info, 42);
  ASSERT_TRUE(okm);
  EXPECT_EQ(to_hex(*okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Hkdf, Rfc5869TestCase3EmptySaltAndInfo) {
  const auto ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  auto prk = crypto::hkdf_extract(HashAlgorithm::sha256, {}, ikm);
  ASSERT_TRUE(prk);
  EXPECT_EQ(to_hex(*prk), "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
  auto okm = crypto::hkdf_expand(HashAlgorithm::sha256, *prk, {}, 42);
  ASSERT_TRUE(okm);
  EXPECT_EQ(to_hex(*okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(Hkdf, RejectsOutputBeyond255Blocks) {
  const std::vector<std::uint8_t> prk(32, 1);
  EXPECT_FALSE(crypto::hkdf_expand(HashAlgorithm::sha256, prk, {}, 255 * 32 + 1));
  EXPECT_TRUE(crypto::hkdf_expand(HashAlgorithm::sha256, prk, {}, 255 * 32));
  EXPECT_FALSE(crypto::hkdf_expand(HashAlgorithm::sha256, std::vector<std::uint8_t>(16, 1), {}, 32));
}

TEST(Hkdf, ExpandLabelBuildsTheHkdfLabelStructure) {
  // RFC 8448: Derive-Secret(early, "derived", "") = 6f2615a1...
  const auto early = hex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
  const auto empty_hash = crypto::digest(HashAlgorithm::sha256, {});
  auto derived = crypto::hkdf_expand_label(HashAlgorithm::sha256, early, "derived", empty_hash, 32);
  ASSERT_TRUE(derived);
  EXPECT_EQ(to_hex(*derived), "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba");
}

std::vector<std::uint8_t> transcript_hash(std::initializer_list<std::string_view> messages) {
  crypto::HashContext hash(HashAlgorithm::sha256);
  for (const auto m : messages) hash.update(hex(m));
  return hash.finish();
}

const policy::CipherSuite& aes128() {
  return *policy::cipher_suite_by_code(0x1301);
}

TEST(KeySchedule13, Rfc8448SimpleHandshakeSecrets) {
  auto schedule = KeySchedule13::create(aes128());
  ASSERT_TRUE(schedule);
  EXPECT_EQ(to_hex(schedule->early_secret()),
            "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");

  const auto hello_hash = transcript_hash({trace::kClientHello, trace::kServerHello});
  EXPECT_EQ(to_hex(hello_hash), "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
  ASSERT_TRUE(schedule->set_handshake_secrets(hex(trace::kSharedSecret), hello_hash));
  EXPECT_EQ(to_hex(schedule->handshake_secret()),
            "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac");
  EXPECT_EQ(to_hex(schedule->client_handshake_traffic_secret()),
            "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21");
  EXPECT_EQ(to_hex(schedule->server_handshake_traffic_secret()),
            "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
  EXPECT_EQ(to_hex(schedule->master_secret()),
            "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919");

  auto server_hs_keys = derive_traffic_keys(aes128(), schedule->server_handshake_traffic_secret());
  ASSERT_TRUE(server_hs_keys);
  EXPECT_EQ(to_hex(server_hs_keys->key), "3fce516009c21727d0f2e4e86ee403bc");
  EXPECT_EQ(to_hex(server_hs_keys->iv), "5d313eb2671276ee13000b30");
  auto client_hs_keys = derive_traffic_keys(aes128(), schedule->client_handshake_traffic_secret());
  ASSERT_TRUE(client_hs_keys);
  EXPECT_EQ(to_hex(client_hs_keys->key), "dbfaa693d1762c5b666af5d950258d01");
  EXPECT_EQ(to_hex(client_hs_keys->iv), "5bd3c71b836e0b76bb73265f");

  // Server Finished over CH..CertificateVerify.
  const auto before_server_finished =
      transcript_hash({trace::kClientHello, trace::kServerHello, trace::kEncryptedExtensions,
                       trace::kCertificate, trace::kCertificateVerify});
  auto server_verify = finished_verify_data(
      HashAlgorithm::sha256, schedule->server_handshake_traffic_secret(), before_server_finished);
  ASSERT_TRUE(server_verify);
  EXPECT_EQ(to_hex(*server_verify), "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718");

  const auto through_server_finished =
      transcript_hash({trace::kClientHello, trace::kServerHello, trace::kEncryptedExtensions,
                       trace::kCertificate, trace::kCertificateVerify, trace::kServerFinished});
  ASSERT_TRUE(schedule->set_application_secrets(through_server_finished));
  EXPECT_EQ(to_hex(schedule->client_application_traffic_secret()),
            "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5");
  EXPECT_EQ(to_hex(schedule->server_application_traffic_secret()),
            "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643");
  EXPECT_EQ(to_hex(schedule->exporter_master_secret()),
            "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50");

  auto client_verify = finished_verify_data(
      HashAlgorithm::sha256, schedule->client_handshake_traffic_secret(), through_server_finished);
  ASSERT_TRUE(client_verify);
  EXPECT_EQ(to_hex(*client_verify), "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61");

  auto server_ap_keys = derive_traffic_keys(aes128(), schedule->server_application_traffic_secret());
  ASSERT_TRUE(server_ap_keys);
  EXPECT_EQ(to_hex(server_ap_keys->key), "9f02283b6c9c07efc26bb9f2ac92e356");
  EXPECT_EQ(to_hex(server_ap_keys->iv), "cf782b88dd83549aadf1e984");
  auto client_ap_keys = derive_traffic_keys(aes128(), schedule->client_application_traffic_secret());
  ASSERT_TRUE(client_ap_keys);
  EXPECT_EQ(to_hex(client_ap_keys->key), "17422dda596ed5d9acd890e3c63f5051");
  EXPECT_EQ(to_hex(client_ap_keys->iv), "5b78923dee08579033e523d9");

  const auto through_client_finished = transcript_hash(
      {trace::kClientHello, trace::kServerHello, trace::kEncryptedExtensions, trace::kCertificate,
       trace::kCertificateVerify, trace::kServerFinished, trace::kClientFinished});
  auto resumption = schedule->resumption_master_secret(through_client_finished);
  ASSERT_TRUE(resumption);
  EXPECT_EQ(to_hex(*resumption), "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c");
  auto psk = resumption_psk(HashAlgorithm::sha256, *resumption, hex("0000"));
  ASSERT_TRUE(psk);
  EXPECT_EQ(to_hex(*psk), "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3");
}

TEST(KeySchedule13, KeyUpdateRatchetChangesTheSecretAndIsDeterministic) {
  const auto secret = hex("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643");
  auto next = next_traffic_secret(HashAlgorithm::sha256, secret);
  ASSERT_TRUE(next);
  EXPECT_NE(to_hex(*next), to_hex(secret));
  auto expected = crypto::hkdf_expand_label(HashAlgorithm::sha256, secret, "traffic upd", {}, 32);
  ASSERT_TRUE(expected);
  EXPECT_EQ(to_hex(*next), to_hex(*expected));
}

TEST(KeySchedule13, Sha384SuiteUses48ByteSecretsAnd32ByteKeys) {
  const auto& suite = *policy::cipher_suite_by_code(0x1302);
  auto schedule = KeySchedule13::create(suite);
  ASSERT_TRUE(schedule);
  EXPECT_EQ(schedule->early_secret().size(), 48U);
  const std::vector<std::uint8_t> shared(32, 7);
  ASSERT_TRUE(schedule->set_handshake_secrets(shared, crypto::digest(HashAlgorithm::sha384, shared)));
  auto keys = derive_traffic_keys(suite, schedule->client_handshake_traffic_secret());
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->key.size(), 32U);
  EXPECT_EQ(keys->iv.size(), kIvLength);
}

TEST(KeySchedule13, RefusesTls12Suites) {
  EXPECT_FALSE(KeySchedule13::create(*policy::cipher_suite_by_code(0xC02F)));
}

}  // namespace
}  // namespace edgefetch::tls::tls13
