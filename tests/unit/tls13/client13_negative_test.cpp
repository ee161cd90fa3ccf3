// The TLS 1.3 client against a scripted server that gets one thing wrong at a
// time: each case asserts the error code and the alert the client sends.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

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

struct Started13 {
  std::unique_ptr<Client13> client;  // null when the script itself could not run
  std::string failure;
};

// A client that has read the scripted server's whole flight (and is connected or failed).
Started13 start_against(const ForgeOptions& forge) {
  Started13 started;
  auto built = test::build_hello({});
  if (!built.failure.empty()) {
    started.failure = built.failure;
    return started;
  }
  auto flight = test::forge_server_flight(built.handover.client_hello, forge);
  if (!flight.failure.empty()) {
    started.failure = flight.failure;
    return started;
  }
  started.client = std::make_unique<Client13>(std::move(built.handover));
  (void)started.client->start(flight.server_hello, flight.records);
  return started;
}

Outcome run(const ForgeOptions& forge) {
  Outcome outcome;
  auto started = start_against(forge);
  if (!started.client) {
    outcome.failure = started.failure;
    return outcome;
  }
  const Client13& client = *started.client;
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

// RFC 8446 §4.2: the cookie is the one extension a HelloRetryRequest may carry
// unasked; the second ClientHello echoes it (SunJSSE sends one with every HRR).
TEST(Client13Negative, HelloRetryRequestCookieIsEchoedInTheSecondHello) {
  ForgeOptions forge;
  forge.retry_group = 29;
  forge.retry_cookie = {0xC0, 0x0C, 0x1E, 0x5A, 0x17};
  const auto outcome = run(forge);
  ASSERT_TRUE(outcome.failure.empty()) << outcome.failure;
  EXPECT_EQ(outcome.state, State::handshaking) << outcome.error.message;
  // cookie extension: type 44, length 7, the cookie with its u16 length.
  const std::vector<std::uint8_t> echoed = {0x00, 0x2C, 0x00, 0x07, 0x00, 0x05, 0xC0, 0x0C, 0x1E, 0x5A, 0x17};
  EXPECT_NE(
      std::search(outcome.client_output.begin(), outcome.client_output.end(), echoed.begin(), echoed.end()),
      outcome.client_output.end());
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

// user_canceled is the one warning TLS 1.3 keeps (RFC 8446 §6.1: a close_notify
// follows; JDK 11 sends one before closing). A stream of them is refused after
// four in a row, as the TLS 1.2 engine refuses warning alerts: a peer must not
// keep the client busy without progress.
const std::array<std::uint8_t, 2> kUserCanceled = {1, 90};
const std::array<std::uint8_t, 2> kCloseNotify = {1, 0};

TEST(Client13Negative, AFewUserCanceledAlertsBeforeCloseNotifyCloseCleanly) {
  auto started = start_against({});
  ASSERT_TRUE(started.client) << started.failure;
  Client13& client = *started.client;
  ASSERT_EQ(client.state(), State::connected) << client.error().message;
  const auto alert = test::plaintext_record(21, 0x0303, kUserCanceled);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(client.feed(alert)) << i << ": " << client.error().message;
  EXPECT_EQ(client.state(), State::connected);
  // s2n, too, takes user_canceled as a warning in TLS 1.3: nothing the edge would refuse.
  EXPECT_TRUE(client.negotiated().warning_alerts.empty());
  ASSERT_TRUE(client.feed(test::plaintext_record(21, 0x0303, kCloseNotify))) << client.error().message;
  EXPECT_EQ(client.state(), State::closed);
  EXPECT_TRUE(client.peer_closed());
}

TEST(Client13Negative, AStreamOfUserCanceledAlertsIsRefused) {
  auto started = start_against({});
  ASSERT_TRUE(started.client) << started.failure;
  Client13& client = *started.client;
  ASSERT_EQ(client.state(), State::connected) << client.error().message;
  const auto alert = test::plaintext_record(21, 0x0303, kUserCanceled);
  std::vector<std::uint8_t> stream;
  for (int i = 0; i < 5; ++i) stream.insert(stream.end(), alert.begin(), alert.end());
  EXPECT_FALSE(client.feed(stream));
  EXPECT_EQ(client.state(), State::failed);
  EXPECT_EQ(client.error().code, ErrorCode::protocol_violation) << client.error().message;
  EXPECT_EQ(client.error().alert, 10);  // unexpected_message
}

}  // namespace
}  // namespace edgefetch::tls::tls13
