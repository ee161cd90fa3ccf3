// TLS 1.3 message codecs against the RFC 8448 §3 messages, HelloRetryRequest
// (RFC 8448 §5), downgrade sentinels, and the CertificateVerify rules.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "edgefetch/crypto/hash.hpp"
#include "edgefetch/crypto/x509.hpp"
#include "hex.hpp"
#include "rfc8448.hpp"
#include "tls/tls13/certificate13.hpp"
#include "tls/tls13/certificate_verify13.hpp"
#include "tls/tls13/encrypted_extensions.hpp"
#include "tls/tls13/post_handshake13.hpp"
#include "tls/tls13/server_hello13.hpp"

namespace edgefetch::tls::tls13 {
namespace {

using test::hex;
using test::to_hex;
namespace trace = test::rfc8448;

std::vector<std::uint8_t> body_of(std::string_view message) {
  auto bytes = hex(message);
  bytes.erase(bytes.begin(), bytes.begin() + 4);
  return bytes;
}

TEST(ServerHello13, DecodesTheRfc8448ServerHello) {
  auto hello = decode_server_hello13(body_of(trace::kServerHello));
  ASSERT_TRUE(hello) << hello.error().message;
  EXPECT_EQ(hello->legacy_version, 0x0303);
  EXPECT_EQ(hello->cipher_suite, 0x1301);
  EXPECT_FALSE(hello->hello_retry_request);
  EXPECT_EQ(hello->selected_version, 0x0304);
  ASSERT_TRUE(hello->key_share);
  EXPECT_EQ(hello->key_share->group, 0x001D);
  EXPECT_EQ(to_hex(hello->key_share->key_exchange), std::string(trace::kServerPublicX25519));
  EXPECT_EQ(peek_selected_version(body_of(trace::kServerHello)), 0x0304);
}

TEST(ServerHello13, RecognisesTheRfc8448HelloRetryRequest) {
  const auto hrr = body_of(
      "020000ac0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c00130100008400330002001700"
      "2c00740072 71dcd04bb88bc31891 19398a00000000eefafc76c146b823b096f8aacad365dd00 "
      "30953f4edf625636e5f21bb2"
      "e23fcc654b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d6e50781b5eda4aa15b0c8be778257d16aa3030e9e7841dd9"
      "e4c0342267e8ca0caf571fb2b7cff0f934b0002b00020304");
  auto hello = decode_server_hello13(hrr);
  ASSERT_TRUE(hello) << hello.error().message;
  EXPECT_TRUE(hello->hello_retry_request);
  EXPECT_EQ(hello->selected_group, 0x0017);
  EXPECT_FALSE(hello->key_share);
  ASSERT_TRUE(hello->cookie);
  EXPECT_EQ(hello->cookie->size(), 0x72U);
  EXPECT_EQ(hello->selected_version, 0x0304);
}

TEST(ServerHello13, Tls12AnswerHasNoSelectedVersion) {
  // legacy_version 0303, random, empty session id, C02F, null compression, no extensions.
  const auto body = hex("0303" + std::string(64, '1') + "00" + "c02f00");
  EXPECT_EQ(peek_selected_version(body), std::nullopt);
  auto hello = decode_server_hello13(body);
  ASSERT_TRUE(hello);
  EXPECT_FALSE(hello->selected_version);
}

TEST(ServerHello13, RejectsMalformedExtensions) {
  const std::string prefix = "0303" + std::string(64, '2') + "00" + "130100";
  // supported_versions with two versions; repeated key_share; truncated extension.
  for (const std::string& extensions :
       {std::string("0008002b000403040303"), std::string("0006002b000203040000"),
        std::string("000c002b00020304002b00020304"), std::string("0004002b0002")}) {
    auto hello = decode_server_hello13(hex(prefix + extensions));
    EXPECT_FALSE(hello) << extensions;
    if (!hello) {
      EXPECT_EQ(hello.error().code, ErrorCode::decode_error) << extensions;
    }
  }
}

TEST(Downgrade, SentinelsAreRecognised) {
  std::array<std::uint8_t, 32> random{};
  EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::none);
  const auto tls12 = hex("444f574e47524401");
  std::copy(tls12.begin(), tls12.end(), random.begin() + 24);
  EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::tls12);
  random[31] = 0x00;
  EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::tls11_or_below);
  random[31] = 0x02;
  EXPECT_EQ(downgrade_sentinel(random), DowngradeSentinel::none);
  EXPECT_TRUE(is_hello_retry_request(kHelloRetryRequestRandom));
  EXPECT_EQ(to_hex(crypto::digest(policy::HashAlgorithm::sha256,
                                  std::vector<std::uint8_t>({'H', 'e', 'l', 'l', 'o', 'R', 'e', 't', 'r', 'y',
                                                             'R', 'e', 'q', 'u', 'e', 's', 't'}))),
            to_hex(kHelloRetryRequestRandom));
}

