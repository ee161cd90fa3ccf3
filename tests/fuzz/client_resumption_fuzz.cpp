// libFuzzer harness: arbitrary bytes from "the server" into a Client that
// offers a saved session (by session id, or by ticket when the first byte is
// odd), so the fuzzer reaches the abbreviated handshake: a ServerHello that
// echoes the fixed session id 0xAB x 32 resumes it. The engine must never
// crash, and once failed must stay failed.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "edgefetch/tls/client.hpp"
#include "edgefetch/tls/session.hpp"

using namespace edgefetch;

namespace {

constexpr std::time_t kNow = 1'750'000'000;

policy::Offer make_offer() {
  policy::Offer offer;
  offer.min_version = policy::ProtocolVersion::ssl3;
  offer.max_version = policy::ProtocolVersion::tls1_2;
  for (const policy::CipherSuite& suite : policy::all_cipher_suites()) {
    if (suite.key_exchange != policy::KeyExchange::tls13 && suite.in_seed_table)
      offer.cipher_suites.push_back(&suite);
  }
  for (std::uint16_t group : {policy::kGroupSecp256r1, policy::kGroupX25519, policy::kGroupSecp384r1}) {
    offer.groups.push_back(policy::named_group_by_code(group));
  }
  for (const policy::SignatureScheme& scheme : policy::all_signature_schemes()) {
    if (scheme.in_seed_table) offer.signature_schemes.push_back(&scheme);
  }
  return offer;
}

std::shared_ptr<const tls::Session> make_session(bool with_ticket) {
  tls::Session::State state;
  state.version = policy::ProtocolVersion::tls1_2;
  state.cipher_suite = policy::cipher_suite_by_code(0xC02F);
  state.session_id.assign(32, 0xAB);
  if (with_ticket) state.ticket.assign(64, 0x7C);
  state.master_secret.assign(48, 0x5A);
  state.extended_master_secret = true;
  state.server_name = "origin.test";
  state.verify_name = "origin.test";
  state.established_at = kNow - 10;
  return std::make_shared<const tls::Session>(std::move(state));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const policy::Offer offer = make_offer();
  static const std::shared_ptr<const tls::Session> by_id = make_session(false);
  static const std::shared_ptr<const tls::Session> by_ticket = make_session(true);
  tls::ClientConfig config;
  config.offer = offer;
  config.server_name = "origin.test";
  config.verify_name = "origin.test";
  config.verify_certificates = false;
  config.verification_time = kNow;
  config.resume_session = (data[0] & 1) != 0 ? by_ticket : by_id;
  tls::Client client(config);
  client.start();
  client.consume_output(client.pending_output().size());

  const std::size_t chunk = 1 + data[0] % 97;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  for (std::size_t offset = 0; offset < input.size(); offset += chunk) {
    auto fed = client.feed(input.subspan(offset, std::min(chunk, input.size() - offset)));
    client.consume_output(client.pending_output().size());
    if (!fed) {
      if (client.state() != tls::State::failed) __builtin_trap();
      if (client.feed(input.subspan(0, 0))) __builtin_trap();  // stays failed
      // A fatal alert either way forgets the session (RFC 5246 §7.2.2).
      if (client.error().alert_sender != tls::AlertSender::none && client.session() != nullptr)
        __builtin_trap();
      return 0;
    }
    if (client.state() == tls::State::connected) {
      static constexpr std::uint8_t kRequest[] = {'G', 'E', 'T', '\n'};
      (void)client.write(kRequest);
      client.consume_readable(client.readable().size());
    }
  }
  client.feed_eof();
  client.close();
  return 0;
}
