// The sans-IO reader of a server's answer to a probe, fed hand-built flights:
// where it stops for each depth, what it records, and how it names answers
// that are not a ServerHello.

#include "check/probe_answer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "tls/codec/byte_writer.hpp"

namespace edgefetch::check::detail {
namespace {

using Bytes = std::vector<std::uint8_t>;
using tls::codec::ByteWriter;

Bytes record(std::uint8_t type, std::uint16_t version, const Bytes& fragment) {
  ByteWriter w;
  w.u8(type);
  w.u16(version);
  w.u16_prefixed_bytes(fragment);
  return w.take();
}

Bytes handshake(std::uint8_t type, const Bytes& body) {
  ByteWriter w;
  w.u8(type);
  w.u24_prefixed_bytes(body);
  return w.take();
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

struct Extension {
  std::uint16_t type;
  Bytes body;
};

constexpr std::array<std::uint8_t, 32> kHrrRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

Bytes server_hello(std::uint16_t version, std::uint16_t suite, const std::vector<Extension>& extensions,
                   const std::array<std::uint8_t, 32>& random = {}) {
  ByteWriter w;
  w.u16(version);
  w.bytes(random);
  w.u8_prefixed_bytes(Bytes(32, 0xAB));
  w.u16(suite);
  w.u8(0);
  if (!extensions.empty()) {
    auto block = w.u16_prefixed();
    for (const Extension& e : extensions) {
      w.u16(e.type);
      w.u16_prefixed_bytes(e.body);
    }
  }
  return handshake(2, w.take());
}

Bytes certificate(std::size_t certificates) {
  ByteWriter w;
  {
    auto list = w.u24_prefixed();
    for (std::size_t i = 0; i < certificates; ++i) w.u24_prefixed_bytes(Bytes{0x30, 0x03, 0x02, 0x01, 0x01});
  }
  return handshake(11, w.take());
}

Bytes ecdhe_key_exchange(std::uint16_t group, std::uint16_t scheme) {
  ByteWriter w;
  w.u8(3);  // named_curve
  w.u16(group);
  w.u8_prefixed_bytes(Bytes(65, 0x04));
  w.u16(scheme);
  w.u16_prefixed_bytes(Bytes(70, 0x55));
  return handshake(12, w.take());
}

const Bytes kServerHelloDone = handshake(14, {});

// A TLS 1.2 ECDHE_RSA flight in one handshake record, or one record per message.
Bytes tls12_flight(bool record_per_message = false) {
  const std::vector<Bytes> messages = {server_hello(0x0303, 0xC02F, {{0xFF01, {0x00}}, {0x0017, {}}}),
                                       certificate(2), ecdhe_key_exchange(23, 0x0401), kServerHelloDone};
  if (!record_per_message)
    return record(22, 0x0303, concat({messages[0], messages[1], messages[2], messages[3]}));
  Bytes out;
  for (const Bytes& m : messages) {
    const Bytes r = record(22, 0x0303, m);
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

TEST(ProbeAnswer, Tls12FlightToServerKeyExchange) {
  AnswerReader reader(ReadDepth::server_key_exchange, false);
  EXPECT_TRUE(reader.feed(tls12_flight()));
  const ProbeResult& r = reader.result();
  EXPECT_EQ(r.outcome, ProbeOutcome::server_hello);
  EXPECT_EQ(r.version, 0x0303);
  EXPECT_EQ(r.record_version, 0x0303);
  EXPECT_EQ(r.cipher_suite, 0xC02F);
  EXPECT_EQ(r.group, 23);
  EXPECT_EQ(r.signature_scheme, 0x0401);
  EXPECT_EQ(r.certificate_chain.size(), 2u);
  EXPECT_TRUE(r.renegotiation_info);
  EXPECT_TRUE(r.extended_master_secret);
  EXPECT_FALSE(r.hello_retry_request);
  EXPECT_FALSE(r.server_hello_done);  // stopped at the ServerKeyExchange
}

TEST(ProbeAnswer, ByteAtATimeStopsAtTheSameMessage) {
  const Bytes flight = tls12_flight(true);
  AnswerReader reader(ReadDepth::server_key_exchange, false);
  std::size_t fed = 0;
  while (fed < flight.size() && !reader.feed(std::span<const std::uint8_t>(&flight[fed], 1))) ++fed;
  ASSERT_TRUE(reader.done());
  // The last byte consumed is the last byte of the ServerKeyExchange record.
  EXPECT_EQ(fed, flight.size() - (5 + kServerHelloDone.size()) - 1)
      << "stopped later than the ServerKeyExchange";
  EXPECT_EQ(reader.result().group, 23);
  EXPECT_EQ(reader.result().signature_scheme, 0x0401);
}

TEST(ProbeAnswer, ServerHelloDepthReadsNothingMore) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(tls12_flight()));
  EXPECT_EQ(reader.result().cipher_suite, 0xC02F);
  EXPECT_TRUE(reader.result().certificate_chain.empty());
  EXPECT_FALSE(reader.result().group.has_value());
}

TEST(ProbeAnswer, CertificateDepthStopsAfterTheCertificate) {
  AnswerReader reader(ReadDepth::certificate, false);
  EXPECT_TRUE(reader.feed(tls12_flight()));
  EXPECT_EQ(reader.result().certificate_chain.size(), 2u);
  EXPECT_FALSE(reader.result().group.has_value());
}

TEST(ProbeAnswer, RsaKeyExchangeHasNoServerKeyExchangeToWaitFor) {
  // Records split per message: done as soon as the Certificate arrived.
  AnswerReader reader(ReadDepth::server_key_exchange, false);
  EXPECT_FALSE(reader.feed(record(22, 0x0301, server_hello(0x0301, 0x002F, {}))));
  EXPECT_TRUE(reader.feed(record(22, 0x0301, certificate(1))));
  EXPECT_EQ(reader.result().version, 0x0301);
  EXPECT_EQ(reader.result().certificate_chain.size(), 1u);
}

TEST(ProbeAnswer, Ssl3ServerHelloWithoutExtensions) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(record(22, 0x0300, server_hello(0x0300, 0x000A, {}))));
  EXPECT_EQ(reader.result().version, 0x0300);
  EXPECT_EQ(reader.result().record_version, 0x0300);
  EXPECT_TRUE(reader.result().extensions.empty());
  EXPECT_FALSE(reader.result().renegotiation_info);
}

TEST(ProbeAnswer, DheKeyExchangeRecordsThePrimeSize) {
  ByteWriter w;
  Bytes prime(256, 0);
  prime[0] = 0xC5;  // top bit set: 2048 bits
  w.u16_prefixed_bytes(prime);
  w.u16_prefixed_bytes(Bytes{2});
  w.u16_prefixed_bytes(Bytes(256, 7));
  w.u16(0x0601);
  w.u16_prefixed_bytes(Bytes(256, 9));
  const Bytes ske = handshake(12, w.take());
  AnswerReader reader(ReadDepth::server_key_exchange, false);
  EXPECT_TRUE(
      reader.feed(record(22, 0x0303, concat({server_hello(0x0303, 0x009E, {}), certificate(1), ske}))));
  EXPECT_EQ(reader.result().dhe_prime_bits, 2048);
  EXPECT_EQ(reader.result().signature_scheme, 0x0601);
  EXPECT_FALSE(reader.result().group.has_value());
}

TEST(ProbeAnswer, Tls13ServerHelloNamesVersionAndGroup) {
  const Bytes key_share = concat({{0x00, 0x1D, 0x00, 0x20}, Bytes(32, 0x11)});
  AnswerReader reader(ReadDepth::server_key_exchange, true);
  // The encrypted rest of the flight must not be needed.
  EXPECT_TRUE(
      reader.feed(record(22, 0x0303, server_hello(0x0303, 0x1302, {{43, {0x03, 0x04}}, {51, key_share}}))));
  const ProbeResult& r = reader.result();
  EXPECT_EQ(r.outcome, ProbeOutcome::server_hello);
  EXPECT_EQ(r.version, 0x0304);
  EXPECT_EQ(r.server_hello_version, 0x0303);
  EXPECT_EQ(r.cipher_suite, 0x1302);
  EXPECT_EQ(r.group, 29);
  EXPECT_FALSE(r.hello_retry_request);
  EXPECT_TRUE(r.detail.empty());
}

TEST(ProbeAnswer, HelloRetryRequestNamesTheGroupItWants) {
  AnswerReader reader(ReadDepth::server_hello, true);
  EXPECT_TRUE(reader.feed(record(
      22, 0x0303, server_hello(0x0303, 0x1301, {{43, {0x03, 0x04}}, {51, {0x00, 0x18}}}, kHrrRandom))));
  EXPECT_TRUE(reader.result().hello_retry_request);
  EXPECT_EQ(reader.result().version, 0x0304);
  EXPECT_EQ(reader.result().group, 24);
  EXPECT_TRUE(is_hello_retry_request_random(kHrrRandom));
  EXPECT_FALSE(is_hello_retry_request_random(std::array<std::uint8_t, 32>{}));
}

TEST(ProbeAnswer, AlertBeforeServerHello) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(record(21, 0x0303, {2, 40})));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::alert);
  EXPECT_EQ(reader.result().alert_level, 2);
  EXPECT_EQ(reader.result().alert_description, 40);
  EXPECT_NE(reader.result().detail.find("handshake_failure"), std::string::npos) << reader.result().detail;
}

