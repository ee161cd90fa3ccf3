#pragma once
// What the tls::Client fuzz harnesses share (header only: each harness is one
// translation unit): the widest TLS 1.2-and-below offer, a client that does not
// verify certificates (so the fuzzer can reach the states after Certificate)
// at a fixed time, and the feed loop with the engine's invariants.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <span>

#include "edgefetch/policy/cipher_suite.hpp"
#include "edgefetch/policy/named_group.hpp"
#include "edgefetch/policy/profile.hpp"
#include "edgefetch/policy/signature_scheme.hpp"
#include "edgefetch/tls/client.hpp"

namespace edgefetch::fuzz {

/// The fixed "now" of every harness (certificates, session lifetimes).
inline constexpr std::time_t kNow = 1'750'000'000;

/// SSLv3 to TLS 1.2 with every seed-table suite, P-256, X25519 and P-384, and
/// every seed-table signature scheme.
inline policy::Offer widest_tls12_offer() {
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

/// A client for origin.test that does not verify certificates, at kNow.
inline tls::ClientConfig unverified_client_config(const policy::Offer& offer) {
  tls::ClientConfig config;
  config.offer = offer;
  config.server_name = "origin.test";
  config.verify_name = "origin.test";
  config.verify_certificates = false;
  config.verification_time = kNow;
  return config;
}

/// Feeds `input` to a started client `chunk` bytes at a time, discarding what
/// it sends and reads, and writes a request once it is connected. Traps when a
/// failed feed leaves the client in another state than failed, or a failed
/// client accepts more bytes. Returns false once the client failed; otherwise
/// ends the stream (feed_eof, close) and returns true.
inline bool feed_in_chunks(tls::Client& client, std::span<const std::uint8_t> input, std::size_t chunk) {
  client.consume_output(client.pending_output().size());
  for (std::size_t offset = 0; offset < input.size(); offset += chunk) {
    auto fed = client.feed(input.subspan(offset, std::min(chunk, input.size() - offset)));
    client.consume_output(client.pending_output().size());
    if (!fed) {
      if (client.state() != tls::State::failed) __builtin_trap();
      if (client.feed(input.subspan(0, 0))) __builtin_trap();  // stays failed
      return false;
    }
    if (client.state() == tls::State::connected) {
      static constexpr std::uint8_t kRequest[] = {'G', 'E', 'T', '\n'};
      (void)client.write(kRequest);
      while (!client.readable().empty()) client.consume_readable(client.readable().size());
    }
  }
  client.feed_eof();
  client.close();
  return true;
}

}  // namespace edgefetch::fuzz
