// The abbreviated handshake against a scripted server that knows the session's
// master secret: ServerHello, [NewSessionTicket], ChangeCipherSpec and a
// Finished sealed with keys from the master secret and the new randoms. With
// the right verify_data the client connects and answers with its own
// ChangeCipherSpec and Finished (checked by opening it with the client's keys);
// with a wrong one (right keys) it fails with bad_finished. SSLv3 (its own
// Finished and key derivation), TLS 1.0 and TLS 1.2.

#include <gtest/gtest.h>

#include <ctime>

#include "resumption_support.hpp"
#include "scripted_server_hello.hpp"
#include "test_bytes.hpp"
#include "tls/key_schedule.hpp"
#include "tls/messages/finished.hpp"
#include "tls/messages/message_error.hpp"
#include "tls/record/reader.hpp"
#include "tls/record/writer.hpp"

namespace edgefetch::tls {
namespace {

using policy::ProtocolVersion;
using test::Bytes;
using test::scripted_session_state;
using test::test_client_config;

struct AbbreviatedCell {
  std::string name;
  ProtocolVersion version;
  std::uint16_t suite;
  bool extended_master_secret;
};

class AbbreviatedServer {
 public:
  AbbreviatedServer(const AbbreviatedCell& cell, const Session::State& session)
      : cell_(cell), session_(session) {}

  // Reads the ClientHello out of the client's first flight.
  void receive_client_hello(std::span<const std::uint8_t> flight) {
    ASSERT_GE(flight.size(), 5u + 4 + 2 + 32 + 1);
    const std::size_t length = (std::size_t{flight[3]} << 8) | flight[4];
    client_hello_.assign(flight.begin() + 5, flight.begin() + 5 + static_cast<std::ptrdiff_t>(length));
    client_random_.assign(client_hello_.begin() + 6, client_hello_.begin() + 38);
    const std::size_t id_length = client_hello_[38];
    session_id_.assign(client_hello_.begin() + 39,
                       client_hello_.begin() + 39 + static_cast<std::ptrdiff_t>(id_length));
  }

  // ServerHello (echoing the id), optional NewSessionTicket, CCS, Finished.
  Bytes flight(bool corrupt_finished, const Bytes& new_ticket = {}) {
    server_random_.assign(32, 0x33);
    const Bytes server_hello =
        test::server_hello_message({.version = policy::wire(cell_.version),
                                    .random_byte = 0x33,
                                    .session_id = session_id_,
                                    .suite = cell_.suite,
                                    .extended_master_secret = cell_.extended_master_secret,
                                    .session_ticket = !new_ticket.empty()});

    Bytes ticket_message;
    if (!new_ticket.empty()) {
      Bytes ticket_body{0, 0, 0x1C, 0x20};  // lifetime hint 7200 s
      test::put_u16(ticket_body, new_ticket.size());
      ticket_body.insert(ticket_body.end(), new_ticket.begin(), new_ticket.end());
      ticket_message = test::handshake_message(4, ticket_body);
    }

    const policy::CipherSuite& suite = *policy::cipher_suite_by_code(cell_.suite);
    transcript_.add(client_hello_);
    transcript_.add(server_hello);
    transcript_.select(cell_.version, suite);
    if (!ticket_message.empty()) transcript_.add(ticket_message);
    auto keys =
        derive_key_block(cell_.version, suite, session_.master_secret, client_random_, server_random_);
    EXPECT_TRUE(keys);
    auto verify = compute_finished_verify_data(cell_.version, suite, session_.master_secret,
                                               FinishedSender::server, transcript_);
    EXPECT_TRUE(verify);
    if (corrupt_finished) verify->front() ^= 0x01;
    const Bytes finished = messages::encode_finished(*verify);
    transcript_.add(finished);

    Bytes out;
    RecordWriter writer;
    writer.set_version(policy::wire(cell_.version));
    EXPECT_TRUE(writer.write(ContentType::handshake, server_hello, out));
    if (!ticket_message.empty()) {
      EXPECT_TRUE(writer.write(ContentType::handshake, ticket_message, out));
    }
    EXPECT_TRUE(writer.write(ContentType::change_cipher_spec, Bytes{1}, out));
    auto seal = make_record_protection(cell_.version, suite, keys->server_write, ProtectionOperation::seal);
    EXPECT_TRUE(seal);
    writer.set_pending(std::move(*seal));
    EXPECT_TRUE(writer.activate_pending());
    EXPECT_TRUE(writer.write(ContentType::handshake, finished, out));
    client_keys_ = std::move(keys->client_write);
    return out;
  }

  // Opens the client's answer: ChangeCipherSpec, then its Finished, which must
  // carry the verify_data over the whole abbreviated transcript.
  void expect_client_finished(std::span<const std::uint8_t> answer) {
    const policy::CipherSuite& suite = *policy::cipher_suite_by_code(cell_.suite);
    RecordReader reader;
    reader.feed(answer);
    auto ccs = reader.next();
    ASSERT_TRUE(ccs && ccs->has_value());
    EXPECT_EQ((*ccs)->type, ContentType::change_cipher_spec);
    auto open = make_record_protection(cell_.version, suite, client_keys_, ProtectionOperation::open);
    ASSERT_TRUE(open);
    reader.set_pending(std::move(*open));
    ASSERT_TRUE(reader.activate_pending());
    auto finished = reader.next();
    ASSERT_TRUE(finished) << finished.error().message;
    ASSERT_TRUE(finished->has_value());
    EXPECT_EQ((*finished)->type, ContentType::handshake);
    auto expected = compute_finished_verify_data(cell_.version, suite, session_.master_secret,
                                                 FinishedSender::client, transcript_);
    ASSERT_TRUE(expected);
    EXPECT_EQ(Bytes((*finished)->fragment.begin(), (*finished)->fragment.end()),
              messages::encode_finished(*expected));
  }