TEST(ProbeAnswer, WarningUnrecognizedNameDoesNotEndTheAnswer) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_FALSE(reader.feed(record(21, 0x0303, {1, 112})));
  EXPECT_TRUE(reader.feed(record(22, 0x0303, server_hello(0x0303, 0xC02F, {}))));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::server_hello);
  EXPECT_EQ(reader.result().cipher_suite, 0xC02F);
  EXPECT_EQ(reader.result().alert_level, 1);
  EXPECT_EQ(reader.result().alert_description, 112);
}

TEST(ProbeAnswer, FailureAfterAWarningSaysWhatFailed) {
  // Servers send warning unrecognized_name, then a fatal alert: the detail is
  // the fatal one's (found by probe_answer_fuzz's author on reading).
  AnswerReader fatal(ReadDepth::server_hello, false);
  EXPECT_FALSE(fatal.feed(record(21, 0x0303, {1, 112})));
  EXPECT_TRUE(fatal.feed(record(21, 0x0303, {2, 70})));
  EXPECT_EQ(fatal.result().outcome, ProbeOutcome::alert);
  EXPECT_EQ(fatal.result().alert_description, 70);
  EXPECT_EQ(fatal.result().detail,
            "fatal alert protocol_version from the server (after a warning alert unrecognized_name from the "
            "server)");
  AnswerReader closed(ReadDepth::server_hello, false);
  EXPECT_FALSE(closed.feed(record(21, 0x0303, {1, 112})));
  closed.feed_eof(false);
  EXPECT_EQ(closed.result().outcome, ProbeOutcome::closed);
  EXPECT_TRUE(
      closed.result().detail.starts_with("the server closed the connection before sending a ServerHello"))
      << closed.result().detail;
}

