// Which saved sessions a connection offers (session_misfit), what an accepting
// ServerHello must agree with (check_resumed_server_hello), and Session::expired.

#include "tls/handshake/resumption_rules.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "resumption_support.hpp"
#include "tls/messages/message_error.hpp"

namespace edgefetch::tls {
namespace {

using handshake::check_resumed_server_hello;
using handshake::session_misfit;
using policy::ProtocolVersion;
using test::scripted_session_state;
using test::test_client_config;

constexpr std::time_t kNow = 1'800'000'000;

Session session_with(void (*change)(Session::State&)) {
  Session::State state = scripted_session_state(kNow - 60);
  change(state);
  return Session(std::move(state));
}

TEST(SessionMisfit, AMatchingSessionFits) {
  const Session session = session_with([](Session::State&) {});
  EXPECT_EQ(session_misfit(session, test_client_config(), kNow), "");
}

TEST(SessionMisfit, OtherServerNameIsRefused) {
  const Session session = session_with([](Session::State& s) { s.server_name = "other.test"; });
  EXPECT_NE(session_misfit(session, test_client_config(), kNow).find("other.test"), std::string::npos);
}

TEST(SessionMisfit, OtherVerifiedNameIsRefusedWhenVerifying) {
  const Session session = session_with([](Session::State& s) { s.verify_name = "www.origin.test"; });
  EXPECT_NE(session_misfit(session, test_client_config(), kNow), "");
  ClientConfig insecure = test_client_config();
  insecure.verify_certificates = false;
  EXPECT_EQ(session_misfit(session, insecure, kNow), "");
}

TEST(SessionMisfit, UnverifiedSessionIsNeverOfferedToAVerifyingConnection) {
  const Session session = session_with([](Session::State& s) { s.certificate_verified = false; });
  EXPECT_NE(session_misfit(session, test_client_config(), kNow).find("never verified"), std::string::npos);
  ClientConfig insecure = test_client_config();
  insecure.verify_certificates = false;
  EXPECT_EQ(session_misfit(session, insecure, kNow), "");
}

TEST(SessionMisfit, ExpiredSessionIsRefused) {
  const Session by_id = session_with([](Session::State&) {});
  EXPECT_EQ(session_misfit(by_id, test_client_config(), kNow - 60 + 24 * 3600 - 1), "");
  EXPECT_NE(session_misfit(by_id, test_client_config(), kNow - 60 + 24 * 3600), "");
  const Session ticket = session_with([](Session::State& s) {
    s.ticket = {1, 2, 3};
    s.ticket_lifetime_hint_s = 300;
  });
  EXPECT_EQ(session_misfit(ticket, test_client_config(), kNow - 60 + 299), "");
  EXPECT_NE(session_misfit(ticket, test_client_config(), kNow - 60 + 300).find("expired"), std::string::npos);
  // A clock that went backwards past the session's start: not trusted either.
  EXPECT_NE(session_misfit(ticket, test_client_config(), kNow - 3600), "");
}

TEST(SessionMisfit, VersionOutsideTheOfferIsRefused) {
  const Session tls10 = session_with([](Session::State& s) {
    s.version = ProtocolVersion::tls1_0;
    s.cipher_suite = policy::cipher_suite_by_code(0xC013);  // ECDHE-RSA-AES128-SHA
  });
  EXPECT_NE(session_misfit(tls10, test_client_config({ProtocolVersion::tls1_2}), kNow), "");
  EXPECT_EQ(
      session_misfit(tls10, test_client_config({ProtocolVersion::tls1_0, ProtocolVersion::tls1_2}), kNow),
      "");
}

TEST(SessionMisfit, SuiteNotOfferedOrNotValidInTheVersionIsRefused) {
  const Session chacha = session_with([](Session::State& s) {
    s.cipher_suite = policy::cipher_suite_by_code(0xCCA8);  // not in the cloudfront profile
  });
  if (chacha.state().cipher_suite != nullptr) {
    EXPECT_NE(session_misfit(chacha, test_client_config(), kNow), "");
  }
  const Session gcm_in_tls10 = session_with([](Session::State& s) { s.version = ProtocolVersion::tls1_0; });
  EXPECT_NE(session_misfit(gcm_in_tls10,
                           test_client_config({ProtocolVersion::tls1_0, ProtocolVersion::tls1_2}), kNow),
            "");
}

TEST(SessionMisfit, HelloWithoutExtendedMasterSecretOffersNoSession) {
  const Session session = session_with([](Session::State&) {});
  ClientConfig config = test_client_config();
  config.hello.extended_master_secret = false;
  EXPECT_NE(session_misfit(session, config, kNow), "");
}

TEST(SessionMisfit, TicketOnlySessionNeedsTheTicketExtension) {
  const Session ticket_only = session_with([](Session::State& s) {
    s.session_id.clear();
    s.ticket = {1, 2, 3};
  });
  ClientConfig config = test_client_config();
  EXPECT_EQ(session_misfit(ticket_only, config, kNow), "");
  config.hello.session_ticket = false;
  EXPECT_NE(session_misfit(ticket_only, config, kNow), "");
}

TEST(SessionMisfit, IncompleteSessionsAreRefused) {
  EXPECT_NE(session_misfit(session_with([](Session::State& s) { s.master_secret.resize(47); }),
                           test_client_config(), kNow),
            "");
  EXPECT_NE(session_misfit(session_with([](Session::State& s) { s.session_id.clear(); }),
                           test_client_config(), kNow),
            "");
}

messages::ServerHello accepting_hello(const Session& session) {
  messages::ServerHello hello;
  hello.version = policy::wire(session.state().version);
  hello.session_id = session.state().session_id;
  hello.cipher_suite = session.state().cipher_suite->code;
  hello.extended_master_secret = session.state().extended_master_secret;
  return hello;
}

TEST(CheckResumedServerHello, SameParametersAreAccepted) {
  const Session session = session_with([](Session::State&) {});
  EXPECT_TRUE(check_resumed_server_hello(accepting_hello(session), session));
}

TEST(CheckResumedServerHello, OtherVersionIsAnIllegalParameter) {
  const Session session = session_with([](Session::State&) {});
  auto hello = accepting_hello(session);
  hello.version = 0x0302;
  auto checked = check_resumed_server_hello(hello, session);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::protocol_violation);
  EXPECT_EQ(checked.error().alert, alert_description::kIllegalParameter);
  EXPECT_NE(checked.error().message.find("TLS 1.1"), std::string::npos) << checked.error().message;
}

TEST(CheckResumedServerHello, OtherSuiteIsAnIllegalParameter) {
  const Session session = session_with([](Session::State&) {});
  auto hello = accepting_hello(session);
  hello.cipher_suite = 0xC030;
  auto checked = check_resumed_server_hello(hello, session);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::protocol_violation);
  EXPECT_EQ(checked.error().alert, alert_description::kIllegalParameter);
  EXPECT_NE(checked.error().message.find("ECDHE-RSA-AES256-GCM-SHA384"), std::string::npos);
}

