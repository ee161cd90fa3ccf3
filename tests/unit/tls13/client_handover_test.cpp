// tls::Client with a TLS 1.3 offer, end to end against libssl in memory: the
// 2025 ClientHello (facts Appendix B), the handover to the TLS 1.3 state
// machine, TLS 1.2 answers to a TLS 1.3 offer (accepted, or refused when the
// random carries the downgrade sentinel), and the TLS 1.3-only profile.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "edgefetch/crypto/x509.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/tls/client.hpp"
#include "memory_server13.hpp"
#include "tls/codec/byte_reader.hpp"

namespace edgefetch::tls::tls13 {
namespace {

using test::MemoryServer13;
using test::MemoryServer13Options;
using Tamper = std::function<void(std::vector<std::uint8_t>&)>;

ClientConfig config_for(const std::string& profile) {
  ClientConfig config;
  const std::vector<policy::ProtocolVersion> selection = {policy::ProtocolVersion::tls1_2};
  config.offer = policy::narrow(*policy::profile_by_name(profile), selection);
  config.server_name = "origin.test";
  config.verify_name = "origin.test";
  config.trust_store = *crypto::TrustStore::from_pem_file(support::TestPki::get().ca_file().string());
  return config;
}

void pump(Client& client, MemoryServer13& server, const Tamper& tamper = {}) {
  for (int round = 0; round < 32; ++round) {
    bool moved = false;
    const auto out = client.pending_output();
    if (!out.empty()) {
      server.receive(out);
      client.consume_output(out.size());
      moved = true;
    }
    server.step();
    auto in = server.take_output();
    if (!in.empty()) {
      if (tamper) tamper(in);
      (void)client.feed(in);
      moved = true;
    }
    if (!moved) return;
  }
}

// A public client for `profile`, started and pumped against `server`.
Client connect(const std::string& profile, MemoryServer13& server, const Tamper& tamper = {}) {
  Client client(config_for(profile));
  client.start();
  pump(client, server, tamper);
  return client;
}

// A libssl server that speaks TLS 1.2 only.
MemoryServer13Options tls12_only_server() {
  MemoryServer13Options options;
  options.min_version = TLS1_2_VERSION;
  options.max_version = TLS1_2_VERSION;
  return options;
}

struct HelloView {
  std::uint16_t legacy_version = 0;
  std::vector<std::uint16_t> suites;
  std::vector<std::uint16_t> extensions;
  std::vector<std::uint8_t> supported_versions;
  std::vector<std::uint8_t> key_share;
  std::vector<std::uint8_t> signature_algorithms;
};

HelloView read_hello(std::span<const std::uint8_t> record) {
  HelloView view;
  codec::ByteReader r(record.subspan(5 + 4));
  std::span<const std::uint8_t> ignored;
  codec::ByteReader suites;
  codec::ByteReader extensions;
  EXPECT_TRUE(r.read_u16(view.legacy_version) && r.skip(32) && r.read_u8_prefixed_bytes(ignored) &&
              r.read_u16_prefixed(suites) && r.read_u8_prefixed_bytes(ignored) &&
              r.read_u16_prefixed(extensions));
  while (!suites.empty()) {
    std::uint16_t s = 0;
    (void)suites.read_u16(s);
    view.suites.push_back(s);
  }
  while (!extensions.empty()) {
    std::uint16_t type = 0;
    std::span<const std::uint8_t> body;
    EXPECT_TRUE(extensions.read_u16(type) && extensions.read_u16_prefixed_bytes(body));
    view.extensions.push_back(type);
    if (type == 43) view.supported_versions.assign(body.begin(), body.end());
    if (type == 51) view.key_share.assign(body.begin(), body.end());
    if (type == 13) view.signature_algorithms.assign(body.begin(), body.end());
  }
  return view;
}

HelloView hello_of(const std::string& profile) {
  Client client(config_for(profile));
  client.start();
  return read_hello(client.pending_output());
}

TEST(ClientHello2025, ExtensionsInS2nOrderWithOneP256Share) {
  const auto hello = hello_of("cloudfront-2025");
  EXPECT_EQ(hello.legacy_version, 0x0303);
  EXPECT_EQ(hello.extensions, (std::vector<std::uint16_t>{43, 10, 51, 13, 0, 35, 11, 23}));
  // 0x0304 down to the policy minimum SSLv3.
  EXPECT_EQ(hello.supported_versions, (std::vector<std::uint8_t>{10, 3, 4, 3, 3, 3, 2, 3, 1, 3, 0}));
  ASSERT_EQ(hello.key_share.size(), 2U + 2U + 2U + 65U);
  EXPECT_EQ(hello.key_share[2], 0x00);
  EXPECT_EQ(hello.key_share[3], 0x17);  // secp256r1
  EXPECT_EQ(hello.key_share[6], 0x04);  // uncompressed point
  const std::vector<std::uint8_t> a4 = {
      0,    32,   0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x03, 0x03, 0x08, 0x09, 0x08, 0x0A, 0x08, 0x0B, 0x08,
      0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03, 0x01, 0x02, 0x01, 0x02, 0x03};
  EXPECT_EQ(hello.signature_algorithms, a4);
  ASSERT_GE(hello.suites.size(), 4U);
  EXPECT_EQ(std::vector<std::uint16_t>(hello.suites.begin(), hello.suites.begin() + 4),
            (std::vector<std::uint16_t>{0x1301, 0x1302, 0x1303, 0xC02B}));
  EXPECT_EQ(hello.suites.back(), 0x00FF);
}

TEST(ClientHello2025, MinimumVersionPolicyListsOnlyItsVersions) {
  const auto hello = hello_of("CloudFront-Upstream-TLS-1-2-2025");
  EXPECT_EQ(hello.supported_versions, (std::vector<std::uint8_t>{4, 3, 4, 3, 3}));
}

TEST(ClientHello2025, Tls13OnlyPolicyHasNoScsvAndKeepsSupportedGroups) {
  const auto hello = hello_of("CloudFront-Upstream-TLS-1-3-2025");
  EXPECT_EQ(hello.suites, (std::vector<std::uint16_t>{0x1301, 0x1302, 0x1303}));
  EXPECT_EQ(hello.supported_versions, (std::vector<std::uint8_t>{2, 3, 4}));
  EXPECT_NE(std::find(hello.extensions.begin(), hello.extensions.end(), 10), hello.extensions.end());
}

TEST(ClientHello2025, DocumentedDefaultSendsNoTls13Extensions) {
  const auto hello = hello_of("cloudfront");
  EXPECT_EQ(hello.extensions, (std::vector<std::uint16_t>{10, 13, 0, 35, 11, 23}));
}

TEST(ClientHandover, Tls13ServerGetsTls13ThroughThePublicClient) {
  MemoryServer13 server({});
  Client client = connect("cloudfront-2025", server);
  ASSERT_EQ(client.state(), State::connected) << client.error().message << " / " << server.last_error();
  EXPECT_EQ(client.negotiated().version, policy::ProtocolVersion::tls1_3);
  EXPECT_FALSE(client.negotiated().hello_retry_request);
  EXPECT_EQ(client.session(), nullptr);
  const std::string request = "GET / HTTP/1.1\r\n\r\n";
  ASSERT_TRUE(client.write(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size())));
  pump(client, server);
  EXPECT_EQ(server.received(), request);
  server.write("pong");
  pump(client, server);
  EXPECT_EQ(std::string(client.readable().begin(), client.readable().end()), "pong");
  client.close();
  pump(client, server);
  EXPECT_TRUE(server.saw_close_notify());
}

// The hand-over happens inside commit_input() when a socket reads straight
// into the engine: the TLS 1.2 engine's buffer holds the ServerHello and
// whatever followed it in the same read, and the TLS 1.3 client carries on
// with those bytes and with every later read into its own buffer.
TEST(ClientHandover, InPlaceReadsCarryOnAcrossTheHandOver) {
  for (const std::size_t chunk : {std::size_t{3}, std::size_t{150}, std::size_t{40 * 1024}}) {
    SCOPED_TRACE(chunk);
    MemoryServer13 server({});
    Client client(config_for("cloudfront-2025"));
    client.start();
    const auto deliver = [&](const std::vector<std::uint8_t>& bytes) {
      std::span<const std::uint8_t> rest(bytes);
      while (!rest.empty()) {
        const auto space = client.input_space(chunk);
        const std::size_t n = std::min({chunk, space.size(), rest.size()});
        std::copy_n(rest.begin(), n, space.begin());
        rest = rest.subspan(n);
        if (!client.commit_input(n)) return;
      }
    };
    for (int round = 0; round < 8; ++round) {
      const auto out = client.pending_output();
      server.receive(out);
      client.consume_output(out.size());
      server.step();
      deliver(server.take_output());
    }
    ASSERT_EQ(client.state(), State::connected) << client.error().message << " / " << server.last_error();
    EXPECT_EQ(client.negotiated().version, policy::ProtocolVersion::tls1_3);
    const std::string body(70000, 'z');
    server.write(body);
    server.step();
    deliver(server.take_output());
    std::string text;
    for (auto data = client.readable(); !data.empty(); data = client.readable()) {
      text.append(data.begin(), data.end());
      client.consume_readable(data.size());
    }
    EXPECT_EQ(text.size(), body.size());
    EXPECT_TRUE(text == body);
  }
}

TEST(ClientHandover, HelloRetryRequestThroughThePublicClient) {
  MemoryServer13Options options;
  options.groups = "X25519";
  MemoryServer13 server(options);
  Client client = connect("cloudfront-2025", server);
  ASSERT_EQ(client.state(), State::connected) << client.error().message;
  EXPECT_TRUE(client.negotiated().hello_retry_request);
  ASSERT_NE(client.negotiated().group, nullptr);
  EXPECT_EQ(client.negotiated().group->code, 29);
}

TEST(ClientHandover, Tls12ServerAnswersA2025OfferWithTls12) {
  MemoryServer13 server(tls12_only_server());
  Client client = connect("cloudfront-2025", server);
  ASSERT_EQ(client.state(), State::connected) << client.error().message;
  EXPECT_EQ(client.negotiated().version, policy::ProtocolVersion::tls1_2);
}

TEST(ClientHandover, DowngradeSentinelOnATls12AnswerIsRefused) {
  MemoryServer13 server(tls12_only_server());
  bool first = true;
  Client client = connect("cloudfront-2025", server, [&](std::vector<std::uint8_t>& bytes) {
    // ServerHello.random ends at record header 5 + handshake header 4 + version 2 + 32.
    if (first && bytes.size() > 43) {
      const std::uint8_t sentinel[8] = {'D', 'O', 'W', 'N', 'G', 'R', 'D', 1};
      std::copy(sentinel, sentinel + 8, bytes.begin() + 35);
    }
    first = false;
  });
  ASSERT_EQ(client.state(), State::failed);
  EXPECT_EQ(client.error().code, ErrorCode::protocol_violation) << client.error().message;
  EXPECT_EQ(client.error().alert, 47);
  EXPECT_NE(client.error().message.find("downgrade"), std::string::npos);
}

TEST(ClientHandover, Tls13OnlyProfileRefusesATls12Server) {
  MemoryServer13 server(tls12_only_server());
  Client client = connect("CloudFront-Upstream-TLS-1-3-2025", server);
  EXPECT_EQ(client.state(), State::failed);
  EXPECT_TRUE(client.error().code == ErrorCode::no_shared_version ||
              client.error().code == ErrorCode::version_not_allowed)
      << error_code_name(client.error().code) << ": " << client.error().message;
}

}  // namespace
}  // namespace edgefetch::tls::tls13