TEST(ProbeAnswer, WarningCloseNotifyEndsTheAnswer) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(record(21, 0x0303, {1, 0})));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::alert);
  EXPECT_EQ(reader.result().alert_description, 0);
}

TEST(ProbeAnswer, AlertAfterServerHelloKeepsTheServerHello) {
  AnswerReader reader(ReadDepth::server_key_exchange, false);
  EXPECT_FALSE(reader.feed(record(22, 0x0303, server_hello(0x0303, 0xC02F, {}))));
  EXPECT_TRUE(reader.feed(record(21, 0x0303, {2, 80})));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::server_hello);
  EXPECT_EQ(reader.result().cipher_suite, 0xC02F);
  EXPECT_EQ(reader.result().alert_description, 80);
}

TEST(ProbeAnswer, PlainHttpIsNotTls) {
  constexpr std::string_view kHttp = "HTTP/1.1 400 Bad Request\r\n\r\n";
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(Bytes(kHttp.begin(), kHttp.end())));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::not_tls);
  EXPECT_NE(reader.result().detail.find("plain HTTP"), std::string::npos) << reader.result().detail;
}

TEST(ProbeAnswer, Sslv2ServerHelloIsNotTls) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(Bytes{0x80, 0x2E, 0x04, 0x00, 0x01, 0x00, 0x02}));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::not_tls);
  EXPECT_NE(reader.result().detail.find("SSLv2"), std::string::npos) << reader.result().detail;
}

