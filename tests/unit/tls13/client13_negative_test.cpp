// The TLS 1.3 client against a scripted server that gets one thing wrong at a
// time: each case asserts the error code and the alert the client sends.

#include <gtest/gtest.h>

#include <string>

#include "drive13.hpp"
#include "forged_server13.hpp"
#include "tls/record/record.hpp"
#include "tls/tls13/record_layer.hpp"

namespace edgefetch::tls::tls13 {
namespace {

using test::ForgeOptions;

struct Outcome {
  State state = State::idle;
  Error error;
  std::vector<std::uint8_t> client_output;
  std::string failure;
  Negotiated negotiated;
};

Outcome run(const ForgeOptions& forge) {
  Outcome outcome;
  auto built = test::build_hello({});
  if (!built.failure.empty()) {
    outcome.failure = built.failure;
    return outcome;
  }
  const auto client_hello = built.handover.client_hello;
  auto flight = test::forge_server_flight(client_hello, forge);
  if (!flight.failure.empty()) {
    outcome.failure = flight.failure;
    return outcome;
  }
  Client13 client(std::move(built.handover));
  (void)client.start(flight.server_hello, flight.records);
  outcome.state = client.state();
  outcome.error = client.error();
  outcome.negotiated = client.negotiated();
  outcome.client_output.assign(client.pending_output().begin(), client.pending_output().end());
  return outcome;
}

TEST(Client13Negative, TheScriptedServerIsCorrectWhenNothingIsForged) {
  const auto outcome = run({});
  ASSERT_TRUE(outcome.failure.empty()) << outcome.failure;
  EXPECT_EQ(outcome.state, State::connected) << outcome.error.message;
  ASSERT_NE(outcome.negotiated.signature_scheme, nullptr);
  EXPECT_EQ(outcome.negotiated.signature_scheme->code, 0x0804);
}

TEST(Client13Negative, BadFinished) {
  ForgeOptions forge;
  forge.corrupt_finished = true;
  const auto outcome = run(forge);
  ASSERT_TRUE(outcome.failure.empty()) << outcome.failure;
  EXPECT_EQ(outcome.state, State::failed);
  EXPECT_EQ(outcome.error.code, ErrorCode::bad_finished) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 51);  // decrypt_error
  // The alert goes out encrypted (under the client handshake traffic key), after the CCS.
  ASSERT_GE(outcome.client_output.size(), 6U + 5U + 2U + 1U + 16U);
  EXPECT_EQ(outcome.client_output[0], 20);
  EXPECT_EQ(outcome.client_output[6], 23);
}

TEST(Client13Negative, BadCertificateVerifySignature) {
  ForgeOptions forge;
  forge.corrupt_signature = true;
  const auto outcome = run(forge);
  ASSERT_TRUE(outcome.failure.empty()) << outcome.failure;
  EXPECT_EQ(outcome.error.code, ErrorCode::bad_signature) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 51);
}

TEST(Client13Negative, CertificateVerifyWithPkcs1IsRefusedInTls13) {
  ForgeOptions forge;
  forge.claimed_signature_scheme = 0x0401;  // rsa_pkcs1_sha256: offered for TLS 1.2, illegal in 1.3
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::no_shared_signature_scheme) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 47);
}

TEST(Client13Negative, EcdsaSchemeForTheWrongCurve) {
  ForgeOptions forge;
  forge.leaf = support::Leaf::ecdsa_p384;
  forge.signature_scheme = 0x0403;  // a P-384 key signing SHA-256: ecdsa_secp256r1_sha256 needs P-256
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::cert_key_unsupported) << outcome.error.message;
}

TEST(Client13Negative, ServerPicksAGroupWithoutAClientShare) {
  ForgeOptions forge;
  forge.answer_group = 29;  // X25519: offered in supported_groups, but our one share is P-256
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::no_shared_group) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 47);
}

TEST(Client13Negative, HelloRetryRequestForAGroupNotOffered) {
  ForgeOptions forge;
  forge.retry_group = 25;  // P-521
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::no_shared_group) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 47);
}

TEST(Client13Negative, HelloRetryRequestForTheGroupAlreadySent) {
  ForgeOptions forge;
  forge.retry_group = 23;  // P-256: the share we sent
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::protocol_violation) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 47);
}

TEST(Client13Negative, HelloRetryRequestForAnOfferedGroupSendsTheSecondHello) {
  ForgeOptions forge;
  forge.retry_group = 29;
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.state, State::handshaking) << outcome.error.message;
  // CCS, then the second ClientHello in plaintext.
  ASSERT_GT(outcome.client_output.size(), 11U);
  EXPECT_EQ(outcome.client_output[0], 20);
  EXPECT_EQ(outcome.client_output[6], 22);
  EXPECT_EQ(outcome.client_output[11], 1);
}

TEST(Client13Negative, SessionIdNotEchoed) {
  ForgeOptions forge;
  forge.echo_session_id = false;
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::protocol_violation) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 47);
}

TEST(Client13Negative, Tls12SuiteInATls13ServerHello) {
  ForgeOptions forge;
  forge.suite = 0xC02F;
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::no_shared_cipher) << outcome.error.message;
}

TEST(Client13Negative, UnknownSuite) {
  ForgeOptions forge;
  forge.suite = 0x1304;  // TLS_AES_128_CCM_SHA256: never offered
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::no_shared_cipher) << outcome.error.message;
}

TEST(Client13Negative, CertificateBeforeEncryptedExtensionsIsUnexpected) {
  ForgeOptions forge;
  forge.certificate_before_encrypted_extensions = true;
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::protocol_violation) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 10);  // unexpected_message
}

TEST(Client13Negative, UnofferedExtensionInEncryptedExtensions) {
  ForgeOptions forge;
  forge.extra_encrypted_extension = {0x00, 0x10, 0x00, 0x05, 0x00,
                                     0x03, 0x02, 'h',  '2'};  // ALPN, not offered
  const auto outcome = run(forge);
  EXPECT_EQ(outcome.error.code, ErrorCode::protocol_violation) << outcome.error.message;
  EXPECT_EQ(outcome.error.alert, 110);
}

}  // namespace
}  // namespace edgefetch::tls::tls13