 private:
  AbbreviatedCell cell_;
  const Session::State& session_;
  Bytes client_hello_;
  Bytes client_random_;
  Bytes server_random_;
  Bytes session_id_;
  Transcript transcript_;
  TrafficKeys client_keys_;
};

class Abbreviated : public ::testing::TestWithParam<AbbreviatedCell> {
 protected:
  std::shared_ptr<const Session> session() const {
    const AbbreviatedCell& cell = GetParam();
    Session::State state = scripted_session_state(std::time(nullptr));
    state.version = cell.version;
    state.cipher_suite = policy::cipher_suite_by_code(cell.suite);
    state.extended_master_secret = cell.extended_master_secret;
    state.certificate_chain = {Bytes{0x30, 0x00}};  // unparsable: no summary, but the chain is carried
    return std::make_shared<const Session>(std::move(state));
  }
  static ClientConfig config() {
    return test_client_config(
        {ProtocolVersion::ssl3, ProtocolVersion::tls1_0, ProtocolVersion::tls1_1, ProtocolVersion::tls1_2},
        "CloudFront-Upstream");
  }

  struct Resuming {
    std::shared_ptr<const Session> saved;
    Client client;
    AbbreviatedServer server;
  };
  // A client offering session(), whose ClientHello the scripted server has read.
  Resuming start_resumption() const {
    auto saved = session();
    ClientConfig cfg = config();
    cfg.resume_session = saved;
    Resuming resuming{saved, Client(std::move(cfg)), AbbreviatedServer(GetParam(), saved->state())};
    resuming.client.start();
    resuming.server.receive_client_hello(resuming.client.pending_output());
    resuming.client.consume_output(resuming.client.pending_output().size());
    return resuming;
  }
};

TEST_P(Abbreviated, RightFinishedConnectsAndOurFinishedFollows) {
  auto [saved, client, server] = start_resumption();

  auto fed = client.feed(server.flight(false));
  ASSERT_TRUE(fed) << fed.error().message;
  ASSERT_EQ(client.state(), State::connected);
  const Negotiated& n = client.negotiated();
  EXPECT_TRUE(n.resumed);
  EXPECT_EQ(n.version, GetParam().version);
  EXPECT_EQ(n.cipher_suite->code, GetParam().suite);
  EXPECT_EQ(n.extended_master_secret, GetParam().extended_master_secret);
  EXPECT_EQ(n.certificate_chain, saved->state().certificate_chain);
  EXPECT_FALSE(n.certificate.has_value());
  server.expect_client_finished(client.pending_output());
  EXPECT_EQ(client.session(), saved);
}

TEST_P(Abbreviated, NewTicketReplacesTheSession) {
  auto [saved, client, server] = start_resumption();

  const Bytes ticket(48, 0x9E);
  auto fed = client.feed(server.flight(false, ticket));
  ASSERT_TRUE(fed) << fed.error().message;
  ASSERT_EQ(client.state(), State::connected);
  server.expect_client_finished(client.pending_output());
  const auto renewed = client.session();
  ASSERT_NE(renewed, nullptr);
  EXPECT_NE(renewed, saved);
  EXPECT_EQ(renewed->state().ticket, ticket);
  EXPECT_EQ(renewed->state().ticket_lifetime_hint_s, 7200u);
  EXPECT_EQ(renewed->state().session_id, saved->state().session_id);
  EXPECT_EQ(renewed->state().master_secret, saved->state().master_secret);
  EXPECT_TRUE(saved->state().ticket.empty());
}

TEST_P(Abbreviated, WrongVerifyDataIsBadFinished) {
  auto [saved, client, server] = start_resumption();

  auto fed = client.feed(server.flight(true));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::bad_finished) << fed.error().message;
  EXPECT_EQ(fed.error().alert_sender, AlertSender::client);
  EXPECT_EQ(client.session(), nullptr);
  // Nothing but the alert went out: no ChangeCipherSpec, no Finished.
  const auto out = client.pending_output();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0], 21);
}

INSTANTIATE_TEST_SUITE_P(
    Cells, Abbreviated,
    ::testing::Values(AbbreviatedCell{"Tls12EcdheRsaAes128Gcm", ProtocolVersion::tls1_2, 0xC02F, true},
                      AbbreviatedCell{"Tls12RsaAes128CbcSha256", ProtocolVersion::tls1_2, 0x003C, true},
                      AbbreviatedCell{"Tls12WithoutEms", ProtocolVersion::tls1_2, 0xC030, false},
                      AbbreviatedCell{"Tls10EcdheRsaAes128Sha", ProtocolVersion::tls1_0, 0xC013, true},
                      AbbreviatedCell{"Tls11RsaAes256Sha", ProtocolVersion::tls1_1, 0x0035, true},
                      AbbreviatedCell{"Ssl3EcdheRsaAes128Sha", ProtocolVersion::ssl3, 0xC013, false},
                      AbbreviatedCell{"Ssl3RsaAes256Sha", ProtocolVersion::ssl3, 0x0035, false}),
    [](const ::testing::TestParamInfo<AbbreviatedCell>& param) { return param.param.name; });

}  // namespace
}  // namespace edgefetch::tls