TEST(ClientExtensions13, EncodeSupportedVersionsAndKeyShare) {
  const std::vector<std::uint16_t> versions = {0x0304, 0x0303};
  EXPECT_EQ(to_hex(encode_client_supported_versions(versions)), "0403040303");
  const std::vector<KeyShareEntry> shares = {{0x001D, hex(trace::kServerPublicX25519)}};
  EXPECT_EQ(to_hex(encode_client_key_share(shares)),
            "0024001d0020" + std::string(trace::kServerPublicX25519));
}

TEST(EncryptedExtensions13, DecodesTheRfc8448Message) {
  auto ee = decode_encrypted_extensions(body_of(trace::kEncryptedExtensions));
  ASSERT_TRUE(ee) << ee.error().message;
  EXPECT_EQ(ee->extensions, (std::vector<std::uint16_t>{0x000A, 0x001C, 0x0000}));
  EXPECT_TRUE(ee->server_name_ack);
  ASSERT_TRUE(ee->supported_groups);
  EXPECT_EQ(ee->supported_groups->front(), 0x001D);

  const std::vector<std::uint16_t> offered_with_limit = {0x0000, 0x000A, 0x001C};
  EXPECT_TRUE(check_encrypted_extensions(*ee, offered_with_limit, {}));
  const std::vector<std::uint16_t> offered_without_limit = {0x0000, 0x000A};
  auto checked = check_encrypted_extensions(*ee, offered_without_limit, {});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().alert, 110);  // unsupported_extension
}

TEST(EncryptedExtensions13, ForbiddenExtensionsAndBadAlpn) {
  auto with_key_share = decode_encrypted_extensions(hex("0006 0033 0002 0017"));
  ASSERT_FALSE(with_key_share);
  EXPECT_EQ(with_key_share.error().alert, 47);
  auto with_versions = decode_encrypted_extensions(hex("0006 002b 0002 0304"));
  ASSERT_FALSE(with_versions);
  auto alpn = decode_encrypted_extensions(hex("000b 0010 0007 0005 04 68327878"));  // "h2xx"
  ASSERT_TRUE(alpn);
  const std::vector<std::uint16_t> offered = {0x0010};
  const std::vector<std::string> protocols = {"http/1.1"};
  EXPECT_FALSE(check_encrypted_extensions(*alpn, offered, protocols));
  EXPECT_FALSE(decode_encrypted_extensions(hex("0004 0000")));                 // truncated
  EXPECT_FALSE(decode_encrypted_extensions(hex("0008 0000 0000 0000 0000")));  // repeated
}

TEST(Certificate13, DecodesTheRfc8448Certificate) {
  auto certificate = decode_certificate13(body_of(trace::kCertificate));
  ASSERT_TRUE(certificate) << certificate.error().message;
  EXPECT_TRUE(certificate->request_context.empty());
  ASSERT_EQ(certificate->entries.size(), 1U);
  EXPECT_EQ(certificate->entries[0].cert_data.size(), 0x1b0U);
  EXPECT_TRUE(certificate->entries[0].extension_types.empty());
  EXPECT_TRUE(check_server_certificate13(*certificate, {}));
}

TEST(Certificate13, RejectsContextEmptyChainAndUnofferedEntryExtensions) {
  auto with_context = decode_certificate13(hex("01aa 000007 000002 3000 0000"));
  ASSERT_TRUE(with_context);
  EXPECT_FALSE(check_server_certificate13(*with_context, {}));
  auto empty = decode_certificate13(hex("00 000000"));
  ASSERT_TRUE(empty);
  auto checked = check_server_certificate13(*empty, {});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::cert_invalid);
  auto with_ocsp = decode_certificate13(hex("00 00000c 000002 3000 0005 0005 0001 00"));
  ASSERT_TRUE(with_ocsp) << with_ocsp.error().message;
  EXPECT_EQ(with_ocsp->entries[0].extension_types, std::vector<std::uint16_t>{5});
  auto unoffered = check_server_certificate13(*with_ocsp, {});
  ASSERT_FALSE(unoffered);
  EXPECT_EQ(unoffered.error().alert, 110);
  const std::vector<std::uint16_t> offered = {5};
  EXPECT_TRUE(check_server_certificate13(*with_ocsp, offered));
  EXPECT_FALSE(decode_certificate13(hex("00 000005 000000 0000")));            // empty cert_data
  EXPECT_FALSE(decode_certificate13(hex("00 000009 000002 3000 0004 0005")));  // truncated extension
}