TEST(CheckResumedServerHello, EmsSessionResumedWithoutEmsAborts) {
  const Session session = session_with([](Session::State&) {});
  auto hello = accepting_hello(session);
  hello.extended_master_secret = false;
  auto checked = check_resumed_server_hello(hello, session);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().alert, alert_description::kHandshakeFailure);
}

TEST(CheckResumedServerHello, NonEmsSessionResumedWithEmsAborts) {
  const Session session = session_with([](Session::State& s) { s.extended_master_secret = false; });
  auto hello = accepting_hello(session);
  EXPECT_TRUE(check_resumed_server_hello(hello, session));
  hello.extended_master_secret = true;
  auto checked = check_resumed_server_hello(hello, session);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().alert, alert_description::kHandshakeFailure);
}

TEST(CheckResumedServerHello, Sslv3IgnoresAnEmsExtension) {
  // RFC 7627 is TLS-only: an SSLv3 session never has EMS, whatever the hello says.
  const Session session = session_with([](Session::State& s) {
    s.version = ProtocolVersion::ssl3;
    s.cipher_suite = policy::cipher_suite_by_code(0xC013);
    s.extended_master_secret = false;
  });
  auto hello = accepting_hello(session);
  hello.extended_master_secret = true;
  EXPECT_TRUE(check_resumed_server_hello(hello, session));
}

TEST(SessionExpired, DefaultLifetimeIsADay) {
  Session::State state = scripted_session_state(1000);
  const Session session(std::move(state));
  EXPECT_FALSE(session.expired(1000));
  EXPECT_FALSE(session.expired(1000 + 86399));
  EXPECT_TRUE(session.expired(1000 + 86400));
  EXPECT_TRUE(session.expired(999));
}

}  // namespace
}  // namespace edgefetch::tls
