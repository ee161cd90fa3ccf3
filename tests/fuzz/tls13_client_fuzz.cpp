// libFuzzer harness: the TLS 1.3 client state machine fed arbitrary server
// bytes after the handover. Input: a 2-byte length, the ServerHello message
// (header included), then whatever the "server" sends next.

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <span>
#include <vector>

#include "edgefetch/crypto/key_share.hpp"
#include "edgefetch/policy/profile.hpp"
#include "tls/messages/client_hello.hpp"
#include "tls/tls13/client13.hpp"
#include "tls/tls13/server_hello13.hpp"

using namespace edgefetch;
using namespace edgefetch::tls::tls13;

namespace {

// The CDN's 2025 ClientHello with fixed random and session id (the fuzzer
// cannot know a fresh one), P-256 share.
std::vector<std::uint8_t> client_hello(const policy::Offer& offer, const crypto::KeyShare& share) {
  tls::messages::ClientHelloInputs inputs;
  inputs.server_name = "origin.test";
  inputs.session_id.assign(32, 0x5A);
  inputs.random.fill(0xA5);
  auto hello = tls::messages::build_client_hello(offer, inputs);
  hello.key_shares = std::vector<tls::messages::KeyShareOffer>{
      {share.group(), std::vector<std::uint8_t>(share.public_key().begin(), share.public_key().end())}};
  return tls::messages::encode_client_hello(hello).value_or(std::vector<std::uint8_t>());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t hello_length = (static_cast<std::size_t>(data[0]) << 8) | data[1];
  if (hello_length > size - 2) return 0;
  const std::span<const std::uint8_t> server_hello(data + 2, hello_length);
  const std::span<const std::uint8_t> rest(data + 2 + hello_length, size - 2 - hello_length);

  auto share = crypto::KeyShare::generate(policy::kGroupSecp256r1);
  if (!share) __builtin_trap();
  Handover handover;
  handover.config.offer = policy::narrow(*policy::profile_by_name("cloudfront-2025"), {});
  handover.config.verify_certificates = false;
  handover.verification_time = 1767225600;  // 2026-01-01
  handover.client_hello = client_hello(handover.config.offer, *share);
  handover.key_shares.push_back(std::move(*share));
  Client13 client(std::move(handover));
  (void)client.start(server_hello, rest);
  // Split delivery must not matter: feed the rest again one byte at a time to a failed/connected client.
  for (std::size_t i = 0; i < rest.size() && i < 64; ++i) (void)client.feed(rest.subspan(i, 1));
  client.feed_eof();
  return 0;
}
