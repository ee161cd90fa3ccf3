// libFuzzer harness: arbitrary bytes from "the server" into a started Client
// (certificate verification off so the fuzzer can reach the later states).
// The first byte picks the chunk size the rest is fed in; the engine must never
// crash, and once failed must stay failed.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "edgefetch/tls/client.hpp"

using namespace edgefetch;

namespace {

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const policy::Offer offer = make_offer();
  tls::ClientConfig config;
  config.offer = offer;
  config.server_name = "origin.test";
  config.verify_name = "origin.test";
  config.verify_certificates = false;
  config.verification_time = 1'750'000'000;
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
