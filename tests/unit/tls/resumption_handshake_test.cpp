// Resumption end to end against libssl in memory: the server's own view
// (SSL_session_reused) proves the abbreviated handshake happened, by ticket
// and by session id, in TLS 1.2 (GCM and CBC, ECDHE and RSA) and TLS 1.0; the
// session a connection yields; declined resumption; sessions that must not be
// offered; a wrong master secret caught by the server's Finished.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "resumption_support.hpp"

namespace edgefetch::tls {
namespace {

using policy::ProtocolVersion;
using test::contains;
using test::expect_application_data_flows;
using test::handshake;
using test::hello_session_id;
using test::MemoryServer;
using test::MemoryServerOptions;
using test::test_client_config;

struct ResumptionCell {
  std::string name;
  std::vector<ProtocolVersion> allowed;
  int server_version;
  std::string ciphers;  // OpenSSL name
  std::uint16_t suite;
  bool tickets;  // server issues tickets (else: session ids)
};

// The CDN's legacy policy: the documented suites plus the RSA GCM ones.
constexpr std::string_view kProfile = "CloudFront-Upstream";

class Resumption : public ::testing::TestWithParam<ResumptionCell> {};

TEST_P(Resumption, SecondConnectionIsAbbreviatedAndTheServerSaysSo) {
  const ResumptionCell& cell = GetParam();
  MemoryServerOptions options;
  options.ciphers = cell.ciphers + ":@SECLEVEL=0";
  options.min_version = cell.server_version;
  options.max_version = cell.server_version;
  options.tickets = cell.tickets;
  MemoryServer first_server(options);

  auto first = handshake(test_client_config(cell.allowed, kProfile), first_server);
  ASSERT_EQ(first->state(), State::connected) << first->error().message << " / " << first_server.last_error();
  EXPECT_FALSE(first->negotiated().resumed);
  EXPECT_FALSE(first_server.session_reused());
  const auto session = first->session();
  ASSERT_NE(session, nullptr);
  const Session::State& saved = session->state();
  EXPECT_EQ(saved.version, first->negotiated().version);
  ASSERT_NE(saved.cipher_suite, nullptr);
  EXPECT_EQ(saved.cipher_suite->code, cell.suite);
  EXPECT_EQ(saved.master_secret.size(), 48u);
  EXPECT_EQ(saved.extended_master_secret, first->negotiated().extended_master_secret);
  EXPECT_TRUE(saved.extended_master_secret);
  EXPECT_EQ(saved.server_name, "origin.test");
  EXPECT_TRUE(saved.certificate_verified);
  EXPECT_EQ(saved.certificate_chain, first->negotiated().certificate_chain);
  EXPECT_EQ(session->has_ticket(), cell.tickets);
  if (cell.tickets) {
    EXPECT_GT(saved.ticket_lifetime_hint_s, 0u);
  } else {
    EXPECT_EQ(saved.session_id, first->negotiated().session_id);
  }

  auto second_server = first_server.next_connection();
  ClientConfig config = test_client_config(cell.allowed, kProfile);
  config.resume_session = session;
  Client second(std::move(config));
  second.start();
  const auto sent_id = hello_session_id(second.pending_output());
  ASSERT_EQ(sent_id.size(), 32u);
  if (cell.tickets) {
    EXPECT_TRUE(contains(second.pending_output(), saved.ticket));
    EXPECT_NE(sent_id, saved.session_id);  // RFC 5077 §3.4: a fresh id goes with the ticket
  } else {
    EXPECT_EQ(sent_id, saved.session_id);
  }
  test::pump(second, *second_server);
  ASSERT_EQ(second.state(), State::connected)
      << second.error().message << " / " << second_server->last_error();
  EXPECT_TRUE(second_server->session_reused());
  const Negotiated& n = second.negotiated();
  EXPECT_TRUE(n.resumed);
  EXPECT_EQ(n.version, saved.version);
  EXPECT_EQ(n.cipher_suite, saved.cipher_suite);
  EXPECT_EQ(second_server->cipher_code(), cell.suite);
  EXPECT_EQ(n.session_id, sent_id);
  EXPECT_EQ(n.extended_master_secret, saved.extended_master_secret);
  EXPECT_TRUE(n.secure_renegotiation);
  EXPECT_EQ(n.group, nullptr);  // no key exchange in an abbreviated handshake
  EXPECT_EQ(n.signature_scheme, nullptr);
  EXPECT_EQ(n.certificate_chain, saved.certificate_chain);
  ASSERT_TRUE(n.certificate.has_value());
  EXPECT_EQ(n.certificate->key, first->negotiated().certificate->key);
  EXPECT_EQ(n.certificate->subject, first->negotiated().certificate->subject);
  expect_application_data_flows(second, *second_server);

  // Without a new ticket the connection's session is the one it resumed.
  ASSERT_NE(second.session(), nullptr);
  if (!n.session_ticket_received) {
    EXPECT_EQ(second.session(), session);
  }

  // And the session resumes again.
  auto third_server = first_server.next_connection();
  ClientConfig again = test_client_config(cell.allowed, kProfile);
  again.resume_session = second.session();
  auto third = handshake(std::move(again), *third_server);
  ASSERT_EQ(third->state(), State::connected) << third->error().message;
  EXPECT_TRUE(third->negotiated().resumed);
  EXPECT_TRUE(third_server->session_reused());
}

INSTANTIATE_TEST_SUITE_P(Cells, Resumption,
                         ::testing::Values(ResumptionCell{"Tls12EcdheRsaAes128GcmTicket",
                                                          {ProtocolVersion::tls1_2},
                                                          TLS1_2_VERSION,
                                                          "ECDHE-RSA-AES128-GCM-SHA256",
                                                          0xC02F,
                                                          true},
                                           ResumptionCell{"Tls12EcdheRsaAes128GcmSessionId",
                                                          {ProtocolVersion::tls1_2},
                                                          TLS1_2_VERSION,
                                                          "ECDHE-RSA-AES128-GCM-SHA256",
                                                          0xC02F,
                                                          false},
                                           ResumptionCell{"Tls12EcdheRsaAes256CbcSha384Ticket",
                                                          {ProtocolVersion::tls1_2},
                                                          TLS1_2_VERSION,
                                                          "ECDHE-RSA-AES256-SHA384",
                                                          0xC028,
                                                          true},
                                           ResumptionCell{"Tls12RsaAes128CbcShaSessionId",
                                                          {ProtocolVersion::tls1_2},
                                                          TLS1_2_VERSION,
                                                          "AES128-SHA",
                                                          0x002F,
                                                          false},
                                           ResumptionCell{"Tls12RsaAes256GcmTicket",
                                                          {ProtocolVersion::tls1_2},
                                                          TLS1_2_VERSION,
                                                          "AES256-GCM-SHA384",
                                                          0x009D,
                                                          true},
                                           ResumptionCell{"Tls10EcdheRsaAes128ShaTicket",
                                                          {ProtocolVersion::tls1_0},
                                                          TLS1_VERSION,
                                                          "ECDHE-RSA-AES128-SHA",
                                                          0xC013,
                                                          true},
                                           ResumptionCell{"Tls10RsaAes256ShaSessionId",
                                                          {ProtocolVersion::tls1_0},
                                                          TLS1_VERSION,
                                                          "AES256-SHA",
                                                          0x0035,
                                                          false},
                                           ResumptionCell{"Tls11EcdheRsaAes256ShaSessionId",
                                                          {ProtocolVersion::tls1_1},
                                                          TLS1_1_VERSION,
                                                          "ECDHE-RSA-AES256-SHA",
                                                          0xC014,
                                                          false}),
                         [](const ::testing::TestParamInfo<ResumptionCell>& param) {
                           return param.param.name;
                         });

MemoryServerOptions tls12_server(bool tickets) {
  MemoryServerOptions options;
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0";
  options.tickets = tickets;
  return options;
}

std::shared_ptr<const Session> first_session(MemoryServer& server,
                                             ClientConfig config = test_client_config()) {
  auto client = handshake(std::move(config), server);
  if (client->state() != State::connected) {
    ADD_FAILURE() << client->error().message;
    return nullptr;
  }
  return client->session();
}

TEST(Resumption, ServerThatDeclinesGetsAFullHandshake) {
  MemoryServer first_server(tls12_server(true));
  const auto session = first_session(first_server);
  ASSERT_NE(session, nullptr);
  MemoryServer stranger(tls12_server(true));  // other ticket keys and cache
  ClientConfig config = test_client_config();
  config.resume_session = session;
  auto client = handshake(std::move(config), stranger);
  ASSERT_EQ(client->state(), State::connected) << client->error().message;
  EXPECT_FALSE(client->negotiated().resumed);
  EXPECT_FALSE(stranger.session_reused());
  EXPECT_NE(client->negotiated().group, nullptr);
  ASSERT_NE(client->session(), nullptr);
  EXPECT_NE(client->session(), session);
  EXPECT_NE(client->session()->state().ticket, session->state().ticket);
  expect_application_data_flows(*client, stranger);
}

TEST(Resumption, SessionIdServerThatForgotTheSessionGetsAFullHandshake) {
  MemoryServer first_server(tls12_server(false));
  const auto session = first_session(first_server);
  ASSERT_NE(session, nullptr);
  ASSERT_FALSE(session->has_ticket());
  MemoryServer stranger(tls12_server(false));
  ClientConfig config = test_client_config();
  config.resume_session = session;
  auto client = handshake(std::move(config), stranger);
  ASSERT_EQ(client->state(), State::connected) << client->error().message;
  EXPECT_FALSE(client->negotiated().resumed);
  EXPECT_NE(client->negotiated().session_id, session->state().session_id);
  ASSERT_NE(client->session(), nullptr);
  EXPECT_NE(client->session()->state().session_id, session->state().session_id);
}

TEST(Resumption, NewSessionTicketInAnAbbreviatedHandshakeReplacesTheSession) {
  // Session id first (the client asks for no ticket), then resumed with the
  // empty session_ticket extension: libssl resumes from its cache and issues a
  // ticket in the abbreviated handshake.
  MemoryServer first_server(tls12_server(true));
  ClientConfig no_ticket = test_client_config();
  no_ticket.hello.session_ticket = false;
  const auto by_id = first_session(first_server, no_ticket);
  ASSERT_NE(by_id, nullptr);
  ASSERT_FALSE(by_id->has_ticket());
  ASSERT_FALSE(by_id->state().session_id.empty());

  auto second_server = first_server.next_connection();
  ClientConfig config = test_client_config();
  config.resume_session = by_id;
  auto second = handshake(std::move(config), *second_server);
  ASSERT_EQ(second->state(), State::connected) << second->error().message;
  EXPECT_TRUE(second->negotiated().resumed);
  EXPECT_TRUE(second_server->session_reused());
  ASSERT_TRUE(second->negotiated().session_ticket_received);
  const auto renewed = second->session();
  ASSERT_NE(renewed, nullptr);
  EXPECT_NE(renewed, by_id);  // a new Session object; the old one is unchanged
  EXPECT_FALSE(by_id->has_ticket());
  EXPECT_TRUE(renewed->has_ticket());
  EXPECT_EQ(renewed->state().session_id, by_id->state().session_id);
  EXPECT_EQ(renewed->state().master_secret, by_id->state().master_secret);
  EXPECT_EQ(renewed->state().certificate_chain, by_id->state().certificate_chain);

  // The new ticket resumes.
  auto third_server = first_server.next_connection();
  ClientConfig by_ticket = test_client_config();
  by_ticket.resume_session = renewed;
  Client third(std::move(by_ticket));
  third.start();
  EXPECT_TRUE(contains(third.pending_output(), renewed->state().ticket));
  test::pump(third, *third_server);
  ASSERT_EQ(third.state(), State::connected) << third.error().message;
  EXPECT_TRUE(third.negotiated().resumed);
  EXPECT_TRUE(third_server->session_reused());
}

// With a wrong master secret the server's encrypted Finished does not even
// decrypt: bad_record_mac (a wrong verify_data under the right keys is
// resumption_scripted_test's AbbreviatedFinished).
TEST(Resumption, WrongMasterSecretFailsOnTheServersFinishedRecord) {
  MemoryServer first_server(tls12_server(true));
  const auto session = first_session(first_server);
  ASSERT_NE(session, nullptr);
  Session::State forged = session->state();
  forged.master_secret[0] ^= 0x01;
  auto second_server = first_server.next_connection();
  ClientConfig config = test_client_config();
  config.resume_session = std::make_shared<const Session>(std::move(forged));
  auto client = handshake(std::move(config), *second_server);
  ASSERT_EQ(client->state(), State::failed);
  EXPECT_EQ(client->error().code, ErrorCode::bad_record_mac) << client->error().message;
  EXPECT_EQ(client->error().alert_sender, AlertSender::client);
  EXPECT_EQ(client->session(), nullptr);
  EXPECT_TRUE(second_server->failed() || !second_server->handshake_done());
}

TEST(Resumption, SessionForAnotherServerNameIsNotOffered) {
  MemoryServer first_server(tls12_server(true));
  const auto session = first_session(first_server);
  ASSERT_NE(session, nullptr);
  auto second_server = first_server.next_connection();
  ClientConfig config = test_client_config();
  config.server_name = "www.origin.test";  // SNI differs; the certificate still matches verify_name
  config.resume_session = session;
  Client client(std::move(config));
  client.start();
  EXPECT_FALSE(contains(client.pending_output(), session->state().ticket));
  test::pump(client, *second_server);
  ASSERT_EQ(client.state(), State::connected) << client.error().message;
  EXPECT_FALSE(client.negotiated().resumed);
  EXPECT_FALSE(second_server->session_reused());
  ASSERT_NE(client.session(), nullptr);
  EXPECT_EQ(client.session()->state().server_name, "www.origin.test");
}

TEST(Resumption, ExpiredSessionIsNotOffered) {
  MemoryServer first_server(tls12_server(false));
  const auto session = first_session(first_server);
  ASSERT_NE(session, nullptr);
  auto second_server = first_server.next_connection();
  ClientConfig config = test_client_config();
  config.verification_time =
      session->state().established_at + 2 * 24 * 3600;  // the certificate is still valid
  config.resume_session = session;
  Client client(std::move(config));
  client.start();
  EXPECT_NE(hello_session_id(client.pending_output()), session->state().session_id);
  test::pump(client, *second_server);
  ASSERT_EQ(client.state(), State::connected) << client.error().message;
  EXPECT_FALSE(client.negotiated().resumed);
  EXPECT_FALSE(second_server->session_reused());
}

TEST(Resumption, UnverifiedSessionIsOnlyResumedWithoutVerification) {
  MemoryServer first_server(tls12_server(false));
  ClientConfig insecure = test_client_config();
  insecure.verify_certificates = false;
  const auto unverified = first_session(first_server, insecure);
  ASSERT_NE(unverified, nullptr);
  EXPECT_FALSE(unverified->state().certificate_verified);

  auto verifying_server = first_server.next_connection();
  ClientConfig verifying = test_client_config();
  verifying.resume_session = unverified;
  auto verified = handshake(std::move(verifying), *verifying_server);
  ASSERT_EQ(verified->state(), State::connected) << verified->error().message;
  EXPECT_FALSE(verified->negotiated().resumed);
  EXPECT_FALSE(verifying_server->session_reused());
  ASSERT_NE(verified->session(), nullptr);
  EXPECT_TRUE(verified->session()->state().certificate_verified);

  auto insecure_server = first_server.next_connection();
  insecure.resume_session = unverified;
  auto resumed = handshake(std::move(insecure), *insecure_server);
  ASSERT_EQ(resumed->state(), State::connected) << resumed->error().message;
  EXPECT_TRUE(resumed->negotiated().resumed);
  EXPECT_TRUE(insecure_server->session_reused());
}

}  // namespace
}  // namespace edgefetch::tls