crypto::PublicKey rfc8448_server_key() {
  auto certificate = decode_certificate13(body_of(trace::kCertificate));
  EXPECT_TRUE(certificate);
  auto parsed = crypto::Certificate::from_der(certificate->entries[0].cert_data);
  EXPECT_TRUE(parsed);
  auto key = parsed->public_key();
  EXPECT_TRUE(key);
  return std::move(*key);
}

std::vector<std::uint8_t> hash_through_certificate() {
  crypto::HashContext hash(policy::HashAlgorithm::sha256);
  for (const auto m :
       {trace::kClientHello, trace::kServerHello, trace::kEncryptedExtensions, trace::kCertificate}) {
    hash.update(hex(m));
  }
  return hash.finish();
}

const std::vector<std::uint16_t> kOffered2025 = {0x0403, 0x0503, 0x0603, 0x0303, 0x0809, 0x080A,
                                                 0x080B, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501,
                                                 0x0601, 0x0301, 0x0201, 0x0203};

TEST(CertificateVerify13, VerifiesTheRfc8448RsaPssSignature) {
  auto message = decode_certificate_verify13(body_of(trace::kCertificateVerify));
  ASSERT_TRUE(message);
  EXPECT_EQ(message->scheme, 0x0804);
  const auto key = rfc8448_server_key();
  auto scheme = verify_certificate_verify13(*message, key, hash_through_certificate(), kOffered2025);
  ASSERT_TRUE(scheme) << scheme.error().message;
  EXPECT_EQ((*scheme)->code, 0x0804);
}

TEST(CertificateVerify13, TamperedSignatureOrTranscriptIsBadSignature) {
  auto message = decode_certificate_verify13(body_of(trace::kCertificateVerify));
  ASSERT_TRUE(message);
  const auto key = rfc8448_server_key();
  auto tampered = *message;
  tampered.signature[10] ^= 1;
  auto result = verify_certificate_verify13(tampered, key, hash_through_certificate(), kOffered2025);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::bad_signature);
  EXPECT_EQ(result.error().alert, 51);  // decrypt_error
  auto other_hash = hash_through_certificate();
  other_hash[0] ^= 1;
  EXPECT_FALSE(verify_certificate_verify13(*message, key, other_hash, kOffered2025));
}

TEST(CertificateVerify13, SchemeMustBeOfferedAndAllowedInTls13) {
  auto message = decode_certificate_verify13(body_of(trace::kCertificateVerify));
  ASSERT_TRUE(message);
  const auto key = rfc8448_server_key();
  const std::vector<std::uint16_t> pkcs1_only = {0x0401};
  auto not_offered = verify_certificate_verify13(*message, key, hash_through_certificate(), pkcs1_only);
  ASSERT_FALSE(not_offered);
  EXPECT_EQ(not_offered.error().code, ErrorCode::no_shared_signature_scheme);
  auto pkcs1 = *message;
  pkcs1.scheme = 0x0401;
  auto refused = verify_certificate_verify13(pkcs1, key, hash_through_certificate(), kOffered2025);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::no_shared_signature_scheme);
  auto pss_pss = *message;
  pss_pss.scheme = 0x0809;  // needs an RSASSA-PSS key, the certificate has rsaEncryption
  auto mismatch = verify_certificate_verify13(pss_pss, key, hash_through_certificate(), kOffered2025);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, ErrorCode::cert_key_unsupported);
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

// An EC key on `curve`, its public key, and an ECDSA signature of the TLS 1.3 content with `md`.
struct EcSigned {
  crypto::PublicKey key;
  std::vector<std::uint8_t> signature;
};
EcSigned ec_sign(const char* curve, const char* md, std::span<const std::uint8_t> transcript_hash) {
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey(EVP_EC_gen(curve));
  EXPECT_NE(pkey, nullptr);
  unsigned char* der = nullptr;
  const int der_length = i2d_PUBKEY(pkey.get(), &der);
  auto key = crypto::PublicKey::from_spki_der(std::span(der, static_cast<std::size_t>(der_length)));
  OPENSSL_free(der);
  EXPECT_TRUE(key);
  const auto content = server_signed_content(transcript_hash);
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EXPECT_EQ(EVP_DigestSignInit_ex(ctx.get(), nullptr, md, nullptr, nullptr, pkey.get(), nullptr), 1);
  std::size_t length = 0;
  EXPECT_EQ(EVP_DigestSign(ctx.get(), nullptr, &length, content.data(), content.size()), 1);
  std::vector<std::uint8_t> signature(length);
  EXPECT_EQ(EVP_DigestSign(ctx.get(), signature.data(), &length, content.data(), content.size()), 1);
  signature.resize(length);
  return EcSigned{std::move(*key), std::move(signature)};
}

