// Answers no conforming server gives, scripted byte by byte: a ServerHello
// that echoes the offered session id but changes the version or suite, or the
// extended_master_secret state; and what the ClientHello carries for a session.

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>

#include "resumption_support.hpp"
#include "scripted_server_hello.hpp"
#include "test_bytes.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls {
namespace {

using policy::ProtocolVersion;
using test::Bytes;
using test::contains;
using test::hello_session_id;
using test::scripted_session_state;
using test::test_client_config;

// One record carrying the scripted ServerHello.
Bytes server_hello_record(const test::ScriptedServerHello& hello) {
  const Bytes message = test::server_hello_message(hello);
  Bytes record{0x16, 0x03, 0x03};
  test::put_u16(record, message.size());
  record.insert(record.end(), message.begin(), message.end());
  return record;
}

struct Started {
  std::unique_ptr<Client> client;
  Bytes sent_session_id;
};

Started start_with(Session::State state, ClientConfig config = test_client_config()) {
  config.resume_session = std::make_shared<const Session>(std::move(state));
  Started started{std::make_unique<Client>(std::move(config)), {}};
  started.client->start();
  started.sent_session_id = hello_session_id(started.client->pending_output());
  started.client->consume_output(started.client->pending_output().size());
  return started;
}

void expect_alert(const Client& client, std::uint8_t description) {
  ASSERT_EQ(client.state(), State::failed);
  EXPECT_EQ(client.error().alert_sender, AlertSender::client);
  EXPECT_EQ(client.error().alert, description);
  // The fatal alert is queued as the client's last record: 21, version, length 2, level 2, description.
  const auto out = client.pending_output();
  ASSERT_GE(out.size(), 7u);
  EXPECT_EQ(out[0], 21);
  EXPECT_EQ(out[out.size() - 2], 2);
  EXPECT_EQ(out[out.size() - 1], description);
}

TEST(ResumptionScripted, ClientHelloCarriesTheSessionId) {
  const std::time_t now = std::time(nullptr);
  auto started = start_with(scripted_session_state(now));
  EXPECT_EQ(started.sent_session_id, Bytes(32, 0xAB));
}

TEST(ResumptionScripted, ClientHelloCarriesTheTicketWithAFreshSessionId) {
  const std::time_t now = std::time(nullptr);
  Session::State state = scripted_session_state(now);
  state.ticket = Bytes(100, 0x7C);
  ClientConfig config = test_client_config();
  config.hello.random_session_id = false;  // a ticket still gets a fresh 32-byte id
  config.resume_session = std::make_shared<const Session>(std::move(state));
  Client client(std::move(config));
  client.start();
  const auto out = client.pending_output();
  EXPECT_TRUE(contains(out, test::concat({test::hex("0023 0064"), Bytes(100, 0x7C)})));
  const Bytes id = hello_session_id(out);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_NE(id, Bytes(32, 0xAB));
}

TEST(ResumptionScripted, NoSessionMeansAnEmptyTicketExtension) {
  Client client(test_client_config());
  client.start();
  EXPECT_TRUE(contains(client.pending_output(), test::hex("0023 0000")));
}

TEST(ResumptionScripted, EchoedIdWithAnotherSuiteIsAnIllegalParameter) {
  auto started = start_with(scripted_session_state(std::time(nullptr)));
  auto fed =
      started.client->feed(server_hello_record({.session_id = started.sent_session_id, .suite = 0xC030}));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::protocol_violation);
  EXPECT_NE(fed.error().message.find("resumed"), std::string::npos) << fed.error().message;
  expect_alert(*started.client, alert_description::kIllegalParameter);
}

TEST(ResumptionScripted, EchoedIdWithAnotherVersionIsAnIllegalParameter) {
  Session::State tls10 = scripted_session_state(std::time(nullptr));
  // The session is TLS 1.2 with a CBC suite both versions allow; the server answers TLS 1.1.
  tls10.cipher_suite = policy::cipher_suite_by_code(0xC013);
  auto again = start_with(
      std::move(tls10),
      test_client_config({ProtocolVersion::tls1_0, ProtocolVersion::tls1_1, ProtocolVersion::tls1_2}));
  auto fed = again.client->feed(
      server_hello_record({.version = 0x0302, .session_id = again.sent_session_id, .suite = 0xC013}));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::protocol_violation);
  EXPECT_NE(fed.error().message.find("TLS 1.1"), std::string::npos) << fed.error().message;
  expect_alert(*again.client, alert_description::kIllegalParameter);
}

TEST(ResumptionScripted, EmsSessionResumedWithoutEmsAborts) {
  auto started = start_with(scripted_session_state(std::time(nullptr)));
  auto fed = started.client->feed(
      server_hello_record({.session_id = started.sent_session_id, .extended_master_secret = false}));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::protocol_violation);
  expect_alert(*started.client, alert_description::kHandshakeFailure);
}

TEST(ResumptionScripted, NonEmsSessionResumedWithEmsAborts) {
  Session::State state = scripted_session_state(std::time(nullptr));
  state.extended_master_secret = false;
  auto started = start_with(std::move(state));
  auto fed = started.client->feed(server_hello_record({.session_id = started.sent_session_id}));
  ASSERT_FALSE(fed);
  expect_alert(*started.client, alert_description::kHandshakeFailure);
}

TEST(ResumptionScripted, AcceptedResumptionWaitsForChangeCipherSpecNotCertificate) {
  auto started = start_with(scripted_session_state(std::time(nullptr)));
  ASSERT_TRUE(started.client->feed(server_hello_record({.session_id = started.sent_session_id})));
  EXPECT_EQ(started.client->state(), State::handshaking);
  EXPECT_TRUE(started.client->negotiated().resumed);
  // A Certificate now is out of order.
  auto fed = started.client->feed(test::hex("16 0303 0007 0b 000003 000000"));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::protocol_violation);
  EXPECT_NE(fed.error().message.find("ChangeCipherSpec"), std::string::npos) << fed.error().message;
}

TEST(ResumptionScripted, AcceptedTicketResumptionWaitsForTheNewTicket) {
  Session::State state = scripted_session_state(std::time(nullptr));
  state.ticket = Bytes(16, 0x42);
  auto started = start_with(std::move(state));
  ASSERT_TRUE(started.client->feed(
      server_hello_record({.session_id = started.sent_session_id, .session_ticket = true})));
  // A ChangeCipherSpec before the announced NewSessionTicket is refused.
  auto fed = started.client->feed(test::hex("14 0303 0001 01"));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::protocol_violation);
}

TEST(ResumptionScripted, OtherSessionIdIsAFullHandshake) {
  auto started = start_with(scripted_session_state(std::time(nullptr)));
  ASSERT_TRUE(started.client->feed(server_hello_record({.session_id = Bytes(32, 0xCD)})));
  EXPECT_EQ(started.client->state(), State::handshaking);
  EXPECT_FALSE(started.client->negotiated().resumed);
}

TEST(ResumptionScripted, EchoWithoutAnOfferedSessionIsRefused) {
  Client client(test_client_config());
  client.start();
  const Bytes id = hello_session_id(client.pending_output());
  ASSERT_EQ(id.size(), 32u);
  auto fed = client.feed(server_hello_record({.session_id = id}));
  ASSERT_FALSE(fed);
  EXPECT_NE(fed.error().message.find("never established"), std::string::npos);
}

}  // namespace
}  // namespace edgefetch::tls