TEST(ProbeAnswer, GarbageIsNotTls) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(Bytes{0x53, 0x53, 0x48, 0x2D}));  // "SSH-"
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::not_tls);
}

TEST(ProbeAnswer, EndOfStreamBeforeAnything) {
  AnswerReader reader(ReadDepth::server_hello, false);
  reader.feed_eof(false);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::closed);
  EXPECT_NE(reader.result().detail.find("without answering"), std::string::npos) << reader.result().detail;
}

TEST(ProbeAnswer, EndOfStreamInsideARecord) {
  AnswerReader reader(ReadDepth::server_hello, false);
  const Bytes hello = record(22, 0x0303, server_hello(0x0303, 0xC02F, {}));
  EXPECT_FALSE(reader.feed(std::span<const std::uint8_t>(hello).first(hello.size() - 3)));
  reader.feed_eof(true);
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::closed);
  EXPECT_NE(reader.result().detail.find("middle of a record"), std::string::npos) << reader.result().detail;
}

TEST(ProbeAnswer, EndOfStreamAfterServerHelloKeepsIt) {
  AnswerReader reader(ReadDepth::certificate, false);
  EXPECT_FALSE(reader.feed(record(22, 0x0303, server_hello(0x0303, 0xC02F, {}))));
  reader.feed_eof(false);
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::server_hello);
  EXPECT_TRUE(reader.result().certificate_chain.empty());
}

TEST(ProbeAnswer, SilenceIsATimeout) {
  AnswerReader reader(ReadDepth::server_hello, false);
  reader.timed_out();
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::timeout);
  EXPECT_NE(reader.result().detail.find("no answer"), std::string::npos);
}

TEST(ProbeAnswer, FirstMessageMustBeServerHello) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(record(22, 0x0303, certificate(1))));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::malformed);
  EXPECT_NE(reader.result().detail.find("not ServerHello"), std::string::npos) << reader.result().detail;
}

TEST(ProbeAnswer, TruncatedServerHelloIsMalformed) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(record(22, 0x0303, handshake(2, {0x03, 0x03, 0x00}))));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::malformed);
}

TEST(ProbeAnswer, ApplicationDataBeforeServerHelloIsMalformed) {
  AnswerReader reader(ReadDepth::server_hello, false);
  EXPECT_TRUE(reader.feed(record(23, 0x0303, {1, 2, 3})));
  EXPECT_EQ(reader.result().outcome, ProbeOutcome::malformed);
  EXPECT_EQ(reader.result().detail, "the server sent an application data record before its ServerHello");
}

TEST(ProbeAnswer, CountsBytesRead) {
  const Bytes flight = tls12_flight();
  AnswerReader reader(ReadDepth::server_key_exchange, false);
  reader.feed(flight);
  EXPECT_EQ(reader.result().bytes_read, flight.size());
}

}  // namespace
}  // namespace edgefetch::check::detail