TEST(CertificateVerify13, EcdsaIsBoundToItsCurve) {
  const auto hash = hash_through_certificate();
  auto p256 = ec_sign("P-256", "SHA256", hash);
  EXPECT_TRUE(verify_certificate_verify13({0x0403, p256.signature}, p256.key, hash, kOffered2025));
  auto p384 = ec_sign("P-384", "SHA384", hash);
  EXPECT_TRUE(verify_certificate_verify13({0x0503, p384.signature}, p384.key, hash, kOffered2025));
  // A P-384 key signing with SHA-256 is valid ECDSA, but not ecdsa_secp256r1_sha256.
  auto p384_sha256 = ec_sign("P-384", "SHA256", hash);
  auto bound =
      verify_certificate_verify13({0x0403, p384_sha256.signature}, p384_sha256.key, hash, kOffered2025);
  ASSERT_FALSE(bound);
  EXPECT_EQ(bound.error().code, ErrorCode::cert_key_unsupported);
  // ecdsa_sha1 is a TLS 1.2 scheme only.
  auto sha1 = verify_certificate_verify13({0x0203, p256.signature}, p256.key, hash, kOffered2025);
  ASSERT_FALSE(sha1);
  EXPECT_EQ(sha1.error().code, ErrorCode::no_shared_signature_scheme);
}

TEST(CertificateVerify13, SignedContentLayout) {
  const std::vector<std::uint8_t> hash(32, 0xAB);
  const auto content = server_signed_content(hash);
  ASSERT_EQ(content.size(), 64U + 33U + 1U + 32U);
  EXPECT_EQ(content[0], 0x20);
  EXPECT_EQ(content[63], 0x20);
  EXPECT_EQ(std::string(content.begin() + 64, content.begin() + 97), "TLS 1.3, server CertificateVerify");
  EXPECT_EQ(content[97], 0);
  EXPECT_EQ(content[98], 0xAB);
  EXPECT_FALSE(decode_certificate_verify13(hex("0804 0000")));
  EXPECT_FALSE(decode_certificate_verify13(hex("0804 0002 aa")));
}

TEST(NewSessionTicket13, DecodesTheRfc8448Ticket) {
  auto ticket = decode_new_session_ticket13(body_of(trace::kNewSessionTicket));
  ASSERT_TRUE(ticket) << ticket.error().message;
  EXPECT_EQ(ticket->lifetime_seconds, 30U);
  EXPECT_EQ(ticket->age_add, 0xfad6aac5U);
  EXPECT_EQ(to_hex(ticket->nonce), "0000");
  EXPECT_EQ(ticket->ticket.size(), 0xb2U);
  EXPECT_EQ(ticket->max_early_data_size, 0x400U);
}

TEST(NewSessionTicket13, RejectsLongLifetimeEmptyTicketAndTrailingBytes) {
  auto too_long = decode_new_session_ticket13(hex("00093a81 00000000 00 0001aa 0000"));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().alert, 47);
  EXPECT_TRUE(decode_new_session_ticket13(hex("00093a80 00000000 00 0001aa 0000")));
  EXPECT_FALSE(decode_new_session_ticket13(hex("00000010 00000000 00 0000 0000")));
  EXPECT_FALSE(decode_new_session_ticket13(hex("00000010 00000000 00 0001aa 0000 ff")));
}

TEST(KeyUpdate13, RoundTripAndIllegalValues) {
  EXPECT_EQ(to_hex(encode_key_update(KeyUpdateRequest::update_requested)), "1800000101");
  EXPECT_EQ(decode_key_update(hex("00")).value(), KeyUpdateRequest::update_not_requested);
  EXPECT_EQ(decode_key_update(hex("01")).value(), KeyUpdateRequest::update_requested);
  auto bad = decode_key_update(hex("02"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().alert, 47);
  EXPECT_FALSE(decode_key_update(hex("0000")));
}

}  // namespace
}  // namespace edgefetch::tls::tls13
