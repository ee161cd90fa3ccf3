// The misbehaving peers (plain HTTP, close mid-handshake, tampering proxy,
// forged flights), checked with the libssl reference client so that the
// negative tests of edgefetch rest on peers known to misbehave exactly as
// intended.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/forged_server.hpp"
#include "support/loopback_server.hpp"
#include "support/openssl_server.hpp"
#include "support/reference_client.hpp"
#include "support/tcp.hpp"

namespace edgefetch::support {
namespace {

using policy::ProtocolVersion;

ReferenceClientOptions quick_client() {
  ReferenceClientOptions options;
  options.timeout = std::chrono::seconds(3);
  return options;
}

TEST(PlainHttpServer, AnswersAClientHelloWithHttp) {
  auto server = LoopbackServer::start(plain_http_handler());
  ASSERT_TRUE(server) << server.error();
  const Deadline deadline = Deadline::after(std::chrono::seconds(5));
  auto socket = connect_loopback((*server)->port(), deadline);
  ASSERT_TRUE(socket) << socket.error();
  ASSERT_TRUE(send_all(socket->get(), std::string_view("\x16\x03\x01\x00\x01\x01", 6), deadline));
  auto answer = recv_until_eof(socket->get(), deadline);
  ASSERT_TRUE(answer) << answer.error();
  EXPECT_TRUE(answer->starts_with("HTTP/1.1 400 ")) << *answer;
}

TEST(PlainHttpServer, LibsslSeesNoTls) {
  auto server = LoopbackServer::start(plain_http_handler());
  ASSERT_TRUE(server) << server.error();
  const ReferenceFetchResult result = fetch_with_libssl((*server)->port(), quick_client());
  EXPECT_FALSE(result.handshake_complete);
  EXPECT_NE(result.error.find("wrong version number"), std::string::npos) << result.describe();
}

TEST(CloseAfterClientHello, LibsslSeesEndOfStreamMidHandshake) {
  auto server = LoopbackServer::start(close_after_client_hello_handler());
  ASSERT_TRUE(server) << server.error();
  const ReferenceFetchResult result = fetch_with_libssl((*server)->port(), quick_client());
  EXPECT_FALSE(result.handshake_complete);
  EXPECT_EQ(result.error.find("timeout"), std::string::npos) << result.describe();
  EXPECT_EQ((*server)->connections(), 1);
}

struct TamperCase {
  std::string name;
  std::uint16_t suite;
  TamperRule rule;
};

std::string tamper_case_name(const ::testing::TestParamInfo<TamperCase>& param_info) {
  return param_info.param.name;
}

class TamperingProxyTest : public ::testing::TestWithParam<TamperCase> {};

TEST_P(TamperingProxyTest, LibsslRejectsTheTamperedRecord) {
  const TamperCase& param = GetParam();
  auto options =
      OpenSslServerOptions::for_cell(Cell{ProtocolVersion::tls1_2, param.suite, 23, 0x0401, Leaf::rsa2048});
  ASSERT_TRUE(options) << options.error();
  auto server = OpenSslServer::start(*options);
  ASSERT_TRUE(server) << server.error();

  // Untampered through the proxy: works (the proxy itself is transparent).
  {
    auto proxy = TamperingProxy::start(server->port(), TamperRule{.content_type = 99});
    ASSERT_TRUE(proxy) << proxy.error();
    const ReferenceFetchResult result = fetch_with_libssl((*proxy)->port(), quick_client());
    EXPECT_TRUE(result.ok()) << result.describe();
    EXPECT_FALSE((*proxy)->tampered());
  }
  auto proxy = TamperingProxy::start(server->port(), param.rule);
  ASSERT_TRUE(proxy) << proxy.error();
  const ReferenceFetchResult result = fetch_with_libssl((*proxy)->port(), quick_client());
  EXPECT_TRUE((*proxy)->tampered());
  EXPECT_FALSE(result.ok()) << result.describe();
  EXPECT_TRUE(result.error.find("bad record mac") != std::string::npos ||
              result.error.find("decryption failed") != std::string::npos)
      << result.describe();
}

INSTANTIATE_TEST_SUITE_P(Records, TamperingProxyTest,
                         ::testing::Values(TamperCase{"gcm_application_data_tag", 0xC02F, TamperRule{}},
                                           TamperCase{"cbc_application_data_padding", 0xC013, TamperRule{}},
                                           TamperCase{"cbc_application_data_first_block", 0xC013,
                                                      TamperRule{.flip_last_byte = false}},
                                           TamperCase{"gcm_finished", 0xC02F,
                                                      TamperRule{.content_type = 22,
                                                                 .after_change_cipher_spec = true}}),
                         tamper_case_name);

TEST(ForgedServer, ALegitimateFlightIsAcceptedByLibssl) {
  // Everything offered: libssl verifies the certificate and the ServerKeyExchange
  // signature and carries on with its ClientKeyExchange; that proves the forged
  // flights are well formed, so only their deliberate choice is wrong.
  auto server = ForgedServer::start(ForgedFlight{});
  ASSERT_TRUE(server) << server.error();
  auto options = quick_client();
  options.timeout = std::chrono::milliseconds(1000);  // it will wait for our Finished, which never comes
  const ReferenceFetchResult result = fetch_with_libssl((*server)->port(), options);
  EXPECT_FALSE(result.handshake_complete);
  const ClientReaction reaction = (*server)->reaction();
  EXPECT_EQ((*server)->error(), "");
  EXPECT_TRUE(reaction.client_hello_seen);
  EXPECT_FALSE(reaction.alert_description) << int{*reaction.alert_description};
  EXPECT_NE(std::find(reaction.record_types.begin(), reaction.record_types.end(), 20),
            reaction.record_types.end())
      << "no ChangeCipherSpec after the flight";
}

TEST(ForgedServer, LibsslRefusesAnUnofferedGroup) {
  auto server = ForgedServer::start(ForgedFlight{.group = 25});
  ASSERT_TRUE(server) << server.error();
  auto options = quick_client();
  options.groups = "P-256:X25519:P-384";
  const ReferenceFetchResult result = fetch_with_libssl((*server)->port(), options);
  EXPECT_FALSE(result.handshake_complete);
  const ClientReaction reaction = (*server)->reaction();
  ASSERT_TRUE(reaction.alert_description) << result.describe();
  EXPECT_EQ(*reaction.alert_description, 47) << "illegal_parameter expected";
}

TEST(ForgedServer, LibsslRefusesAnUnofferedSignatureScheme) {
  auto server = ForgedServer::start(ForgedFlight{.scheme = 0x0804});
  ASSERT_TRUE(server) << server.error();
  auto options = quick_client();
  options.sigalgs = "RSA+SHA256:RSA+SHA384";
  const ReferenceFetchResult result = fetch_with_libssl((*server)->port(), options);
  EXPECT_FALSE(result.handshake_complete);
  EXPECT_NE(result.error.find("wrong signature type"), std::string::npos) << result.describe();
  const ClientReaction reaction = (*server)->reaction();
  ASSERT_TRUE(reaction.alert_description) << result.describe();
  EXPECT_EQ(*reaction.alert_description, 40) << "libssl answers with handshake_failure";
}

TEST(ForgedServer, ThePssSignatureIsValidWhenOffered) {
  auto server = ForgedServer::start(ForgedFlight{.scheme = 0x0804});
  ASSERT_TRUE(server) << server.error();
  auto options = quick_client();
  options.sigalgs = "rsa_pss_rsae_sha256:RSA+SHA256";
  options.timeout = std::chrono::milliseconds(1000);
  const ReferenceFetchResult result = fetch_with_libssl((*server)->port(), options);
  const ClientReaction reaction = (*server)->reaction();
  EXPECT_FALSE(reaction.alert_description) << result.describe();
  EXPECT_NE(std::find(reaction.record_types.begin(), reaction.record_types.end(), 20),
            reaction.record_types.end());
}

TEST(ForgedServer, LibsslRefusesAnUnofferedSuite) {
  auto server = ForgedServer::start(ForgedFlight{.suite = 0xCCA8, .group = 0});
  ASSERT_TRUE(server) << server.error();
  auto options = quick_client();
  options.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
  const ReferenceFetchResult result = fetch_with_libssl((*server)->port(), options);
  EXPECT_FALSE(result.handshake_complete);
  EXPECT_NE(result.error.find("wrong cipher returned"), std::string::npos) << result.describe();
}

}  // namespace
}  // namespace edgefetch::support
